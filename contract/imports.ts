import { z } from 'zod'
import { call } from './define'

/** One file of an import (inside archives: `bundle.zip!okta/2024-05.json`). */
export interface ImportFileResult {
  path: string
  /** Detected from content; null when the file could not be read. */
  source: string | null
  /** ndjson | json-array | envelope | json | csv; null when unreadable. */
  format: string | null
  bytes: number
  /** Events mapped from the file. */
  events: number
  /** Events that were not in the case yet. */
  newEvents: number
  /** Records put in quarantine (unparseable or unmappable), each with its reason. */
  rejected: number
  /** Why the file was not imported at all; null when it was. */
  error: string | null
  /** Who parsed the file: DuckDB's projection (big NDJSON) or the JS reader. Absent in past imports. */
  engine?: 'duckdb' | 'js'
}

export type ImportStatus = 'running' | 'done' | 'partial' | 'failed' | 'cancelled' | 'interrupted'

export interface ImportSummary {
  id: string
  /** The case file the events went into. */
  case: string
  status: ImportStatus
  files: ImportFileResult[]
  events: number
  newEvents: number
  rejected: number
  /** Wall time of reading, normalizing and storing. */
  seconds: number
  /** Wall time of the session analysis that runs after the files are stored. */
  analyzeSeconds: number
  /**
   * Wall time from the start of the import to the moment the case answered the riskiest-first chain list with a
   * ranked chain: what an analyst waits before opening the first chain. Null when the import left no chain.
   */
  firstChainSeconds: number | null
  /**
   * Why the session analysis after the import failed (the events are stored; the case's chains are from before the
   * import, and the next analysis runs them again). Null when it ran.
   */
  analysisError: string | null
  startedAt: string
}

export interface ImportProgress {
  importId: string
  phase: 'reading' | 'analyzing' | 'finished'
  status: ImportStatus
  filesDone: number
  filesTotal: number
  bytesDone: number
  bytesTotal: number
  events: number
  newEvents: number
  rejected: number
  currentFile: string | null
  /** Present once phase = finished. */
  summary?: ImportSummary
}

export interface ImportListEntry {
  id: string
  startedAt: string
  finishedAt: string | null
  status: ImportStatus
  paths: string[]
  events: number
  newEvents: number
  rejected: number
  seconds: number | null
  analyzeSeconds: number | null
  error: string | null
  files: ImportFileResult[]
}

/** What import.start hands back at once: the import runs in the background and reports through `import.progress`. */
export interface ImportStarted {
  importId: string
}

const uploadId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'not an upload id')

// Desktop: absolute paths the user dropped or picked (the preload turns File objects into paths).
// Web mode: ids of files the upload route staged in the open case's uploads/ folder — a page never
// names a server path there.
export const importCalls = {
  'import.start': call<ImportStarted>()(
    z
      .object({
        paths: z.array(z.string().min(1).max(4096)).max(10_000).optional(),
        uploads: z.array(uploadId).max(10_000).optional()
      })
      .strict()
      .refine((v) => (v.paths?.length ?? 0) + (v.uploads?.length ?? 0) > 0, 'give paths (desktop) or uploads (web mode)')
  ),
  'import.cancel': call<{ cancelled: boolean }>()(z.object({ importId: z.string().min(1).max(100) }).strict()),
  'import.list': call<ImportListEntry[]>()(z.object({ limit: z.number().int().min(1).max(200).default(20) }).strict())
}
