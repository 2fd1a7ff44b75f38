import { log } from '../../log'
import type { Sql } from '../../store/case-db'
import { severityRank } from '../../policies/policies'
import { Compiler, typePins } from './compile'
import { runCorrelations } from './correlation'
import { columnTwins, type Guard, type Twin } from './columns'
import { indexRecords, type FieldIndex } from './fields'
import { likeRegex } from './wildcards'
import { rowGuard, textFragments } from './text-guard'
import { casePlaceholders, type Placeholders } from './placeholders'
import type { RuleSet } from './load'
import { RuleProblem, type DetectionRule, type LoadedRule, type RuleCheck, type SigmaSource } from './types'

/** A rule as analysis ran it: its number in `sigma_rules` and whether it applied to this case. */
export interface RuleRun {
  ruleNo: number
  rule: LoadedRule
  status: RuleCheck['status']
  reason: string | null
}

/** Rules referenced by a correlation report only through it, unless the correlation says `generate`. */
const referenced = (rules: LoadedRule[]): Set<string> => {
  const out = new Set<string>()
  for (const r of rules) if (r.kind === 'correlation' && !r.generate) for (const ref of r.rules) out.add(ref)
  return out
}

/** A JSON merge patch setting each dotted path to null: merged into an object, it takes those fields out. */
const nullPatch = (paths: string[]): Record<string, unknown> => {
  const patch: Record<string, unknown> = {}
  for (const path of paths) {
    const keys = path.split('.')
    let at = patch
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>
    at[keys[keys.length - 1]] = null
  }
  return patch
}

/** The case's event types that one of the patterns matches. */
export const matchingTypes = (pins: string[], types: string[]): string[] => {
  const res = [...new Set(pins)].map(likeRegex)
  return types.filter((t) => res.some((r) => r.test(t)))
}

/**
 * One matching statement for rules of one source: the candidate rows read once, every record parsed once for
 * all the paths the rules read, every rule tested. A rule pinned to event types (`types`, the case's own types
 * its patterns match) is tested only on rows of those types, and a rule with a column guard only on the rows the
 * guard selects; when every rule is pinned or guarded, only those rows are read.
 */
