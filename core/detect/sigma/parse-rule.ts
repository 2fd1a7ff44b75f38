import { LineCounter, parseAllDocuments, isMap as isYamlMap, type Document } from 'yaml'
import { CATEGORIES, type SeverityName } from '../../policies/policies'
import { parseDetection, type LineOf } from './detection'
import { describeLogsource, sourceOf, type Logsource } from './logsource'
import { RuleProblem, type CorrelationRule, type CorrelationType, type FilterRule, type LoadedRule, type RuleCheck, type RuleMeta } from './types'

const LEVELS: Record<string, SeverityName> = { informational: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical' }
const CORRELATIONS: CorrelationType[] = ['event_count', 'value_count', 'value_sum', 'value_avg', 'temporal', 'temporal_ordered']
/** The categories a rule may name: the product's own, but not the detectors' (mass access is counted, not matched). */
const AFTERLOGIN_CATEGORIES = new Set<string>(CATEGORIES.filter((c) => c !== 'mass_access'))

/** A parsed file: the rules it holds and a verdict for each document (ok or why not). */
export interface ParsedFile {
  rules: LoadedRule[]
  filters: FilterRule[]
  checks: RuleCheck[]
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null)
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [])
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

const attackIds = (tags: string[]): string[] =>
  [...new Set(tags.map((t) => /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(t)?.[1]?.toUpperCase()).filter((x): x is string => !!x))].sort()

/**
 * `afterlogin.indicators`: a list of `{field, extract}`, where extract is a regular expression with a group (RE2's
 * syntax: no lookaround or backreferences) whose matches the finding quotes instead of the field's whole value.
 */
const extractsOf = (v: unknown, lineOf: LineOf): RuleMeta['extracts'] => {
  if (v === undefined) return []
  if (!Array.isArray(v)) throw new RuleProblem('error', 'afterlogin.indicators must be a list of {field, extract}', lineOf(['afterlogin', 'indicators']))
  return v.map((item, i) => {
    const at = lineOf(['afterlogin', 'indicators', i])
    const field = isMap(item) ? str(item.field) : null
    const extract = isMap(item) ? str(item.extract) : null
    if (!field || !extract) throw new RuleProblem('error', 'each of afterlogin.indicators needs a field and an extract', at)
    let groups: number
    try {
      groups = new RegExp(`${extract}|`).exec('')!.length - 1
    } catch (err) {
      throw new RuleProblem('error', `afterlogin.indicators extract does not compile: ${(err as Error).message}`, at)
    }
    if (/\(\?[<=!]|\\[1-9]/.test(extract))
      throw new RuleProblem('error', 'afterlogin.indicators extract uses lookaround or a backreference, which DuckDB cannot run', at)
    if (groups < 1) throw new RuleProblem('error', 'afterlogin.indicators extract has no group to quote', at)
    return { field, extract }
  })
}

const metaOf = (doc: Record<string, unknown>, path: string, lineOf: LineOf): RuleMeta => {
  const title = str(doc.title)
  if (!title) throw new RuleProblem('error', 'the rule has no title', lineOf([]))
  const level = str(doc.level)
  if (level !== null && !LEVELS[level.toLowerCase()]) throw new RuleProblem('error', `unknown level "${level}"`, lineOf(['level']))
  const tags = strList(doc.tags)
  const own = isMap(doc.afterlogin) ? doc.afterlogin : {}
  const category = str(own.category) ?? 'rule_match'
  if (!AFTERLOGIN_CATEGORIES.has(category)) throw new RuleProblem('error', `unknown afterlogin.category "${category}"`, lineOf(['afterlogin', 'category']))
  const owaspNhi = str(own.owaspNhi)
  if (owaspNhi !== null && !/^NHI(10|[1-9]):2025$/.test(owaspNhi))
    throw new RuleProblem('error', `afterlogin.owaspNhi "${owaspNhi}" is not an OWASP NHI id like NHI7:2025`, lineOf(['afterlogin', 'owaspNhi']))
  const fields = strList(doc.fields)
  const atLeast = own.atLeast ?? 1
  if (typeof atLeast !== 'number' || !Number.isInteger(atLeast) || atLeast < 1)
    throw new RuleProblem('error', 'afterlogin.atLeast must be a whole number of matches, 1 or more', lineOf(['afterlogin', 'atLeast']))
  const withdraws = withdrawsOf(own.withdraws, lineOf)
  const narrows = narrowsOf(own.narrows, lineOf)
  if (own.routine !== undefined && ![true, false, 'everyday', 'strict'].includes(own.routine as string | boolean))
    throw new RuleProblem('error', 'afterlogin.routine must be true, false, everyday or strict', lineOf(['afterlogin', 'routine']))
  return {
    extracts: extractsOf(own.indicators, lineOf),
    path,
    id: str(doc.id) ?? str(doc.name) ?? `${path}#${title}`,
    name: str(doc.name),
    title,
    status: str(doc.status),
    description: str(doc.description),
    references: strList(doc.references),
    author: str(doc.author),
    date: doc.date instanceof Date ? doc.date.toISOString().slice(0, 10) : str(doc.date),
    tags,
    level: level?.toLowerCase() ?? null,
    severity: LEVELS[level?.toLowerCase() ?? 'medium'],
    falsepositives: strList(doc.falsepositives),
    fields,
    attack: attackIds(tags),
    category,
    owaspNhi,
    breakGlass: own.breakGlass === true,
    // One of the marks checked above: every one but false (or none) makes the rule routine.
    routine: own.routine !== undefined && own.routine !== false,
    everyday: own.routine === 'everyday' ? true : own.routine === 'strict' ? false : null,
    verdict: own.verdict === true,
    corroborated: own.corroborated === true,
    handoff: own.handoff === true,
    allowList: own.allowList === true,
    atLeast,
    withdraws,
    narrows
  }
}

/** `afterlogin.narrows`: `{lists, ignore}`, dotted paths into the object the record gives before and after; lists not empty. */
const narrowsOf = (value: unknown, lineOf: LineOf): RuleMeta['narrows'] => {
  if (value === undefined || value === null) return null
  const lists = isMap(value) ? strList(value.lists) : []
  const ignore = isMap(value) ? strList(value.ignore) : []
  const path = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/
  if (!lists.length || ![...lists, ...ignore].every((p) => path.test(p)))
    throw new RuleProblem(
      'error',
      'afterlogin.narrows must name the lists a change may only take entries off (lists) as dotted paths, and may name fields it ignores (ignore)',
      lineOf(['afterlogin', 'narrows'])
    )
  return { lists, ignore }
}

/** `afterlogin.withdraws`: `{rules, fields}`, each a non-empty list of strings (rule ids; field paths). */
const withdrawsOf = (value: unknown, lineOf: LineOf): RuleMeta['withdraws'] => {
  if (value === undefined || value === null) return null
  const rules = isMap(value) ? strList(value.rules) : []
  const fields = isMap(value) ? strList(value.fields) : []
  if (!rules.length || !fields.length)
    throw new RuleProblem(
      'error',
      'afterlogin.withdraws must name the rules it withdraws (rules) and the fields both records name (fields)',
      lineOf(['afterlogin', 'withdraws'])
    )
  return { rules, fields }
}

const SPAN = /^(\d+)([smhdMy])$/
const SPAN_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, M: 30 * 86400, y: 365 * 86400 }

