import { isEmpty } from './values'

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i
const SALESFORCE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?$/
// Azure portal and Excel exports: `3/24/2022 2:42:35 PM` (US order, UTC).
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(AM|PM)?$/i
const NUMERIC = /^-?\d+(?:\.\d+)?$/

/**
 * The ISO shapes DuckDB is left to read on the fast path (core/sources/sql-projection.ts): on these its
 * TIMESTAMPTZ cast and parseTime agree, to the microsecond. Hours stop at 23; the date is checked by the cast.
 */
export const ISO_TIME = /\d{4}-\d{2}-\d{2}(?:[T ](?:[01]\d|2[0-3]):\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z| ?UTC|[+-]\d{2}(?::?\d{2})?)?)?/

/** Log times outside these years are misread values, not times (epoch µs). */
export const MIN_US = Date.UTC(1990, 0, 1) * 1000
export const MAX_US = Date.UTC(2200, 0, 1) * 1000

/** Epoch seconds, milliseconds or microseconds, told apart by magnitude (Slack s, GitHub ms). */
const fromEpoch = (n: number): number | null => {
  const abs = Math.abs(n)
  const us = abs < 1e11 ? n * 1e6 : abs < 1e14 ? n * 1e3 : abs < 1e17 ? n : n / 1e3
  return Math.round(us)
}

const fraction = (digits: string | undefined): number => (digits ? Number(digits.slice(0, 6).padEnd(6, '0')) : 0)

const offsetMinutes = (zone: string | undefined): number => {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!
  const mins = Number(m[2]) * 60 + Number(m[3] ?? 0)
  return m[1] === '-' ? -mins : mins
}

const civil = (y: string, mo: string, d: string, h = '0', mi = '0', s = '0'): number | null => {
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
  const check = new Date(ms)
  // Date.UTC rolls 2024-02-31 over into March; a log time that does so is not a time.
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return null
  return ms
}

/**
 * Parses every time form the supported exports use, to epoch microseconds UTC: ISO with Z and 3/6/7
 * fraction digits, offsets with or without a colon, no zone (= UTC: M365 CreationTime, Panther's
 * normalized `2024-05-02 18:46:21.121000000`), epoch s/ms/µs as numbers or numeric strings, and
 * Salesforce `yyyyMMddHHmmss.SSS`. Returns undefined for "no value", null for a value that is not a time.
 */
export const parseTime = (v: unknown): number | null | undefined => {
  if (isEmpty(v)) return undefined
  let us: number | null
  if (typeof v === 'number') us = Number.isFinite(v) ? fromEpoch(v) : null
  else if (typeof v === 'string') us = parseTimeText(v.trim())
  else return null
  if (us === null || us < MIN_US || us > MAX_US) return null
  return us
}

const parseTimeText = (s: string): number | null => {
  const iso = ISO.exec(s)
  if (iso) {
    const ms = civil(iso[1], iso[2], iso[3], iso[4], iso[5], iso[6])
    if (ms === null) return null
    return (ms - offsetMinutes(iso[8]) * 60_000) * 1000 + fraction(iso[7])
  }
  const sf = SALESFORCE.exec(s)
  if (sf) {
    const ms = civil(sf[1], sf[2], sf[3], sf[4], sf[5], sf[6])
    return ms === null ? null : ms * 1000 + fraction(sf[7])
  }
  const us = US.exec(s)
  if (us) {
    let hour = Number(us[4])
    if (us[8]) hour = (hour % 12) + (us[8].toUpperCase() === 'PM' ? 12 : 0)
    const ms = civil(us[3], us[1], us[2], String(hour), us[5], us[6])
    return ms === null ? null : ms * 1000 + fraction(us[7])
  }
  if (NUMERIC.test(s)) return fromEpoch(Number(s))
  // RFC 2822 and similar long forms; only when they name a zone, so nothing depends on the machine's.
  if (/(?:GMT|UTC|Z|[+-]\d{4})$/.test(s)) {
    const ms = Date.parse(s)
    return Number.isNaN(ms) ? null : ms * 1000
  }
  return null
}

export const isoFromMicros = (us: number): string => {
  const ms = Math.floor(us / 1000)
  const rest = String(Math.round(us - ms * 1000)).padStart(3, '0')
  return new Date(ms).toISOString().replace('Z', `${rest}Z`)
}
