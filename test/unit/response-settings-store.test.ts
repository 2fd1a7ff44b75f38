import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../core/dispatch'
import { KeyringSecretStore, osKeyring, probeKeyring, type Keyring } from '../../core/response/keyring-store'
import { Workbench } from '../../core/workbench'
import { startOktaMock } from '../mocks/okta-mock'
import { IDENTITY } from '../mocks/providers'

/** A keyring that lives as long as the test: the OS keyring's behaviour without touching the machine's. */
const fakeKeyring = (): Keyring & { entries: Map<string, string> } => {
  const entries = new Map<string, string>()
  return { entries, get: (n) => entries.get(n) ?? null, set: (n, v) => void entries.set(n, v), delete: (n) => void entries.delete(n) }
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))

/** Every byte of every file under the folders, as text: a secret written anywhere shows up here. */
const grep = (dirs: string[], secret: string): string[] =>
  dirs.flatMap(filesUnder).filter((f) => statSync(f).isFile() && readFileSync(f).toString('latin1').includes(secret))

let cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

const SECRET = '00okta-secret-token-4f9a2c'

const configure = async (wb: Workbench, url: string) => {
  const r = await dispatch(wb, 'response.configure', { connector: 'okta', values: { URL: url, TOKEN: SECRET } })
  expect(r.ok).toBe(true)
  return r
}

describe('web-mode connector settings', () => {
  it('keeps the URL in the data folder and the token in the keyring: both survive a restart; the token is in no file', async () => {
    const home = mkdtempSync(join(tmpdir(), 'afterlogin-home-'))
    const keyring = fakeKeyring()
    const file = join(home, 'connector-settings.json')
    const server = await startOktaMock([{ id: '00u1alice', login: IDENTITY, status: 'ACTIVE', clients: [], sessions: ['102a'] }], { token: SECRET })
    cleanup.push(() => server.close())
    const wb = new Workbench({ dataDir: home, transport: 'web', version: 't', secrets: new KeyringSecretStore(file, keyring, {}) })
    await wb.open(join(home, 'cases', 'c1.duckdb'), { name: 'c1' })
    await configure(wb, server.url)
    const info = (await dispatch(wb, 'response.connectors', {})) as {
      ok: true
      value: { id: string; secretStorage: string; configured: boolean; simulated: boolean }[]
    }
    expect(info.value.find((c) => c.id === 'okta')).toMatchObject({ secretStorage: 'keychain', configured: true, simulated: true })
    expect(JSON.stringify(info)).not.toContain(SECRET)
    // A run records calls and audit records in the case: none of them may carry the token.
    const run = await dispatch(wb, 'response.execute', {
      identity: IDENTITY,
      action: 'terminate-session',
      connectors: ['okta'],
      reason: 'hijacked session',
      dryRun: false
    })
    expect(run.ok).toBe(true)
    await wb.handlers['response.actions']({ limit: 10 })
    await (await import('../../core/response/response-handlers')).responseService(wb).idle()
    wb.close()

    const again = new Workbench({ dataDir: home, transport: 'web', version: 't', secrets: new KeyringSecretStore(file, keyring, {}) })
    cleanup.push(() => again.close())
    const after = (await dispatch(again, 'response.connectors', {})) as {
      ok: true
      value: { id: string; url: string | null; configured: boolean; origin: string }[]
    }
    expect(after.value.find((c) => c.id === 'okta')).toMatchObject({ url: server.url, configured: true, origin: 'settings' })
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ values: { OKTA_URL: server.url } })
    expect(keyring.entries.get('OKTA_TOKEN')).toBe(SECRET)
    expect(grep([home], SECRET)).toEqual([])
  })

  it('without a keyring: says so, keeps the token in memory for the session only, never on disk', async () => {
    const home = mkdtempSync(join(tmpdir(), 'afterlogin-home-'))
    const file = join(home, 'connector-settings.json')
    const broken: Keyring = {
      get: () => null,
      set: () => {
        throw new Error('Couldn’t access platform storage: AccessDenied')
      },
      delete: () => undefined
    }
    const wb = new Workbench({ dataDir: home, transport: 'web', version: 't', secrets: new KeyringSecretStore(file, broken, {}) })
    cleanup.push(() => wb.close())
    await configure(wb, 'https://acme.okta.com')
    const info = (await dispatch(wb, 'response.connectors', {})) as {
      ok: true
      value: { id: string; secretStorage: string; storageNote: string; configured: boolean }[]
    }
    const okta = info.value.find((c) => c.id === 'okta')!
    expect(okta).toMatchObject({ secretStorage: 'memory', configured: true })
    expect(okta.storageNote).toMatch(/keyring is not available.*AccessDenied.*memory/)
    expect(grep([home], SECRET)).toEqual([])
    const restarted = new KeyringSecretStore(file, broken, {})
    expect(restarted.get('OKTA_URL')?.value).toBe('https://acme.okta.com')
    expect(restarted.get('OKTA_TOKEN')).toBeUndefined()
  })

  it('environment variables keep working, and a secret hand-written into the settings file is ignored', async () => {
    const home = mkdtempSync(join(tmpdir(), 'afterlogin-home-'))
    const file = join(home, 'connector-settings.json')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(file, JSON.stringify({ values: { OKTA_URL: 'https://acme.okta.com', OKTA_TOKEN: 'from-file' } }))
    const store = new KeyringSecretStore(file, fakeKeyring(), { AFTERLOGIN_OKTA_TOKEN: 'from-env', AFTERLOGIN_SLACK_TOKEN: 'xoxp-env' })
    expect(store.get('OKTA_TOKEN')).toEqual({ value: 'from-env', origin: 'env' })
    expect(store.get('SLACK_TOKEN')?.value).toBe('xoxp-env')
    expect(store.get('OKTA_URL')).toEqual({ value: 'https://acme.okta.com', origin: 'settings' })
  })

  it('reports what the machine’s own keyring does (here and in CI: root without a D-Bus session)', () => {
    const problem = probeKeyring(osKeyring())
    // Either works or fails with a reason; both are handled, and which one is logged for the record.
    console.info(`OS keyring on this machine: ${problem ?? 'available'}`)
    expect(problem === null || /not available/.test(problem)).toBe(true)
  })
})

