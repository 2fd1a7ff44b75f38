import { describe, expect, it, onTestFinished } from 'vitest'
import type { ConnectorId, ResponseAction } from '../../contract'
import { CONNECTOR_IDS, RESPONSE_ACTIONS } from '../../contract'
import { planFor } from '../../core/response/planner'
import { CONNECTORS } from '../../core/response/connectors'
import { aws } from '../../core/response/connectors/aws'
import { setClaims } from '../../core/response/connectors/ssf'
import { jwksOf, loadSigningKey } from '../../core/response/ssf-keys'
import { EnvSecretStore } from '../../core/response/secret-store'
import type { CallRunner, CallSpec, ConnectorConfig, Target } from '../../core/response/types'
import { oktaContract, oktaOperation, specsPresent } from '../mocks/api-contract'
import { startAwsMock } from '../mocks/aws-mock'
import { startOktaMock } from '../mocks/okta-mock'
import { IDENTITY, mockEnv } from '../mocks/providers'
import { harnessOn } from '../mocks/response-harness'
import { startSalesforceMock } from '../mocks/salesforce-mock'
import { startSlackMock } from '../mocks/slack-mock'
import { startSsfReceiver } from '../mocks/ssf-receiver-mock'

// One test per defect found by reading the connectors against the providers' published APIs (issue 15).

const target = (action: ResponseAction, over: Partial<Target> = {}): Target => ({
  identity: IDENTITY,
  action,
  sessionKey: null,
  account: null,
  knownKeys: [],
  actionId: 'act-test',
  ...over
})

const cfgOf = (env: Record<string, string>, id: ConnectorId, dataDir = '/nonexistent'): ConnectorConfig => {
  const store = new EnvSecretStore(env)
  return { get: (n) => store.get(`${id.toUpperCase()}_${n}`)?.value, secrets: [], dataDir, preview: false }
}

/** Sends each call straight to the provider (no outbox): for connector runs with a hand-built target. */
const direct = (id: ConnectorId): CallRunner => {
  const send = async (spec: CallSpec, allowMissing: boolean) => {
    const verdict = CONNECTORS[id].interpret(await spec.send(AbortSignal.timeout(5000)))
    if (verdict.ok) return verdict.data
    if (allowMissing && verdict.notFound) return null
    throw new Error(verdict.error)
  }
  return { preview: false, call: (spec) => send(spec, false) as never, callAllowMissing: (spec) => send(spec, true) as never }
}

const planOf = (id: ConnectorId, action: ResponseAction, env: Record<string, string> = {}, over: Partial<Target> = {}) =>
  planFor(id, action, target(action, over), new EnvSecretStore(env), '/nonexistent')

describe('1. Okta step-up with ITP', () => {
  it.skipIf(!specsPresent())('sends a riskReason Okta’s schema accepts, after the sessions are cleared', async () => {
    const server = await startOktaMock([{ id: '00u1alice', login: IDENTITY, status: 'ACTIVE', clients: [], sessions: ['102hijack'] }], {
      contract: await oktaContract()
    })
    const h = await harnessOn(server, { ...mockEnv('okta', server), AFTERLOGIN_OKTA_ITP: '1' })
    const [a] = await h.run('okta', 'step-up', IDENTITY)
    expect(server.violations).toEqual([])
    expect(a.status).toBe('done')
    const lines = server.seen.map((s) => `${s.method} ${s.path}`)
    expect(lines.indexOf('DELETE /api/v1/users/00u1alice/sessions')).toBeLessThan(lines.indexOf('PUT /api/v1/users/00u1alice/risk'))
    const risk = server.seen.find((s) => s.method === 'PUT')!
    expect((JSON.parse(risk.body) as { riskReason: string }).riskReason).toMatch(/^[a-zA-Z0-9\s\-,.]*$/)
  })
})