export const groupStatement = (source: SigmaSource, index: FieldIndex, group: Candidate[], tag: string, placeholders?: Placeholders) => {
  const c = new Compiler(index, source, `${tag}_`, placeholders)
  const cases: string[] = []
  const tests: string[] = []
  const compiled: RuleRun[] = []
  // An IN list of parameters: constant per statement (a from_json of the list was parsed again on every row).
  const typeIn = (types: string[]) => (types.length ? `source_type IN (${types.map((t) => c.param(t)).join(', ')})` : 'false')
  const everyRow = group.some((g) => g.types === null && g.guard === null)
  const pinned = new Set<string>()
  const limited: string[] = []
  for (const { run, types, guard } of group) {
    const rule = run.rule as DetectionRule
    try {
      const pred = c.compile(rule.detection)
      // The values of the rule's `fields`, each quoted once: a rule may name one value twice (an Entra field at the
      // root and under properties, which the root name already reads). A value is quoted on one line and at most
      // INDICATOR_CHARS long (a policy document or a pretty-printed role definition is evidence, not a title).
      const texts = indicatorTexts(c, rule)
      const quoted = `list_transform([${texts.join(', ')}], lambda x: ${shortened('x')})`
      // The quoted list is bound once too (q): read again inside the filter's lambda, it was worked out again for every
      // value (a rule quoting eight fields shortened 200 values a match; 12 of 14 s of a dense M365 case's rules).
      const ind = texts.length
        ? `list_transform([${quoted}], lambda q: nullif(array_to_string(list_filter(q, lambda x, i: x IS NOT NULL AND list_position(q, x) = i), ', '), ''))[1]`
        : 'CAST(NULL AS VARCHAR)'
      // A type list also spares the other rows the rule's tests; a column guard only narrows the rows read (the
      // rule's own tests imply it).
      const typeTest = types && (everyRow || group.length > 1) ? `${typeIn(types)} AND ` : ''
      cases.push(`CASE WHEN ${typeTest}${pred} THEN {'r': ${c.param(run.ruleNo)}::INTEGER, 'i': ${ind}} END`)
      tests.push(`(${typeTest}${pred})`)
      compiled.push(run)
      // The rows the rule may match: its types (pooled with the other rules' in one IN list) and its guard.
      if (!everyRow) {
        if (guard) limited.push(types ? `(${typeIn(types)} AND ${c.guard(guard)})` : c.guard(guard))
        else for (const t of types ?? []) pinned.add(t)
      }
    } catch (err) {
      if (!(err instanceof RuleProblem)) throw err
      run.status = err.status
      run.reason = err.message
    }
  }
  if (!cases.length) return null
  // The rows some rule may match: the pinned types in one IN list, then each guard.
  // (Parameters are bound by name: one made for a text left out of the statement fails it.)
  const limits = everyRow ? [] : [...(pinned.size ? [typeIn([...pinned])] : []), ...limited]
  const where = everyRow ? '' : ` AND (${limits.length ? limits.join(' OR ') : 'false'})`
  const rec = index.wrappers.length
    ? `coalesce(${index.wrappers
        .map(
          (w) =>
            `json_extract_string(raw, ${c.param(
              `$${w
                .split('.')
                .map((k) => `."${k}"`)
                .join('')}`
            )})`
        )
        .join(', ')}, raw)`
    : 'raw'
  // The record's text and its extracted values come out of UNNEST operators, so they are columns: a computed
  // column of a subquery is otherwise inlined into every expression that reads it, and each rule reading `v[i]`
  // parsed the record again (measured: five tests, 4× the CPU of one). Which rules matched is worked out only
  // for the rows some rule matched (few): a list of structs for every row costs.
  const recCol = rec === 'raw' ? 'raw AS rec' : `unnest([${rec}]) AS rec`
  const values = c.heads.length ? `, unnest([json_extract_string(rec, [${c.heads.map((h) => c.param(h)).join(', ')}])]) AS v` : ''
  const sql = `INSERT INTO rule_hits
SELECT eid, h.r, h.i FROM (
  SELECT eid, unnest(list_filter([${cases.join(',\n    ')}], h -> h IS NOT NULL)) AS h
  FROM (SELECT eid, source_type, rec${values} FROM (SELECT rowid AS eid, source_type, ${recCol} FROM events WHERE source = ${c.param(source)}${where}))
  WHERE ${tests.join('\n     OR ')}
)`
  return { sql, params: c.params, compiled, paths: c.heads.length }
}

const typeOnly = (g: Guard): boolean => (g.k === 'and' || g.k === 'or' ? g.items.every(typeOnly) : g.k === 'like' && g.column === 'source_type')

/** Fragments of record text one statement may scan for (text-guard.ts): each costs about a tenth of a parse. */
const MAX_TEXT_SCANS = 4

/**
 * Keeps the text guards worth their scans. A pinned rule's fragments are looked for only in its types' rows, which
 * would be parsed without them; an unpinned rule's in every row of the source, so past MAX_TEXT_SCANS of those, one
 * parse of every record costs less than the scans.
 */
export const affordScans = (group: Candidate[]): void => {
  for (const g of group) if (g.types && textFragments(g.guard).length > MAX_TEXT_SCANS) g.guard = null
  const unpinned = group.filter((g) => g.types === null)
  if (new Set(unpinned.flatMap((g) => textFragments(g.guard))).size > MAX_TEXT_SCANS)
    for (const g of unpinned) if (textFragments(g.guard).length) g.guard = null
}

/**
 * What a rule's finding quotes of a record: each of its `fields`, or what `afterlogin.indicators` extracts of the
 * field (each match's first group, once, joined by blanks; the whole value when nothing matches), then the extracts
 * of fields not among `fields`.
 */
const indicatorTexts = (c: Compiler, rule: DetectionRule): string[] => {
  const { fields, extracts } = rule.meta
  // The field's text is read once and named `t` in a lambda: written out once per extract (and again for the
  // fall-back), DuckDB planned every copy, seconds for a source's statement.
  const extracted = (field: string, whole: boolean) => {
    const res = extracts.filter((e) => e.field === field).map((e) => `regexp_extract_all(t, ${c.param(e.extract)}, 1)`)
    if (!res.length) return null
    // Each match once, sorted.
    const found = `nullif(array_to_string(list_sort(list_distinct(flatten([${res.join(', ')}]))), ' '), '')`
    return `list_transform([${c.text(field)}], t -> ${whole ? `coalesce(${found}, t)` : found})[1]`
  }
  const rest = [...new Set(extracts.map((e) => e.field))].filter((f) => !fields.includes(f))
  // A field whose extracts match nothing in a record is quoted whole, as without them.
  return [...fields.map((f) => extracted(f, true) ?? c.quoted(f)), ...rest.map((f) => extracted(f, false)!)]
}

