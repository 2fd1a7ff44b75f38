import { resolve } from 'node:path'
import type { ImportFileResult, importCalls, ImportListEntry, ImportStatus } from '../../contract/imports'
import type { CaseDb } from '../store/case-db'
import type { CaseHost, Handlers } from '../host'
import { runImport } from './index'
import { removeUploads, resolveUploads } from './uploads'

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

const listImports = async (db: CaseDb, limit: number): Promise<ImportListEntry[]> => {
  const rows = await db.all<ImportRow>('import.list', { limit })
  const files = await db.all<FileRow>('import.files.of-recent', { limit })
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

/**
 * Imports run in the background: `import.start` answers with the id at once, progress and the final
 * summary arrive as `import.progress` push events, and `case.changed` follows with the new counts.
 */
export const importHandlers = (wb: CaseHost): Pick<Handlers, keyof typeof importCalls> => {
  const running = new Map<string, AbortController>()

  return {
    'import.start': async ({ paths, uploads }) => {
      const open = wb.requireCase()
      let inputs: string[]
      let labels: string[]
      if (wb.options.transport === 'web') {
        // In web mode the page is a browser tab: it may only name files it uploaded into this case.
        if (paths?.length) throw new Error('web mode imports uploaded files only: send upload ids, not paths')
        const staged = await resolveUploads(open.db.path, uploads ?? [])
        inputs = staged.map((s) => s.path)
        labels = staged.map((s) => s.name)
      } else {
        if (uploads?.length) throw new Error('uploads exist only in web mode')
        inputs = (paths ?? []).map((p) => resolve(p))
        labels = inputs.map((p) => p.split(/[\\/]/).pop() ?? p)
      }
      const controller = new AbortController()
      const db = open.db
      const started = new Promise<string>((ok, fail) => {
        wb.track(runImport(db, inputs, {
          signal: controller.signal,
          labels,
          onStart: (id) => {
            running.set(id, controller)
            ok(id)
          },
          onProgress: (p) => wb.push.emit('import.progress', p)
        }))
          .then(async (summary) => {
            running.delete(summary.id)
            if (uploads?.length) await removeUploads(db.path, uploads)
            if (wb.openCase?.db === db) wb.push.emit('case.changed', await wb.info())
          })
          .catch((err: unknown) => fail(err))
      })
      return { importId: await started }
    },

    'import.cancel': async ({ importId }) => {
      const c = running.get(importId)
      if (!c) return { cancelled: false }
      c.abort(new Error('import cancelled'))
      return { cancelled: true }
    },

    'import.list': async ({ limit }) => listImports(wb.requireCase().db, limit)
  }
}
