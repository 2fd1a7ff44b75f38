import type { Readable } from 'node:stream'
import { TextDecoder } from 'node:util'
import { parse as parseCsv } from 'csv-parse'
import { detectSource, type Rec } from '../sources'
import { generic } from '../sources/generic'
import { ENVELOPE_KEYS, JsonScanner, type ScannedRecord, type Shape } from './json-scanner'

export type Format = Shape | 'csv'

/** One record as read from a file: its 1-based number, verbatim text, and parsed value or the reason it has none. */
export interface RawRecord {
  no: number
  raw: string
  value: Rec | null
  problem?: string
}

export interface RecordSource {
  format(): Format | null
  records: AsyncGenerator<RawRecord[]>
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be'

const bomOf = (head: Buffer): { encoding: Encoding; skip: number } => {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', skip: 3 }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', skip: 2 }
  return { encoding: 'utf-8', skip: 0 }
}

/** Binary garbage: NUL bytes or many control/replacement characters in the first decoded text. */
const looksBinary = (text: string): boolean => {
  const sample = text.slice(0, 8192)
  let bad = 0
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i)
    if (c === 0) return true
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) bad++
  }
  return bad > sample.length * 0.02
}

/** Decodes a byte stream to text chunks, honouring UTF-8/UTF-16 byte-order marks. */
async function* decode(stream: Readable, onBytes?: (n: number) => void): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null
  let pending = Buffer.alloc(0)
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    onBytes?.(chunk.length)
    if (!decoder) {
      pending = Buffer.concat([pending, chunk])
      if (pending.length < 4) continue
      const { encoding, skip } = bomOf(pending)
      decoder = new TextDecoder(encoding)
      const text = decoder.decode(pending.subarray(skip), { stream: true })
      if (text) yield text
      continue
    }
    const text = decoder.decode(chunk, { stream: true })
    if (text) yield text
  }
  if (!decoder && pending.length) {
    const { encoding, skip } = bomOf(pending)
    decoder = new TextDecoder(encoding)
    const text = decoder.decode(pending.subarray(skip), { stream: true })
    if (text) yield text
  }
  const tail = decoder?.decode() ?? ''
  if (tail) yield tail
}

/** One record's text as the readers hand it over: its object, or the reason it has none. */
export const parseRecord = (no: number, raw: string): RawRecord => {
  try {
    const v: unknown = JSON.parse(raw)
    if (v && typeof v === 'object' && !Array.isArray(v)) return { no, raw, value: v as Rec }
    return { no, raw, value: null, problem: 'not a JSON object' }
  } catch (err) {
    return { no, raw, value: null, problem: `invalid JSON: ${(err as Error).message}` }
  }
}

const parsed = (no: number, s: ScannedRecord): RawRecord =>
  s.truncated ? { no, raw: s.raw, value: null, problem: 'truncated record: the file ends inside it' } : parseRecord(no, s.raw)

/**
 * Reads a log file's records in batches: JSON (array, envelope, NDJSON, single object) or CSV with a
 * header row. The format comes from the content; errors that make the whole file unreadable throw.
 */
export const readRecords = (stream: Readable, maxRecord: number, onBytes?: (n: number) => void): RecordSource => {
  let format: Format | null = null
  const text = decode(stream, onBytes)

  async function* run(): AsyncGenerator<RawRecord[]> {
    let first = ''
    for (;;) {
      const step = await text.next()
      if (step.done) break
      first += step.value
      // Sniff on a whole first line: a tiny first chunk may end inside a CSV header or an NDJSON record.
      const start = first.search(/\S/)
      if ((start >= 0 && first.indexOf('\n', start) >= 0) || first.length >= 1 << 20) break
    }
    if (!first.trim()) throw new Error('empty file')
    if (looksBinary(first)) throw new Error('binary content, not a JSON or CSV log')
    const lead = first.trimStart()[0]
    async function* chunks(): AsyncGenerator<string> {
      yield first
      for (;;) {
        const step = await text.next()
        if (step.done) return
        yield step.value
      }
    }
    if (lead === '{' && firstLineIsObject(first)) {
      format = 'ndjson'
      yield* lineRecords(chunks(), maxRecord)
      return
    }
    if (lead === '{' || lead === '[') {
      yield* scannedRecords(chunks(), maxRecord, (f) => (format = f), lead === '[' ? 'json-array' : 'json')
      return
    }
    const firstLine = first.split(/\r?\n/, 1)[0]
    if (!/[,;\t]/.test(firstLine)) throw new Error('neither JSON nor CSV: no JSON value and no delimited header row')
    format = 'csv'
    yield* csvRecords(chunks(), firstLine, maxRecord)
  }

  return { format: () => format, records: run() }
}

/** NDJSON when the first line alone is a whole JSON object (pretty-printed JSON's first line is just `{`). */
const firstLineIsObject = (text: string): boolean => {
  const start = text.search(/\S/)
  const nl = text.indexOf('\n', start)
  if (nl < 0) return false
  try {
    const v: unknown = JSON.parse(text.slice(start, nl))
    return typeof v === 'object' && v !== null && !Array.isArray(v)
  } catch {
    return false
  }
}