/** How long one quoted value of a rule's `fields` may be in a finding. */
export const INDICATOR_CHARS = 200

/** A value as a finding quotes it: blanks and line breaks collapsed to one space, cut at INDICATOR_CHARS with "…". */
const shortened = (x: string): string =>
  // The collapsed text is bound once (a one-element list's lambda): written out three times, DuckDB ran the
  // regex three times over every value quoted.
  `list_transform([trim(regexp_replace(${x}, '\\s+', ' ', 'g'))], lambda y: CASE WHEN length(y) > ${INDICATOR_CHARS} THEN left(y, ${INDICATOR_CHARS - 1}) || '…' ELSE nullif(y, '') END)[1]`

/** A rule of one source as a statement takes it: its event types (pinned) or its column guard, else neither. */
export interface Candidate {
  run: RuleRun
  types: string[] | null
  guard: Guard | null
}

/**
 * A detection rule as a candidate: the event types its pins match (`typesOf`: the case's own types), and the guard
 * it has (text-guard.ts rowGuard: columns, else fragments of the record's text).
 */
export const candidateOf = (
  run: RuleRun,
  source: SigmaSource,
  index: FieldIndex,
  typesOf: (pins: string[]) => string[],
  twins?: Map<string, Twin>
): Candidate => {
  const detection = (run.rule as DetectionRule).detection
  const pins = typePins(detection, source)
  const guard = rowGuard(detection, source, index, twins ?? columnTwins(source))
  // A pinned rule's guard on the event type alone says no more than its pins.
  return { run, types: pins && typesOf(pins), guard: pins && guard && typeOnly(guard) ? null : guard }
}

/** One group's statement; when DuckDB refuses it (a regex RE2 cannot read …), its rules one at a time. */
const runGroup = async (sql: Sql, source: SigmaSource, index: FieldIndex, group: Candidate[], tag: () => string, placeholders: Placeholders): Promise<void> => {
  const stmt = groupStatement(source, index, group, tag(), placeholders)
  if (!stmt) return
  try {
    const t = performance.now()
    await sql.execCompiled(`sigma.rules (${source}, ${stmt.compiled.length})`, stmt.sql, stmt.params)
    if (process.env.AFTERLOGIN_ANALYZE_TRACE)
      log.info(`sigma: ${source}, ${stmt.compiled.length} rules, ${stmt.paths} paths: ${Math.round(performance.now() - t)} ms`)
  } catch (err) {
    // One rule DuckDB refuses must not take the others down.
    log.warn(`sigma: ${source} rules failed together (${(err as Error).message.split('\n')[0]}); running them one at a time`)
    for (const g of group) {
      const one = groupStatement(source, index, [g], tag(), placeholders)
      if (!one) continue
      try {
        await sql.execCompiled(`sigma.rule ${g.run.rule.meta.id}`, one.sql, one.params)
      } catch (e) {
        g.run.status = 'error'
        g.run.reason = `DuckDB refused the compiled rule: ${(e as Error).message.split('\n')[0]}`
      }
    }
  }
}

/**
 * Runs every applicable rule over the case's events (placeholders filled from the case, `internalDomains` added to its
 * own domains) into `rule_hits` (eid, rule_no, indicators), then
 * `rule_matches` (what findings are made of) and `event_rules`. One statement per source (reading only the rows
 * the rules' event types and column guards select, when each rule has one), parsing a candidate record once for
 * all the paths its rules read.
 */
