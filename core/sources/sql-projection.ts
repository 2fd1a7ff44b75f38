import { AGENT_UA, FAILURE, SUCCESS } from './normalize'
import { ISO_TIME, MAX_US, MIN_US } from './time'
import { AI_CLIENT_RE2, SERVICE_NAME_RE2 } from './agents'
import { countryNames } from './country'
import { ENCODED_JSON_TEXT, IP_ADDRESS, IP_FORMS, isLookup, PLACEHOLDER_ID } from './values'
import type { FastField, Field, Lookup, Sign, SourceMapping } from './types'
import { RecordShape } from './sql-record-shape'
import { quoteIdent } from '../store/quote'

/**
 * Compiles a source declaration into the column expressions of DuckDB's typed projection (the fast path).
 * Every value — regexes, lookup tables, constants, the record's structure — becomes a `$param`; keys the
 * declaration names are quoted identifiers; the expressions are fixed shapes over the columns `v1…` of
 * values read, so no log content ever reaches SQL text. Returns null when a field is a function without a
 * `fast` form: such sources take the JS path only.
 */
export interface Projection {
  /** Paths read once per row, in order: column `v{i}` is `paths[i - 1]`, trimmed and NULL for placeholders. */
  paths: string[]
  /** The SQL reading each of `paths` from `s`, the record parsed by from_json with `params.structure`. */
  reads: string[]
  /** The matching element of a JSON array (`find` fields), as columns `h1…` over `s` and the `v` columns. */
  hits: Record<string, string>
  /** The value taken from each hit, as columns `f1…` over the `h` columns. */
  finds: Record<string, string>
  /** Column name → SQL expression over the `v` and `f` columns. */
  base: Record<string, string>
  /**
   * Columns computed from `base` columns one level up. Kept apart because DuckDB inlines aliases and
   * macros: an expression used twice would be evaluated twice per row.
   */
  derived: Record<string, string>
  params: Record<string, unknown>
}

const jsonPath = (p: string): string =>
  '$' +
  p
    .split('.')
    .map((k) => (/^\d+$/.test(k) ? `[${k}]` : `.${JSON.stringify(k)}`))
    .join('')

/** A regex source without special characters: it matches exactly where its text occurs. */
const PLAIN_TEXT = /^[A-Za-z0-9 =:_,@-]+$/

const jsRegexToRe2 = (re: RegExp): string => (re.flags.includes('i') ? `(?i)${re.source}` : re.source)

class Compiler {
  readonly shape = new RecordShape()
  readonly paths: string[] = []
  readonly reads: string[] = []
  readonly params: Record<string, unknown> = {}
  readonly hits: Record<string, string> = {}
  readonly finds: Record<string, string> = {}
  /** Conditions under which a row is handed to the JS normalizer whatever else holds. */
  readonly redo: string[] = []
  private n = 0

  param(value: unknown): string {
    const name = `p${++this.n}`
    this.params[name] = value
    return `$${name}`
  }

  /** The trimmed value at a path, NULL for the placeholders logs use for "no value". */
  at(path: string): string {
    return `v${this.index(path)}`
  }

  /** The value at a path as read (JSON text for arrays and objects), untouched. */
  text(path: string): string {
    return this.shape.read(path)
  }

  private index(path: string): number {
    const i = this.paths.indexOf(path)
    if (i >= 0) return i + 1
    this.reads.push(this.shape.read(path))
    return this.paths.push(path)
  }

  field(f: Field | undefined, fast: FastField | undefined): string | null {
    if (fast) return this.fast(fast)
    if (f === undefined) return 'NULL'
    if (typeof f === 'function') return null
    const list = typeof f === 'string' ? [f] : (f as readonly string[])
    return list.length === 1 ? this.at(list[0]) : `coalesce(${list.map((p) => this.at(p)).join(', ')})`
  }

