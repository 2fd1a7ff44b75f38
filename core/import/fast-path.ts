import { open } from 'node:fs/promises'
import { listValue, type DuckDBValue } from '@duckdb/node-api'
import { compileProjection, type Projection } from '../sources/sql-projection'
import { fastInsertSql } from '../sources/sql-fast-insert'
import { detectSource, type SourceMapping } from '../sources'
import { generic } from '../sources/generic'
import { JsonScanner, type ScannedRecord } from './json-scanner'
import { mapRecord, type MappedFile } from './map-file'
import { parseRecord } from './records'
import type { Params, Sql, Transaction } from '../store/case-db'
import type { Stage } from './stage'

const SAMPLE_BYTES = 1024 * 1024
const SAMPLE_LINES = 500
// DuckDB's JSON reader sizes its buffers by the largest object it accepts: keep that small. A file with a
// longer line falls back to the JS reader, which applies the real limit (and names the line).
const DUCKDB_MAX_OBJECT = 2 * 1024 * 1024
// Rows the projection hands back to the JS normalizer are read this many at a time.
const REDO_PAGE = 10_000
// How often the insert's progress is read while it runs.
const PROGRESS_MS = 250

interface Sample {
  source: SourceMapping
  projection: Projection
  /** How DuckDB reads the file (read_json_objects' `format`), and how the summary names it. */
  layout: { duckdb: 'newline_delimited' | 'array'; format: 'ndjson' | 'json-array' }
}

const NDJSON = { duckdb: 'newline_delimited', format: 'ndjson' } as const
const ARRAY = { duckdb: 'array', format: 'json-array' } as const

/** The first records of a file's first bytes: NDJSON lines, or the elements of a top-level array. */
const firstRecords = (text: string): { layout: Sample['layout']; records: string[] } | null => {
  if (text.trimStart().startsWith('[')) {
    const scanner = new JsonScanner(SAMPLE_BYTES)
    const out: ScannedRecord[] = []
    scanner.feed(text, out)
    return scanner.shape === 'json-array' ? { layout: ARRAY, records: out.slice(0, SAMPLE_LINES).map((r) => r.raw) } : null
  }
  const lines = text.split('\n')
  lines.pop()
  return { layout: NDJSON, records: lines.filter((l) => l.trim()).slice(0, SAMPLE_LINES) }
}

/** What a file's first bytes say: records of one source the fast path can project, and their layout; else null. */
const sampleOf = (buf: Buffer): Sample | null => {
  if (buf[0] === 0xef || buf[0] === 0xff || buf[0] === 0xfe) return null
  let first: ReturnType<typeof firstRecords>
  try {
    first = firstRecords(buf.toString('utf8'))
  } catch {
    return null
  }
  if (!first?.records.length) return null
  // Mostly one source: the odd other record is no reason to leave the fast path (the projection hands it back).
  const votes = new Map<SourceMapping, number>()
  const keys = new Set<string>()
  for (const raw of first.records) {
    const { value, problem } = parseRecord(0, raw)
    // A broken record would make DuckDB refuse the whole file; one that is not an object is quarantined.
    if (problem?.startsWith('invalid JSON')) return null
    if (!value) continue
    const m = detectSource(value)
    votes.set(m, (votes.get(m) ?? 0) + 1)
    for (const k in value) keys.add(k)
  }
  const [top, count] = [...votes.entries()].sort((a, b) => b[1] - a[1])[0] ?? [generic, 0]
  const projection = top !== generic && count >= first.records.length * 0.75 ? compileProjection(top) : null
  // Collectors that flatten records write `"client.ipAddress"` as one key, which the JS reader reads whole
  // (values.ts `at`) and DuckDB's paths do not: such a file is read by the JS path.
  if (!projection || projection.paths.some((p) => p.includes('.') && keys.has(p))) return null
  return { source: top, projection, layout: first.layout }
}

const sampleFile = async (path: string): Promise<Sample | null> => {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES)
    const { bytesRead } = await fh.read(buf, 0, SAMPLE_BYTES, 0)
    return sampleOf(buf.subarray(0, bytesRead))
  } finally {
    await fh.close()
  }
}

/**
 * For files inside archives and gzip: whether a stream that starts with `head` (its first `bytes`) is worth
 * writing to disk for the fast path. DuckDB reads files by path.
 */
export const fastPathSample = { bytes: SAMPLE_BYTES, wanted: (head: Buffer): boolean => sampleOf(head) !== null }

const prepared = new WeakSet<Sql>()

/** The fast path's settings and macros, once per connection. */
const prepare = async (sql: Sql): Promise<void> => {
  if (prepared.has(sql)) return
  for (const name of [
    'import.fast.keep-order',
    'import.fast.track-progress',
    'import.fast.macro-js-blanks',
    'import.fast.macro-nullif-text',
    'import.fast.macro-clean-ip'
  ] as const)
    await sql.exec(name)
  prepared.add(sql)
}

