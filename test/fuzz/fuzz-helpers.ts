import { readFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import fc from 'fast-check'
import { generateHijackBundle } from '../../core/demo/bundle-generator'
import { readRecords, type RawRecord } from '../../core/import/records'
import { tempHome } from '../helpers/web-mode'

/** Fixed seeds keep CI reproducible; FUZZ_SEED and FUZZ_RUNS widen a local hunt. */
export const FUZZ = { seed: Number(process.env.FUZZ_SEED ?? 20260527), scale: Number(process.env.FUZZ_RUNS_SCALE ?? 1) }
export const runs = (n: number): { numRuns: number; seed: number; endOnFailure: true } => ({
  numRuns: Math.max(1, Math.round(n * FUZZ.scale)),
  seed: FUZZ.seed,
  endOnFailure: true
})

/** The project's own realistic vendor exports, one file per source shape: the seeds mutations start from. */
export const seedFiles = async (): Promise<{ path: string; text: string }[]> => {
  const bundle = await generateHijackBundle(tempHome('afterlogin-fuzz-seed-'), { seed: 11 })
  return Promise.all(bundle.files.map(async (path) => ({ path, text: await readFile(path, 'utf8') })))
}

/** A byte stream cut at the given offsets, so parsers see records (and the header) split across chunk boundaries. */
export const chunked = (bytes: Buffer, cuts: number[]): Readable => {
  const span = bytes.length + 1
  const points = [...new Set(cuts.map((c) => c % span))].sort((a, b) => a - b)
  const parts: Buffer[] = []
  let at = 0
  for (const p of points) {
    parts.push(bytes.subarray(at, p))
    at = p
  }
  parts.push(bytes.subarray(at))
  return Readable.from(parts.filter((p) => p.length > 0))
}

export type ReadOutcome = { kind: 'records'; format: string | null; records: RawRecord[] } | { kind: 'error'; message: string }

/** Reads everything or the named error, and fails loudly when a reader does not finish in time. */
export const readAll = async (stream: Readable, maxRecord = 1 << 20, ms = 3000): Promise<ReadOutcome> => {
  const src = readRecords(stream, maxRecord)
  const work = (async (): Promise<ReadOutcome> => {
    const records: RawRecord[] = []
    try {
      for await (const batch of src.records) records.push(...batch)
    } catch (err) {
      return { kind: 'error', message: err instanceof Error ? err.message : `non-Error thrown: ${String(err)}` }
    }
    return { kind: 'records', format: src.format(), records }
  })()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`reader did not finish within ${ms} ms`)), ms)))
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Mutations of a text document: truncation, byte flips, insertions of structural characters, duplication. */
export const mutatedText = (text: string): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
        fc.record({
          op: fc.constant('flip' as const),
          at: fc.nat(),
          char: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '\n', '\r', '\u0000', '\uFEFF', '\uFFFD', 'é', ';', '\t')
        }),
        fc.record({ op: fc.constant('insert' as const), at: fc.nat(), junk: fc.string({ unit: 'binary', maxLength: 40 }) }),
        fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), len: fc.nat({ max: 400 }) })
      ),
      { minLength: 1, maxLength: 6 }
    )
    .map((ops) => {
      let t = text
      for (const o of ops) {
        const at = t.length ? o.at % t.length : 0
        if (o.op === 'truncate') t = t.slice(0, at)
        else if (o.op === 'flip') t = t.slice(0, at) + o.char + t.slice(at + 1)
        else if (o.op === 'insert') t = t.slice(0, at) + o.junk + t.slice(at)
        else t = t.slice(0, at) + t.slice(at, at + o.len) + t.slice(at)
      }
      return t
    })
