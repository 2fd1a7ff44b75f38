import type { Guard } from './columns'
import { jsonPaths, resolveField, type FieldIndex } from './fields'
import { TYPE_FIELDS } from './logsource'
import { expandTests } from './modifiers'
import type { Detection, SigmaSource, ValueTest } from './types'

/** A field's values in one record: text values (coalesced spellings) and lists (paths through arrays). */
interface FieldValue {
  scalar: string | null
  lists: string[]
}

/**
 * An IPv6 address in a record as 32 hex digits, NULL when it is not one: a zone (`%eth0`) dropped, `::` expanded. An
 * IPv4 address, or one written with an IPv4 tail, is not an IPv6 network's.
 */
const ipv6Hex = (x: string): string => {
  const s = `lower(split_part(${x}, '%', 1))`
  const part = (p: string) => `list_filter(string_split(${p}, ':'), g -> g <> '')`
  const l = `CASE WHEN contains(${s}, '::') THEN ${part(`split_part(${s}, '::', 1)`)} ELSE string_split(${s}, ':') END`
  const r = `CASE WHEN contains(${s}, '::') THEN ${part(`split_part(${s}, '::', 2)`)} ELSE [] END`
  const groups = `list_concat(${l}, list_transform(range(greatest(0, 8 - len(${l}) - len(${r}))), i -> '0'), ${r})`
  return `CASE WHEN regexp_full_match(${s}, '[0-9a-f:]*:[0-9a-f:]*') AND NOT contains(${s}, ':::') AND length(${s}) - length(replace(${s}, '::', '')) <= 2
    AND len(${groups}) = 8 AND list_bool_and(list_transform(${groups}, g -> regexp_full_match(g, '[0-9a-f]{1,4}')))
    THEN array_to_string(list_transform(${groups}, g -> lpad(g, 4, '0')), '') END`
}

/**
 * Parameters of a cmdlet that say nothing of what it did, left out of a quoted name/value list so the ones that do
 * (the forwarding address, the rule's words) fit: PowerShell's common parameters, the switches that only answer a
 * prompt or a warning, and StopProcessingRules, which Outlook on the web sets on every new inbox rule.
 */
const PLUMBING = ['Force', 'Confirm', 'WhatIf', 'AlwaysDeleteOutlookRulesBlob', 'StopProcessingRules', 'ErrorAction', 'WarningAction', 'Verbose', 'Debug']

const IPV4 = '^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$'

/**
 * Compiles detections of one source to DuckDB predicates over `v` (the list of values extracted from each
 * candidate record at once: DuckDB parses the record a single time for the whole list) and `rec` (the
 * record's text). Every value, JSON path and pattern is a `$param`; only column names and operators are text.
 */
export class Compiler {
  readonly params: Record<string, string | number> = {}
  /** JSON paths read with one `json_extract_string(rec, [...])`, in order; `v[i]` is the i-th (1-based). */
  readonly heads: string[] = []
  usesRecord = false
  private n = 0

  constructor(
    private readonly index: FieldIndex,
    private readonly source: SigmaSource,
    private readonly prefix: string,
    /** The case's values of a placeholder (`expand`); none by default. */
    private readonly placeholders: (name: string) => string[] = () => []
  ) {}

  param(v: string | number): string {
    const name = `${this.prefix}${++this.n}`
    this.params[name] = v
    return `$${name}`
  }

  private head(path: string): number {
    let i = this.heads.indexOf(path)
    if (i < 0) i = this.heads.push(path) - 1
    return i + 1
  }

  /**
   * A field's values. `named`: a value of a list of name/value pairs (the unified audit log's Parameters,
   * ModifiedProperties and ExtendedProperties: `{Name, Value}`, `{Name, NewValue, OldValue}`) is given with its name,
   * "ForwardTo: x@gmail.com", as a finding quotes it: the bare values of a cmdlet's parameters do not say which is which.
   */
  value(field: string, named = false): FieldValue {
    const scalars: string[] = []
    const lists: string[] = []
    for (const c of resolveField(this.index, field, this.source)) {
      const { head, rest, list } = jsonPaths(c)
      const v = `v[${this.head(head)}]`
      const last = c.keys[c.keys.length - 1]
      const key = `."${last}"`
      if (rest === null) scalars.push(v)
      // Only text that holds JSON is opened: a record with a plain value there would fail the statement.
      else if (list && named && /^(Value|NewValue|OldValue)$/.test(last) && rest.endsWith(`[*]${key}`)) {
        const objects = `json_extract(CASE WHEN (starts_with(${v}, '[') OR starts_with(${v}, '{')) AND json_valid(${v}) THEN ${v} END, ${this.param(rest.slice(0, -key.length))})`
        const name = `json_extract_string(o, ${this.param('$.Name')})`
        const plumbing = PLUMBING.map((p) => this.param(p)).join(', ')
        lists.push(
          `list_transform(list_filter(${objects}, o -> NOT coalesce(${name} IN (${plumbing}), false)), o -> coalesce(${name} || ': ', '') || json_extract_string(o, ${this.param(`$${key}`)}))`
        )
      } else if (list)
        lists.push(`json_extract_string(CASE WHEN (starts_with(${v}, '[') OR starts_with(${v}, '{')) AND json_valid(${v}) THEN ${v} END, ${this.param(rest)})`)
      else scalars.push(`json_extract_string(CASE WHEN starts_with(${v}, '{') AND json_valid(${v}) THEN ${v} END, ${this.param(rest)})`)
    }
    return { scalar: scalars.length ? (scalars.length === 1 ? scalars[0] : `coalesce(${scalars.join(', ')})`) : null, lists }
  }

