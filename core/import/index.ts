import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { ImportFileResult, ImportProgress, ImportStatus, ImportSummary } from '../../contract/imports'
import { analyzeCase } from '../sessions/analyze'
import { listChains } from '../sessions/read-model'
import { isMemoryLimit, type CaseDb } from '../store/case-db'
import { labelFor, readError, walk } from './containers'
import { DEFAULT_LIMITS, type ImportLimits } from './guards'
import { fastPathSample, tryFastPath } from './fast-path'
import { mapFile, type MappedFile } from './map-file'
import { ProgressTracker } from './progress'
import { Stage } from './stage'

export type { ImportFileResult, ImportProgress, ImportSummary } from '../../contract/imports'
export { DEFAULT_LIMITS, type ImportLimits } from './guards'

export interface RunImportOptions {
  /** Called with progress at most every `progressMs` (default 200 ms), and once at the end. */
  onProgress?: (p: ImportProgress) => void
  progressMs?: number
  /** Aborting stops after the current batch; files already committed stay, the current one is rolled back. */
  signal?: AbortSignal
  /** Names to show for the inputs instead of their base names (web uploads keep the user's file names). */
  labels?: string[]
  limits?: Partial<ImportLimits>
  /** Called once the import row exists (before any file is read). */
  onStart?: (importId: string) => void
}

// One import at a time per case file: dedupe reads what earlier files committed.
const queues = new Map<string, Promise<unknown>>()

/**
 * Imports files, folders and archives into a case. The stable API other modules use:
 *
 *   const summary = await runImport(db, ['/path/bundle.zip'], { onProgress, signal })
 *
 * Every file is detected by content, normalized through the source mappings in core/sources and
 * committed in its own transaction (a failing file is reported in `summary.files[i].error`, the rest
 * imports). Re-importing the same data adds no events (`newEvents` 0). After the files are committed,
 * `analyzeCase(db)` runs once; its time is `summary.analyzeSeconds`, and `summary.firstChainSeconds` is when the
 * case first answered its ranked chain list.
 */
export const runImport = (db: CaseDb, paths: string[], opts: RunImportOptions = {}): Promise<ImportSummary> => {
  const key = db.path
  const prev = queues.get(key) ?? Promise.resolve()
  const next = prev.catch(() => undefined).then(() => importNow(db, paths, opts))
  queues.set(key, next)
  void next
    .finally(() => {
      if (queues.get(key) === next) queues.delete(key)
    })
    .catch(() => undefined)
  return next
}

