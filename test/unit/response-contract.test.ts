import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectorId, ResponseAction } from '../../contract'
import { RESPONSE_ACTIONS } from '../../contract'
import { testConnection } from '../../core/response/connection-test'
import { jsonCall } from '../../core/response/connectors/common'
import { CONNECTORS } from '../../core/response/connectors'
import { EnvSecretStore } from '../../core/response/secret-store'
import { githubContract, graphContract, oktaContract, slackContract, specsPresent, type Contract } from '../mocks/api-contract'
import type { MockServer, Seen } from '../mocks/mock-server'
import { startGithubMock } from '../mocks/github-mock'
import { startGraphMock } from '../mocks/graph-mock'
import { startOktaMock } from '../mocks/okta-mock'
import { IDENTITY, mockEnv } from '../mocks/providers'
import { openHarness } from '../mocks/response-harness'
import { startSlackMock } from '../mocks/slack-mock'

/**
 * Every request each connector can send, validated against the provider's own published description
 * (../shared/api-specs, see its SOURCES.md): Okta's OpenAPI 3 through openapi-backend, Slack's Web API and
 * GitHub's endpoint list through ajv, Microsoft Graph's CSDL through fast-xml-parser and ajv. The mocks carry the
 * same contract, so they answer 400 to anything the description does not allow and the action fails.
 */
const SKIP = !specsPresent()
if (SKIP) console.warn('skipping the API contract tests: ../shared/api-specs is absent (provider descriptions are not copied into the repo)')

let cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

interface Rig {
  server: MockServer
  env: Record<string, string>
  identity: string
  /** A native session key of the identity, for the single-session variant where the API has one. */
  sessionKey: string | null
}

const contracts: Record<'okta' | 'slack' | 'github' | 'entra', () => Promise<Contract>> = {
  okta: oktaContract,
  slack: async () => slackContract(),
  github: async () => githubContract(),
  entra: async () => graphContract()
}

/** A fresh mock with state rich enough that every call of every action happens (clients, credentials, sessions). */
const rig = async (id: keyof typeof contracts, contract: Contract): Promise<Rig> => {
  switch (id) {
    case 'okta': {
      const server = await startOktaMock(
        [{ id: '00u1alice', login: IDENTITY, status: 'ACTIVE', clients: ['0oa1crm', '0oa2mail'], sessions: ['102hijack', '102laptop'] }],
        { contract }
      )
      return { server, env: { ...mockEnv('okta', server), AFTERLOGIN_OKTA_ITP: '1' }, identity: IDENTITY, sessionKey: '102hijack' }
    }
    case 'slack': {
      const server = await startSlackMock([{ id: 'U02ALICE', email: IDENTITY, resets: 0, sessions: ['8123'] }], { contract })
      return { server, env: mockEnv('slack', server), identity: IDENTITY, sessionKey: '8123' }
    }
    case 'github': {
      const server = await startGithubMock(
        {
          name: 'acme',
          members: ['alice-acme'],
          credentials: [{ credential_id: 161195, login: 'alice-acme', credential_type: 'personal access token', token_last_eight: '71c3fc11' }]
        },
        { contract }
      )
      return { server, env: mockEnv('github', server), identity: 'alice-acme', sessionKey: null }
    }
    case 'entra': {
      const server = await startGraphMock([{ id: '6f1c-alice', upn: IDENTITY, accountEnabled: true, revoked: 0, risk: 'none' }], { contract })
      return { server, env: { ...mockEnv('entra', server), AFTERLOGIN_ENTRA_ID_PROTECTION: '1' }, identity: IDENTITY, sessionKey: null }
    }
  }
}

const line = (s: Seen) => `${s.method} ${s.path}${[...s.query.keys()].length ? `?${s.query.toString()}` : ''}`

describe.skipIf(SKIP).each(Object.keys(contracts) as (keyof typeof contracts)[])('%s requests against the published description', (id) => {
  const variants: { action: ResponseAction; single: boolean }[] = RESPONSE_ACTIONS.filter((a) => !!CONNECTORS[id as ConnectorId].actions[a]).flatMap(
    (action) => [{ action, single: false }, ...(action === 'terminate-session' ? [{ action, single: true }] : [])]
  )

  it.each(variants.map((v) => [`${v.action}${v.single ? ' (one session)' : ''}`, v] as const))(
    '%s: every request is one the provider publishes',
    async (_name, v) => {
      const contract = await contracts[id]()
      const r = await rig(id, contract)
      const h = await openHarness(r.env)
      cleanup.push(
        () => r.server.close(),
        () => h.close()
      )
      if (v.single && !r.sessionKey) return
      const [action] = await h.run(id as ConnectorId, v.action, r.identity, v.single && r.sessionKey ? { sessionId: r.sessionKey } : {})
      expect(r.server.violations).toEqual([])
      expect(action.status).toBe('done')
      expect(r.server.seen.length).toBeGreaterThan(0)
      // The check itself is not vacuous: each request seen is matched to a published operation.
      for (const s of r.server.seen) expect(contract(s), line(s)).toEqual([])
    }
  )

  it('the Test connection call is one the provider publishes', async () => {
    const contract = await contracts[id]()
    const r = await rig(id, contract)
    cleanup.push(() => r.server.close())
    const check = await testConnection(id as ConnectorId, new EnvSecretStore(r.env), '/nonexistent')
    expect(r.server.violations).toEqual([])
    expect(check).toMatchObject({ ok: true })
  })
})

