import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runImport } from '../../core/import'
import { CaseDb } from '../../core/store/case-db'
import { ROOT } from '../helpers/web-mode'
import { zipOf } from '../fixtures/import/zip-of'
import { testQuery } from '../helpers/test-queries'

const good = readFileSync(join(ROOT, 'test', 'fixtures', 'import', 'bundle', 'a.json'))

/** yazl refuses unsafe names, as it should: write a same-length safe name, then patch the bytes. */
const withEntryName = (zip: Buffer, safe: string, hostile: string): Buffer => {
  expect(safe.length).toBe(hostile.length)
  return Buffer.from(zip.toString('latin1').replaceAll(safe, hostile), 'latin1')
}

const corruptGzip = (): Buffer => {
  const gz = gzipSync(Buffer.from(JSON.stringify([{ a: 1 }]).repeat(200)))
  gz.fill(0x55, 12, 40)
  return gz
}

let dir: string
let caseDir: string
let db: CaseDb

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'afl-hostile-'))
  caseDir = join(dir, 'case')
  mkdirSync(caseDir)
  db = await CaseDb.open(join(caseDir, 'case.duckdb'))
})
afterAll(() => db?.close())

const write = (name: string, data: Buffer | string): string => {
  const path = join(dir, name)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, data)
  return path
}

describe('a hostile bundle', () => {
  it('keeps every good event and names each bad file with its reason', async () => {
    const zip = withEntryName(
      await zipOf([
        ['good.json', good],
        ['truncated.json', Buffer.from('[{"eventType":"user.session.start","published":"2025-01-01T00:00:00Z","actor":{"alternateId":"x"}},{"eventType":')],
        ['garbage.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
        ['empty.json', Buffer.alloc(0)],
        ['zz/slip.json', good],
        ['corrupt.json.gz', corruptGzip()],
        ['ragged.csv', Buffer.from('time,user,action\n2025-01-01T00:00:00Z,a@example.org,login\n2025-01-01T00:01:00Z,b@example.org,login,extra,fields\n')]
      ]),
      'zz/slip.json',
      '../slip.json'
    )
    const summary = await runImport(db, [write('hostile.zip', zip)])
    const byPath = Object.fromEntries(summary.files.map((f) => [f.path.replace('hostile.zip!', ''), f]))
    expect(byPath['good.json']).toMatchObject({ source: 'okta', events: 2, newEvents: 2, error: null })
    expect(byPath['truncated.json'].error).toMatch(/truncated JSON/)
    expect(byPath['garbage.bin'].error).toMatch(/binary content/)
    expect(byPath['empty.json'].error).toMatch(/empty file/)
    expect(byPath['../slip.json'].error).toMatch(/escapes the archive/)
    expect(byPath['corrupt.json.gz'].error).toMatch(/gzip|header|invalid/i)
    expect(byPath['ragged.csv'].error).toMatch(/ragged CSV/)
    expect(summary.status).toBe('partial')
    expect(summary.newEvents).toBe(2)
    // Files that failed left nothing behind: each file is one transaction.
    expect((await db.one<{ n: number }>(testQuery('import.file.event-count'), { file_path: 'hostile.zip!truncated.json' }))!.n).toBe(0)
    expect((await db.one<{ n: number }>(testQuery('import.file.event-count'), { file_path: 'hostile.zip!ragged.csv' }))!.n).toBe(0)
    // The case stays usable: the next import works.
    const next = await runImport(db, [write('more/other.ndjson', '{"event_type":"LOGIN","created_at":"2025-01-01T00:00:00Z","ip_address":"203.0.113.9"}\n')])
    expect(next.files[0]).toMatchObject({ source: 'generic', events: 1, newEvents: 1, error: null })
    expect(readdirSync(caseDir).filter((f) => f.startsWith('.import'))).toEqual([])
  })

  it('quarantines records that cannot be read or mapped, with reason and raw text', async () => {
    const path = write(
      'mixed.ndjson',
      [
        '{"eventType":"user.session.start","published":"2025-02-01T00:00:00Z","actor":{"alternateId":"a@example.org","type":"User"},"uuid":"q1"}',
        '{"eventType": broken',
        '42',
        '{"eventType":"user.session.end","published":"not a time","actor":{"alternateId":"a@example.org","type":"User"},"uuid":"q2"}',
        '{"eventType":"user.session.end","published":"2025-02-01T00:05:00Z","actor":{"alternateId":"a@example.org","type":"User"}'
      ].join('\n')
    )
    const summary = await runImport(db, [path])
    expect(summary.files[0]).toMatchObject({ source: 'okta', events: 1, rejected: 4, error: null })
    const rows = await db.many<{ record_no: number; reason: string; raw: string }>(testQuery('import.test.quarantine'), { file_path: 'mixed.ndjson' })
    expect(rows.map((r) => r.record_no)).toEqual([2, 3, 4, 5])
    expect(rows[0].reason).toMatch(/invalid JSON/)
    expect(rows[1].reason).toMatch(/not a JSON object/)
    expect(rows[2].reason).toMatch(/unreadable time "not a time"/)
    expect(rows[3].reason).toMatch(/truncated record/)
    expect(rows[0].raw).toBe('{"eventType": broken')
  })

  it('refuses zip and gzip bombs', async () => {
    const zeros = Buffer.concat([Buffer.from('{"a":"'), Buffer.alloc(4 * 1024 * 1024, 'a')])
    const limits = { ratioFloorBytes: 1024 * 1024, maxRatio: 100 }
    const zipBomb = await zipOf([
      ['zeros.json', zeros],
      ['ok.json', good]
    ])
    const s1 = await runImport(db, [write('bomb.zip', zipBomb), write('bomb.json.gz', gzipSync(zeros))], { limits })
    const byPath = Object.fromEntries(s1.files.map((f) => [f.path, f]))
    expect(byPath['bomb.zip!zeros.json'].error).toMatch(/compression bomb/)
    expect(byPath['bomb.zip!ok.json'].error).toBeNull()
    expect(byPath['bomb.json.gz'].error).toMatch(/compression bomb/)
    const s2 = await runImport(
      db,
      [
        write(
          'total.zip',
          await zipOf([
            ['a.json', good],
            ['b.json', good]
          ])
        )
      ],
      { limits: { maxExpandedBytes: good.length + 10 } }
    )
    expect(s2.files.map((f) => f.error === null)).toEqual([true, false])
  })

  it('refuses records longer than the limit without reading them whole', async () => {
    const long = `{"eventType":"x","published":"2025-01-01T00:00:00Z","actor":{"alternateId":"a"},"pad":"${'y'.repeat(200_000)}"}\n`
    const summary = await runImport(db, [write('long.ndjson', long)], { limits: { maxRecordBytes: 64 * 1024 } })
    expect(summary.files[0].error).toMatch(/longer than/)
  })

  it('reports inputs that do not exist and keeps going', async () => {
    const summary = await runImport(db, [join(dir, 'nope.json'), write('fine/x.json', good)])
    expect(summary.files.map((f) => [f.path, f.error === null])).toEqual([
      ['nope.json', false],
      ['x.json', true]
    ])
  })

  it('stops when cancelled and keeps the files already committed', async () => {
    const controller = new AbortController()
    controller.abort(new Error('import cancelled'))
    const summary = await runImport(db, [write('c/x.json', good)], { signal: controller.signal })
    expect(summary.status).toBe('cancelled')
  })
})
