import type { Sql } from '../../store/case-db'
import { Compiler } from './compile'
import { indexRecords } from './fields'
import type { RuleRun } from './run'
import type { CorrelationRule, SigmaSource } from './types'

interface Hit {
  eid: number
  rule_no: number
  t: number
  g: string
  val: string | null
}

const holds = (c: CorrelationRule['condition'], n: number): boolean =>
  (c.gt === undefined || n > c.gt) &&
  (c.gte === undefined || n >= c.gte) &&
  (c.lt === undefined || n < c.lt) &&
  (c.lte === undefined || n <= c.lte) &&
  (c.eq === undefined || n === c.eq) &&
  (c.neq === undefined || n !== c.neq)

const bounded = (c: CorrelationRule['condition']): boolean => ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'].some((k) => c[k as 'gt'] !== undefined)

/** The events of one group (time order) that make the correlation hold, each window's events marked. */
export const correlate = (rule: CorrelationRule, order: number[], hits: Hit[]): Set<number> => {
  const marked = new Set<number>()
  const span = rule.timespanSeconds
  if (rule.type === 'temporal_ordered') {
    for (let i = 0; i < hits.length; i++) {
      if (hits[i].rule_no !== order[0]) continue
      const chain = [hits[i]]
      let j = i + 1
      for (let step = 1; step < order.length; step++) {
        while (j < hits.length && hits[j].t <= hits[i].t + span && hits[j].rule_no !== order[step]) j++
        if (j >= hits.length || hits[j].t > hits[i].t + span) break
        chain.push(hits[j++])
      }
      if (chain.length === order.length) for (const h of chain) marked.add(h.eid)
    }
    return marked
  }
  // Sliding windows [t_i, t_i + span]: counts of events, distinct values or distinct rules in each, or the sum and
  // the mean of the numeric values of the field (a value that is not a number is left out of both).
  const counts = new Map<string, number>()
  const key = (h: Hit): string | null => (rule.type === 'value_count' ? h.val : rule.type === 'temporal' ? String(h.rule_no) : String(h.eid))
  const numeric = rule.type === 'value_sum' || rule.type === 'value_avg'
  const num = (h: Hit): number | null => (h.val !== null && h.val.trim() !== '' && Number.isFinite(Number(h.val)) ? Number(h.val) : null)
  let sum = 0
  let nums = 0
  let end = 0
  for (let i = 0; i < hits.length; i++) {
    while (end < hits.length && hits[end].t <= hits[i].t + span) {
      const h = hits[end++]
      const v = num(h)
      if (v !== null) [sum, nums] = [sum + v, nums + 1]
      const k = key(h)
      if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1)
    }
    const n = !numeric ? counts.size : rule.type === 'value_sum' ? sum : sum / nums
    const ok = rule.type === 'temporal' && !bounded(rule.condition) ? n >= order.length : (!numeric || nums > 0) && holds(rule.condition, n)
    if (ok) for (let x = i; x < end; x++) marked.add(hits[x].eid)
    const v = num(hits[i])
    if (v !== null) [sum, nums] = [sum - v, nums - 1]
    const k = key(hits[i])
    if (k !== null) {
      const left = (counts.get(k) ?? 1) - 1
      if (left) counts.set(k, left)
      else counts.delete(k)
    }
  }
  return marked
}

const refersTo = (run: RuleRun, ref: string): boolean => run.rule.meta.id === ref || run.rule.meta.name === ref

/**
 * Evaluates correlation rules over the matches of the rules they name (in dependency order, so that a
 * correlation can name another), writing their own matches into `rule_hits`. Group-by and value fields are
 * read from the matched records (aliases per rule name); a correlation whose rules are not all loaded is an error.
 */