/**
 * Big NDJSON files and top-level JSON arrays of a source with a compiled projection are parsed by DuckDB
 * itself (each record's text as it is in the file): one `from_json(raw, structure)` per row,
 * straight into `events` (no JS objects, no second copy). It is the same mapping — core/sources/sql-projection.ts compiles the
 * declaration — and rows the projection cannot take are handed back to the JS normalizer. Returns null
 * when the file does not qualify or DuckDB cannot read it (nothing written; the caller takes the JS path).
 * A throw leaves the first transaction's rows for the caller to discard.
 * On success the file's second transaction is still open and handed back as `finishing`: the caller commits
 * it with the staged JS rows and the file row (Stage.commit).
 *
 * The INSERT is built from the declaration (core/sources/sql-fast-insert.ts), every value a `$param`.
 */
export const tryFastPath = async (
  stage: Stage,
  file: { disk: string; path: string; importId: string },
  maxRecordBytes: number,
  signal?: AbortSignal,
  onProgress?: (fraction: number) => void
): Promise<(MappedFile & { finishing: Transaction }) | null> => {
  const sample = await sampleFile(file.disk)
  if (!sample) return null
  const { source, projection, layout } = sample
  const sql = stage.sql
  await prepare(sql)
  const where = { import_id: file.importId, file_path: file.path }
  const params: Record<string, DuckDBValue> = {
    ...where,
    source: source.id,
    file: file.disk,
    layout: layout.duckdb,
    max_object: Math.min(maxRecordBytes, DUCKDB_MAX_OBJECT)
  }
  for (const [k, v] of Object.entries(projection.params)) params[k] = Array.isArray(v) ? listValue(v as string[]) : (v as DuckDBValue)
  // First transaction: the rows alone, written in parallel. Until the second one commits, the file has
  // no import_files row, and a case opened after a crash in between drops them (import.drop-unfinished).
  let inserted: number
  // While the statement runs: its progress goes to the progress bar, and a cancel interrupts it.
  const interrupt = () => sql.interrupt()
  const poll =
    onProgress &&
    setInterval(() => {
      const percentage = sql.progress
      if (percentage > 0) onProgress(Math.min(percentage, 100) / 100)
    }, PROGRESS_MS)
  signal?.addEventListener('abort', interrupt, { once: true })
  try {
    signal?.throwIfAborted()
    inserted = await sql.transaction(() => sql.execCompiled(`import.fast.insert (${source.id})`, fastInsertSql(projection), params))
  } catch (err) {
    if (signal?.aborted) throw signal.reason ?? err
    // DuckDB refused the file (a broken line, an odd encoding): the JS reader will name the problem.
    return null
  } finally {
    signal?.removeEventListener('abort', interrupt)
    clearInterval(poll)
  }
  const finishing = await sql.begin()
  try {
    signal?.throwIfAborted()
    if (!(await numberRows(sql, where, inserted))) {
      await finishing.rollback()
      await sql.exec('import.file.drop', where)
      return null
    }
    const bySource = new Map([[source.id, 0]])
    let redone = 0
    for (let after = 0; ;) {
      const page = await sql.many<{ record_no: number; raw: string }>('import.fast.redo', { ...where, after: BigInt(after), limit: REDO_PAGE })
      for (const r of page) mapRecord(stage, parseRecord(r.record_no, r.raw), source, bySource)
      redone += page.length
      if (page.length < REDO_PAGE) break
      after = page[page.length - 1].record_no
      signal?.throwIfAborted()
    }
    await sql.exec('import.fast.drop-redo', where)
    const mappedBySql = inserted - redone
    stage.countFast(mappedBySql)
    bySource.set(source.id, (bySource.get(source.id) ?? 0) + mappedBySql)
    const top = [...bySource.entries()].sort((a, b) => b[1] - a[1])[0][0]
    return { source: top, format: layout.format, records: inserted, events: stage.rows, rejected: stage.rejected, finishing }
  } catch (err) {
    // The caller discards the file's rows (Stage.discard), as for any file that fails.
    await finishing.rollback()
    throw err
  }
}

/**
 * Numbers the file's rows as the JS reader numbers records (objects in file order, blank lines not
 * counted). DuckDB keeps insertion order (preserve_insertion_order, set in prepare), so the rows of
 * one INSERT hold consecutive rowids in file order. Done in its own transaction after the insert: an
 * UPDATE of rows the same transaction inserted makes COMMIT write the whole file again through the WAL
 * (1M events: +6.5 s), while here it only logs the new numbers. False when the rowids are not one
 * unbroken run, which the order argument needs.
 */
const numberRows = async (sql: Sql, where: Params, inserted: number): Promise<boolean> => {
  const span = (await sql.one<{ first: number | null; rows: number; width: number | null }>('import.fast.rowids', where))!
  if (span.rows !== inserted || (inserted > 0 && span.width !== inserted)) return false
  if (inserted > 0) await sql.exec('import.fast.number', { ...where, first: BigInt(span.first!) })
  return true
}
