/**
 * CSV for spreadsheets that may be hostile-data-aware or not. Every CSV the product writes (events, chains,
 * the audit trail) goes through here.
 *
 * A spreadsheet evaluates a cell that starts with = + - @ as a formula (OWASP "CSV injection"); a leading
 * tab or carriage return can hide one, and some spreadsheet apps also treat the full-width forms (＝＋－＠)
 * the same way. Such a cell gets a leading apostrophe, which spreadsheets display as text and do not keep.
 * Numbers are written as numbers: only text coming from logs can carry a formula.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

export const neutraliseCell = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value)

/** One cell: neutralised, then quoted when it holds a separator, quote or line break (RFC 4180). */
export const csvCell = (value: unknown): string => {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  const safe = neutraliseCell(text)
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** One CRLF-terminated record (RFC 4180 line ending; Excel and LibreOffice both expect it). */
export const csvLine = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`
