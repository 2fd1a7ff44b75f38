import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runImport } from '../../core/import'
import { CaseDb } from '../../core/store/case-db'
import { testQuery } from '../helpers/test-queries'

// Okta records; `uuid` is the native id. Sanitized exports reuse one placeholder id for different events.
const rec = (uuid: string, user: string, second: number) =>
  JSON.stringify({
    uuid,
    published: `2025-03-04T09:00:${String(second).padStart(2, '0')}Z`,
    eventType: 'user.session.start',
    actor: { id: '00u1', type: 'User', alternateId: user }
  })
const A = rec('X', 'ann@example.org', 1)
const B = rec('X', 'bob@example.org', 2)
const C = rec('Y', 'cy@example.org', 3)
const digest = (raw: string) => createHash('sha1').update(raw).digest('hex').slice(0, 20)

const caseWith = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'afl-uids-'))
  const db = await CaseDb.open(join(dir, 'case.duckdb'))
  const file = (name: string, lines: string[]) => {
    const path = join(dir, name)
    writeFileSync(path, lines.join('\n') + '\n')
    return path
  }
  const uids = async () => (await db.many<{ uid: string }>(testQuery('import.test.events'))).map((r) => r.uid).sort()
  return { db, file, uids }
}

for (const engine of ['js', 'duckdb'] as const) {
  const limits = { fastPathMinBytes: engine === 'duckdb' ? 0 : Number.MAX_SAFE_INTEGER }

  describe(`event uids (${engine} path)`, () => {
    it('are the native id; a different record reusing it gets a digest; the same record again adds nothing', async () => {
      const { db, file, uids } = await caseWith()
      try {
        const f = file('f.ndjson', [A, B, A, C])
        const first = await runImport(db, [f], { limits })
        expect(first.files[0]).toMatchObject({ engine, events: 4, newEvents: 3 })
        expect(await uids()).toEqual(['okta:X', `okta:X:${digest(B)}`, 'okta:Y'].sort())
        const again = await runImport(db, [f], { limits })
        expect(again.files[0]).toMatchObject({ events: 4, newEvents: 0 })
        expect(await uids()).toHaveLength(3)
      } finally {
        db.close()
      }
    })

    it('keeps each record once whichever file brought it first', async () => {
      const { db, file, uids } = await caseWith()
      try {
        const g = file('g.ndjson', [B])
        const f = file('f.ndjson', [A, B])
        expect((await runImport(db, [g], { limits })).newEvents).toBe(1)
        expect((await runImport(db, [f], { limits })).newEvents).toBe(1)
        expect(await uids()).toEqual(['okta:X', `okta:X:${digest(A)}`].sort())
        expect((await runImport(db, [g, f], { limits })).newEvents).toBe(0)
      } finally {
        db.close()
      }
    })
  })
}