describe('Test connection', () => {
  it('reports a 401 from the provider as a rejected credential, without the credential', async () => {
    const server = await startOktaMock([{ id: '00u1alice', login: IDENTITY, status: 'ACTIVE', clients: [], sessions: [] }])
    cleanup.push(() => server.close())
    const home = mkdtempSync(join(tmpdir(), 'afterlogin-home-'))
    const wb = new Workbench({ dataDir: home, transport: 'web', version: 't', secrets: new KeyringSecretStore(join(home, 's.json'), fakeKeyring(), {}) })
    cleanup.push(() => wb.close())
    await dispatch(wb, 'response.configure', { connector: 'okta', values: { URL: server.url, TOKEN: 'wrong-token-0123456789' } })
    const bad = await dispatch(wb, 'response.test', { connector: 'okta' })
    expect(bad).toMatchObject({ ok: true, value: { ok: false, httpStatus: 401, call: `GET ${server.url}/api/v1/users?limit=1` } })
    const text = JSON.stringify(bad)
    expect(text).toMatch(/rejected the credential/)
    expect(text).toMatch(/E0000011/)
    expect(text).not.toContain('wrong-token-0123456789')
    await dispatch(wb, 'response.configure', { connector: 'okta', values: { URL: server.url, TOKEN: server.token } })
    expect(await dispatch(wb, 'response.test', { connector: 'okta' })).toMatchObject({ ok: true, value: { ok: true, httpStatus: 200 } })
    expect(server.seen.every((s) => s.method === 'GET')).toBe(true)
  })

  it('says plainly when the address cannot be reached or the connector has no read-only call', async () => {
    const home = mkdtempSync(join(tmpdir(), 'afterlogin-home-'))
    const wb = new Workbench({ dataDir: home, transport: 'web', version: 't', secrets: new KeyringSecretStore(join(home, 's.json'), fakeKeyring(), {}) })
    cleanup.push(() => wb.close())
    // A port that was just free: nothing listens there.
    const { createServer } = await import('node:net')
    const probe = createServer()
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok))
    const port = (probe.address() as { port: number }).port
    await new Promise<void>((ok) => probe.close(() => ok()))
    await dispatch(wb, 'response.configure', { connector: 'okta', values: { URL: `http://127.0.0.1:${port}`, TOKEN: 'abc-0123456789' } })
    expect(await dispatch(wb, 'response.test', { connector: 'okta' })).toMatchObject({
      ok: true,
      value: { ok: false, message: expect.stringMatching(/cannot be reached|ECONNREFUSED/) }
    })
    await dispatch(wb, 'response.configure', { connector: 'ssf', values: { URL: 'https://receiver.example/events' } })
    expect(await dispatch(wb, 'response.test', { connector: 'ssf' })).toMatchObject({
      ok: true,
      value: { ok: false, message: expect.stringMatching(/no read-only call/) }
    })
  })
})
