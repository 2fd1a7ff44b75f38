import { afterEach, describe, expect, it } from 'vitest'
import type { ActionDetail, ActionSummary, AuditVerification, ConnectorInfo, ResponseStatusEvent } from '../../contract'
import { dispatch } from '../../core/dispatch'
import { responseService } from '../../core/response/response-handlers'
import { EnvSecretStore } from '../../core/response/secret-store'
import { Workbench } from '../../core/workbench'
import { tempHome } from '../helpers/web-mode'
import { dumpCase } from '../mocks/case-dump'
import { startGraphMock } from '../mocks/graph-mock'
import { startGoogleMock, startGoogleTokenMock } from '../mocks/google-mock'
import { exportPKCS8, generateKeyPair } from 'jose'
import { startOktaMock } from '../mocks/okta-mock'
import { testQuery } from '../helpers/test-queries'

const ALICE = 'alice@acme.example'
let cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

const workbench = async (env: Record<string, string>) => {
  const wb = new Workbench({ dataDir: tempHome(), transport: 'web', version: 'test', secrets: new EnvSecretStore(env) })
  // Background runs finish their last writes after the final push: never close DuckDB under a query.
  cleanup.push(async () => {
    await responseService(wb).idle()
    wb.close()
  })
  const created = await dispatch(wb, 'case.create', { name: 'Response' })
  expect(created.ok).toBe(true)
  return wb
}

const value = async <T>(p: Promise<{ ok: boolean; value?: unknown; error?: string }>): Promise<T> => {
  const out = await p
  if (!out.ok) throw new Error(out.error)
  return out.value as T
}

describe('response contract calls', () => {
  it('lists connectors with their configured state, previews, executes in the background and pushes status', async () => {
    const okta = await startOktaMock([{ id: '00u1alice', login: ALICE, status: 'ACTIVE', clients: [], sessions: [] }])
    cleanup.push(() => okta.close())
    const wb = await workbench({ AFTERLOGIN_OKTA_URL: okta.url, AFTERLOGIN_OKTA_TOKEN: okta.token })

    const connectors = await value<ConnectorInfo[]>(dispatch(wb, 'response.connectors', {}))
    expect(connectors.find((c) => c.id === 'okta')).toMatchObject({ configured: true, origin: 'env', url: okta.url, writable: false })
    expect(connectors.find((c) => c.id === 'entra')).toMatchObject({ configured: false, missing: ['AFTERLOGIN_ENTRA_TOKEN'] })
    expect(connectors.find((c) => c.id === 'slack')!.actions).not.toContain('suspend-identity')
    expect(JSON.stringify(connectors)).not.toContain(okta.token)

    const refused = await dispatch(wb, 'response.configure', { connector: 'okta', values: { TOKEN: 'x' } })
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/environment/) })
    const noReason = await dispatch(wb, 'response.execute', { identity: ALICE, action: 'terminate-session', connectors: ['okta'], reason: ' ' })
    expect(noReason).toMatchObject({ ok: false, error: expect.stringMatching(/reason is required/) })
    expect(okta.seen).toHaveLength(0)

    const statuses: ResponseStatusEvent[] = []
    const finished = new Promise<void>((ok) =>
      wb.push.on('response.status', (e) => {
        statuses.push(e)
        if (e.status === 'done') ok()
      })
    )
    const [started] = await value<ActionSummary[]>(
      dispatch(wb, 'response.execute', { identity: ALICE, action: 'terminate-session', connectors: ['okta'], reason: 'hijacked session' })
    )
    expect(started.analyst).toBeTruthy()
    await finished
    expect(statuses.some((s) => s.status === 'running' && s.calls.length > 0)).toBe(true)
    const detail = await value<ActionDetail>(dispatch(wb, 'response.action', { id: started.id }))
    expect(detail).toMatchObject({ status: 'done', connector: 'okta', reason: 'hijacked session' })
    const listed = await value<ActionSummary[]>(dispatch(wb, 'response.actions', {}))
    expect(listed.map((a) => a.id)).toEqual([started.id])
    expect(await value<AuditVerification>(dispatch(wb, 'audit.verify', {}))).toMatchObject({ ok: true, records: 4 })
    const csv = await value<{ text: string }>(dispatch(wb, 'audit.export', { format: 'csv' }))
    expect(csv.text).toContain('hijacked session')
    const jwks = await value<{ keys: { kty: string }[] }>(dispatch(wb, 'response.ssf.jwks', {}))
    expect(jwks.keys[0].kty).toBe('RSA')
  })
})

