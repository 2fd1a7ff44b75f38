import { mappingFor } from '../../sources/index'
import type { Field, Lookup, SourceMapping } from '../../sources/types'
import { isLookup, lookupValue, NULLISH } from '../../sources/values'
import { resolveField, type FieldIndex } from './fields'
import { TYPE_FIELDS } from './logsource'
import { likeChars, likeRegex } from './wildcards'
import { necessary, typeLikes, type FieldTest } from './compile'
import type { Detection, SigmaSource, ValueTest } from './types'

/**
 * A record field that the import also stored as an `events` column: `text` columns hold the value trimmed, with
 * "no value" placeholders as NULL (pickText); `flag` columns hold true/false (flagOf); `type` is source_type.
 */
export interface Twin {
  column: string
  kind: 'text' | 'flag' | 'type' | 'lookup'
  /** `lookup`: the mapping's table; the column holds its word for the record's value (Okta outcome.result FAILURE is 'failure'). */
  lookup?: Lookup<string>
}

/**
 * A condition on `events` columns that every record a rule matches meets: rules that pin no event type are
 * tested on the rows it selects instead of parsing every record of their source. Tests are LIKE patterns on
 * one column, flags, and fragments the record's stored text holds (text-guard.ts), combined with and/or.
 */
export type Guard =
  | { k: 'and' | 'or'; items: Guard[] }
  | { k: 'like'; column: string; like: string; cased: boolean }
  | { k: 'flag'; column: string; value: boolean }
  | { k: 'text'; fragment: string; cased: boolean }

// Mapping fields whose column keeps the record's text as it is (trimmed). Ids are left out: a number in the record
// may be written differently by JSON.stringify and by DuckDB, and a guard must never drop a match.
const TEXT_COLUMNS: [keyof SourceMapping, string][] = [
  ['action', 'action'],
  ['userAgent', 'user_agent'],
  ['geoCity', 'geo_city'],
  ['asOrg', 'as_org'],
  ['targetType', 'target_type'],
  ['targetName', 'target_name']
]
const FLAG_COLUMNS: [keyof SourceMapping, string][] = [
  ['netProxy', 'net_proxy'],
  ['deviceManaged', 'device_managed']
]
// Mapping fields read through a lookup table whose word the column keeps as it is (normalize.ts: the lookup, else
// 'unknown'). Actor types are not among them: a name or user agent can change the lookup's word afterwards.
const LOOKUP_COLUMNS: [keyof SourceMapping, string][] = [['outcome', 'outcome']]

/** The one record path a column is read from first (a list's later paths only fill in when it is empty). */
const firstPath = (f: Field | undefined): string | null => (typeof f === 'string' ? f : Array.isArray(f) && f.length ? (f[0] as string) : null)

/** A source's columns by the record path they copy (as written, case-sensitive: the mapping reads keys that way). */
export const columnTwins = (source: SigmaSource): Map<string, Twin> => {
  const out = new Map<string, Twin>()
  if (source === 'generic') return out
  const m = mappingFor(source)
  for (const [kind, list] of [
    ['text', TEXT_COLUMNS],
    ['flag', FLAG_COLUMNS]
  ] as const)
    for (const [field, column] of list) {
      const path = firstPath(m[field] as Field | undefined)
      if (path && !out.has(path)) out.set(path, { column, kind })
    }
  for (const [field, column] of LOOKUP_COLUMNS) {
    const spec = m[field] as unknown
    if (!isLookup<string>(spec)) continue
    const path = firstPath(spec.from)
    if (path && !out.has(path)) out.set(path, { column, kind: 'lookup', lookup: spec })
  }
  return out
}