export const runCorrelations = async (sql: Sql, runs: RuleRun[]): Promise<void> => {
  const pending = runs.filter((r) => r.rule.kind === 'correlation')
  const done = new Set<number>()
  for (let pass = 0; pass <= pending.length && pending.some((r) => !done.has(r.ruleNo)); pass++) {
    for (const run of pending) {
      if (done.has(run.ruleNo)) continue
      const rule = run.rule as CorrelationRule
      const refs = rule.rules.map((ref) => runs.find((r) => refersTo(r, ref)))
      const missing = rule.rules.filter((_, i) => !refs[i])
      if (missing.length) {
        run.status = 'error'
        run.reason = `correlation names rules that are not loaded: ${missing.join(', ')}`
        done.add(run.ruleNo)
        continue
      }
      if (refs.some((r) => r!.rule.kind === 'correlation' && !done.has(r!.ruleNo))) continue
      done.add(run.ruleNo)
      const usable = refs.filter((r) => r!.status === 'ok') as RuleRun[]
      if (usable.length < refs.length) {
        run.status = 'not_applicable'
        run.reason = `its rules do not apply to this case: ${refs
          .filter((r) => r!.status !== 'ok')
          .map((r) => r!.rule.meta.title)
          .join(', ')}`
        continue
      }
      await correlateOne(sql, run, rule, usable)
    }
  }
}

const correlateOne = async (sql: Sql, run: RuleRun, rule: CorrelationRule, refs: RuleRun[]): Promise<void> => {
  const order = refs.map((r) => r.ruleNo)
  const base = await sql.many<{ eid: number; rule_no: number; t: number }>('sigma.correlation-hits', { rules: JSON.stringify(order) })
  if (!base.length) return
  const fieldFor = (ref: RuleRun, field: string): string => {
    const alias = rule.aliases[field]
    return (alias && ref.rule.meta.name && alias[ref.rule.meta.name]) || field
  }
  // Group and value fields are read from the matched records, per rule (aliases may name other fields).
  const samples = await sql.many<{ raw: string }>('sigma.correlation-samples', { eids: JSON.stringify(base.slice(0, 50).map((b) => b.eid)) })
  const index = indexRecords(samples.map((r) => String(r.raw)))
  const source: SigmaSource = refs[0].rule.kind === 'detection' ? refs[0].rule.source : 'generic'
  const c = new Compiler(index, source, 'c_')
  const caseOf = (f: (ref: RuleRun) => string | null): string =>
    `CASE ${refs
      .map((ref) => {
        const field = f(ref)
        return `WHEN h.rule_no = ${c.param(ref.ruleNo)} THEN ${field === null ? 'NULL' : `CAST(${c.text(field)} AS VARCHAR)`}`
      })
      .join(' ')} END`
  const group = rule.groupBy.length ? `concat_ws(chr(31), ${rule.groupBy.map((g) => `coalesce(${caseOf((ref) => fieldFor(ref, g))}, '')`).join(', ')})` : `''`
  const value = rule.condition.field ? caseOf((ref) => fieldFor(ref, rule.condition.field!)) : 'NULL'
  const heads = c.heads.length ? `json_extract_string(raw, [${c.heads.map((h) => c.param(h)).join(', ')}])` : 'CAST([] AS VARCHAR[])'
  const text = `SELECT eid, rule_no, t, ${group} AS g, ${value} AS val FROM (
  SELECT h.eid, h.rule_no, epoch(e.time) AS t, ${heads} AS v, e.raw AS rec
  FROM rule_hits h JOIN events e ON e.rowid = h.eid WHERE list_contains(from_json(${c.param(JSON.stringify(order))}::JSON, '["INTEGER"]'), h.rule_no)
) h ORDER BY g, t, eid`
  const rows = (await sql.manyCompiled<Record<string, unknown>>(`sigma.correlation ${rule.meta.id}`, text, c.params)).map((r): Hit => ({
    eid: Number(r.eid),
    rule_no: Number(r.rule_no),
    t: Number(r.t),
    g: String(r.g),
    val: r.val === null ? null : String(r.val)
  }))
  const out: { eid: number; rule_no: number; ind: string | null }[] = []
  for (let i = 0; i < rows.length;) {
    let j = i
    while (j < rows.length && rows[j].g === rows[i].g) j++
    const marked = correlate(rule, order, rows.slice(i, j))
    const label = rule.groupBy.length ? rows[i].g.split('\u001f').join(', ') : null
    for (const eid of marked) out.push({ eid, rule_no: run.ruleNo, ind: label })
    i = j
  }
  if (out.length) await sql.exec('sigma.insert-hits', { rows: JSON.stringify(out) })
}