describe('2. AWS on IAM Identity Center roles', () => {
  it('sends nothing IAM would refuse and names the Identity Center steps instead', async () => {
    const server = await startAwsMock({ roles: {}, users: {} }, { token: 'AKIAMOCKRESPONDER01' })
    onTestFinished(() => server.close())
    const who = 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@acme.example'
    const env = {
      AFTERLOGIN_AWS_URL: server.url,
      AFTERLOGIN_AWS_ACCESS_KEY_ID: 'AKIAMOCKRESPONDER01',
      AFTERLOGIN_AWS_SECRET_ACCESS_KEY: 'mock-secret-0123456789'
    }
    await expect(aws.run(target('terminate-session', { identity: who }), cfgOf(env, 'aws'), direct('aws'))).rejects.toThrow(
      /PutInlinePolicyToPermissionSet.*ProvisionPermissionSet/
    )
    expect(server.seen).toHaveLength(0)
    const plan = await planOf('aws', 'suspend-identity', env, { identity: who })
    expect(plan.calls).toEqual([])
    expect(plan.notes.join(' ')).toMatch(/permission set AdministratorAccess.*\*:alice@acme\.example/)
  })
})

describe('3. AWS step-up', () => {
  it('follows AWS’s MFA pattern: the bootstrap calls and AWS services stay allowed; the preview says what federated sessions get', async () => {
    const state = { roles: {}, users: { alice: { policies: {} as Record<string, string>, keys: {} } } }
    const server = await startAwsMock(state, { token: 'AKIAMOCKRESPONDER01' })
    onTestFinished(() => server.close())
    const env = {
      AFTERLOGIN_AWS_URL: server.url,
      AFTERLOGIN_AWS_ACCESS_KEY_ID: 'AKIAMOCKRESPONDER01',
      AFTERLOGIN_AWS_SECRET_ACCESS_KEY: 'mock-secret-0123456789'
    }
    await aws.run(target('step-up', { identity: 'alice' }), cfgOf(env, 'aws'), direct('aws'))
    const policy = JSON.parse(state.users.alice.policies.AfterloginRequireMfa) as { Statement: Record<string, unknown> }
    expect(policy.Statement.Action).toBeUndefined()
    expect(policy.Statement.NotAction).toEqual(
      expect.arrayContaining(['sts:GetSessionToken', 'iam:EnableMFADevice', 'iam:CreateVirtualMFADevice', 'iam:ListMFADevices'])
    )
    expect(policy.Statement.Condition).toEqual({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' }, Bool: { 'aws:ViaAWSService': 'false' } })
    const plan = await planOf('aws', 'step-up', env, { identity: 'alice' })
    expect(plan.notes.join(' ')).toMatch(/Federated sessions.*never carry aws:MultiFactorAuthPresent/)
  })
})

describe('4. AWS revoke-tokens', () => {
  it('lists the keys even when the case knows one, so a key the attacker added is deactivated too', async () => {
    const state = { roles: {}, users: { alice: { policies: {}, keys: { AKIAALICEKEY0000001: 'Active' as const, AKIAATTACKERKEY0002: 'Active' as const } } } }
    const server = await startAwsMock(state, { token: 'AKIAMOCKRESPONDER01' })
    onTestFinished(() => server.close())
    const env = {
      AFTERLOGIN_AWS_URL: server.url,
      AFTERLOGIN_AWS_ACCESS_KEY_ID: 'AKIAMOCKRESPONDER01',
      AFTERLOGIN_AWS_SECRET_ACCESS_KEY: 'mock-secret-0123456789'
    }
    await aws.run(target('revoke-tokens', { identity: 'alice', knownKeys: ['AKIAALICEKEY0000001'] }), cfgOf(env, 'aws'), direct('aws'))
    expect(state.users.alice.keys).toEqual({ AKIAALICEKEY0000001: 'Inactive', AKIAATTACKERKEY0002: 'Inactive' })
  })
})

describe('5. Okta suspend of a user that is not ACTIVE', () => {
  it('skips the lifecycle call and still clears sessions and tokens', async () => {
    const server = await startOktaMock([{ id: '00u1alice', login: IDENTITY, status: 'LOCKED_OUT', clients: [], sessions: ['102hijack'] }])
    const h = await harnessOn(server, mockEnv('okta', server))
    const [a] = await h.run('okta', 'suspend-identity', IDENTITY)
    expect(a.status).toBe('done')
    expect(server.count(/lifecycle\/suspend/)).toBe(0)
    expect(server.seen.find((s) => s.method === 'DELETE' && s.path === '/api/v1/users/00u1alice/sessions')?.query.get('oauthTokens')).toBe('true')
  })
})

describe('6. SSF', () => {
  it('sends a complex subject (email user plus session) as it is, never nested under user', () => {
    const cfg = cfgOf({ AFTERLOGIN_SSF_URL: 'https://receiver.example/events' }, 'ssf')
    const claims = setClaims(target('terminate-session', { sessionKey: 'sess-42' }), cfg, 'session-revoked', 'j1', 'r', 0)
    const expected = { format: 'complex', user: { format: 'email', email: IDENTITY }, session: { format: 'opaque', id: 'sess-42' } }
    expect(claims.sub_id).toEqual(expected)
    expect(Object.values(claims.events)[0].subject).toEqual(expected)
  })

  it('sends the receiver’s authorization_header exactly as given', async () => {
    let dataDir = ''
    const receiver = await startSsfReceiver({
      jwks: async () => jwksOf(await loadSigningKey(dataDir)) as never,
      issuer: 'https://afterlogin.test/ssf',
      audience: 'https://receiver.test',
      token: 'r-token-123'
    })
    const h = await harnessOn(receiver, {
      AFTERLOGIN_SSF_URL: `${receiver.url}/security/api/v1/security-events`,
      AFTERLOGIN_SSF_TOKEN: 'opaque-value-r-token-123',
      AFTERLOGIN_SSF_ISSUER: 'https://afterlogin.test/ssf',
      AFTERLOGIN_SSF_AUDIENCE: 'https://receiver.test'
    })
    dataDir = h.dir
    await h.run('ssf', 'terminate-session', IDENTITY)
    expect(receiver.seen[0].headers.authorization).toBe('opaque-value-r-token-123')
  })
})

describe('7. Slack single-session invalidation', () => {
  it('sends user_id and session_id only', async () => {
    const server = await startSlackMock([{ id: 'U02ALICE', email: IDENTITY, resets: 0, sessions: ['8123'] }])
    // A workspace id configured for the old method must not be sent any more.
    const h = await harnessOn(server, { ...mockEnv('slack', server), AFTERLOGIN_SLACK_TEAM_ID: 'T0ACME' })
    const [a] = await h.run('slack', 'terminate-session', IDENTITY, { sessionId: '8123' })
    expect(a.status).toBe('done')
    const sent = new URLSearchParams(server.seen.find((s) => s.path === '/api/admin.users.session.invalidate')!.body)
    expect([...sent.keys()].sort()).toEqual(['session_id', 'user_id'])
  })
})

describe('8. Previews claim only what the calls do', () => {
  const doc = (id: ConnectorId, a: ResponseAction) => CONNECTORS[id].actions[a]!
  it('Okta revoke-tokens does not claim access tokens', () => {
    expect(doc('okta', 'revoke-tokens').cuts.join(' ')).not.toMatch(/access token/i)
    expect(doc('okta', 'revoke-tokens').doesNotCut.join(' ')).toMatch(/access tokens/)
  })

  it('Salesforce revoke-tokens revokes the connected-app tokens', async () => {
    const users = [
      {
        id: '005Hs00000AliceA',
        username: IDENTITY,
        loginId: '0Yw000000000001',
        frozen: false,
        sessions: ['0Ak5e00000Hijack'],
        oauthTokens: [{ id: '0CQ5e0000000001', app: 'Data Loader', deleteToken: 'del-token-secret-1' }]
      }
    ]
    const server = await startSalesforceMock(users)
    const h = await harnessOn(server, mockEnv('salesforce', server))
    const [a] = await h.run('salesforce', 'revoke-tokens', IDENTITY)
    expect(a.status).toBe('done')
    expect(users[0].oauthTokens).toEqual([])
    expect(users[0].sessions).toEqual([])
    const detail = await (await import('../../core/response/outbox')).actionDetail(h.db, a.id)
    expect(JSON.stringify(detail)).not.toContain('del-token-secret-1')
  })

  it('GitHub step-up does not claim a fresh SSO, suspend does not claim all access', () => {
    expect(doc('github', 'step-up').cuts.join(' ')).not.toMatch(/fresh SSO/i)
    expect(doc('github', 'step-up').doesNotCut.join(' ')).toMatch(/active SAML SSO session/)
    expect(doc('github', 'suspend-identity').cuts.join(' ')).not.toMatch(/all access/i)
    expect(doc('github', 'suspend-identity').doesNotCut.join(' ')).toMatch(/enterprise team/)
  })

  it('Entra says guests are not affected', () => {
    for (const a of RESPONSE_ACTIONS) expect(doc('entra', a).doesNotCut.join(' ')).toMatch(/guest/)
  })

  it('SSF says Okta acts only with an ITP policy, and step-up invents no assurance transition', async () => {
    expect(doc('ssf', 'terminate-session').cuts.join(' ')).toMatch(/only when an Identity Threat Protection/)
    const plan = await planOf('ssf', 'step-up', { AFTERLOGIN_SSF_URL: 'https://receiver.example/events' })
    expect(JSON.stringify(plan.calls)).not.toMatch(/assurance-level-change|nist-aal/)
  })
})

describe('9. Least privilege is named', () => {
  it('every action of every connector names its permissions and the provider documentation, and the preview shows them', async () => {
    for (const id of CONNECTOR_IDS) {
      for (const a of RESPONSE_ACTIONS) {
        const d = CONNECTORS[id].actions[a]
        if (!d) continue
        expect(d.permissions.length, `${id} ${a}`).toBeGreaterThan(0)
        expect(d.docs.length, `${id} ${a}`).toBeGreaterThan(0)
        for (const url of d.docs) expect(new URL(url).protocol).toBe('https:')
        const plan = await planOf(id, a)
        expect(plan.permissions).toEqual(d.permissions)
        expect(plan.docs).toEqual(d.docs)
      }
    }
    const perms = (id: ConnectorId, a: ResponseAction) => CONNECTORS[id].actions[a]!.permissions.join(' ')
    expect(perms('okta', 'step-up')).toMatch(/okta\.userRisk\.manage/)
    expect(perms('okta', 'terminate-session')).toMatch(/okta\.sessions\.manage/)
    expect(perms('entra', 'suspend-identity')).toMatch(/User\.EnableDisableAccount\.All/)
    expect(perms('entra', 'step-up')).toMatch(/IdentityRiskyUser\.ReadWrite\.All/)
    expect(perms('google', 'suspend-identity')).toMatch(/auth\/admin\.directory\.user\b/)
  })

  it.skipIf(!specsPresent())('Okta: each call’s OAuth scope in the published description is named in the action’s permissions', async () => {
    let checked = 0
    for (const a of RESPONSE_ACTIONS) {
      const server = await startOktaMock([{ id: '00u1alice', login: IDENTITY, status: 'ACTIVE', clients: ['0oa1crm'], sessions: ['102hijack'] }])
      const h = await harnessOn(server, { ...mockEnv('okta', server), AFTERLOGIN_OKTA_ITP: '1' })
      await h.run('okta', a, IDENTITY, a === 'terminate-session' ? { sessionId: '102hijack' } : {})
      if (a === 'terminate-session') await h.run('okta', a, IDENTITY)
      for (const s of server.seen) {
        const op = await oktaOperation(s)
        const scopes = (op?.security ?? []).flatMap((x) => (x as Record<string, string[]>).oauth2 ?? [])
        for (const scope of scopes) {
          expect(CONNECTORS.okta.actions[a]!.permissions.join(' '), `${a}: ${s.method} ${s.path}`).toContain(scope)
          checked += 1
        }
      }
    }
    expect(checked).toBeGreaterThan(8)
  })
})