const BLANK = /[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/

/**
 * Whether a pattern that matches a record's value also matches the stored column. The column is the value trimmed,
 * or NULL for a placeholder: so the pattern must not match a placeholder, its first and last characters after any
 * leading or trailing `%` must be literal and not blank (trimming cannot then undo a match), and it must say more
 * than a number (numbers are spelled as JSON wrote them in the record, as JavaScript does in the column).
 */
const textSafe = (like: string): boolean => {
  const chars = likeChars(like)
  let a = 0
  let b = chars.length - 1
  while (a <= b && !chars[a].lit && chars[a].ch === '%') a++
  while (b >= a && !chars[b].lit && chars[b].ch === '%') b--
  if (a > b) return false
  const first = chars[a]
  const last = chars[b]
  if (!first.lit || !last.lit || BLANK.test(first.ch) || BLANK.test(last.ch)) return false
  const literal = chars
    .slice(a, b + 1)
    .map((c) => c.ch)
    .join('')
  if (/^[-+\d.eE%_]*$/.test(literal)) return false
  const re = likeRegex(like)
  return ![...NULLISH].some((p) => re.test(p))
}

const FLAGS: Record<string, boolean> = { true: true, 1: true, yes: true, false: false, 0: false, no: false }

const testGuard = (twin: Twin, t: ValueTest): Guard | null => {
  switch (t.t) {
    case 'glob':
      if (twin.kind === 'flag') {
        const v = t.exact === null ? undefined : FLAGS[t.exact.toLowerCase()]
        return v === undefined ? null : { k: 'flag', column: twin.column, value: v }
      }
      if (twin.kind === 'type') return { k: 'or', items: typeLikes(t.like).map((like) => ({ k: 'like', column: 'source_type', like, cased: false })) }
      if (twin.kind === 'lookup') {
        // An exact value becomes the word the import wrote for it; a pattern could be any of them.
        if (t.exact === null || t.exact.trim() !== t.exact || t.exact === '') return null
        // normalize.ts stores 'unknown' where the table has no word.
        const word = lookupValue(twin.lookup!, t.exact) ?? 'unknown'
        return { k: 'like', column: twin.column, like: word.replace(/[%_\\]/g, '\\$&'), cased: true }
      }
      return textSafe(t.like) ? { k: 'like', column: twin.column, like: t.like, cased: t.cased } : null
    case 'any':
      return orOfEvery(t.tests.map((s) => testGuard(twin, s)))
    default:
      return null
  }
}

/** The column a Sigma field reads, when the case's records hold it at exactly one place that a column copies. */
const twinOf = (field: string, source: SigmaSource, index: FieldIndex, twins: Map<string, Twin>): Twin | null => {
  if (TYPE_FIELDS[source].includes(field.toLowerCase())) return { column: 'source_type', kind: 'type' }
  // Rules read inside collector wrappers there; the columns were mapped from the record as recognised: keep apart.
  if (index.wrappers.length) return null
  const places = resolveField(index, field, source)
  if (places.length !== 1 || places[0].arrays.some(Boolean) || places[0].texts.some(Boolean)) return null
  return twins.get(places[0].keys.join('.')) ?? null
}

/**
 * A guard for a detection (see Guard), or null when it has none: what the rule needs of the record is not in a
 * column, or is only in a negation. An `and` keeps the guards of the items that have one; an `or` needs all.
 */
export const columnGuard = (d: Detection, source: SigmaSource, index: FieldIndex, twins = columnTwins(source)): Guard | null =>
  necessary<Guard>(
    d,
    (f) => fieldColumnGuard(f, source, index, twins),
    (items) => ({ k: 'and', items }),
    (items) => ({ k: 'or', items })
  )

/** The guard of one field test on the column the field is stored in, or null. */
export const fieldColumnGuard = (f: FieldTest, source: SigmaSource, index: FieldIndex, twins: Map<string, Twin>): Guard | null => {
  const twin = twinOf(f.field, source, index, twins)
  return twin && combine(f, (t) => testGuard(twin, t))
}

/** A field's guard from its tests' own: all of them for `|all`, else each (any one may be the one that matched). */
export const combine = (f: FieldTest, guardOf: (t: ValueTest) => Guard | null): Guard | null => {
  const items = f.tests.map(guardOf)
  if (f.all) {
    const kept = items.filter((g): g is Guard => g !== null)
    return kept.length ? { k: 'and', items: kept } : null
  }
  return orOfEvery(items)
}

/** The `or` of guards each of which may be the one that held: none when any of them has none. */
export const orOfEvery = (items: (Guard | null)[]): Guard | null =>
  items.length && items.every((g) => g !== null) ? { k: 'or', items: items as Guard[] } : null
