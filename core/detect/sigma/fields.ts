import { PLACES } from '../../sources/collectors'
import { recognise } from '../../sources/index'
import { at, decoded, isObject } from '../../sources/values'
import type { Rec } from '../../sources/types'

/**
 * One concrete place of a field in the records: keys as written, which of them hold arrays, and which hold a JSON
 * object or array written as text (collectors that stringify nested values, e.g. CloudTrail's requestParameters).
 */
export interface Concrete {
  keys: string[]
  arrays: boolean[]
  texts: boolean[]
}

/**
 * What the sampled records of one source look like: every key path (lower-cased, dots between keys, arrays
 * transparent) with the concrete spellings seen, and where collectors wrapped the vendor record.
 */
export interface FieldIndex {
  paths: Map<string, Concrete[]>
  /** Places (collector wrappers) the vendor record was found in, in PLACES order. */
  wrappers: string[]
}

const MAX_DEPTH = 10

/** The object or array a text value holds as JSON, else undefined. */
const jsonText = (v: unknown): unknown => {
  if (typeof v !== 'string') return undefined
  const parsed = decoded(v.trimStart())
  return isObject(parsed) || Array.isArray(parsed) ? parsed : undefined
}

const walk = (v: unknown, at: Concrete, into: Map<string, Concrete[]>, depth: number): void => {
  if (depth > MAX_DEPTH) return
  const { keys, arrays, texts } = at
  if (Array.isArray(v)) {
    if (!keys.length) return
    const marked = arrays.slice()
    marked[marked.length - 1] = true
    add(into, { keys, arrays: marked, texts })
    for (const el of v.slice(0, 20)) if (isObject(el) || Array.isArray(el)) walk(el, { keys, arrays: marked, texts }, into, depth + 1)
    return
  }
  if (!isObject(v)) return
  for (const [k, x] of Object.entries(v)) {
    if (k.includes('"')) continue
    const here = { keys: [...keys, k], arrays: [...arrays, false], texts: [...texts, false] }
    add(into, here)
    const inner = jsonText(x)
    // Only the first text hop is followed: the compiler opens one level of JSON text.
    if (inner !== undefined && !texts.some(Boolean)) {
      const opened = { ...here, texts: [...texts, true] }
      add(into, opened)
      walk(inner, opened, into, depth + 1)
    } else walk(x, here, into, depth + 1)
  }
}

const add = (into: Map<string, Concrete[]>, c: Concrete): void => {
  const logical = c.keys.join('.').toLowerCase()
  const list = into.get(logical) ?? []
  // A path that holds an array (or JSON text) in one record and a value in another is kept in both shapes.
  const same = (o: Concrete) =>
    o.keys.length === c.keys.length && o.keys.every((k, i) => k === c.keys[i] && o.arrays[i] === c.arrays[i] && o.texts[i] === c.texts[i])
  if (!list.some(same)) list.push({ keys: c.keys.slice(), arrays: c.arrays.slice(), texts: c.texts.slice() })
  into.set(logical, list)
}

/** Builds the index from sampled raw records (their text as stored). */
export const indexRecords = (raws: string[]): FieldIndex => {
  const paths = new Map<string, Concrete[]>()
  const wrappers = new Set<string>()
  for (const raw of raws) {
    let r: unknown
    try {
      r = JSON.parse(raw)
    } catch {
      continue
    }
    if (!isObject(r)) continue
    const { record } = recognise(r as Rec)
    // A collector's copy: rules read the vendor record inside it, at the place the import recognised it from.
    const place =
      record === r
        ? undefined
        : PLACES.find((p) => {
            const v = at(r, p)
            return v === record || (typeof v === 'string' && v.trimStart().startsWith('{'))
          })
    if (place) {
      wrappers.add(place)
      walk(record, { keys: [], arrays: [], texts: [] }, paths, 0)
    } else walk(r, { keys: [], arrays: [], texts: [] }, paths, 0)
  }
  return { paths, wrappers: PLACES.filter((p) => wrappers.has(p)) }
}

/**
 * Where a source's exports hold the whole record one level down, beside a summary of it: Entra's diagnostic-settings
 * exports under `properties`, the Purview audit search export's rows (CSV or JSON) in `AuditData`, as JSON text.
 */
const INNER: Readonly<Record<string, { key: string; text: boolean }>> = {
  entra: { key: 'properties', text: false },
  m365: { key: 'AuditData', text: true }
}

