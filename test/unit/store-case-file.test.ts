import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CaseDb } from '../../core/store/case-db'
import { quoteLiteral } from '../../core/store/quote'
import { testQuery } from '../helpers/test-queries'

// A case file is attached by path (ATTACH takes no parameter there): a path with quotes, spaces and backslashes
// must open the file it names and no other, and what is written must be there when it opens again.
const dir = mkdtempSync(join(tmpdir(), "afl case's \\dir "))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('case files', () => {
  it('quotes a path as one SQL string literal and refuses a NUL', () => {
    expect(quoteLiteral("a'b\\c")).toBe("'a''b\\c'")
    expect(() => quoteLiteral('a\u0000b')).toThrow(/invalid/)
  })

  it('opens a case whose path holds quotes and backslashes, on every connection, and keeps what was written', async () => {
    const path = join(dir, "o'brien \\ case.duckdb")
    const db = await CaseDb.open(path)
    const other = await db.connect()
    expect(await other.many(testQuery('import.test.events'))).toEqual([])
    other.close()
    db.close()
    const again = await CaseDb.open(path)
    const migrations = await again.many<{ version: number }>('store.migrations-done')
    expect(migrations.length).toBeGreaterThan(5)
    again.close()
  })
})
