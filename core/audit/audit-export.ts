import type { AuditRecord } from '../../contract'
import type { CaseDb } from '../store/case-db'
import { auditRecords } from './audit'
import { canonicalJson } from './canonical-json'
import { csvLine } from '../export/csv-safe'

const COLUMNS = ['seq', 'at', 'actor', 'kind', 'subject', 'detail', 'prev_hash', 'hash'] as const

const rowOf = (r: AuditRecord): string[] => [String(r.seq), r.at, r.actor, r.kind, r.subject ?? '', canonicalJson(r.detail), r.prevHash, r.hash]

export const auditCsv = async (db: CaseDb): Promise<string> => {
  let out = csvLine(COLUMNS)
  // Every CSV the product writes shares one formula-injection neutraliser (core/export/csv-safe.ts).
  for await (const r of auditRecords(db)) out += csvLine(rowOf(r))
  return out
}

export const auditJson = async (db: CaseDb): Promise<string> => {
  const all: AuditRecord[] = []
  for await (const r of auditRecords(db)) all.push(r)
  return JSON.stringify(all, null, 2)
}
