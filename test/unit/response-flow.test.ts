import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { auditRecords } from '../../core/audit/audit'
import { auditCsv, auditJson } from '../../core/audit/audit-export'
import { actionDetail } from '../../core/response/outbox'
import { startGoogleMock } from '../mocks/google-mock'
import { startGraphMock } from '../mocks/graph-mock'
import { startOktaMock } from '../mocks/okta-mock'
import { startSalesforceMock } from '../mocks/salesforce-mock'
import { startSlackMock } from '../mocks/slack-mock'
import { mockEnv } from '../mocks/providers'
import { openHarness } from '../mocks/response-harness'
import { dumpCase } from '../mocks/case-dump'

const ALICE = 'alice@acme.example'
let cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

const harness = async (env: Record<string, string>, opts?: { timeoutMs?: number }) => {
  const h = await openHarness(env, opts)
  cleanup.push(() => h.close())
  return h
}

describe('terminating a hijacked identity across apps', () => {
  it('ends the sessions at Okta (through a 429), Graph, Google and Slack, and records it all without a secret', async () => {
    const okta = await startOktaMock([{ id: '00u1alice', login: ALICE, status: 'ACTIVE', clients: [], sessions: ['102x'] }])
    const graphUsers = [{ id: '6f1c', upn: ALICE, accountEnabled: true, revoked: 0, risk: 'none' as const }]
    const graph = await startGraphMock(graphUsers)
    const googleUsers = [{ primaryEmail: ALICE, id: '1044', suspended: false, changePasswordAtNextLogin: false, signOuts: 0, tokens: [] }]
    const google = await startGoogleMock(googleUsers)
    const slackUsers = [{ id: 'U02ALICE', email: ALICE, resets: 0, sessions: ['8123'] }]
    const slack = await startSlackMock(slackUsers)
    for (const m of [okta, graph, google, slack]) cleanup.push(() => m.close())
    const env = { ...mockEnv('okta', okta), ...mockEnv('entra', graph), ...mockEnv('google', google), ...mockEnv('slack', slack) }
    const h = await harness(env)
    okta.inject(/^DELETE \/api\/v1\/users\/00u1alice\/sessions$/, 'rate-limit')
    const actions = await h.service.execute(
      {
        connectors: ['okta', 'entra', 'google', 'slack'],
        action: 'terminate-session',
        identity: ALICE,
        reason: 'Okta session replayed from another country',
        analyst: 'dana',
        dryRun: false
      },
      { wait: true }
    )
    expect(actions.map((a) => [a.connector, a.status])).toEqual([
      ['okta', 'done'],
      ['entra', 'done'],
      ['google', 'done'],
      ['slack', 'done']
    ])
    expect(new Set(actions.map((a) => a.batchId)).size).toBe(1)
    expect(okta.count(/^DELETE \/api\/v1\/users\/00u1alice\/sessions$/)).toBe(2)
    expect(okta.seen.find((s) => s.method === 'DELETE')!.query.get('oauthTokens')).toBe('true')
    expect(graphUsers[0].revoked).toBe(1)
    expect(googleUsers[0].signOuts).toBe(1)
    expect(slackUsers[0].resets).toBe(1)
    const oktaDetail = await actionDetail(h.db, actions[0].id)
    const throttled = oktaDetail.attempts.find((a) => a.httpStatus === 429)!
    expect(throttled.error).toMatch(/E0000047/)
    expect(throttled.requestId).toMatch(/^[0-9a-f]{20}$/)
    expect(h.events.length).toBeGreaterThan(4)

    // Secrets appear nowhere: not in the case file, not in either audit export.
    h.db.close()
    const caseBytes = readFileSync(join(h.dir, 'case.duckdb')).toString('latin1')
    const reopened = await openHarness(env, { dir: h.dir })
    cleanup.push(() => reopened.close())
    const exports = (await auditJson(reopened.db)) + (await auditCsv(reopened.db))
    const rows = await dumpCase(reopened.db)
    expect(rows).toContain('revokeSignInSessions')
    for (const token of [okta.token, graph.token, google.token, slack.token]) {
      expect(caseBytes).not.toContain(token)
      expect(rows).not.toContain(token)
      expect(exports).not.toContain(token)
    }
    expect(exports).toContain('Okta session replayed from another country')
  })
})