const importNow = async (db: CaseDb, paths: string[], opts: RunImportOptions): Promise<ImportSummary> => {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits }
  const id = `imp_${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}_${randomUUID().slice(0, 8)}`
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const inputs = paths.map((p, i) => ({ path: resolve(p), label: opts.labels?.[i] ?? labelFor(p) }))
  const sql = await db.connect()
  const files: ImportFileResult[] = []
  const tracker = new ProgressTracker(id, opts.onProgress, opts.progressMs ?? 200)
  await tracker.measureInputs(inputs.map((i) => i.path))
  const scratch = join(dirname(resolve(db.path)), `.import-scratch-${id}`)
  let status: ImportStatus = 'done'
  let fatal: string | null = null
  // The memory limit (per DuckDB instance) and the text compression are set for the import's duration, reset before the analysis.
  try {
    if (isMemoryLimit(limits.duckdbMemory)) await sql.memoryLimit(limits.duckdbMemory)
    await sql.exec('import.compression.fast')
    await sql.exec('import.create', { id, paths: JSON.stringify(inputs.map((i) => i.label)) })
    opts.onStart?.(id)
    const stage = await Stage.open(sql)
    const seen = new Set<string>()
    const walker = walk(inputs, {
      limits,
      scratch,
      signal: opts.signal,
      onDiscovered: (n) => tracker.discovered(n),
      onInputBytes: (n) => tracker.inputBytes(n),
      spool: { minBytes: limits.fastPathMinBytes, ...fastPathSample }
    })
    for await (const item of walker) {
      const path = uniquePath(item.path, seen)
      tracker.current(path)
      if (item.kind === 'error') {
        files.push(failed(path, item.error, item.bytes ?? 0))
        await sql.exec('import.file.insert', fileRow(id, path, files.length, files.at(-1)!, 0))
        tracker.fileDone(files.at(-1)!)
        continue
      }
      let bytes = 0
      const before = tracker.snapshotEvents()
      try {
        await stage.begin(id, path)
        // A file written out of an archive was counted as the archive was read; a plain one counts as DuckDB reads it.
        const counted = (fraction: number) => {
          const now = Math.round(fraction * (item.size ?? 0))
          if (!item.spooled && now > bytes) tracker.inputBytes(now - bytes)
          bytes = Math.max(bytes, now)
        }
        const fast =
          item.diskPath && (item.size ?? 0) >= limits.fastPathMinBytes
            ? await tryFastPath(stage, { disk: item.diskPath, path, importId: id }, limits.maxRecordBytes, opts.signal, counted)
            : null
        let mapped: MappedFile
        if (fast) {
          mapped = fast
          counted(1)
          item.stream.destroy()
          tracker.fileEvents(before, mapped.events)
        } else {
          // DuckDB gave up on the file part-way: the JS reader reads it all again.
          if (bytes && !item.spooled) tracker.inputBytes(-bytes)
          bytes = 0
          mapped = await mapFile(item.stream, stage, {
            maxRecordBytes: limits.maxRecordBytes,
            signal: opts.signal,
            onBytes: (n) => (bytes += n),
            onBatch: (n) => tracker.fileEvents(before, n)
          })
        }
        const result: ImportFileResult = {
          path,
          source: mapped.source,
          format: mapped.format,
          bytes,
          events: mapped.events,
          newEvents: 0,
          rejected: mapped.rejected,
          error: null,
          engine: fast ? 'duckdb' : 'js'
        }
        result.newEvents = await stage.commit(fileRow(id, path, files.length + 1, result, mapped.records), fast?.finishing)
        files.push(result)
      } catch (err) {
        item.stream.destroy()
        await stage.discard()
        if (opts.signal?.aborted) throw opts.signal.reason ?? err
        files.push(failed(path, readError(err), bytes))
        await sql.exec('import.file.insert', fileRow(id, path, files.length, files.at(-1)!, 0))
      }
      tracker.fileDone(files.at(-1)!)
    }
    stage.close()
  } catch (err) {
    if (opts.signal?.aborted) status = 'cancelled'
    else {
      status = 'failed'
      fatal = readError(err)
    }
  } finally {
    await sql.exec('import.settings.default').catch(() => undefined)
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined)
  }
  if (status === 'done' && files.some((f) => f.error)) status = files.every((f) => f.error) ? 'failed' : 'partial'
  const seconds = (performance.now() - started) / 1000

  let analyzeSeconds = 0
  let analysed = true
  let analysisError: string | null = null
  const newEvents = sum(files, 'newEvents')
  if (newEvents > 0) {
    tracker.phase('analyzing')
    const t0 = performance.now()
    try {
      await analyzeCase(db)
    } catch (err) {
      analysed = false
      analysisError = `session analysis failed: ${readError(err)}`
      fatal ??= analysisError
    }
    analyzeSeconds = (performance.now() - t0) / 1000
  }
  // A case never analysed has no chain list to answer.
  const firstChainSeconds = analysed ? await firstChainAt(db, started).catch(() => null) : null

  const summary: ImportSummary = {
    id,
    case: resolve(db.path),
    status,
    files,
    events: sum(files, 'events'),
    newEvents,
    rejected: sum(files, 'rejected'),
    seconds: round(seconds),
    analyzeSeconds: round(analyzeSeconds),
    firstChainSeconds: firstChainSeconds === null ? null : round(firstChainSeconds),
    analysisError,
    startedAt
  }
  await sql
    .exec('import.finish', {
      id,
      status,
      events: summary.events,
      new_events: summary.newEvents,
      rejected: summary.rejected,
      seconds: summary.seconds,
      analyze_seconds: summary.analyzeSeconds,
      error: fatal,
      files: files.length,
      failed_files: files.filter((f) => f.error).length
    })
    .catch(() => undefined)
  sql.close()
  tracker.finish(summary)
  if (fatal && status === 'failed' && files.length === 0) throw new Error(fatal)
  return summary
}

/**
 * Seconds from `started` until the case answers the riskiest-first chain list (the `sessions` command's and the
 * chain list's first page) with a chain; null when it holds none.
 */
const firstChainAt = async (db: CaseDb, started: number): Promise<number | null> => {
  const page = await listChains(db, { offset: 0, limit: 1, sort: 'risk', filter: {} })
  return page.rows.length ? (performance.now() - started) / 1000 : null
}

const failed = (path: string, error: string, bytes: number): ImportFileResult => ({
  path,
  source: null,
  format: null,
  bytes,
  events: 0,
  newEvents: 0,
  rejected: 0,
  error
})

const fileRow = (importId: string, path: string, seq: number, f: ImportFileResult, records: number) => ({
  import_id: importId,
  path,
  source: f.source,
  format: f.format,
  bytes: f.bytes,
  events: f.events,
  new_events: f.newEvents,
  rejected: f.rejected,
  error: f.error,
  seq,
  records
})

/** Two inputs with the same name (a/x.json, b/x.json given directly) stay apart in the results. */
const uniquePath = (path: string, seen: Set<string>): string => {
  let p = path
  for (let n = 2; seen.has(p); n++) p = `${path} (${n})`
  seen.add(p)
  return p
}

const sum = (files: ImportFileResult[], key: 'events' | 'newEvents' | 'rejected'): number => files.reduce((a, f) => a + f[key], 0)
const round = (s: number): number => Math.round(s * 1000) / 1000
