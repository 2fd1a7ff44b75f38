import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { ExportKind, ExportRecord } from '../../contract'
import { readCaseInfo } from '../case/case-info'
import type { OpenCase } from '../host'
import type { CaseDb } from '../store/case-db'
import { EXTENSIONS, type ExportContext } from './export-case'
import { sessionReaderOf } from './session-reader'

/** What an export reads from one open case: its tables, its read model and its header. */
export const exportContextOf = (open: OpenCase, version: string): ExportContext => ({
  db: open.db,
  reader: sessionReaderOf(open.db),
  caseInfo: () => readCaseInfo(open.db, open.summary),
  version
})

/** `exports/events-ocsf-20260101T120000Z.ocsf.jsonl` beside the case file: the page never chooses a path. */
export const caseExportPath = (casePath: string, kind: ExportKind, at = new Date()): string => {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
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

/** The exports written from this case, as recorded with their digests. */
export const listExports = async (db: CaseDb): Promise<ExportRecord[]> =>
  (await db.many<StoredExport>('export.list')).map((r): ExportRecord => ({
    id: r.id,
    kind: r.kind,
    path: r.path,
    rows: r.rows,
    bytes: r.bytes,
    sha256: r.sha256,
    chainId: r.chain_id,
    createdAt: r.created_at
  }))
