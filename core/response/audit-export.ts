import type { AuditRecord } from '../../contract'
import type { CaseDb } from '../store/case-db'
import { auditRecords } from './audit'
import { canonicalJson } from './canonical-json'

const COLUMNS = ['seq', 'at', 'actor', 'kind', 'subject', 'detail', 'prev_hash', 'hash'] as const

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab/CR that hides one) as a formula
 * (OWASP CSV injection). Such cells get a leading apostrophe, which spreadsheets show as text.
 */
export const neutraliseCell = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)

export const csvCell = (value: string): string => {
  const safe = neutraliseCell(value)
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

const rowOf = (r: AuditRecord): string[] => [
  String(r.seq),
  r.at,
  r.actor,
  r.kind,
  r.subject ?? '',
  canonicalJson(r.detail),
  r.prevHash,
  r.hash
]

export const auditCsv = async (db: CaseDb): Promise<string> => {
  const lines = [COLUMNS.join(',')]
  for await (const r of auditRecords(db)) lines.push(rowOf(r).map(csvCell).join(','))
  return `${lines.join('\r\n')}\r\n`
}

export const auditJson = async (db: CaseDb): Promise<string> => {
  const all: AuditRecord[] = []
  for await (const r of auditRecords(db)) all.push(r)
  return JSON.stringify(all, null, 2)
}
