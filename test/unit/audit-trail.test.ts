import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { appendAudit, auditPage, recordHash, verifyAudit, GENESIS } from '../../core/audit/audit'
import { auditCsv } from '../../core/audit/audit-export'
import { csvCell, neutraliseCell } from '../../core/export/csv-safe'
import { canonicalJson } from '../../core/audit/canonical-json'
import { CaseDb } from '../../core/store/case-db'

let dbs: CaseDb[] = []
afterEach(() => {
  for (const db of dbs) db.close()
  dbs = []
})

const freshCase = async () => {
  const db = await CaseDb.open(join(mkdtempSync(join(tmpdir(), 'afterlogin-audit-')), 'case.duckdb'))
  dbs.push(db)
  return db
}

/** Tampering as an attacker with the file would: raw SQL on a second connection. */
const tamper = async (db: CaseDb, sql: string) => {
  const c = await db.connect()
  await c.connection.run(sql)
  c.connection.closeSync()
}

const fill = async (db: CaseDb, n: number) => {
  for (let i = 0; i < n; i++)
    await appendAudit(db, { actor: 'dana', kind: 'response.intent', subject: `act-${i}`, detail: { reason: `reason ${i}`, nested: { b: 2, a: [1, 'x'] } } })
}

describe('hash-chained audit trail', () => {
  it('chains each record to the previous one and verifies', async () => {
    const db = await freshCase()
    await fill(db, 5)
    const page = await auditPage(db, 0, 10)
    expect(page.total).toBe(5)
    expect(page.rows[0].prevHash).toBe(GENESIS)
    for (let i = 1; i < 5; i++) expect(page.rows[i].prevHash).toBe(page.rows[i - 1].hash)
    expect(recordHash(page.rows[2].prevHash, page.rows[2])).toBe(page.rows[2].hash)
    const v = await verifyAudit(db)
    expect(v).toMatchObject({ ok: true, records: 5, head: page.rows[4].hash, brokenAt: null })
  })

  it.each([
    ['the detail of a record', 'UPDATE audit_log SET detail = \'{"reason":"nothing to see"}\' WHERE seq = 3'],
    ['the actor', "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"],
    ['the time', 'UPDATE audit_log SET recorded_at = recorded_at + INTERVAL 1 SECOND WHERE seq = 4'],
    ['a record in the middle, deleted', 'DELETE FROM audit_log WHERE seq = 3'],
    ['a record and its hash, rewritten together', "UPDATE audit_log SET actor = 'mallory', hash = repeat('a', 64) WHERE seq = 2"]
  ])('fails verification after an edit of %s', async (_what, sql) => {
    const db = await freshCase()
    await fill(db, 5)
    expect((await verifyAudit(db)).ok).toBe(true)
    await tamper(db, sql)
    const v = await verifyAudit(db)
    expect(v.ok).toBe(false)
    expect(v.brokenAt).toBeGreaterThanOrEqual(2)
    expect(v.problem).toMatch(/changed|link|missing/)
  })

  it('gives two concurrent appenders distinct sequence numbers', async () => {
    const db = await freshCase()
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(db, { actor: 'a', kind: 'k', subject: null, detail: { i } })))
    expect((await verifyAudit(db)).records).toBe(20)
  })
})

describe('canonical JSON', () => {
  it('is independent of key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse())
        expect(canonicalJson(reversed)).toBe(canonicalJson(o))
        expect(JSON.parse(canonicalJson(o))).toEqual(JSON.parse(JSON.stringify(o)))
      })
    )
  })
})

describe('CSV export', () => {
  it.each([
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+cmd|calc', "'+cmd|calc"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['plain, with comma', '"plain, with comma"'],
    ['alice@acme.example', 'alice@acme.example']
  ])('neutralises %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected)
  })

  it('never lets a cell start with a formula character', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(neutraliseCell(s)).not.toMatch(/^[=+\-@\t\r]/)
      })
    )
  })

  it('exports a hostile reason as inert text', async () => {
    const db = await freshCase()
    await appendAudit(db, { actor: '=cmd|" /C calc"!A0', kind: 'response.intent', subject: '@x', detail: { reason: '=1+1' } })
    const csv = await auditCsv(db)
    const [header, row] = csv.trim().split('\r\n')
    expect(header).toBe('seq,at,actor,kind,subject,detail,prev_hash,hash')
    expect(row).toContain(`"'=cmd|"" /C calc""!A0"`)
    expect(row).toContain("'@x")
  })
})
