import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateHijackBundle } from '../../core/demo/bundle-generator'
import { runImport } from '../../core/import/index'
import { Workbench } from '../../core/workbench'
import { CLI, ROOT } from '../helpers/web-mode'

// `afterlogin sessions --json | head -1`: the reader goes away before the CLI has written everything.
let dir: string
let casePath: string

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out', 'cli', 'index.js'))) throw new Error('the CLI is not built: run `npm run build` first')
  dir = await mkdtemp(join(tmpdir(), 'afterlogin-pipe-'))
  const planted = await generateHijackBundle(join(dir, 'bundle'), { seed: 7 })
  casePath = join(dir, 'case', 'case.duckdb')
  const wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
  await wb.open(casePath)
  await runImport(wb.requireCase().db, [planted.dir])
  wb.close()
}, 120_000)

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
}

/**
 * Spawns the built CLI with stdout on a pipe whose reader has closed before the first write: the write fails
 * with EPIPE whatever the output's size (a reader closing after some bytes only races the pipe buffer).
 */
const runClosingEarly = (args: string[]): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, AFTERLOGIN_HOME: join(dir, 'home') },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.stdout.destroy()
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stderr }))
  })

describe('CLI output into a pipe that closes early', () => {
  it('ends quietly with exit 0 when the reader is gone before the first line', async () => {
    const run = await runClosingEarly(['sessions', '--case', casePath, '--json'])
    expect(run.stderr).not.toMatch(/EPIPE|Error/)
    expect(run).toMatchObject({ code: 0, signal: null })
  }, 60_000)

  it('still reports real failures with their exit code', async () => {
    const run = await runClosingEarly(['sessions', '--case', join(dir, 'missing', 'nope.duckdb'), '--json'])
    expect(run.code).not.toBe(0)
  }, 60_000)
})