describe('dry run', () => {
  it('records the intent with its reason and sends nothing', async () => {
    const okta = await startOktaMock([{ id: '00u1alice', login: ALICE, status: 'ACTIVE', clients: [], sessions: [] }])
    cleanup.push(() => okta.close())
    const h = await harness(mockEnv('okta', okta))
    const [a] = await h.run('okta', 'suspend-identity', ALICE, { dryRun: true, reason: 'rehearsal before the bridge call' })
    expect(a.status).toBe('dry-run')
    expect(okta.seen).toHaveLength(0)
    const detail = await actionDetail(h.db, a.id)
    expect(detail.calls).toHaveLength(0)
    expect(detail.plan.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      `GET ${okta.url}/api/v1/users/alice%40acme.example`,
      `POST ${okta.url}/api/v1/users/{userId}/lifecycle/suspend`,
      `DELETE ${okta.url}/api/v1/users/{userId}/sessions?oauthTokens=true&forgetDevices=false`
    ])
    const records = []
    for await (const r of auditRecords(h.db)) records.push(r)
    expect(records).toHaveLength(1)
    expect(records[0].kind).toBe('response.dry-run')
    expect(records[0].detail).toMatchObject({ reason: 'rehearsal before the bridge call', dryRun: true, connector: 'okta' })
  })

  it('is allowed for an unconfigured connector, and a real run is refused', async () => {
    const h = await harness({})
    const [a] = await h.run('entra', 'terminate-session', ALICE, { dryRun: true })
    expect(a.status).toBe('dry-run')
    await expect(h.run('entra', 'terminate-session', ALICE)).rejects.toThrow(/not configured: set AFTERLOGIN_ENTRA_TOKEN/)
  })
})

describe('calls that must not be repeated', () => {
  it('leaves an unsafe call that timed out pending, and resends it only when the analyst says so', async () => {
    const users = [{ id: '005A', username: ALICE, loginId: '0Yw1', frozen: false, sessions: ['0Ak5e00000Hijack'] }]
    const sf = await startSalesforceMock(users, { slowMs: 1500 })
    cleanup.push(() => sf.close())
    const h = await harness(mockEnv('salesforce', sf), { timeoutMs: 300 })
    const del = /^DELETE \/services\/data\/v62\.0\/sobjects\/AuthSession\/0Ak5e00000Hijack$/
    sf.inject(del, 'timeout')
    const [a] = await h.run('salesforce', 'terminate-session', ALICE)
    expect(a.status).toBe('pending')
    expect(sf.count(del)).toBe(1)
    const d = await actionDetail(h.db, a.id)
    expect(d.calls.at(-1)).toMatchObject({ status: 'unknown', safeToRepeat: false, attempts: 1 })

    await new Promise((ok) => setTimeout(ok, 1600)) // the slow reply lands (the session is gone at the provider)
    const again = await h.service.resume(a.id, 'checked the admin console', 'dana', false, { wait: true })
    expect(again.status).toBe('pending')
    expect(sf.count(del)).toBe(1)

    const settled = await h.service.settle(a.id, 'done', 'Setup › Session Management shows no session for alice', 'dana')
    expect(settled.status).toBe('done')
  })

  it('resends an unsafe call when the analyst confirms, treating "already gone" as done', async () => {
    const users = [{ id: '00u1alice', login: ALICE, status: 'ACTIVE' as const, clients: [], sessions: ['102hijack'] }]
    const okta = await startOktaMock(users, { slowMs: 1500 })
    cleanup.push(() => okta.close())
    const h = await harness(mockEnv('okta', okta), { timeoutMs: 300 })
    const del = /^DELETE \/api\/v1\/sessions\/102hijack$/
    okta.inject(del, 'timeout')
    const [a] = await h.run('okta', 'terminate-session', ALICE, { sessionId: '102hijack' })
    expect(a.status).toBe('pending')
    await new Promise((ok) => setTimeout(ok, 1600))
    const again = await h.service.resume(a.id, 'resend: the session list still shows it', 'dana', true, { wait: true })
    expect(okta.count(del)).toBe(2)
    expect(again.status).toBe('done')
    const d = await actionDetail(h.db, a.id)
    expect(d.calls.at(-1)).toMatchObject({ status: 'skipped', httpStatus: 404 })
  })
})
