import type { Field, Lookup, Rec } from './types'

// Placeholders real exports use for "no value" (Okta writes the string "null", Azure "<null>").
export const NULLISH = new Set(['', 'null', '<null>', 'none', 'n/a', 'undefined', '-'])

export const isObject = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Log Analytics exports and some collectors carry nested objects as JSON-encoded strings: the value they hold, else `v`. */
export const decoded = (v: unknown): unknown => {
  if (typeof v !== 'string' || v.length < 2) return v
  const c = v[0]
  if (c !== '{' && c !== '[') return v
  try {
    return JSON.parse(v)
  } catch {
    return v
  }
}

/**
 * The SQL twin's test for a record holding a JSON-encoded string (core/sources/sql-projection.ts), on the record's
 * text: a string opening with `{` and a key, or with `[` and a string or an object with a key, so with an
 * escaped quote (`\"`) soon after. Real strings like Okta's `"{reasons=…}"` or `"[USER_PRESENCE]"` do not
 * match; escaped blanks (`\n`) count as blanks. An array of bare numbers held as text is not caught: no path
 * reads a value through one.
 */
export const ENCODED_JSON_TEXT = /"(?:\[(?:\s|\\[nrt])*\{?|\{)(?:\s|\\[nrt])*\\"/

/**
 * A record flattened into dotted keys (`"actor.alternateId"`, `"target.0.type"`, as pandas' json_normalize and
 * spreadsheet exports write it) with the nesting those keys name added beside them, so that a source's
 * content signature can recognise it; null when no key has a dot. Keys stay as they are; only containers this
 * function creates are filled (nothing of the record is changed), and `__proto__`/`constructor`/`prototype`
 * segments are skipped.
 */
export const expandDottedKeys = (r: Rec): Rec | null => {
  let out: Rec | null = null
  const made = new Set<unknown>()
  for (const key of Object.keys(r)) {
    if (!key.includes('.')) continue
    const parts = key.split('.')
    if (parts.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) continue
    out ??= { ...r }
    let cur: Record<string, unknown> = out
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1
      const have = cur[parts[i]]
      if (last) {
        if (have === undefined && (cur === out || made.has(cur))) cur[parts[i]] = r[key]
        break
      }
      if (have === undefined && (cur === out || made.has(cur))) {
        const container: Record<string, unknown> = /^\d+$/.test(parts[i + 1]) ? ([] as unknown as Record<string, unknown>) : Object.create(null)
        made.add(container)
        cur[parts[i]] = container
        cur = container
      } else if (made.has(have)) cur = have as Record<string, unknown>
      else break
    }
  }
  return out
}

/**
 * Reads a dotted path. A key that itself contains dots (`changed_by.name`) is tried whole first;
 * strings holding JSON are decoded on the way down; `a.0.b` indexes arrays.
 */
export const at = (r: unknown, path: string): unknown => {
  if (!isObject(r)) return undefined
  if (Object.hasOwn(r, path)) return r[path]
  let cur: unknown = r
  for (const { key, index } of steps(path)) {
    cur = decoded(cur)
    if (Array.isArray(cur)) cur = index === null ? undefined : cur[index]
    else if (isObject(cur)) cur = cur[key]
    else return undefined
    if (cur === undefined) return undefined
  }
  return cur
}

// Mappings name a few dozen paths, read for every record: each is split once.
const splitPaths = new Map<string, { key: string; index: number | null }[]>()
const steps = (path: string) => {
  let s = splitPaths.get(path)
  if (!s) {
    s = path.split('.').map((key) => ({ key, index: /^\d+$/.test(key) ? Number(key) : null }))
    if (splitPaths.size < 10_000) splitPaths.set(path, s)
  }
  return s
}

const blank = (c: number): boolean => c <= 32 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 || (c >= 0x1680 && c <= 0x3000)

/** A value that is missing or a placeholder ("null", "<null>", "n/a", …, blanks around it ignored). */
export const isEmpty = (v: unknown): boolean => {
  if (v === undefined || v === null) return true
  if (typeof v !== 'string') return false
  // Longer than any placeholder and nothing to trim (most values): not empty, without trimming a copy.
  if (v.length > 9 && !blank(v.charCodeAt(0)) && !blank(v.charCodeAt(v.length - 1))) return false
  return NULLISH.has(v.trim().toLowerCase())
}

/** The first non-empty value a field yields. */
export const pick = (r: Rec, field: Field | undefined): unknown => {
  if (field === undefined) return undefined
  if (typeof field === 'function') {
    const v = field(r)
    return isEmpty(v) ? undefined : v
  }
  if (typeof field === 'string') {
    const v = at(r, field)
    return isEmpty(v) ? undefined : v
  }
  for (const path of field as readonly string[]) {
    const v = at(r, path)
    if (!isEmpty(v)) return v
  }
  return undefined
}

/** Every non-empty value of a field's candidates, in order. */
export const pickAll = (r: Rec, field: Field | undefined): unknown[] => {
  if (field === undefined) return []
  if (typeof field === 'function' || typeof field === 'string') {
    const v = pick(r, field)
    return v === undefined ? [] : [v]
  }
  return (field as readonly string[]).map((p) => at(r, p)).filter((v) => !isEmpty(v))
}

export const text = (v: unknown): string | null => {
  if (isEmpty(v)) return null
  if (typeof v === 'string') return v.trim()
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v)
  return JSON.stringify(v)
}

export const pickText = (r: Rec, field: Field | undefined): string | null => text(pick(r, field))

