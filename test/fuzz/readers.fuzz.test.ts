import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { ENVELOPE_KEYS } from '../../core/import/json-scanner'
import { chunked, mutatedText, readAll, runs, seedFiles, type ReadOutcome } from './fuzz-helpers'

// The readers (JSON scanner with envelope detection, CSV with BOM/UTF-16 handling) under random bytes,
// mutated real exports and arbitrary chunk boundaries: they finish, and every outcome is records
// (each parsed or carrying a named problem) or one named error for the whole file.
let seeds: { path: string; text: string }[] = []
beforeAll(async () => {
  seeds = await seedFiles()
}, 30_000)

const wellFormed = (o: ReadOutcome) => {
  if (o.kind === 'error') {
    expect(o.message).not.toMatch(/^non-Error thrown/)
    expect(o.message.trim().length).toBeGreaterThan(0)
    return
  }
  for (const r of o.records) {
    expect(typeof r.raw).toBe('string')
    expect(Number.isInteger(r.no) && r.no > 0).toBe(true)
    if (r.value === null) expect(r.problem?.length ?? 0, 'a record without a value names its problem').toBeGreaterThan(0)
    else expect(typeof r.value === 'object' && !Array.isArray(r.value)).toBe(true)
  }
}

const cuts = fc.array(fc.nat(), { maxLength: 12 })

describe('record readers under hostile input', () => {
  it('random bytes: a named error or records, never a hang', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), cuts, async (bytes, at) => wellFormed(await readAll(chunked(Buffer.from(bytes), at)))),
      runs(150)
    )
  })

  it('mutated real exports (JSON, NDJSON, envelopes, CSV): a named error or records', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat().chain((i) => {
          const seed = seeds[i % seeds.length]
          return fc.tuple(fc.constant(seed), mutatedText(seed.text.slice(0, 20_000)))
        }),
        cuts,
        fc.constantFrom('', '\uFEFF'),
        async ([, text], at, bom) => wellFormed(await readAll(chunked(Buffer.from(bom + text), at)))
      ),
      runs(120)
    )
  })

  it('UTF-16LE documents (Excel/Purview exports) decode the same as UTF-8 ones, wherever the chunks split', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), cuts, async (i, at) => {
        const text = seeds[i % seeds.length].text.slice(0, 8000)
        const utf8 = await readAll(chunked(Buffer.from(text), []))
        const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
        const utf16 = await readAll(chunked(bytes, at))
        wellFormed(utf16)
        expect(utf16.kind).toBe(utf8.kind)
        if (utf8.kind === 'records' && utf16.kind === 'records') expect(utf16.records.map((r) => r.raw)).toEqual(utf8.records.map((r) => r.raw))
      }),
      runs(40)
    )
  })
})

const record = fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 6 })

describe('envelope detection and chunk boundaries', () => {
  it('the same records come out of an array, every API envelope and NDJSON, however the text is split', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 20 }),
        fc.constantFrom('array', 'ndjson', ...[...ENVELOPE_KEYS].map((k) => `envelope:${k}`)),
        fc.boolean(),
        cuts,
        async (recs, shape, pretty, at) => {
          const body = (v: unknown) => JSON.stringify(v, null, pretty ? 2 : undefined)
          const text =
            shape === 'array'
              ? body(recs)
              : shape === 'ndjson'
                ? recs.map((r) => JSON.stringify(r)).join('\n')
                : body({ nextPageToken: 'x', meta: { count: recs.length, items: [] }, [shape.slice(9)]: recs })
          const out = await readAll(chunked(Buffer.from(text), at))
          expect(out.kind).toBe('records')
          if (out.kind !== 'records') return
          expect(out.format).toBe(shape === 'array' ? 'json-array' : shape === 'ndjson' ? (recs.length > 1 ? 'ndjson' : out.format) : 'envelope')
          expect(out.records.map((r) => r.value)).toEqual(recs.map((r) => JSON.parse(JSON.stringify(r))))
        }
      ),
      runs(150)
    )
  })

  const cell = fc.string({ unit: 'grapheme', maxLength: 12 })
  it('CSV cells with quotes, separators and line breaks round-trip, with or without a BOM', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 5 })
          .chain((n) =>
            fc.tuple(
              fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/), { minLength: n, maxLength: n }),
              fc.array(fc.array(cell, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 15 })
            )
          ),
        fc.constantFrom('', '\uFEFF'),
        cuts,
        async ([header, rows], bom, at) => {
          const q = (s: string) => `"${s.replaceAll('"', '""')}"`
          const text = bom + [header.join(','), ...rows.map((r) => r.map(q).join(','))].join('\r\n') + '\r\n'
          const bytes = Buffer.from(text)
          const out = await readAll(chunked(bytes, at))
          wellFormed(out)
          if (header.length === 1 && !/[,;\t]/.test(header[0])) return // one column without a delimiter is not CSV
          expect(out.kind).toBe('records')
          if (out.kind !== 'records') return
          const expected = rows.filter((r) => r.some((c) => c !== '') || r.length > 1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])))
          expect(out.records.map((r) => r.value)).toEqual(expected)
        }
      ),
      runs(100)
    )
  })
})
