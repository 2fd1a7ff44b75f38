import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { verifyAudit } from '../../core/audit/audit'
import { auditJson } from '../../core/audit/audit-export'
import { actionDetail } from '../../core/response/outbox'
import { CaseDb } from '../../core/store/case-db'
import { CLI, tempHome } from '../helpers/web-mode'
import { startOktaMock } from '../mocks/okta-mock'

// kill -9 of a real `afterlogin respond` process while its terminate call is at the provider (Okta's loopback
// mock holds the request open), then what the analyst sees and may do next.
const ALICE = 'alice@acme.example'
const cleanup: (() => Promise<void> | void)[] = []
afterAll(async () => {
  for (const c of cleanup) await c()
})

const cli = async (args: string[], env: NodeJS.ProcessEnv) => {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const [code] = await once(child, 'exit')
  const json = (l: string) => {
    try {
      return JSON.parse(l) as Record<string, unknown>
    } catch {
      return null
    }
  }
  return {
    code: code as number,
    stdout,
    stderr,
    lines: stdout
      .trim()
      .split('\n')
      .map(json)
      .filter((l) => l !== null)
  }
}

describe('kill -9 during a response', () => {
  it('leaves the action pending with its last attempt, and sends the call again only when the analyst says so', async () => {
    const okta = await startOktaMock([{ id: '00u1alice', login: ALICE, status: 'ACTIVE', clients: [], sessions: ['102hijack', '102other'] }])
    cleanup.push(() => okta.close())
    // Ending one named session is not idempotent (a second DELETE meets a 404): never resent blindly.
    const terminate = /^DELETE \/api\/v1\/sessions\/102hijack$/
    okta.inject(terminate, 'hang')
    const home = tempHome('afterlogin-crash-respond-')
    cleanup.push(() => rmSync(home, { recursive: true, force: true }))
    const casePath = join(home, 'case.duckdb')
    ;(await CaseDb.open(casePath)).close()
    const env = { AFTERLOGIN_HOME: home, AFTERLOGIN_OKTA_URL: okta.url, AFTERLOGIN_OKTA_TOKEN: okta.token }

    const child = spawn(
      process.execPath,
      [
        CLI,
        'respond',
        '--case',
        casePath,
        '--connector',
        'okta',
        '--action',
        'terminate-session',
        '--identity',
        ALICE,
        '--session',
        '102hijack',
        '--reason',
        'session replayed from AS64496',
        '--yes'
      ],
      { env: { ...process.env, ...env }, stdio: 'ignore' }
    )
    // The call has reached the provider (so it was written ahead); the process dies before any answer.
    for (let i = 0; i < 200 && okta.count(terminate) === 0; i++) await new Promise((ok) => setTimeout(ok, 50))
    expect(okta.count(terminate)).toBe(1)
    child.kill('SIGKILL')
    expect((await once(child, 'exit'))[1]).toBe('SIGKILL')

    // The outbox, as the analyst lists it after the crash.
    const list = await cli(['respond', '--case', casePath, '--list'], env)
    expect(list.code).toBe(0)
    expect(list.lines).toHaveLength(1)
    expect(okta.count(terminate), 'recovery itself sends nothing').toBe(1)
    const action = list.lines[0] as { id: string; status: string; error: string }
    expect(action).toMatchObject({ status: 'pending', error: expect.stringMatching(/interrupted/) })
    const db = await CaseDb.open(casePath)
    const detail = await actionDetail(db, action.id)
    db.close()
    const call = detail.calls.find((c) => c.method === 'DELETE')!
    expect(call).toMatchObject({ status: 'unknown', attempts: 1, safeToRepeat: false })
    const last = detail.attempts.filter((a) => a.callNo === call.callNo).at(-1)!
    expect(last).toMatchObject({ attempt: 1, method: 'DELETE', httpStatus: null })
    expect(last.startedAt).toBeTruthy()
    expect(last.url).toContain('/api/v1/sessions/102hijack')

    // Resuming without confirming the resend sends nothing again.
    const cautious = await cli(['respond', '--case', casePath, '--resume', action.id, '--reason', 'reviewed after the crash', '--yes'], env)
    expect(cautious.lines.at(-1)).toMatchObject({ id: action.id, status: 'pending' })
    expect(okta.count(terminate)).toBe(1)

    // Only the analyst's explicit confirmation sends it a second time.
    const resend = await cli(
      ['respond', '--case', casePath, '--resume', action.id, '--reason', 'provider still lists the session', '--resend-unsafe', '--yes'],
      env
    )
    expect(resend.code, resend.stderr).toBe(0)
    expect(resend.lines.at(-1)).toMatchObject({ id: action.id, status: 'done' })
    expect(okta.count(terminate)).toBe(2)

    // The crash and both decisions are in the audit trail, which still verifies.
    const after = await CaseDb.open(casePath)
    try {
      expect((await verifyAudit(after)).ok).toBe(true)
      const kinds = (JSON.parse(await auditJson(after)) as { kind: string }[]).map((r) => r.kind)
      expect(kinds).toEqual(expect.arrayContaining(['response.intent', 'response.interrupted', 'response.resume']))
    } finally {
      after.close()
    }
  }, 60_000)
})
