import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { Readable } from 'node:stream'
import { CATEGORIES, detectSource, MAPPINGS, normalize, SOURCE_IDS, type Rec } from '../../core/sources'
import { readAll, runs, seedFiles } from './fuzz-helpers'

// Every source mapping, fed real-shaped records (the project's vendor generator) with fields deleted,
// retyped, nulled, bloated or replaced by arbitrary JSON: normalize must answer, never throw, never hang.
const seeds = new Map<string, Rec[]>()

beforeAll(async () => {
  for (const file of await seedFiles()) {
    const read = await readAll(Readable.from([Buffer.from(file.text)]))
    if (read.kind !== 'records') continue
    for (const r of read.records) {
      if (!r.value) continue
      const id = detectSource(r.value).id
      seeds.set(id, [...(seeds.get(id) ?? []), r.value])
    }
  }
}, 30_000)

const leafPaths = (v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] => {
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) leafPaths(x, [...prefix, Array.isArray(v) ? Number(k) : k], out)
    if (prefix.length) out.push(prefix)
  } else if (prefix.length) out.push(prefix)
  return out
}

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    'NaN',
    '-1',
    '1e309',
    '0000-00-00T00:00:00Z',
    '9999-99-99',
    '2024-13-45T25:61:61Z',
    '203.0.113.7:99999',
    '::ffff:999.1.1.1',
    '\u0000',
    '\uD800',
    '𝕬'.repeat(50)
  ),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e21, -0, 1.5, 253402300800000, -62135596800001),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constant('x'.repeat(50_000))
)

const mutation = fc.record({ pick: fc.nat(), action: fc.constantFrom('replace', 'delete', 'null', 'stringify', 'wrap'), value: hostileValue })

const mutate = (rec: Rec, muts: { pick: number; action: string; value: unknown }[]): Rec => {
  const copy = structuredClone(rec) as Rec
  for (const m of muts) {
    const paths = leafPaths(copy)
    if (!paths.length) break
    const path = paths[m.pick % paths.length]
    let parent: Record<string | number, unknown> = copy
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>
    const key = path[path.length - 1]
    if (m.action === 'delete') delete parent[key]
    else if (m.action === 'null') parent[key] = null
    else if (m.action === 'stringify') parent[key] = JSON.stringify(parent[key] ?? null)
    else if (m.action === 'wrap') parent[key] = [parent[key], { nested: parent[key] }]
    else parent[key] = m.value
  }
  return copy
}

const checkOutcome = (id: string, rec: Rec) => {
  const mapping = MAPPINGS.find((m) => m.id === id)!
  const raw = JSON.stringify(rec) ?? 'null'
  const t0 = performance.now()
  const out = normalize(mapping, rec, raw)
  const ms = performance.now() - t0
  // Generous against a loaded CI machine; a mapping that loops or backtracks catastrophically takes far longer.
  expect(ms, 'one record must map in bounded time').toBeLessThan(2000)
  if (!out.ok) {
    expect(typeof out.reason).toBe('string')
    expect(out.reason.length).toBeGreaterThan(0)
    return
  }
  const e = out.event
  expect(e.uid.startsWith(`${id}:`)).toBe(true)
  expect(e.source).toBe(id)
  expect(CATEGORIES).toContain(e.category)
  expect(['success', 'failure', 'unknown']).toContain(e.outcome)
  expect(['human', 'service', 'agent', 'unknown']).toContain(e.actorType)
  if (e.timeUs !== null) expect(Number.isSafeInteger(e.timeUs)).toBe(true)
  for (const k of [
    'sourceType',
    'action',
    'actorId',
    'actorName',
    'identity',
    'app',
    'sessionKey',
    'srcIp',
    'userAgent',
    'deviceId',
    'geoCity',
    'geoCountry',
    'targetType',
    'targetId',
    'targetName'
  ] as const) {
    expect(e[k] === null || typeof e[k] === 'string', k).toBe(true)
  }
  for (const k of ['geoLat', 'geoLon'] as const) expect(e[k] === null || Number.isFinite(e[k]), k).toBe(true)
  if (e.sessionKeys) for (const v of Object.values(e.sessionKeys)) expect(typeof v).toBe('string')
  // What goes into the case must survive the trip to JSON (the stage appends strings and numbers only).
  expect(() => JSON.stringify(e)).not.toThrow()
}

describe('source mappings under mutated records', () => {
  it('has realistic seeds for every specific source', () => {
    for (const id of SOURCE_IDS.filter((s) => s !== 'generic')) expect(seeds.get(id)?.length ?? 0, id).toBeGreaterThan(0)
  })

  for (const id of SOURCE_IDS.filter((s) => s !== 'generic')) {
    it(`${id}: mutated records map to an event or a named reason`, () => {
      const pool = seeds.get(id) ?? []
      fc.assert(
        fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 5 }), (i, muts) => {
          const rec = mutate(pool[i % pool.length], muts)
          checkOutcome(id, rec)
          // Detection never throws either, and always lands on a known source.
          expect(SOURCE_IDS).toContain(detectSource(rec).id)
          checkOutcome(detectSource(rec).id, rec)
        }),
        runs(60)
      )
    })
  }

  it('generic and detection: arbitrary JSON objects never crash a mapping', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 12 }), (obj) => {
        const rec = obj as Rec
        for (const m of MAPPINGS) checkOutcome(m.id, rec)
        expect(SOURCE_IDS).toContain(detectSource(rec).id)
      }),
      runs(80)
    )
  })
})
