import type { IdentityType, RecommendedResponse } from '../../contract/sessions'
import { severityRank, type ResponsePolicy, type SeverityName } from '../policies/policies'

/** One finding category of a chain (the first step of analyze.chain-scores aggregates findings the same way). */
export interface ScoreInput {
  chain_id: string
  identity_type: string
  kind: 'action' | 'anomaly'
  category: string
  sev_rank: number
  count: number
  title: string
  /** Some finding of the category happened at or after the chain's pivot (weighed by policy.afterPivotFactor). */
  after_pivot?: boolean
  /** A rule behind a finding of the category marks it break-glass (`afterlogin.breakGlass`), whatever the category. */
  break_glass?: boolean
  /** Not weighed; the finding's own detail stays on the finding. */
  detail?: string | null
}

export interface ChainScore {
  id: string
  risk: number
  response: RecommendedResponse
  reasons: string[]
}

const SEVERITY_NAMES: SeverityName[] = ['info', 'low', 'medium', 'high', 'critical']
const RESPONSE_ORDER: RecommendedResponse[] = ['none', 'monitor', 'step-up', 'revoke-tokens', 'terminate-session']
const stronger = (a: RecommendedResponse, b: RecommendedResponse) => (RESPONSE_ORDER.indexOf(a) >= RESPONSE_ORDER.indexOf(b) ? a : b)

/** Categories named once each, in code-unit order (the order DuckDB sorts them in analyze.chain-scores). */
const distinct = (rows: ScoreInput[]): string => [...new Set(rows.map((r) => r.category))].sort().join(', ')

const asType = (t: string): IdentityType => (t === 'human' || t === 'service' || t === 'agent' ? t : 'unknown')

/**
 * Risk 0–100 and a recommended response for one chain, with the reasons that produced them. analyzeCase scores
 * in DuckDB (analyze.chain-scores); this is the readable reference that test/unit/detect-score-sql pins it to.
 * Each category counts once, at its worst severity, plus a small bonus for volume, weighed more when it happened
 * after the chain's pivot (the session had changed hands by then); break-glass actions (by category in the policy,
 * or by the rule that raised them)
 * together with a context anomaly (the session itself looks stolen) recommend ending the session.
 */
export const scoreChain = (id: string, rows: ScoreInput[], policy: ResponsePolicy): ChainScore => {
  if (!rows.length) return { id, risk: 0, response: 'none', reasons: [] }
  const type = asType(rows[0].identity_type)
  const parts = rows
    .map((r) => {
      const sev = SEVERITY_NAMES[r.sev_rank] ?? 'info'
      const volume = r.count > 1 ? Math.min(policy.volumeBonus.max, policy.volumeBonus.per10x * Math.log10(r.count)) : 0
      return { r, sev, points: (policy.weights[sev] + volume) * (r.after_pivot ? policy.afterPivotFactor : 1) }
    })
    .sort((a, b) => b.points - a.points || a.r.category.localeCompare(b.r.category) || a.r.kind.localeCompare(b.r.kind))
  const raw = parts.reduce((s, p) => s + p.points, 0) * policy.identityFactor[type]
  const risk = Math.max(0, Math.min(100, Math.round(raw)))
  const reasons = parts.map((p) => `${p.r.category} (${p.sev}, +${Math.round(p.points)}${p.r.after_pivot ? ', after the pivot' : ''}): ${p.r.title}`)

  const present = new Set(rows.map((r) => r.category))
  const minRank = severityRank(policy.breakGlassMinSeverity)
  const breakGlass = rows.filter(
    (r) => r.kind === 'action' && (policy.breakGlass.includes(r.category as never) || r.break_glass === true) && r.sev_rank >= minRank
  )
  const anomalies = rows.filter((r) => r.kind === 'anomaly' && policy.contextAnomalies.includes(r.category as never))

  let response: RecommendedResponse = policy.thresholds.find((t) => risk >= t.min)?.response ?? 'none'
  for (const [anomaly, forced] of Object.entries(policy.always)) {
    if (present.has(anomaly) && forced) {
      response = stronger(response, forced)
      reasons.unshift(`${anomaly} always recommends ${forced}`)
    }
  }
  if (breakGlass.length && anomalies.length) {
    response = stronger(response, policy.breakGlassWithAnomaly)
    reasons.unshift(`break-glass ${distinct(breakGlass)} with context anomaly ${distinct(anomalies)} → ${policy.breakGlassWithAnomaly}`)
  }
  const mapped = policy.byIdentityType[type]?.[response]
  if (mapped && mapped !== response) {
    reasons.push(`${response} does not apply to a ${type} identity → ${mapped}`)
    response = mapped
  }
  return { id, risk, response, reasons }
}

export const scoreChains = (rows: ScoreInput[], policy: ResponsePolicy): ChainScore[] => {
  const byChain = new Map<string, ScoreInput[]>()
  for (const r of rows) {
    const list = byChain.get(r.chain_id)
    if (list) list.push(r)
    else byChain.set(r.chain_id, [r])
  }
  return [...byChain].map(([id, list]) => scoreChain(id, list, policy))
}

/**
 * The response policy as the `$params` of analyze.chain-scores, which scores every chain in DuckDB by the rules of
 * scoreChain: numbers bound as they are (no decimal text in between), lists and maps as JSON in the policy's order.
 */
export const scoreParams = (policy: ResponsePolicy) => ({
  w_info: policy.weights.info,
  w_low: policy.weights.low,
  w_medium: policy.weights.medium,
  w_high: policy.weights.high,
  w_critical: policy.weights.critical,
  volume_max: policy.volumeBonus.max,
  volume_per10x: policy.volumeBonus.per10x,
  f_human: policy.identityFactor.human,
  f_service: policy.identityFactor.service,
  f_agent: policy.identityFactor.agent,
  f_unknown: policy.identityFactor.unknown,
  after_pivot_factor: policy.afterPivotFactor,
  break_glass: JSON.stringify(policy.breakGlass),
  break_glass_min: severityRank(policy.breakGlassMinSeverity),
  context_anomalies: JSON.stringify(policy.contextAnomalies),
  glass_response: policy.breakGlassWithAnomaly,
  thresholds: JSON.stringify(policy.thresholds),
  always: JSON.stringify(Object.entries(policy.always).flatMap(([anomaly, response]) => (response ? [{ anomaly, response }] : []))),
  by_type: JSON.stringify(
    Object.entries(policy.byIdentityType).flatMap(([type, map]) => Object.entries(map ?? {}).flatMap(([from, to]) => (to ? [{ type, from, to }] : [])))
  )
})