export const runSigma = async (sql: Sql, set: RuleSet, opts: { internalDomains?: string[] } = {}): Promise<RuleRun[]> => {
  // Each source the case holds, with its number of events (the field-shape samples are spread by it).
  const rowsOf = new Map((await sql.many<{ source: string; n: number }>('sigma.present-sources')).map((r) => [r.source, Number(r.n)]))
  const runs: RuleRun[] = set.rules.map((rule, i) => ({ ruleNo: i + 1, rule, status: 'ok', reason: null }))
  const refs = referenced(set.rules)
  for (const run of runs) {
    if (run.rule.kind === 'detection' && !rowsOf.has(run.rule.source)) {
      run.status = 'not_applicable'
      run.reason = `no ${run.rule.source} events in this case`
    }
  }
  await sql.exec('sigma.hits-table')
  // Read only when a rule that applies to the case uses one.
  const placeholders = await casePlaceholders(
    sql,
    runs.filter((r) => r.status === 'ok').map((r) => r.rule),
    opts.internalDomains
  )
  const bySource = new Map<SigmaSource, RuleRun[]>()
  for (const run of runs) {
    if (run.rule.kind !== 'detection' || run.status !== 'ok') continue
    bySource.set(run.rule.source, [...(bySource.get(run.rule.source) ?? []), run])
  }
  let tag = 0
  for (const [source, list] of bySource) {
    // Runs of 20 neighbouring records, about 100 of them over the source (sigma.samples).
    const period = 20 * Math.max(1, Math.floor((rowsOf.get(source) ?? 0) / 2000))
    const samples = await sql.many<{ raw: string }>('sigma.samples', { source, period })
    const index = indexRecords(samples.map((s) => s.raw))
    const present = (await sql.many<{ t: string }>('sigma.source-types', { source })).map((r) => r.t)
    // A rule pinned to event types the case does not hold cannot match: it is not run at all. The others run in
    // one statement, so each record of the source is parsed at most once: only the rows the pins and guards select
    // when every rule has one, else every row (splitting off those rules measured no faster: the pinned types are
    // common ones, and their rows were parsed twice).
    const twins = columnTwins(source)
    const group = list
      .map((run) => candidateOf(run, source, index, (pins) => matchingTypes(pins, present), twins))
      .filter((g) => g.types === null || g.types.length > 0)
    affordScans(group)
    if (group.length) await runGroup(sql, source, index, group, () => `s${++tag}`, placeholders)
  }
  await runCorrelations(sql, runs)
  const rows = runs.map((r) => {
    const m = r.rule.meta
    return {
      rule_no: r.ruleNo,
      id: m.id,
      title: m.title,
      path: m.path,
      kind: r.rule.kind,
      source: r.rule.kind === 'detection' ? r.rule.source : null,
      status: r.status,
      reason: r.reason,
      level: m.level,
      severity: m.severity,
      sev_rank: severityRank(m.severity),
      category: m.category,
      attack: m.attack,
      owasp_nhi: m.owaspNhi,
      break_glass: m.breakGlass,
      routine: m.routine,
      everyday: m.everyday,
      verdict: m.verdict,
      corroborated: m.corroborated,
      handoff: m.handoff,
      allow_list: m.allowList,
      at_least: m.atLeast,
      withdraws_rules: m.withdraws?.rules ?? [],
      withdraws_fields: m.withdraws?.fields ?? [],
      narrows_lists: (m.narrows?.lists ?? []).map((p) => `$.${p}`),
      // The JSON merge patch that takes the lists and the ignored fields out of the object: what must stay the same.
      narrows_patch: m.narrows ? JSON.stringify(nullPatch([...m.narrows.lists, ...m.narrows.ignore])) : null,
      reported: r.status === 'ok' && !refs.has(m.id) && !(m.name !== null && refs.has(m.name)),
      description: m.description,
      references: m.references,
      falsepositives: m.falsepositives,
      author: m.author,
      rule_status: m.status,
      fields: m.fields
    }
  })
  // Files and documents that did not load are listed too (Settings shows them with their reason).
  const failed = set.checks
    .filter((c) => c.status !== 'ok')
    .map((c, i) => ({
      rule_no: -(i + 1),
      id: c.id,
      title: c.title,
      path: c.path,
      kind: c.kind,
      source: c.source,
      status: c.status,
      reason: c.reason,
      level: null,
      severity: c.level,
      reported: false
    }))
  await sql.exec('sigma.rules', { rules: JSON.stringify([...rows, ...failed]) })
  await sql.exec('sigma.matches')
  await sql.exec('sigma.event-rules')
  return runs
}
