import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CaseDb } from '../../core/store/case-db'
import { CLI, tempHome } from '../helpers/web-mode'
import { startOktaMock } from '../mocks/okta-mock'
import { startSalesforceMock } from '../mocks/salesforce-mock'
import { mockEnv } from '../mocks/providers'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

let cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

const start = (args: string[], env: Record<string, string>, home: string) =>
  spawn(process.execPath, [CLI, ...args], { env: { ...process.env, AFTERLOGIN_HOME: home, AFTERLOGIN_QUIET: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })

const cli = (args: string[], env: Record<string, string>, home: string): Promise<Run> =>
  new Promise((ok) => {
    const p = start(args, env, home)
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    p.on('exit', (code) => ok({ code, stdout, stderr }))
  })

const newCase = async (home: string): Promise<string> => {
  const path = join(home, 'case.duckdb')
  ;(await CaseDb.open(path)).close()
  return path
}

const until = async (cond: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}

const ALICE = 'alice@acme.example'

// Each CLI run starts a process and opens DuckDB: generous timeouts for a loaded two-core machine.
describe('afterlogin respond and audit', { timeout: 120_000 }, () => {
  it('terminates through Okta across a 429, prints one JSON line, and verifies the trail until a record is edited', async () => {
    const home = tempHome()
    const okta = await startOktaMock([{ id: '00u1alice', login: ALICE, status: 'ACTIVE', clients: [], sessions: ['102x'] }])
    cleanup.push(() => okta.close())
    const env = mockEnv('okta', okta)
    const file = await newCase(home)
    okta.inject(/^DELETE \/api\/v1\/users\/00u1alice\/sessions$/, 'rate-limit')

    const refused = await cli(
      ['respond', '--case', file, '--connector', 'okta', '--action', 'terminate-session', '--identity', ALICE, '--reason', 'hijack'],
      env,
      home
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/pass --yes/)
    expect(okta.seen).toHaveLength(0)

    const dry = await cli(
      ['respond', '--case', file, '--connector', 'okta', '--action', 'suspend-identity', '--identity', ALICE, '--reason', 'rehearsal', '--dry-run'],
      env,
      home
    )
    expect(dry.code).toBe(0)
    expect(JSON.parse(dry.stdout)).toMatchObject({
      status: 'dry-run',
      calls: [{ method: 'GET', status: 'not-sent', attempts: 0 }, { method: 'POST' }, { method: 'DELETE' }]
    })
    expect(okta.seen).toHaveLength(0)

    const run = await cli(
      [
        'respond',
        '--case',
        file,
        '--connector',
        'okta',
        '--action',
        'terminate-session',
        '--identity',
        ALICE,
        '--reason',
        'session replayed from AS-evil',
        '--analyst',
        'dana',
        '--yes'
      ],
      env,
      home
    )
    expect(run.stderr).not.toContain(okta.token)
    expect(run.code).toBe(0)
    const lines = run.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const out = JSON.parse(lines[0]) as { id: string; status: string; calls: { method: string; url: string; status: string; attempts: number }[] }
    expect(out.status).toBe('done')
    expect(out.calls).toEqual([
      { method: 'GET', url: `${okta.url}/api/v1/users/alice%40acme.example`, status: 'done', attempts: 1 },
      { method: 'DELETE', url: `${okta.url}/api/v1/users/00u1alice/sessions?oauthTokens=true&forgetDevices=false`, status: 'done', attempts: 2 }
    ])

    const verified = await cli(['audit', '--case', file, '--verify'], {}, home)
    expect(verified.code).toBe(0)
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, brokenAt: null })
    const exported = await cli(['audit', '--case', file, '--json'], {}, home)
    expect(exported.stdout).toContain('session replayed from AS-evil')
    expect(exported.stdout).toContain('rehearsal')
    expect(exported.stdout).not.toContain(okta.token)
    const csv = await cli(['audit', '--case', file, '--csv'], {}, home)
    expect(csv.stdout.split('\r\n')[0]).toBe('seq,at,actor,kind,subject,detail,prev_hash,hash')
    expect(csv.stdout).not.toContain(okta.token)

    const db = await CaseDb.open(file)
    const c = await db.connect()
    await c.connection.run(`UPDATE audit_log SET detail = '{"reason":"routine check"}' WHERE kind = 'response.intent'`)
    c.connection.closeSync()
    db.close()
    const broken = await cli(['audit', '--case', file, '--verify'], {}, home)
    expect(broken.code).toBe(1)
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, brokenAt: 2 })
  })

  /** A Salesforce terminate-session run through the CLI, killed (SIGKILL) while `request` hangs at the mock. */
  const killedDuring = async (request: RegExp) => {
    const home = tempHome()
    const users = [{ id: '005A', username: ALICE, loginId: '0Yw1', frozen: false, sessions: ['0Ak5e00000Hijack'] }]
    const sf = await startSalesforceMock(users)
    cleanup.push(() => sf.close())
    const env = mockEnv('salesforce', sf)
    const file = await newCase(home)
    sf.inject(request, 'hang')
    const child = start(
      ['respond', '--case', file, '--connector', 'salesforce', '--action', 'terminate-session', '--identity', ALICE, '--reason', 'hijack', '--yes'],
      env,
      home
    )
    const exited = new Promise((ok) => child.once('exit', ok))
    await until(() => sf.count(request) === 1)
    child.kill('SIGKILL')
    await exited
    return { home, users, sf, env, file }
  }

  it('after a crash mid-call, shows the action pending with its last attempt and never resends the unsafe call unasked', async () => {
    const del = /^DELETE \/services\/data\/v62\.0\/sobjects\/AuthSession\/0Ak5e00000Hijack$/
    const { home, sf, env, file } = await killedDuring(del)

    const listed = await cli(['respond', '--case', file, '--list'], env, home)
    expect(listed.code).toBe(0)
    const [action] = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; status: string; error: string })
    expect(action.status).toBe('pending')
    expect(action.error).toMatch(/interrupted/)

    const db = await CaseDb.open(file)
    const c = await db.connect()
    const rows = (
      await c.connection.runAndReadAll('SELECT call_no, attempt, finished_at, url FROM response_attempts ORDER BY call_no, attempt')
    ).getRowObjectsJS()
    c.connection.closeSync()
    db.close()
    expect(rows.at(-1)).toMatchObject({ attempt: 1, finished_at: null, url: `${sf.url}/services/data/v62.0/sobjects/AuthSession/0Ak5e00000Hijack` })

    const resumed = await cli(['respond', '--case', file, '--resume', action.id, '--reason', 'continue what is safe', '--yes'], env, home)
    expect(resumed.code).toBe(1)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ id: action.id, status: 'pending' })
    expect(sf.count(del)).toBe(1)

    const verified = await cli(['audit', '--case', file, '--json'], {}, home)
    const kinds = (JSON.parse(verified.stdout) as { kind: string }[]).map((r) => r.kind)
    expect(kinds).toEqual(expect.arrayContaining(['response.intent', 'response.interrupted', 'response.resume']))
  })

  it('after a crash during a safe lookup, resuming finishes the action', async () => {
    const { home, env, file, users } = await killedDuring(/^GET \/services\/data\/v62\.0\/query$/)
    const listed = await cli(['respond', '--case', file, '--list'], env, home)
    const [action] = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; status: string })
    expect(action.status).toBe('pending')
    const resumed = await cli(['respond', '--case', file, '--resume', action.id, '--reason', 'lookups are safe', '--yes'], env, home)
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'done' })
    expect(users[0].sessions).toEqual([])
  })

  it('prints the SSF JWKS from the key kept in the data folder', async () => {
    const home = tempHome()
    const first = await cli(['ssf-jwks'], {}, home)
    const second = await cli(['ssf-jwks'], {}, home)
    expect(first.code).toBe(0)
    const jwks = JSON.parse(first.stdout) as { keys: Record<string, string>[] }
    expect(jwks.keys).toHaveLength(1)
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' })
    expect(jwks.keys[0].d).toBeUndefined()
    expect(second.stdout).toBe(first.stdout)
  })
})