  fast(f: FastField): string {
    if ('const' in f) return this.param(f.const)
    // As the declaration's `===`: the value as read, not trimmed (`' User '` is not `'User'`). `unless` as its `!==`:
    // a path that is absent differs too.
    const conditions = [
      ...(f.when ? [`${this.text(f.when[0])} = ${this.param(f.when[1])}`] : []),
      ...(f.unless ? [`${this.text(f.unless[0])} IS DISTINCT FROM ${this.param(f.unless[1])}`] : [])
    ]
    const when = conditions.length ? conditions.join(' AND ') : null
    const kept = (x: string) => (f.containing ? `CASE WHEN contains(${x}, ${this.param(f.containing)}) THEN ${x} END` : x)
    if ('find' in f) {
      // The array is read as a list of the keys searched and taken (from_json leaves an element of another
      // shape without them, and a value that is not an array NULL, as the declaration's own search skips them).
      const list = this.shape.read(f.find, 'list')
      for (const key of [f.where[0], ...f.take]) this.shape.read(`${f.find}.0.${key}`)
      // The element is found once, a level below the values taken from it: written twice in one
      // expression, DuckDB would search the array once per key.
      const n = Object.keys(this.hits).length + 1
      const search = `list_filter(${list}, lambda x: x.${quoteIdent(f.where[0])} = ${this.param(f.where[1])})[1]`
      this.hits[`h${n}`] = when ? `CASE WHEN ${when} THEN ${search} END` : search
      // The first key present (JSON null counts as absent, as with `??`); a placeholder there is no value.
      const col = `f${n}`
      this.finds[col] = `nullif_text(coalesce(${f.take.map((k) => `h${n}.${k.split('.').map(quoteIdent).join('.')}`).join(', ')}))`
      return kept(col)
    }
    const expr = kept(this.at(f.path))
    return when ? `CASE WHEN ${when} THEN ${expr} END` : expr
  }

  /**
   * As signs.ts showsSign: a test holds when the path has a value and the pattern matches it. A pattern that is plain
   * text (`New Device=NEGATIVE`) is a substring search, which costs far less than a regex on a million rows.
   */
  signs(signs: readonly Sign[]): string {
    if (!signs.length) return 'false'
    const test = ([path, pattern]: readonly [string, RegExp]) =>
      PLAIN_TEXT.test(pattern.source) && !pattern.flags.includes('i')
        ? `coalesce(contains(${this.at(path)}, ${this.param(pattern.source)}), false)`
        : `coalesce(regexp_matches(${this.at(path)}, ${this.param(jsRegexToRe2(pattern))}), false)`
    const sign = (s: Sign) => [...s.all.map(test), ...(s.none ?? []).map((t) => `NOT ${test(t)}`)].join(' AND ')
    return `(${signs.map((s) => `(${sign(s)})`).join(' OR ')})`
  }

  lookup(spec: Lookup<string>, fast: FastField | undefined): string | null {
    const from = this.field(spec.from, fast)
    if (from === null) return null
    const keys = Object.keys(spec.map)
    const hit = `${this.param(keys.map((k) => spec.map[k]))}[list_position(${this.param(keys)}, lower(${from}))]`
    return `coalesce(${hit}, ${this.param(spec.otherwise ?? 'unknown')})`
  }
}

const COLUMNS = [
  ['user_agent', 'userAgent'],
  ['device_id', 'deviceId'],
  ['geo_city', 'geoCity'],
  ['as_org', 'asOrg'],
  ['target_type', 'targetType'],
  ['target_id', 'targetId'],
  ['target_name', 'targetName']
] as const

