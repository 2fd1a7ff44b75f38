import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface WebMode {
  url: string
  origin: string
  port: number
  token: string
  home: string
  proc: ChildProcess
  stderr: () => string
  /** A contract call with the launch's token, as the page makes it; throws the core's error message. */
  call<T = unknown>(name: string, input?: unknown): Promise<T>
  stop(): Promise<void>
}

export const ROOT = join(import.meta.dirname, '..', '..')
export const CLI = join(ROOT, 'bin', 'afterlogin.js')

export const tempHome = (prefix = 'afterlogin-test-'): string => mkdtempSync(join(tmpdir(), prefix))

/** Starts `afterlogin web --port 0` in a fresh data folder and waits for the URL line (its readiness marker). */
export const startWebMode = async (opts: { args?: string[]; home?: string; env?: NodeJS.ProcessEnv } = {}): Promise<WebMode> => {
  const home = opts.home ?? tempHome()
  const proc = spawn(process.execPath, [CLI, 'web', '--port', '0', ...(opts.args ?? [])], {
    env: { ...process.env, AFTERLOGIN_HOME: home, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let err = ''
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const url = await new Promise<string>((ok, fail) => {
    let out = ''
    const timer = setTimeout(() => fail(new Error(`web mode did not start: ${err}`)), 20_000)
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const line = /^(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)$/m.exec(out)
      if (line) {
        clearTimeout(timer)
        ok(line[1])
      }
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`web mode exited with ${code}: ${err}`))
    })
  })
  const parsed = new URL(url)
  const call = async <T>(name: string, input: unknown = {}): Promise<T> => {
    const res = await fetch(`${parsed.origin}/api/call/${name}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${parsed.hash.replace('#token=', '')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input)
    })
    const out = (await res.json()) as { ok: true; value: T } | { ok: false; error: string }
    if (!out.ok) throw new Error(out.error)
    return out.value
  }
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.hash.replace('#token=', ''),
    home,
    proc,
    stderr: () => err,
    call,
    stop: () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null) return done()
        proc.once('exit', () => done())
        proc.kill('SIGTERM')
      })
  }
}