describe('Entra client-credentials flow', () => {
  it('gets a token from the configured token URL and never records the client secret or the token', async () => {
    const client = { id: 'app-1234', secret: 'client-secret-value-5678', token: 'issued-graph-token-abcdef' }
    const users = [{ id: '6f1c', upn: ALICE, accountEnabled: true, revoked: 0, risk: 'none' as const }]
    const graph = await startGraphMock(users, { client })
    cleanup.push(() => graph.close())
    const wb = await workbench({
      AFTERLOGIN_ENTRA_URL: graph.url,
      AFTERLOGIN_ENTRA_CLIENT_ID: client.id,
      AFTERLOGIN_ENTRA_CLIENT_SECRET: client.secret,
      AFTERLOGIN_ENTRA_TOKEN_URL: `${graph.url}/contoso.example/oauth2/v2.0/token`,
      AFTERLOGIN_ENTRA_ID_PROTECTION: '1'
    })
    const done = new Promise<void>((ok) => wb.push.on('response.status', (e) => e.status !== 'running' && ok()))
    await value(dispatch(wb, 'response.execute', { identity: ALICE, action: 'step-up', connectors: ['entra'], reason: 'step-up after travel anomaly' }))
    await done
    expect(users[0]).toMatchObject({ risk: 'high', revoked: 1 })
    expect(graph.count(/oauth2\/v2\.0\/token$/)).toBe(1)
    const dump = await dumpCase(wb.requireCase().db)
    expect(dump).toContain('confirmCompromised')
    expect(dump).not.toContain(client.secret)
    expect(dump).not.toContain(client.token)
  })
})

describe('revocations for post_revocation', () => {
  it('lists actions that took effect with their time and session keys, never dry runs', async () => {
    const okta = await startOktaMock([{ id: '00u1alice', login: ALICE, status: 'ACTIVE', clients: [], sessions: ['102hijack'] }])
    cleanup.push(() => okta.close())
    const wb = await workbench({ AFTERLOGIN_OKTA_URL: okta.url, AFTERLOGIN_OKTA_TOKEN: okta.token })
    const done = new Promise<void>((ok) => wb.push.on('response.status', (e) => e.status === 'done' && ok()))
    await value(dispatch(wb, 'response.execute', { identity: ALICE, action: 'terminate-session', connectors: ['okta'], reason: 'dry', dryRun: true }))
    await value(
      dispatch(wb, 'response.execute', { identity: ALICE, action: 'terminate-session', connectors: ['okta'], sessionId: '102hijack', reason: 'cut it' })
    )
    await done
    const rows = await wb.requireCase().db.many<{ identity: string; session_keys: string; executed_at: string }>(testQuery('response.revocations'))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ identity: ALICE, session_keys: '["102hijack"]' })
    expect(Date.parse(rows[0].executed_at)).toBeLessThanOrEqual(Date.now())
  })
})

describe('Google service account with domain-wide delegation', () => {
  it('signs a JWT bearer assertion, gets a token, signs the user out, and records neither key nor token', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true })
    const pem = await exportPKCS8(privateKey)
    const users = [{ primaryEmail: ALICE, id: '1044', suspended: false, changePasswordAtNextLogin: false, signOuts: 0, tokens: [] }]
    const google = await startGoogleMock(users, { token: 'ya29.delegated-token-0123456789' })
    const oauth = await startGoogleTokenMock({
      publicKey,
      clientEmail: 'responder@acme-sec.iam.gserviceaccount.com',
      subject: 'admin@acme.example',
      token: google.token
    })
    cleanup.push(
      () => google.close(),
      () => oauth.close()
    )
    const serviceAccount = JSON.stringify({
      type: 'service_account',
      client_email: 'responder@acme-sec.iam.gserviceaccount.com',
      private_key: pem,
      token_uri: `${oauth.url}/token`
    })
    const wb = await workbench({
      AFTERLOGIN_GOOGLE_URL: google.url,
      AFTERLOGIN_GOOGLE_SERVICE_ACCOUNT: serviceAccount,
      AFTERLOGIN_GOOGLE_SUBJECT: 'admin@acme.example'
    })
    const connectors = await value<ConnectorInfo[]>(dispatch(wb, 'response.connectors', {}))
    expect(connectors.find((c) => c.id === 'google')!.configured).toBe(true)
    const done = new Promise<ResponseStatusEvent>((ok) => wb.push.on('response.status', (e) => e.status !== 'running' && ok(e)))
    await value(
      dispatch(wb, 'response.execute', { identity: ALICE, action: 'terminate-session', connectors: ['google'], reason: 'drive shares to a personal account' })
    )
    expect((await done).status).toBe('done')
    expect(users[0].signOuts).toBe(1)
    expect(oauth.assertions[0]).toMatchObject({ scope: expect.stringContaining('admin.directory.user.security') })
    const dump = await dumpCase(wb.requireCase().db)
    expect(dump).not.toContain(google.token)
    expect(dump).not.toContain('PRIVATE KEY')
  })
})
