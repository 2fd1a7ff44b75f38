import type { Sql } from '../store/case-db'
import { severityRank, type RiskyActions } from '../policies/policies'

type AnomalyMeta = RiskyActions['anomalies'][keyof RiskyActions['anomalies']]
/** Runs one named step and records its duration (analyzeCase's `time`). */
export type Timer = <T>(name: string, work: () => Promise<T>) => Promise<T>

const meta = (m: AnomalyMeta) => ({
  severity: m.severity,
  sev_rank: severityRank(m.severity),
  title: m.title,
  attack: JSON.stringify(m.attack),
  nhi: m.owaspNhi
})

/**
 * The part of the detectors that needs only `ev`, `identities` and the dictionaries (travel hops, read
 * bursts), run on `sql` (whose connection must then run the detectors too) while sessions and links are
 * still being built.
 */
export const prepareDetectors = async (sql: Sql, catalog: RiskyActions): Promise<void> => {
  const t = catalog.anomalies.impossible_travel
  const m = catalog.massAccess
  await sql.run('detect.travel-hops', { speed: t.speedKmh, min_km: t.minDistanceKm })
  await sql.run('detect.net-hops', { speed: t.speedKmh, min_km: t.minDistanceKm })
  await sql.run('detect.mass-access-hot', {
    window_min: m.windowMinutes,
    multiplier: m.multiplier,
    min_agent: m.minimum.agent,
    min_service: m.minimum.service,
    min_human: m.minimum.human,
    min_unknown: m.minimum.unknown
  })
}

/**
 * Builds `findings_raw` and `finding_events` from `ev`: catalog matches first, then each anomaly detector.
 * Needs `sessions` and `identities`, not the links: analyzeCase runs it on its second connection while links
 * and chains are still being built, and `findings` (with each finding's chain) comes after, from
 * finishFindings. `time` records each step's duration. `sql` must have run prepareDetectors.
 */
export const runDetectors = async (sql: Sql, catalog: RiskyActions, time: Timer): Promise<void> => {
  const a = catalog.anomalies
  const m = catalog.massAccess
  await time('detect.catalog', () => sql.run('detect.catalog'))
  await time('detect.catalog-events', async () => {
    await sql.run('detect.catalog-events')
    await sql.run('detect.catalog-rules')
  })
  const window = { window_min: m.windowMinutes }
  const hops = { max_hops: a.impossible_travel.maxHopsPerSession }
  await time('detect.impossible-travel', () => sql.run('detect.impossible-travel', { ...meta(a.impossible_travel), ...hops }))
  await time('detect.device-change', () => sql.run('detect.device-change', meta(a.device_change)))
  await time('detect.ip-change', () => sql.run('detect.ip-change', { ...meta(a.ip_change), ...hops }))
  await time('detect.context-changes', async () => {
    await sql.run('detect.context-changes')
    await sql.run('detect.drop-travel-hops')
    await sql.run('detect.drop-net-hops')
  })
  await time('detect.post-revocation', () => sql.run('detect.post-revocation', meta(a.post_revocation)))
  await time('detect.unusual-admin', () => sql.run('detect.unusual-admin', { ...meta(a.unusual_admin), baseline_hours: a.unusual_admin.baselineHours }))
  await time('detect.mass-access', async () => {
    await sql.run('detect.mass-access', { ...meta(a.mass_access), ...window })
    await sql.run('detect.mass-access-events', window)
  })
  await time('detect.interactive-login', () => sql.run('detect.interactive-login', meta(a.interactive_login)))
  await time('detect.mass-access-ids', () => sql.run('detect.mass-access-ids'))
  await time('detect.anomaly-events', () => sql.run('detect.anomaly-events'))
}

/** Writes the pivots, then `findings` from `findings_raw`, each finding with its chain: once `chain_sessions` exists. */
export const finishFindings = async (sql: Sql, time: Timer): Promise<void> => {
  await time('detect.pivots', async () => {
    await sql.run('detect.pivots')
    await sql.run('detect.chain-pivots')
  })
  await time('detect.event-ids', async () => {
    await sql.run('detect.event-ids')
    await sql.run('detect.orphan-events')
  })
}