async function* scannedRecords(chunks: AsyncIterable<string>, maxRecord: number, setFormat: (f: Format) => void, initial: Format): AsyncGenerator<RawRecord[]> {
  const scanner = new JsonScanner(maxRecord)
  let no = 0
  setFormat(initial)
  for await (const chunk of chunks) {
    const out: ScannedRecord[] = []
    scanner.feed(chunk, out)
    if (scanner.shape) setFormat(scanner.shape)
    if (out.length) yield out.map((s) => parsed(++no, s))
  }
  const out: ScannedRecord[] = []
  scanner.end(out)
  if (scanner.shape) setFormat(scanner.shape)
  if (out.length) yield out.map((s) => parsed(++no, s))
}

/**
 * A line that is itself an API page (`{"Records":[…]}` objects concatenated one per line, as S3 exports often are).
 * A line a source's signature recognises is that source's record, whatever its arrays: a Google activity without its
 * optional keys is `{kind, id, actor, events: […]}`, and its events belong to it.
 */
const isEnvelope = (v: Rec): boolean => {
  const keys = Object.keys(v)
  if (keys.length > 4) return false
  if (!keys.some((k) => ENVELOPE_KEYS.has(k) && Array.isArray(v[k]) && typeof (v[k] as unknown[])[0] === 'object')) return false
  return detectSource(v) === generic
}

/**
 * NDJSON read line by line, so one broken line costs one record (quarantined), never its neighbours.
 * A line longer than the limit stops the file with a clear reason.
 */
async function* lineRecords(chunks: AsyncIterable<string>, maxRecord: number): AsyncGenerator<RawRecord[]> {
  let buf = ''
  let line = 0
  // Records are numbered in order, blank lines not counted: the same numbers DuckDB's reader gives.
  const take = (text: string, last: boolean): RawRecord[] => {
    const raw = text.trim()
    if (!raw) return []
    line++
    const rec = parsed(line, { raw })
    if (rec.value && isEnvelope(rec.value)) {
      const scanner = new JsonScanner(maxRecord)
      const out: ScannedRecord[] = []
      scanner.feed(raw, out)
      scanner.end(out)
      return out.map((s) => ({ ...parsed(line, s), no: line }))
    }
    // An unparseable last line with no newline after it is, in practice, a file cut off mid-write.
    if (last && rec.problem?.startsWith('invalid JSON')) return [{ ...rec, problem: `truncated record: the file ends inside it (${rec.problem})` }]
    return [rec]
  }
  for await (const chunk of chunks) {
    buf += chunk
    const out: RawRecord[] = []
    let start = 0
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n', start)) {
      if (nl - start > maxRecord) throw new Error(`record ${line + 1} is longer than ${mbOf(maxRecord)} MB: refused`)
      out.push(...take(buf.slice(start, nl), false))
      start = nl + 1
    }
    buf = buf.slice(start)
    if (buf.length > maxRecord) throw new Error(`record ${line + 1} is longer than ${mbOf(maxRecord)} MB: refused`)
    if (out.length) yield out
  }
  const tail = take(buf, true)
  if (tail.length) yield tail
}

const mbOf = (bytes: number): string => (bytes / 1048576).toFixed(bytes < 1048576 ? 2 : 0)

const delimiterOf = (header: string): string => {
  const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length] as const)
  return counts.sort((a, b) => b[1] - a[1])[0][0]
}

async function* csvRecords(chunks: AsyncGenerator<string>, header: string, maxRecord: number): AsyncGenerator<RawRecord[]> {
  const parser = parseCsv({
    delimiter: delimiterOf(header),
    bom: true,
    relax_column_count: false,
    skip_empty_lines: true,
    max_record_size: maxRecord,
    raw: false
  })
  const feeding = (async () => {
    for await (const c of chunks) if (!parser.write(c)) await new Promise((ok) => parser.once('drain', ok))
    parser.end()
  })()
  feeding.catch((err: Error) => parser.destroy(err))
  let columns: string[] | null = null
  let no = 0
  let batch: RawRecord[] = []
  try {
    for await (const row of parser as AsyncIterable<string[]>) {
      if (!columns) {
        columns = row.map((c, i) => c.trim() || `column_${i + 1}`)
        continue
      }
      const rec: Rec = {}
      columns.forEach((col, i) => (rec[col] = row[i]))
      // The raw text of a CSV row is its cells under their header names, as JSON: nothing dropped, and readable.
      batch.push({ no: ++no, raw: JSON.stringify(rec), value: rec })
      if (batch.length >= 2000) {
        yield batch
        batch = []
      }
    }
  } catch (err) {
    throw new Error(`CSV: ${csvMessage(err)}`)
  }
  await feeding
  if (batch.length) yield batch
  if (!columns) throw new Error('CSV: no header row')
}

const csvMessage = (err: unknown): string => {
  const e = err as { code?: string; message?: string; lines?: number; record?: unknown[] }
  if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || e.code === 'CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH')
    return `row at line ${e.lines ?? '?'} has ${Array.isArray(e.record) ? e.record.length : '?'} fields, the header has a different count (ragged CSV)`
  return e.message ?? String(err)
}
