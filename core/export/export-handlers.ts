import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { ExportKind, ExportRecord } from '../../contract'
import type { exportCalls } from '../../contract/exports'
import type { Handlers, Workbench } from '../workbench'
import { EXTENSIONS, runExport, type ExportContext } from './export-case'
import { sessionReaderOf } from './session-reader'

export const exportContext = (wb: Workbench): ExportContext => ({
  db: wb.requireCase().db,
  reader: sessionReaderOf(wb.handlers),
  caseInfo: () => wb.info(),
  version: wb.options.version
})

/** `exports/events-ocsf-20260101T120000Z.ocsf.jsonl` beside the case file: the page never chooses a path. */
export const caseExportPath = (casePath: string, kind: ExportKind, at = new Date()): string => {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  const base = join(dirname(casePath), 'exports', `${kind}-${stamp}`)
  for (let n = 1; ; n++) {
    const path = `${base}${n > 1 ? `-${n}` : ''}.${EXTENSIONS[kind]}`
    if (!existsSync(path)) return path
  }
}

interface StoredExport {
  id: string
  kind: ExportKind
  path: string
  rows: number
  bytes: number
  sha256: string
  chain_id: string | null
  created_at: string
}

export const exportHandlers = (wb: Workbench): Pick<Handlers, keyof typeof exportCalls> => ({
  'export.run': async ({ kind, chainId }) => {
    const open = wb.requireCase()
    const dest = caseExportPath(open.summary.path, kind)
    await mkdir(dirname(dest), { recursive: true })
    return runExport(exportContext(wb), kind, dest, chainId)
  },
  'export.list': async () =>
    (await wb.requireCase().db.all<StoredExport>('export.list')).map(
      (r): ExportRecord => ({ id: r.id, kind: r.kind, path: r.path, rows: r.rows, bytes: r.bytes, sha256: r.sha256, chainId: r.chain_id, createdAt: r.created_at })
    )
})