const correlationOf = (doc: Record<string, unknown>, meta: RuleMeta, lineOf: LineOf): CorrelationRule => {
  const c = doc.correlation
  const at = (k: string) => lineOf(['correlation', k])
  if (!isMap(c)) throw new RuleProblem('error', 'correlation must be a map', lineOf(['correlation']))
  const type = str(c.type) as CorrelationType | null
  if (!type || !CORRELATIONS.includes(type)) {
    // The specification does not say what a percentile's condition compares (the share of a value among all, or of the group).
    if (type && ['value_percentile', 'value_median'].includes(type)) throw new RuleProblem('unsupported', `correlation type ${type}`, at('type'))
    throw new RuleProblem('error', `unknown correlation type "${String(c.type)}"`, at('type'))
  }
  const rules = strList(c.rules)
  if (!rules.length) throw new RuleProblem('error', 'correlation names no rules', at('rules'))
  const span = SPAN.exec(String(c.timespan ?? c.timeframe ?? ''))
  if (!span) throw new RuleProblem('error', 'correlation timespan must look like 30s, 5m, 1h or 2d', at('timespan'))
  const cond = isMap(c.condition) ? c.condition : {}
  const condition: CorrelationRule['condition'] = { field: str(cond.field) }
  for (const k of ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const) {
    if (cond[k] === undefined) continue
    const n = Number(cond[k])
    if (!Number.isFinite(n)) throw new RuleProblem('error', `correlation condition ${k} must be a number`, at('condition'))
    condition[k] = n
  }
  const bounded = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'].some((k) => k in condition)
  if (type !== 'temporal' && type !== 'temporal_ordered' && !bounded)
    throw new RuleProblem('error', `${type} needs a condition such as gte: 10`, at('condition'))
  if (type.startsWith('value_') && !condition.field) throw new RuleProblem('error', `${type} needs condition.field`, at('condition'))
  const aliases: Record<string, Record<string, string>> = {}
  if (isMap(c.aliases))
    for (const [a, m] of Object.entries(c.aliases))
      if (isMap(m)) aliases[a] = Object.fromEntries(Object.entries(m).filter((e): e is [string, string] => typeof e[1] === 'string'))
  return {
    kind: 'correlation',
    meta,
    type,
    rules,
    groupBy: strList(c['group-by']),
    aliases,
    timespanSeconds: Number(span[1]) * SPAN_SECONDS[span[2]],
    condition,
    generate: c.generate === true || doc.generate === true
  }
}

const check = (
  path: string,
  meta: Partial<RuleMeta> | null,
  status: RuleCheck['status'],
  reason: string | null,
  rule: LoadedRule | FilterRule | null
): RuleCheck => ({
  path,
  id: meta?.id ?? null,
  title: meta?.title ?? null,
  status,
  reason,
  source: rule?.kind === 'detection' || rule?.kind === 'filter' ? rule.source : null,
  level: meta?.severity ?? null,
  kind: rule?.kind ?? null
})

