import type { ImportFileResult, ImportListEntry, ImportStatus } from '../../contract/imports'
import type { CaseDb } from '../store/case-db'

interface ImportRow {
  id: string
  started_at: string
  finished_at: string | null
  status: ImportStatus
  paths: string
  events: number
  new_events: number
  rejected: number
  seconds: number | null
  analyze_seconds: number | null
  error: string | null
}

interface FileRow {
  import_id: string
  path: string
  source: string | null
  format: string | null
  bytes: number
  events: number
  new_events: number
  rejected: number
  error: string | null
}

const fileResult = (f: FileRow): ImportFileResult => ({
  path: f.path,
  source: f.source,
  format: f.format,
  bytes: f.bytes,
  events: f.events,
  newEvents: f.new_events,
  rejected: f.rejected,
  error: f.error
})

/** The case's most recent imports, newest first, each with its files' outcomes. */
export const listImports = async (db: CaseDb, limit: number): Promise<ImportListEntry[]> => {
  const rows = await db.many<ImportRow>('import.list', { limit })
  const files = await db.many<FileRow>('import.files.of-recent', { limit })
  return rows.map((r) => ({
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    paths: JSON.parse(typeof r.paths === 'string' ? r.paths : JSON.stringify(r.paths)) as string[],
    events: r.events,
    newEvents: r.new_events,
    rejected: r.rejected,
    seconds: r.seconds,
    analyzeSeconds: r.analyze_seconds,
    error: r.error,
    files: files.filter((f) => f.import_id === r.id).map(fileResult)
  }))
}