/**
 * Table exports that keep a vendor field under another column name (the other columns match the vendor's names
 * case-insensitively): the column each such field is in. Sentinel's AWSCloudTrail table flattens userIdentity and
 * renames the ids; Log Analytics' AuditLogs table keeps Entra's operationType as AADOperationType. Read only in
 * cases whose records have the column.
 */
const FLATTENED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  entra: { operationtype: 'AADOperationType' },
  aws: {
    'useridentity.type': 'UserIdentityType',
    'useridentity.principalid': 'UserIdentityPrincipalid',
    'useridentity.arn': 'UserIdentityArn',
    'useridentity.accountid': 'UserIdentityAccountId',
    'useridentity.accesskeyid': 'UserIdentityAccessKeyId',
    'useridentity.username': 'UserIdentityUserName',
    'useridentity.invokedby': 'UserIdentityInvokedBy',
    'useridentity.sessioncontext.sessionissuer.type': 'SessionIssuerType',
    'useridentity.sessioncontext.sessionissuer.principalid': 'SessionIssuerPrincipalId',
    'useridentity.sessioncontext.sessionissuer.arn': 'SessionIssuerArn',
    'useridentity.sessioncontext.sessionissuer.accountid': 'SessionIssuerAccountId',
    'useridentity.sessioncontext.sessionissuer.username': 'SessionIssuerUserName',
    'useridentity.sessioncontext.attributes.mfaauthenticated': 'SessionMfaAuthenticated',
    'useridentity.sessioncontext.attributes.creationdate': 'SessionCreationDate',
    eventid: 'AwsEventId',
    eventtype: 'EventTypeName',
    eventtime: 'TimeGenerated',
    requestid: 'AwsRequestId'
  }
}

/**
 * The concrete places a Sigma field name resolves to: the spellings seen (keys match case-insensitively), else
 * the name as written. A field absent at the root is also looked up at the source's INNER place, and in the column a
 * table export flattened it into (FLATTENED).
 */
export const resolveField = (index: FieldIndex, field: string, source: string): Concrete[] => {
  const logical = field.toLowerCase()
  const flat = FLATTENED[source]?.[logical]
  const flattened = flat ? withPlain(index.paths.get(flat.toLowerCase()) ?? []) : []
  return [...resolveNested(index, field, source), ...flattened]
}

const resolveNested = (index: FieldIndex, field: string, source: string): Concrete[] => {
  const logical = field.toLowerCase()
  const keys = field.split('.')
  const literal: Concrete = { keys, arrays: keys.map(() => false), texts: keys.map(() => false) }
  const seen = withPlain(index.paths.get(logical) ?? [])
  const inner = INNER[source]
  if (!inner || logical.startsWith(`${inner.key.toLowerCase()}.`)) return seen.length ? seen : [literal]
  // Root first, then the inner place: the first present value is the field's.
  const nested = withPlain(index.paths.get(`${inner.key.toLowerCase()}.${logical}`) ?? [])
  const there: Concrete = { keys: [inner.key, ...keys], arrays: [false, ...literal.arrays], texts: [inner.text, ...literal.texts] }
  return [...(seen.length ? seen : [literal]), ...(nested.length ? nested : [there])]
}

/** A place seen through arrays is also read as plain keys: records the sample did not show may hold an object there. */
const withPlain = (list: Concrete[]): Concrete[] => {
  const out = list.slice()
  for (const c of list) {
    if (!c.arrays.some(Boolean)) continue
    const plain = { keys: c.keys, arrays: c.keys.map(() => false), texts: c.texts }
    if (!out.some((o) => o.keys.join('\u0000') === plain.keys.join('\u0000') && !o.arrays.some(Boolean) && o.texts.join() === plain.texts.join()))
      out.push(plain)
  }
  return out
}

const seg = (k: string): string => `."${k}"`

/**
 * A concrete place split for DuckDB: the path up to the first array or JSON text (one parse, in the list form) and
 * the rest, read from that value's text; `list` when the rest goes through an array (its values are a list).
 */
export const jsonPaths = (c: Concrete): { head: string; rest: string | null; list: boolean } => {
  const first = c.keys.findIndex((_, i) => c.arrays[i] || c.texts[i])
  if (first < 0) return { head: `$${c.keys.map(seg).join('')}`, rest: null, list: false }
  const head = `$${c.keys
    .slice(0, first + 1)
    .map(seg)
    .join('')}`
  // JSON text holding an array is an array once opened.
  let rest = c.arrays[first] ? '$[*]' : '$'
  for (let i = first + 1; i < c.keys.length; i++) rest += seg(c.keys[i]) + (c.arrays[i] ? '[*]' : '')
  return { head, rest, list: rest.includes('[*]') }
}
