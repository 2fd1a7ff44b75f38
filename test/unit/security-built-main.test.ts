import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import { ROOT, tempHome } from '../helpers/web-mode'

// Loads the BUILT main bundle (what ships in the asar) with Electron mocked at the edge, and records what it
// asks Electron for: window options, handlers, permission answers, navigation guards.
const BUNDLE = join(ROOT, 'out/main/index.js')
const RENDERER = join(ROOT, 'out/renderer/index.html')

type Listener = (...args: unknown[]) => unknown
const seen = {
  windows: [] as { options: Record<string, unknown>; loaded: string[] }[],
  appEvents: new Map<string, Listener>(),
  ipcChannels: [] as string[],
  permissionRequest: undefined as undefined | Listener,
  permissionCheck: undefined as undefined | Listener,
  sandboxEnabled: false
}
let ready!: () => void
const whenReady = new Promise<void>((ok) => (ready = ok))
const home = tempHome('afterlogin-built-main-')

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => seen.windows
    readonly webContents = { isDestroyed: () => false, send: () => undefined }
    private readonly record: { options: Record<string, unknown>; loaded: string[] }
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [] }
      seen.windows.push(this.record)
    }
    on() {}
    once() {}
    show() {}
    async loadFile(file: string) {
      this.record.loaded.push(`file:${file}`)
    }
    async loadURL(url: string) {
      this.record.loaded.push(url)
    }
  }
  return {
    app: {
      isPackaged: true,
      enableSandbox: () => (seen.sandboxEnabled = true),
      whenReady: () => whenReady,
      getPath: () => home,
      on: (name: string, fn: Listener) => seen.appEvents.set(name, fn),
      quit: () => undefined
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string) => seen.ipcChannels.push(channel) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Listener) => (seen.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Listener) => (seen.permissionCheck = fn)
      }
    }
  }
})

// Loaded once; every test awaits the same load, so a bundle that fails to load fails each test with its cause.
let booted: Promise<(typeof seen.windows)[number]> | undefined
const boot = () =>
  (booted ??= (async () => {
    if (!existsSync(BUNDLE)) throw new Error('out/main/index.js is missing: npm run build first')
    delete process.env.ELECTRON_RENDERER_URL
    await import(/* @vite-ignore */ pathToFileURL(BUNDLE).href)
    ready()
    await vi.waitFor(() => expect(seen.windows).toHaveLength(1))
    return seen.windows[0]
  })())

describe('the built main bundle', () => {
  it('opens one hardened window on the packaged renderer', async () => {
    const win = await boot()
    expect(seen.sandboxEnabled).toBe(true)
    const prefs = win.options.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick'
    })
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
    expect(prefs).not.toHaveProperty('additionalArguments')
    // The preload it names is the sandbox-compatible CommonJS bundle that really exists beside it.
    expect(prefs.preload).toBe(join(ROOT, 'out/preload/index.cjs'))
    expect(existsSync(prefs.preload as string)).toBe(true)
    expect(win.loaded).toEqual([`file:${RENDERER}`])
    expect(seen.ipcChannels.length).toBeGreaterThan(0)
    expect(seen.ipcChannels.every((c) => c.startsWith('afterlogin:'))).toBe(true)
  })

  it('denies every permission and every navigation, popup and webview', async () => {
    await boot()
    let answer: boolean | undefined
    seen.permissionRequest!(null, 'media', (ok: boolean) => (answer = ok))
    expect(answer).toBe(false)
    expect(seen.permissionCheck!(null, 'notifications')).toBe(false)

    const handlers = new Map<string, Listener>()
    let openHandler: Listener | undefined
    const contents = { setWindowOpenHandler: (fn: Listener) => (openHandler = fn), on: (n: string, fn: Listener) => handlers.set(n, fn) }
    seen.appEvents.get('web-contents-created')!({}, contents)
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() }
      handlers.get(name)!(event, 'https://evil.example/')
      expect(event.preventDefault, name).toHaveBeenCalled()
    }
  })

  it('ships a renderer page with a strict CSP and no inline script', () => {
    const html = readFileSync(RENDERER, 'utf8')
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? ''
    const d = Object.fromEntries(
      csp
        .split(';')
        .map((x) => x.trim().split(/\s+/))
        .filter((x) => x[0])
        .map(([k, ...v]) => [k, v])
    )
    expect(d['default-src']).toEqual(["'self'"])
    expect(d['script-src']).toEqual(["'self'"])
    expect(d['object-src']).toEqual(["'none'"])
    expect(d['base-uri']).toEqual(["'none'"])
    expect(d['form-action']).toEqual(["'none'"])
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*|data:[^;]*script/)
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    // Every script and stylesheet the page loads is a local file inside the bundle.
    for (const [, src] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      expect(src).toMatch(/^\.?\/assets\//)
      expect(existsSync(join(ROOT, 'out/renderer', src))).toBe(true)
    }
  })
})