  /** The first value of a field as text, lists joined. */
  text(field: string): string {
    return this.joined(field, (l) => `list_distinct(${l})`)
  }

  /**
   * text() as a finding quotes it: the values of a list (a Google event's parameters) shortest first and the empty
   * ones left out, so that one long value (a user agent, a policy document) is what the quote's length cuts.
   */
  quoted(field: string): string {
    // Sorted on the length written in front of each value, then taken off again.
    const byLength = (l: string) =>
      `list_transform(list_sort(list_transform(list_filter(list_distinct(${l}), e -> e <> ''), e -> lpad(CAST(length(e) AS VARCHAR), 10, '0') || e)), e -> e[11:])`
    return this.joined(field, byLength, true)
  }

  private joined(field: string, each: (list: string) => string, named = false): string {
    const f = this.value(field, named)
    const parts = [...(f.scalar ? [f.scalar] : []), ...f.lists.map((l) => `nullif(array_to_string(${each(l)}, ', '), '')`)]
    return parts.length === 1 ? parts[0] : `coalesce(${parts.join(', ')})`
  }

  private pred(t: ValueTest, x: string): string {
    switch (t.t) {
      case 'glob':
        // ILIKE also for a plain value: no lowered copy of every value, as lower() = would make.
        if (t.exact !== null && t.cased) return `${x} = ${this.param(t.exact)}`
        return `${x} ${t.cased ? 'LIKE' : 'ILIKE'} ${this.param(t.like)} ESCAPE '\\'`
      case 'any':
        if (!t.tests.length) return 'false'
        return `(${t.tests.map((s) => this.pred(s, x)).join(' OR ')})`
      case 're':
        return `regexp_matches(${x}, ${this.param(t.re)})`
      case 'cidr':
        return `(CASE WHEN regexp_full_match(${x}, ${this.param(IPV4)}) THEN list_reduce(list_transform(string_split(${x}, '.'), o -> TRY_CAST(o AS BIGINT)), (a, b) -> a * 256 + b) END BETWEEN ${this.param(t.lo)} AND ${this.param(t.hi)})`
      case 'cidr6':
        return `(${ipv6Hex(x)} BETWEEN ${this.param(t.lo)} AND ${this.param(t.hi)})`
      case 'num': {
        const op = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' }[t.cmp]
        return `TRY_CAST(${x} AS DOUBLE) ${op} ${this.param(t.n)}`
      }
      case 'time':
        return `date_part(${this.param(t.part)}, TRY_CAST(${x} AS TIMESTAMPTZ)) = ${this.param(t.n)}`
      case 'fieldref': {
        const o = this.text(t.other)
        const [a, b] = t.cased ? [x, o] : [`lower(${x})`, `lower(${o})`]
        if (t.how === 'eq') return `${a} = ${b}`
        if (t.how === 'contains') return `contains(${a}, ${b})`
        return t.how === 'startswith' ? `starts_with(${a}, ${b})` : `ends_with(${a}, ${b})`
      }
      case 'not':
        return `NOT coalesce(${this.pred(t.test, x)}, false)`
      case 'expand':
        return this.pred(expandTests(t, this.placeholders), x)
      case 'null':
      case 'exists':
        throw new Error(`${t.t} is a test of the field, not of a value`)
      default: {
        const never: never = t
        throw new Error(`unknown test ${String(never)}`)
      }
    }
  }