/** A global filter's `rules`: `any` (or `all`, or an empty list) for every rule of its logsource, else ids or names. */
const filterRules = (v: unknown, lineOf: LineOf): FilterRule['rules'] => {
  const at = lineOf(['filter', 'rules'])
  if (v === undefined) throw new RuleProblem('error', 'the filter names no rules (`rules: any` applies it to every rule of its logsource)', lineOf(['filter']))
  if (typeof v === 'string') return ['any', 'all'].includes(v.trim().toLowerCase()) ? 'any' : [v.trim()]
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.trim()))
    throw new RuleProblem('error', 'filter rules must be `any`, a rule id or name, or a list of them', at)
  return v.length ? v.map((x: string) => x.trim()) : 'any'
}

const filterOf = (body: Record<string, unknown>, meta: RuleMeta, lineOf: LineOf): FilterRule | null => {
  if (!isMap(body.logsource)) throw new RuleProblem('error', 'the filter has no logsource', lineOf([]))
  const f = body.filter
  if (!isMap(f)) throw new RuleProblem('error', 'filter must be a map', lineOf(['filter']))
  const rules = filterRules(f.rules, lineOf)
  if (typeof f.condition !== 'string')
    throw new RuleProblem('error', 'a filter has one condition, a string', lineOf(['filter', 'condition']) ?? lineOf(['filter']))
  const detection = parseDetection(f, lineOf, 'filter')
  const logsource = body.logsource as Logsource
  const source = sourceOf(logsource)
  return source && { kind: 'filter', meta, source, logsource, rules, detection }
}

const oneDocument = (doc: Document, counter: LineCounter, path: string): { rule: LoadedRule | null; filter?: FilterRule; check: RuleCheck } => {
  const lineOf: LineOf = (p) => {
    const node = p.length ? doc.getIn(p, true) : doc.contents
    const range = (node as { range?: [number, number, number] } | null)?.range
    return range ? counter.linePos(range[0]).line : null
  }
  const first = doc.errors[0]
  if (first) return { rule: null, check: check(path, null, 'error', `line ${first.linePos?.[0].line ?? '?'}: ${first.message.split('\n')[0]}`, null) }
  const body = doc.toJS({ maxAliasCount: 100 }) as unknown
  if (!isMap(body) || !isYamlMap(doc.contents)) return { rule: null, check: check(path, null, 'error', 'line 1: a rule must be a YAML map', null) }
  let meta: RuleMeta | null = null
  try {
    if (body.action === 'global' || body.action === 'reset' || body.action === 'repeat')
      throw new RuleProblem('unsupported', `rule collection with action: ${String(body.action)} (Sigma 1 multi-document templates)`, lineOf(['action']))
    meta = metaOf(body, path, lineOf)
    if ('filter' in body && !('detection' in body)) {
      const filter = filterOf(body, meta, lineOf)
      if (!filter)
        return {
          rule: null,
          check: check(path, meta, 'not_applicable', `logsource ${describeLogsource(body.logsource as Logsource)} maps to no Afterlogin source`, null)
        }
      return { rule: null, filter, check: check(path, meta, 'ok', null, filter) }
    }
    if ('correlation' in body) {
      const rule = correlationOf(body, meta, lineOf)
      return { rule, check: check(path, meta, 'ok', null, rule) }
    }
    if (!isMap(body.logsource)) throw new RuleProblem('error', 'the rule has no logsource', lineOf([]))
    const detection = parseDetection(body.detection, lineOf)
    const source = sourceOf(body.logsource as Logsource)
    if (!source)
      return {
        rule: null,
        check: check(path, meta, 'not_applicable', `logsource ${describeLogsource(body.logsource as Logsource)} maps to no Afterlogin source`, null)
      }
    const rule: LoadedRule = { kind: 'detection', meta, source, logsource: body.logsource as Logsource, detection }
    return { rule, check: check(path, meta, 'ok', null, rule) }
  } catch (err) {
    if (!(err instanceof RuleProblem)) throw err
    return { rule: null, check: check(path, meta, err.status, err.message, null) }
  }
}

/** Every document of one YAML file, each validated on its own: a bad one is reported, the others load. */
export const parseRuleFile = (text: string, path: string): ParsedFile => {
  const counter = new LineCounter()
  const docs = parseAllDocuments(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true })
  const out: ParsedFile = { rules: [], filters: [], checks: [] }
  const list = Array.isArray(docs) ? docs : []
  if (!Array.isArray(docs)) {
    out.checks.push(check(path, null, 'error', 'not a YAML document', null))
    return out
  }
  for (const doc of list) {
    if (doc.contents === null && !doc.errors.length) continue
    const r = oneDocument(doc, counter, path)
    if (r.rule) out.rules.push(r.rule)
    if (r.filter) out.filters.push(r.filter)
    out.checks.push(r.check)
  }
  if (!out.checks.length) out.checks.push(check(path, null, 'error', 'line 1: the file holds no rule', null))
  return out
}
