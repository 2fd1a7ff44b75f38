import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI, ROOT } from '../helpers/web-mode'

const BUNDLE = join(ROOT, 'test', 'fixtures', 'import', 'bundle')

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, 'import', ...args], { encoding: 'utf8', env: { ...process.env, AFTERLOGIN_HOME: tmp() } })
  const lines = r.stdout.trim().split('\n')
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, last: lines.at(-1) ?? '' }
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'afl-cli-'))

describe('afterlogin import', () => {
  it('creates the case, imports a folder and prints the summary as its last stdout line', () => {
    const casePath = join(tmp(), 'new', 'case.duckdb')
    const r = run(BUNDLE, '--case', casePath)
    expect(r.code, r.stderr).toBe(0)
    expect(existsSync(casePath)).toBe(true)
    const summary = JSON.parse(r.last) as Record<string, unknown> & { files: Record<string, unknown>[] }
    expect(Object.keys(summary)).toEqual([
      'case',
      'files',
      'events',
      'newEvents',
      'rejected',
      'seconds',
      'analyzeSeconds',
      'firstChainSeconds',
      'analysisError'
    ])
    expect(summary.analysisError).toBeNull()
    // The ranked chains answer once the analysis is over, never before the files are stored.
    const { seconds, analyzeSeconds, firstChainSeconds } = summary as Record<string, number>
    expect(firstChainSeconds).toBeGreaterThanOrEqual(seconds)
    expect(firstChainSeconds).toBeGreaterThanOrEqual(analyzeSeconds)
    expect(summary.case).toBe(casePath)
    expect(summary.files).toHaveLength(10)
    expect(Object.keys(summary.files[0])).toEqual(['path', 'source', 'format', 'events', 'newEvents', 'rejected', 'error'])
    expect(summary.files.find((f) => f.path === 'bundle/a.json')).toMatchObject({ source: 'okta', format: 'json-array', events: 2, newEvents: 2, error: null })
    expect(summary.newEvents).toBe(15)
    // Not a terminal: no progress bar on stderr.
    expect(r.stderr).not.toContain('█')

    const again = JSON.parse(run(BUNDLE, '--case', casePath).last) as { events: number; newEvents: number }
    expect(again).toMatchObject({ events: 15, newEvents: 0 })
  })

  it('exits 1 when some files failed, still printing the summary', () => {
    const dir = tmp()
    writeFileSync(join(dir, 'broken.json'), '[{"a":')
    const r = run(join(BUNDLE, 'a.json'), join(dir, 'broken.json'), '--case', join(dir, 'case.duckdb'))
    expect(r.code).toBe(1)
    const summary = JSON.parse(r.last) as { files: { path: string; error: string | null }[]; newEvents: number }
    expect(summary.newEvents).toBe(2)
    expect(summary.files.find((f) => f.path === 'broken.json')!.error).toMatch(/truncated JSON/)
    expect(r.stderr).toContain('broken.json: truncated JSON')

    // Nothing imported: no chain to open.
    const none = run(join(dir, 'broken.json'), '--case', join(dir, 'empty.duckdb'))
    expect(none.code).toBe(1)
    expect(JSON.parse(none.last)).toMatchObject({ newEvents: 0, firstChainSeconds: null })
  })

  it('exits 1 and says why when the analysis after the import fails, the events stored', () => {
    const dir = tmp()
    mkdirSync(join(dir, 'policies'))
    writeFileSync(join(dir, 'policies', 'risky-actions.json'), '{ not json')
    const r = run(join(BUNDLE, 'a.json'), '--case', join(dir, 'case.duckdb'))
    expect(r.code).toBe(1)
    const summary = JSON.parse(r.last) as { newEvents: number; analysisError: string | null; firstChainSeconds: number | null }
    expect(summary).toMatchObject({ newEvents: 2, firstChainSeconds: null })
    expect(summary.analysisError).toMatch(/session analysis failed: .*risky-actions\.json is not valid JSON/)
    expect(r.stderr).toContain('afterlogin import: session analysis failed:')
  })

  it.each([
    [['--case', 'x.duckdb'], /at least one file/],
    [[join(BUNDLE, 'a.json')], /--case/],
    [['/no/such/file.json', '--case', 'x.duckdb'], /no such file/],
    [[join(BUNDLE, 'a.json'), '--case', 'x.duckdb', '--bogus'], /bogus/]
  ])('exits 2 on usage errors: %j', (args, message) => {
    const r = run(...args)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stdout).toBe('')
  })
})
