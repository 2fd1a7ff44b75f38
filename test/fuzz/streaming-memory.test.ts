import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readRecords } from '../../core/import/records'
// @ts-expect-error plain ESM script (scripts/stream-memory-check.mjs runs the multi-GB check), no declarations
import { oktaEvent } from '../../scripts/stream-memory-check.mjs'

const MB = 1024 * 1024

/** `bytes` of NDJSON (or one JSON array) produced on demand: nothing of it exists anywhere at once. */
const generated = (bytes: number, shape: 'ndjson' | 'array'): Readable => {
  let produced = 0
  let i = 0
  return new Readable({
    read() {
      if (produced >= bytes) {
        if (shape === 'array') this.push(']')
        this.push(null)
        return
      }
      let chunk = shape === 'array' && i === 0 ? '[' : ''
      while (chunk.length < 256 * 1024)
        chunk += shape === 'array' ? `${i ? ',' : ''}${(oktaEvent as (n: number) => string)(i++)}\n` : `${(oktaEvent as (n: number) => string)(i++)}\n`
      produced += chunk.length
      this.push(chunk)
    }
  })
}

// The readers stream: reading 96 MB of records one batch at a time keeps memory flat. (The whole import,
// parse-to-commit, is measured at multi-GB scale by `node scripts/stream-memory-check.mjs --gb 2`.)
describe('the record readers stream big inputs', () => {
  for (const shape of ['ndjson', 'array'] as const) {
    it(`${shape}: 96 MB read with flat memory`, async () => {
      global.gc?.()
      const before = process.memoryUsage().rss
      let peak = before
      let records = 0
      const src = readRecords(generated(96 * MB, shape), 1 * MB)
      for await (const batch of src.records) {
        records += batch.length
        if (records % 20_000 < batch.length) peak = Math.max(peak, process.memoryUsage().rss)
      }
      expect(src.format()).toBe(shape === 'array' ? 'json-array' : 'ndjson')
      expect(records).toBeGreaterThan(55_000)
      // Holding the input would cost ≥ 192 MB (UTF-16 strings); batches of parsed records cost a few tens.
      expect((peak - before) / MB).toBeLessThan(100)
    }, 60_000)
  }
})
