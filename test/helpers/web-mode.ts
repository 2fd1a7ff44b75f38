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
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.hash.replace('#token=', ''),
    home,
    proc,
    stderr: () => err,
    stop: () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null) return done()
        proc.once('exit', () => done())
        proc.kill('SIGTERM')
      })
  }
}