export const compileProjection = (m: SourceMapping): Projection | null => {
  if (!m.fast || m.views) return null
  const c = new Compiler()
  const fast = m.fast.fields ?? {}
  const base: Record<string, string> = {}
  const derived: Record<string, string> = {}
  const need = (expr: string | null): string => {
    if (expr === null) throw new Error('not compilable')
    return expr
  }
  try {
    const timeCandidates = typeof m.time === 'function' ? [] : typeof m.time === 'string' ? [m.time] : [...m.time]
    if (!timeCandidates.length) return null
    const timeValues = timeCandidates.map((p) => c.at(p))
    base.time_raw = `coalesce(${timeValues.join(', ')})`
    // DuckDB reads more than parseTime accepts (`2025-3-4`, hour 24, `10:0:0`, `.Z`, zone names): it
    // reads only the usual ISO shapes here, and the JS normalizer decides on the rest.
    const isoShapes = c.param(ISO_TIME.source)
    const iso = (t: string) => `CASE WHEN regexp_full_match(${t}, ${isoShapes}) THEN try_cast(${t} AS TIMESTAMPTZ) END`
    base.time_us = `epoch_us(coalesce(${timeValues.map(iso).join(', ')}))`
    base.source_type = need(c.field(m.sourceType, fast.source_type))
    base.action0 = need(c.field(m.action, fast.action))
    if (m.outcome === undefined) base.outcome = `'unknown'`
    else if (isLookup(m.outcome)) base.outcome = need(c.lookup(m.outcome, fast.outcome))
    else {
      const v = need(c.field(m.outcome as Field, fast.outcome))
      base.outcome = `CASE WHEN regexp_matches(${v}, ${c.param(jsRegexToRe2(SUCCESS))}) THEN 'success' WHEN regexp_matches(${v}, ${c.param(jsRegexToRe2(FAILURE))}) THEN 'failure' ELSE 'unknown' END`
    }
    for (const [col, key] of COLUMNS) base[col] = need(c.field(m[key], fast[col]))
    base.geo_lat = `try_cast(${need(c.field(m.geoLat, fast.geo_lat))} AS DOUBLE)`
    base.geo_lon = `try_cast(${need(c.field(m.geoLon, fast.geo_lon))} AS DOUBLE)`
    // As normalize.ts: placeholders (`not available`, all-zero GUIDs) are no actor, the country is ISO, the AS a number.
    const placeholder = c.param(jsRegexToRe2(PLACEHOLDER_ID))
    const person = (x: string) => `CASE WHEN regexp_full_match(${x}, ${placeholder}) THEN NULL ELSE ${x} END`
    base.actor_id = person(need(c.field(m.actorId, fast.actor_id)))
    base.actor_name = person(need(c.field(m.actorName, fast.actor_name)))
    base.identity = `lower(${person(need(c.field(m.identity, fast.identity)))})`
    base.acting_for0 = `lower(${person(need(c.field(m.actingFor, fast.acting_for)))})`
    const country = need(c.field(m.geoCountry, fast.geo_country))
    const names = countryNames()
    base.geo_country = `CASE WHEN regexp_full_match(${country}, '[A-Za-z]{2}') THEN upper(${country}) ELSE ${c.param([...names.values()])}[list_position(${c.param([...names.keys()])}, lower(${country}))] END`
    const asn = `try_cast(regexp_extract(${need(c.field(m.asNumber, fast.as_number))}, ${c.param('^(?i:AS)?(\\d{1,10})$')}, 1) AS BIGINT)`
    base.as_number = `CASE WHEN ${asn} > 0 AND ${asn} < 2147483648 THEN CAST(${asn} AS INTEGER) END`
    const flag = (x: string) => `CASE WHEN lower(${x}) IN ('true', '1', 'yes') THEN true WHEN lower(${x}) IN ('false', '0', 'no') THEN false END`
    base.net_proxy = flag(need(c.field(m.netProxy, fast.net_proxy)))
    base.device_managed = flag(need(c.field(m.deviceManaged, fast.device_managed)))
    base.vouches = need(typeof m.vouches === 'function' ? null : c.signs(m.vouches ?? []))
    base.app = need(c.field(m.app, fast.app))
    base.src_ip = `clean_ip(${need(c.field(m.srcIp, fast.src_ip))}, ${c.param(`(?:${IP_ADDRESS})`)}, ${c.param(`^(?:${IP_FORMS}|(?s:.*))$`)})`
    base.actor_type0 = need(m.actorType === undefined ? `'unknown'` : typeof m.actorType === 'function' ? null : c.lookup(m.actorType, fast.actor_type))
    const keys = Object.entries(m.sessionKeys ?? {}).map(([name, f]) => [name, need(c.field(f, fast[`key:${name}`]))] as const)
    base.session_key = keys.length ? `coalesce(${keys.map(([, e]) => e).join(', ')})` : 'NULL'
    // JSON.stringify of the keys found, in declaration order, written as text: the JSON functions
    // (json_object, json_merge_patch to drop the missing ones) cost ≈2 s of CPU per million events.
    base.session_keys = keys.length
      ? `nullif('{' || concat_ws(',', ${keys.map(([name, e]) => `${c.param(`${JSON.stringify(name)}:`)} || to_json(${e})`).join(', ')}) || '}', '{}')`
      : 'NULL'
    const native = need(c.field(m.nativeId, fast.native_id))
    // As eventUid: the native id, else a digest of the record (computed only then).
    base.uid = `${c.param(`${m.id}:`)} || CASE WHEN ${native} IS NULL THEN left(sha1(raw), 20) ELSE ${native} END`
    base.signed = m.fast.signature.map((p) => `${c.at(p)} IS NOT NULL`).join(' AND ')

    derived.action = 'coalesce(action0, source_type)'
    // As normalize.ts: an actor does not act for itself.
    derived.acting_for = 'CASE WHEN acting_for0 = identity THEN NULL ELSE acting_for0 END'
    const probe = `coalesce(source_type, '') || ' ' || coalesce(action0, source_type, '')`
    derived.category = m.category.length
      ? `CASE ${m.category.map(([re, cat]) => `WHEN regexp_matches(${probe}, ${c.param(jsRegexToRe2(re))}) THEN ${c.param(cat)}`).join(' ')} ELSE 'other' END`
      : `'other'`
    // As normalize.ts: a user account named as a service account is a service, then an agent as any service would be.
    // No regex runs twice on a row.
    const agentUa = `regexp_matches(coalesce(user_agent, '') || ' ' || coalesce(app, ''), ${c.param(jsRegexToRe2(AGENT_UA))})`
    const aiClient = `regexp_matches(coalesce(actor_name, ''), ${c.param(AI_CLIENT_RE2)})`
    derived.actor_type = `CASE WHEN actor_type0 IN ('human', 'unknown') AND regexp_matches(coalesce(identity, actor_name, ''), ${c.param(SERVICE_NAME_RE2)})
        THEN CASE WHEN ${agentUa} OR ${aiClient} THEN 'agent' ELSE 'service' END
      WHEN actor_type0 <> 'human' AND ${agentUa} THEN 'agent'
      WHEN actor_type0 = 'service' AND ${aiClient} THEN 'agent' ELSE actor_type0 END`
    // The JS reader opens objects held as JSON text on its way down a path (values.ts `at`); DuckDB's
    // paths do not. A record holding such text goes to the JS normalizer. The regex runs only on the
    // records with an escaped quote at all (rare, and cheap to look for: 0.2 s of CPU per million).
    if (c.paths.some((p) => p.includes('.')))
      c.redo.push(`CASE WHEN contains(raw, '\\"') THEN regexp_matches(raw, ${c.param(ENCODED_JSON_TEXT.source)}) ELSE false END`)
    // The JS reader also indexes an object by "0" (values.ts `at`), where from_json finds no array: a record
    // with an object in a place read as an array goes to it too. Looked at only where no array was read.
    for (const [path, read] of c.shape.lists)
      c.redo.push(`CASE WHEN ${read} IS NULL THEN coalesce(json_type(raw, ${c.param(jsonPath(path))}) = 'OBJECT', false) ELSE false END`)
    if (c.redo.length) base.odd = c.redo.map((r) => `(${r})`).join(' OR ')
    // A time DuckDB read but parseTime would refuse (before 1990, after 2200) goes to the JS normalizer too.
    derived.needs_js = `NOT (signed AND (coalesce(time_us BETWEEN ${c.param(MIN_US)} AND ${c.param(MAX_US)}, false) OR time_raw IS NULL))${c.redo.length ? ' OR odd' : ''}`
  } catch {
    return null
  }
  c.params.structure = c.shape.type()
  return { paths: c.paths, reads: c.reads, hits: c.hits, finds: c.finds, base, derived, params: c.params }
}