/** A request as the mock would see it, for the negative cases. */
const seen = (method: string, pathAndQuery: string, body: unknown = undefined, form: Record<string, string> | null = null): Seen => {
  const u = new URL(pathAndQuery, 'http://127.0.0.1')
  return {
    method,
    path: u.pathname,
    query: u.searchParams,
    headers: { authorization: 'Bearer xoxp-test', 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(form).toString() : body === undefined ? '' : JSON.stringify(body)
  }
}

describe.skipIf(SKIP)('the contracts refuse what the providers do not publish', () => {
  it('Okta: a wrong path, a stray query parameter, a wrong body value', async () => {
    const okta = await oktaContract()
    expect(okta(seen('DELETE', '/api/v1/users/00u1/sessions?oauthTokens=true&forgetDevices=false'))).toEqual([])
    expect(okta(seen('DELETE', '/api/v1/users/00u1/session'))).not.toEqual([])
    expect(okta(seen('DELETE', '/api/v1/users/00u1/sessions?oauthToken=true'))).not.toEqual([])
    expect(okta(seen('PUT', '/api/v1/users/00u1/risk', { riskLevel: 'SEVERE' }))).not.toEqual([])
    expect(okta(seen('PUT', '/api/v1/users/00u1/risk', { riskLevel: 'HIGH', riskReason: 'Afterlogin: hijack' })).join()).toMatch(/pattern/)
  })

  it('Slack: team_id on session.invalidate (refused since 2025-01-15), a method that does not exist, a missing argument', () => {
    const slack = slackContract()
    expect(slack(seen('POST', '/api/admin.users.session.invalidate', undefined, { user_id: 'U1', session_id: '8123' }))).toEqual([])
    expect(slack(seen('POST', '/api/admin.users.session.invalidate', undefined, { user_id: 'U1', session_id: '8123', team_id: 'T1' })).join()).toMatch(
      /team_id/
    )
    expect(slack(seen('POST', '/api/admin.users.sessions.reset', undefined, { user_id: 'U1' }))).not.toEqual([])
    expect(slack(seen('POST', '/api/admin.users.session.reset', undefined, {}))).not.toEqual([])
  })

  it('GitHub: a wrong path and a query parameter the endpoint does not take', () => {
    const gh = githubContract()
    expect(gh(seen('GET', '/orgs/acme/credential-authorizations?login=alice&per_page=100'))).toEqual([])
    expect(gh(seen('GET', '/orgs/acme/credential-authorisations?login=alice'))).not.toEqual([])
    expect(gh(seen('GET', '/orgs/acme/credential-authorizations?user=alice'))).not.toEqual([])
  })

  it('Graph: a wrong action name, a body field user does not have, a wrong parameter name', () => {
    const graph = graphContract()
    expect(graph(seen('POST', '/v1.0/users/alice%40acme.example/revokeSignInSessions'))).toEqual([])
    expect(graph(seen('POST', '/v1.0/users/alice%40acme.example/revokeSessions'))).not.toEqual([])
    expect(graph(seen('PATCH', '/v1.0/users/alice', { accountEnabled: false }))).toEqual([])
    expect(graph(seen('PATCH', '/v1.0/users/alice', { accountDisabled: true }))).not.toEqual([])
    expect(graph(seen('POST', '/v1.0/identityProtection/riskyUsers/confirmCompromised', { userIds: ['1'] }))).toEqual([])
    expect(graph(seen('POST', '/v1.0/identityProtection/riskyUsers/confirmCompromised', { users: ['1'] }))).not.toEqual([])
    expect(graph(seen('GET', '/v1.0/users/alice?$select=idd'))).not.toEqual([])
  })

  it('a mock with a contract answers 400 to a wrong path or body field, so the call fails', async () => {
    const server = await startOktaMock([{ id: '00u1alice', login: IDENTITY, status: 'ACTIVE', clients: [], sessions: [] }], { contract: await oktaContract() })
    cleanup.push(() => server.close())
    const headers = () => ({ Authorization: `SSWS ${server.token}` })
    const send = (path: string, body?: unknown) =>
      jsonCall({ method: body ? 'PUT' : 'DELETE', base: server.url, path, body, headers, purpose: 't', kind: 'change', safeToRepeat: true }).send(
        AbortSignal.timeout(5000)
      )
    expect((await send('/api/v1/users/00u1alice/sessions')).status).toBe(204)
    expect((await send('/api/v1/users/00u1alice/sesions')).status).toBe(400)
    expect((await send('/api/v1/users/00u1alice/risk', { riskLevel: 'HIGH', riskReason: 'Afterlogin: hijack' })).status).toBe(400)
    expect(server.violations).toHaveLength(2)
  })
})
