import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CaseDb } from '../../core/store/case-db'
import { migrationsFrom, parseQueryFile, QueryRegistry, queries } from '../../core/store/query-registry'
import { quoteIdent } from '../../core/store/quote'

describe('query registry', () => {
  it('splits a file into named statements', () => {
    const parsed = parseQueryFile({
      path: 'x/y.sql',
      text: '-- file comment\n-- name: a.one\nSELECT 1;\n\n-- name: a.two\nSELECT $x AS x;\n'
    })
    expect(parsed.map((q) => [q.name, q.sql])).toEqual([
      ['a.one', 'SELECT 1'],
      ['a.two', 'SELECT $x AS x']
    ])
  })

  it('refuses duplicate names and unknown names', () => {
    const file = { path: 'a.sql', text: '-- name: q\nSELECT 1' }
    expect(() => new QueryRegistry([file, { ...file, path: 'b.sql' }])).toThrow(/declared twice/)
    expect(() => queries().get('no.such.query')).toThrow(/unknown query 'no.such.query'/)
  })

  it('orders migrations by number and refuses badly named ones', () => {
    const ms = migrationsFrom([
      { path: 'migrations/002-b.sql', text: 'B' },
      { path: 'migrations/001-a.sql', text: 'A' }
    ])
    expect(ms.map((m) => m.version)).toEqual([1, 2])
    expect(() => migrationsFrom([{ path: 'migrations/b.sql', text: '' }])).toThrow(/NNN-name/)
  })

  it('loads every statement of queries/ without clashes', () => {
    expect(queries().names()).toContain('case.counts')
  })

  it('quotes identifiers and never lets a quote escape', () => {
    expect(quoteIdent('events')).toBe('"events"')
    expect(quoteIdent('a"; DROP TABLE x; --')).toBe('"a""; DROP TABLE x; --"')
    expect(() => quoteIdent('')).toThrow()
  })
})

describe('case database', () => {
  it('migrates a real DuckDB file once, and runs named statements with $params', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'al-db-')), 'case.duckdb')
    const db = await CaseDb.open(path)
    await db.exec('case.meta.set', { key: 'name', value: "O'Brien; DROP TABLE events" })
    expect(await db.many('case.meta.all')).toEqual([{ key: 'name', value: "O'Brien; DROP TABLE events" }])
    const counts = await db.one<{ events: number }>('case.counts')
    expect(counts?.events).toBe(0)
    db.close()

    const again = await CaseDb.open(path)
    const applied = await again.migrate(migrationsFrom([]))
    expect(applied).toEqual([])
    expect((await again.many('case.meta.all')).length).toBe(1)
    again.close()
  })

  it('rolls a failed transaction back', async () => {
    const db = await CaseDb.open(join(mkdtempSync(join(tmpdir(), 'al-db-')), 'case.duckdb'))
    await expect(
      db.transaction(async (sql) => {
        await sql.exec('case.meta.set', { key: 'k', value: 'v' })
        throw new Error('boom')
      })
    ).rejects.toThrow('boom')
    expect(await db.many('case.meta.all')).toEqual([])
    db.close()
  })
})