export const num = (v: unknown): number | null => {
  if (isEmpty(v)) return null
  const n = typeof v === 'number' ? v : Number(String(v).trim())
  return Number.isFinite(n) ? n : null
}

/** What an HTTP status code a record gives says of the request: 4xx and 5xx failed, 2xx and 3xx succeeded; else undefined. */
export const httpOutcome = (v: unknown): 'success' | 'failure' | undefined => {
  const code = num(v)
  if (code === null) return undefined
  if (code >= 400 && code < 600) return 'failure'
  return code >= 200 && code < 400 ? 'success' : undefined
}

/**
 * An AS number as logs write it: `15169`, `"15169"` or `"AS15169"`; null for anything else, and for the 32-bit
 * private-use numbers above 2^31 that the case's INTEGER columns (as ip_geo.asn) cannot hold.
 */
export const asNumberOf = (v: unknown): number | null => {
  const s = text(v)
  const m = s === null ? null : /^(?:AS)?(\d{1,10})$/i.exec(s)
  const n = m ? Number(m[1]) : NaN
  return Number.isInteger(n) && n > 0 && n < 2 ** 31 ? n : null
}

/** A flag as logs write it: true/false, "true"/"false", 1/0, yes/no; null for anything else. */
export const flagOf = (v: unknown): boolean | null => {
  const s = text(v)?.toLowerCase()
  if (s === 'true' || s === '1' || s === 'yes') return true
  if (s === 'false' || s === '0' || s === 'no') return false
  return null
}

/** A mapping field read through a table (`{ from, map, otherwise }`) rather than copied. */
export const isLookup = <T extends string>(v: unknown): v is Lookup<T> => isObject(v) && 'map' in v && 'from' in v

/** The table's word for a value as the record writes it (trimmed); `otherwise` for none or one the table lacks. */
export const lookupValue = <T extends string>(spec: Lookup<T>, v: string | null): T | undefined =>
  v === null ? spec.otherwise : (spec.map[v.toLowerCase()] ?? spec.otherwise)

export const lookup = <T extends string>(r: Rec, spec: Lookup<T>): T | undefined => lookupValue(spec, text(pick(r, spec.from)))

// Node's isIP rules (lib/internal/net.js) written out, so that the fast path's clean_ip (queries/import/fast.sql)
// reads addresses with the very same ones: IPv4 without leading zeros, IPv6 in every compressed form, with an
// embedded IPv4 and a zone id.
const V4_SEG = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])'
const V4 = `(?:${V4_SEG}\\.){3}${V4_SEG}`
const S = '(?:[0-9a-fA-F]{1,4})'
const V6 =
  '(?:' +
  [
    `(?:${S}:){7}(?:${S}|:)`,
    `(?:${S}:){6}(?:${V4}|:${S}|:)`,
    `(?:${S}:){5}(?::${V4}|(?::${S}){1,2}|:)`,
    `(?:${S}:){4}(?:(?::${S}){0,1}:${V4}|(?::${S}){1,3}|:)`,
    `(?:${S}:){3}(?:(?::${S}){0,2}:${V4}|(?::${S}){1,4}|:)`,
    `(?:${S}:){2}(?:(?::${S}){0,3}:${V4}|(?::${S}){1,5}|:)`,
    `(?:${S}:){1}(?:(?::${S}){0,4}:${V4}|(?::${S}){1,6}|:)`,
    `(?::(?:(?::${S}){0,5}:${V4}|(?::${S}){1,7}|:))`
  ].join('|') +
  ')(?:%[0-9a-zA-Z.:-]{1,})?'
/** An address alone, as isIP takes it. */
export const IP_ADDRESS = `${V4}|${V6}`

/**
 * The forms of one IP field value, each capturing the address: bare, bracketed with an optional port
 * (`[2001:db8::1]:443`), IPv4 with a port (`203.0.113.7:51234`). A bare IPv6 is never read as having a port.
 */
export const IP_FORMS = `(${IP_ADDRESS})|\\[(${IP_ADDRESS})\\](?::\\d+)?|(${V4}):\\d+`
const IP_FIELD = new RegExp(`^(?:${IP_FORMS})$`)

/**
 * An IP address from what logs put in IP fields: strips ports (`203.0.113.7:51234`, `[2001:db8::1]:443`),
 * takes the first of a forwarded-for list, and drops what is not an address (`Salesforce.com IP`,
 * CloudTrail service names such as `s3.amazonaws.com`, `REDACTED`, MAC addresses). The raw record keeps the original.
 */
export const cleanIp = (v: unknown): string | null => {
  const s = text(v)
  if (!s) return null
  const m = IP_FIELD.exec(s.split(',')[0].trim())
  return m ? (m[1] ?? m[2] ?? m[3]) : null
}

export const lowerLogin = (v: unknown): string | null => {
  const s = notPlaceholder(text(v))
  return s ? s.toLowerCase() : null
}

/**
 * What exports write where an identity is unknown (`not available`, `Unknown`, `N/A`, an all-zero GUID): never an
 * identity, actor id or name of its own. The fast path tests the same pattern (core/sources/sql-projection.ts).
 */
export const PLACEHOLDER_ID =
  /^(?:not[ _-]?available|unknown|unknown user|n\/?a|none|null|nobody|anonymous|-+|0+|0{8}-0{4}-0{4}-0{4}-0{12}|\{0{8}-0{4}-0{4}-0{4}-0{12}\})$/i

export const notPlaceholder = (s: string | null): string | null => (s === null || PLACEHOLDER_ID.test(s) ? null : s)
