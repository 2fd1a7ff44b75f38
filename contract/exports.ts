import { z } from 'zod'
import { call } from './define'

/**
 * What can be exported. OCSF is JSON Lines (one OCSF event per line); CSV cells are neutralised against
 * formula injection; Parquet is written by DuckDB itself; the report is one self-contained printable HTML file.
 */
export const EXPORT_KINDS = ['events-ocsf', 'findings-ocsf', 'events-csv', 'chains-csv', 'events-parquet', 'chains-parquet', 'report-html'] as const
export type ExportKind = (typeof EXPORT_KINDS)[number]

export interface ExportRecord {
  id: string
  kind: ExportKind
  /** Absolute path of the written file. */
  path: string
  /** Rows (events, findings, chains) written; for the report, the evidence events it links to. */
  rows: number
  bytes: number
  /** sha256 of the file as written, so a copy handed on can be checked against the case. */
  sha256: string
  chainId: string | null
  createdAt: string
}

const id = z.string().min(1).max(300)

// The page never names a path: desktop and web mode write into the case folder's exports/ and report where.
export const exportCalls = {
  'export.run': call<ExportRecord>()(z.object({ kind: z.enum(EXPORT_KINDS), chainId: id.optional() }).strict()),
  'export.list': call<ExportRecord[]>()(z.object({}).strict())
}