  private fieldTest(f: FieldValue, t: ValueTest): string {
    if (t.t === 'null' || t.t === 'exists') {
      const present = [...(f.scalar ? [`${f.scalar} IS NOT NULL`] : []), ...f.lists.map((l) => `len(list_filter(${l}, x -> x IS NOT NULL)) > 0`)]
      const any = present.length ? `(${present.join(' OR ')})` : 'false'
      return t.t === 'exists' && t.want ? any : `NOT ${any}`
    }
    const parts = [...(f.scalar ? [this.pred(t, f.scalar)] : []), ...f.lists.map((l) => `len(list_filter(${l}, x -> ${this.pred(t, 'x')})) > 0`)]
    return parts.length ? `coalesce(${parts.join(' OR ')}, false)` : 'false'
  }

  /** A column guard (columns.ts) as a predicate over the `events` row. */
  guard(g: Guard): string {
    switch (g.k) {
      case 'and':
      case 'or':
        return `(${g.items.map((i) => this.guard(i)).join(g.k === 'and' ? ' AND ' : ' OR ')})`
      case 'like':
        return `${g.column} ${g.cased ? 'LIKE' : 'ILIKE'} ${this.param(g.like)} ESCAPE '\\'`
      case 'flag':
        return `${g.column} = ${g.value ? 'true' : 'false'}`
      case 'text':
        // contains() for a cased fragment; else RE2 with the case folded (ILIKE over the whole text is 10× slower).
        return g.cased ? `contains(raw, ${this.param(g.fragment)})` : `regexp_matches(raw, ${this.param(g.fragment.replace(/\./g, '\\.'))}, 'i')`
      default: {
        const never: never = g
        throw new Error(`unknown guard ${String(never)}`)
      }
    }
  }

  compile(d: Detection): string {
    switch (d.k) {
      case 'and':
        return `(${d.items.map((i) => this.compile(i)).join(' AND ')})`
      case 'or':
        return `(${d.items.map((i) => this.compile(i)).join(' OR ')})`
      case 'not':
        return `(NOT ${this.compile(d.item)})`
      case 'const':
        return d.value ? 'true' : 'false'
      case 'field': {
        const f = this.value(d.field)
        return `(${d.tests.map((t) => this.fieldTest(f, t)).join(d.all ? ' AND ' : ' OR ')})`
      }
      case 'keywords': {
        this.usesRecord = true
        const rec: FieldValue = { scalar: 'rec', lists: [] }
        // Keywords search the whole record's text: a plain word is found anywhere in it.
        const tests = d.tests.map((t) => (t.t === 'glob' && t.exact !== null ? { ...t, like: `%${t.like}%`, exact: null } : t))
        return `(${tests.map((t) => this.fieldTest(rec, t)).join(d.all ? ' AND ' : ' OR ')})`
      }
      default: {
        const never: never = d
        throw new Error(`unknown detection ${String(never)}`)
      }
    }
  }
}

export type FieldTest = Extract<Detection, { k: 'field' }>

/**
 * A condition every record a detection matches meets, built from its field tests (`field` gives one for a test, or
 * null): an `and` combines what its items give, an `or` needs one from each item; negations, keywords and constants
 * give none. Null when there is none.
 */
export const necessary = <T>(d: Detection, field: (f: FieldTest) => T | null, and: (xs: T[]) => T, or: (xs: T[]) => T): T | null => {
  switch (d.k) {
    case 'field':
      return field(d)
    case 'and': {
      const kept = d.items.map((i) => necessary(i, field, and, or)).filter((x): x is T => x !== null)
      return kept.length ? and(kept) : null
    }
    case 'or': {
      const all = d.items.map((i) => necessary(i, field, and, or))
      return all.every((x) => x !== null) ? or(all as T[]) : null
    }
    case 'not':
    case 'keywords':
    case 'const':
      return null
    default: {
      const never: never = d
      throw new Error(`unknown detection ${String(never)}`)
    }
  }
}

/** The `source_type` patterns of an event-type pattern: the value alone, or after a `prefix:` (`Exchange:New-InboxRule`). */
export const typeLikes = (like: string): string[] => [like, `%:${like}`]

/**
 * LIKE patterns of the event types a detection can only match, for the source's `source_type` column (the
 * value alone or after a `prefix:`), or null when the detection does not pin the type. Of an `and`, the shortest list.
 */
export const typePins = (d: Detection, source: SigmaSource): string[] | null =>
  necessary(
    d,
    (f) => {
      if (f.all || !TYPE_FIELDS[source].includes(f.field.toLowerCase())) return null
      const out: string[] = []
      const take = (t: ValueTest): boolean => {
        if (t.t === 'glob') return out.push(...typeLikes(t.like)) > 0
        if (t.t === 'any') return t.tests.every(take)
        return false
      }
      return f.tests.every(take) && out.length ? out : null
    },
    (xs) => xs.reduce((a, b) => (b.length < a.length ? b : a)),
    (xs) => xs.flat()
  )
