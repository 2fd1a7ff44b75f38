import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'

// Electron cannot run here: the module is mocked at the edge, the shell's own code runs for real.
const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>()
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) => handlers.set(channel, fn) }
}))

const { registerIpc, channelFor } = await import('../../main/ipc')
const { senderAllowed } = await import('../../main/sender')
const { webPreferences, windowOptions } = await import('../../main/window-options')
const { Workbench } = await import('../../core/workbench')
const { calls } = await import('../../contract')
const { tempHome, ROOT } = await import('../helpers/web-mode')

const INDEX = '/opt/Afterlogin/resources/app.asar/out/renderer/index.html'

describe('BrowserWindow hardening', () => {
  it('pins the webPreferences', () => {
    expect(webPreferences('/p/preload.cjs')).toEqual({
      preload: '/p/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick'
    })
    expect(windowOptions('/p').webPreferences?.sandbox).toBe(true)
  })

  it('denies window.open, navigation, webviews and permissions in main', () => {
    const main = readFileSync(join(ROOT, 'main/index.ts'), 'utf8')
    expect(main).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/)
    expect(main).toMatch(/'will-navigate', \(event\) => event\.preventDefault\(\)/)
    expect(main).toMatch(/'will-attach-webview', \(event\) => event\.preventDefault\(\)/)
    expect(main).toMatch(/setPermissionRequestHandler\(\(_wc, _perm, done\) => done\(false\)\)/)
    expect(main).toMatch(/app\.enableSandbox\(\)/)
  })

  it('never exposes ipcRenderer itself to the page', () => {
    const preload = readFileSync(join(ROOT, 'preload/index.ts'), 'utf8')
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\b\s*\)/)
    expect(preload).toMatch(/listener\(payload\)/)
  })
})

describe('IPC sender check', () => {
  it.each([
    [`file://${INDEX}`, true],
    [`file://${INDEX}?x=1#y`, true],
    [`file://${INDEX}.evil.html`, false],
    ['file:///tmp/evil/index.html', false],
    [`file://attacker${INDEX}`, false],
    ['https://evil.example/index.html', false],
    ['about:blank', false],
    ['', false],
    [undefined, false]
  ])('%s → %s', (url, ok) => expect(senderAllowed(url, INDEX)).toBe(ok))

  it('allows the dev server origin only in dev', () => {
    expect(senderAllowed('http://localhost:5173/', INDEX, 'http://localhost:5173')).toBe(true)
    expect(senderAllowed('http://localhost.evil:5173/', INDEX, 'http://localhost:5173')).toBe(false)
    expect(senderAllowed('http://localhost:5173/', INDEX)).toBe(false)
  })
})

describe('IPC registration', () => {
  beforeEach(() => handlers.clear())

  it('registers one checked handler per contract call', async () => {
    const wb = new Workbench({ dataDir: tempHome(), transport: 'desktop', version: 't' })
    registerIpc(wb, INDEX)
    expect([...handlers.keys()].sort()).toEqual(
      Object.keys(calls)
        .map((n) => channelFor(n as never))
        .sort()
    )

    const info = handlers.get(channelFor('app.info'))!
    expect(await info({ senderFrame: { url: 'https://evil.example/' } }, {})).toEqual({
      ok: false,
      error: 'request refused: not from the Afterlogin window'
    })
    expect(await info({ senderFrame: { url: `file://${INDEX}` } }, {})).toMatchObject({ ok: true, value: { transport: 'desktop' } })
    const create = handlers.get(channelFor('case.create'))!
    expect(await create({ senderFrame: { url: `file://${INDEX}` } }, { name: '' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('a case needs a name')
    })
  })
})
