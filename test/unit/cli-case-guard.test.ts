import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli-in-process'
import { assertCaseFileOrMissing, NotACaseFileError } from '../../core/case/case-file-guard'
import { openCaseDb } from '../../core/case/open-case-db'
import { tempHome } from '../helpers/web-mode'

// `--case` names the case file. An existing file that is not an Afterlogin case must be refused with a named
// error and exit 2, and left exactly as it was (no bytes changed, no WAL or sibling file created).
const home = tempHome('afterlogin-guard-home-')
let dir: string
let logs: string

const run = (...args: string[]) => runCli(args, home)

const snapshot = (folder: string) =>
  Object.fromEntries(
    readdirSync(folder).map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(join(folder, f)))
        .digest('hex') + statSync(join(folder, f)).mtimeMs
    ])
  )

const write = (name: string, body: string | Buffer): string => {
  const p = join(dir, name)
  writeFileSync(p, body)
  return p
}

beforeAll(async () => {
  dir = tempHome('afterlogin-guard-')
  logs = join(tempHome('afterlogin-guard-logs-'), 'okta.json')
  writeFileSync(logs, '{"eventType":"user.session.start","published":"2024-05-01T08:00:00.000Z","uuid":"u1","actor":{"alternateId":"a@x.example"}}\n')
  write('events.json', '[{"eventType":"user.session.start","published":"2024-05-01T08:00:00.000Z"}]\n')
  write('events.csv', 'time,user,action\n2024-05-01T08:00:00Z,alice,login\n')
  write('empty.duckdb', '')
  write('notes.duckdb', 'not a database: just text that happens to be named .duckdb\n')
  // A real DuckDB database that some other tool wrote: the case schema must not be migrated into it.
  const foreign = await DuckDBInstance.create(join(dir, 'foreign.duckdb'))
  const c = await foreign.connect()
  await c.run('CREATE TABLE trades (id INTEGER, symbol VARCHAR)')
  await c.run("INSERT INTO trades VALUES (1, 'ACME')")
  c.closeSync()
  foreign.closeSync()
})

describe('--case refuses an existing file that is not an Afterlogin case', () => {
  const commands: Array<[string, (file: string) => string[], string, RegExp]> = [
    ['import', (f) => ['import', logs, '--case', f], 'events.json', /holds JSON/],
    ['import', (f) => ['import', logs, '--case', f], 'events.csv', /looks like CSV/],
    ['sessions', (f) => ['sessions', '--case', f, '--json'], 'events.json', /holds JSON/],
    ['graph', (f) => ['graph', '--case', f, '--session', 'c1'], 'events.csv', /looks like CSV/],
    [
      'report',
      (f) => ['report', '--case', f, '--out', join(dir, 'out', 'r.html')],
      'foreign.duckdb',
      /DuckDB database of something else \(its tables: trades\)/
    ],
    [
      'export',
      (f) => ['export', '--case', f, '--what', 'events', '--format', 'csv', '--out', join(dir, 'out', 'e.csv')],
      'notes.duckdb',
      /not a DuckDB database/
    ],
    ['audit', (f) => ['audit', '--case', f, '--verify'], 'empty.duckdb', /is empty/],
    ['respond', (f) => ['respond', '--case', f, '--list'], 'foreign.duckdb', /something else/],
    ['web', (f) => ['web', '--case', f], 'events.json', /holds JSON/]
  ]
  for (const [name, args, file, why] of commands) {
    it(`${name} --case ${file}: exit 2, named error, nothing written`, async () => {
      const before = snapshot(dir)
      const r = await run(...args(join(dir, file)))
      expect(r.code, r.err).toBe(2)
      expect(r.err).toContain(`afterlogin ${name}: not an Afterlogin case file: ${join(dir, file)}`)
      expect(r.err).toMatch(why)
      expect(r.out).toBe('')
      expect(snapshot(dir)).toEqual(before)
      expect(existsSync(join(dir, 'out'))).toBe(false)
    })
  }

  it('a folder is refused too', async () => {
    await expect(assertCaseFileOrMissing(home)).rejects.toThrow(NotACaseFileError)
    await expect(assertCaseFileOrMissing(home)).rejects.toThrow(/is a folder/)
  })

  it('a missing path is a new case; an Afterlogin case passes the check and reopens', async () => {
    const path = join(tempHome('afterlogin-guard-new-'), 'case.duckdb')
    expect(await assertCaseFileOrMissing(path)).toBe('missing')
    const db = await openCaseDb(path)
    db.close()
    expect(await assertCaseFileOrMissing(path)).toBe('case')
    const r = await run('sessions', '--case', path, '--json')
    expect(r.code, r.err).toBe(0)
    expect(JSON.parse(r.out)).toEqual([])
  })
})

describe('web --case on a missing file', () => {
  it('--no-create refuses (exit 2) and creates nothing', async () => {
    const path = join(dir, 'typo.duckdb')
    const r = await run('web', '--case', path, '--no-create')
    expect(r.code).toBe(2)
    expect(r.err).toContain(`no case file at ${path} (--no-create: not creating one)`)
    expect(existsSync(path)).toBe(false)
  })

  it('--no-create without --case is a usage error', async () => {
    const r = await run('web', '--no-create')
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/--no-create only applies with --case/)
  })
})
