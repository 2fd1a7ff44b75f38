import type { Sql } from '../store/case-db'
import { severityRank, type RiskyActions } from '../policies/policies'
import { noteRefusals, noteSignInRefusals } from './sigma/refusals'
import { consumerMailDomains } from './sigma/placeholders'

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
  await sql.exec('detect.travel-hops', { speed: t.speedKmh, min_km: t.minDistanceKm })
  await sql.exec('detect.net-hops', { speed: t.speedKmh, min_km: t.minDistanceKm, pause_min: catalog.anomalies.ip_change.sameCountryPauseMinutes })
  await sql.exec('detect.mass-access-hot', {
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
 * finishFindings. `time` records each step's duration. `sql` must have run prepareDetectors. Routine rules' matches
 * from a network the identity used in an earlier session, and allow-list changes that let in only the organisation's
 * egress, are dropped first, and findings that want corroboration and have none last, unless `opts.reportEverywhere`.
 */
export const runDetectors = async (sql: Sql, catalog: RiskyActions, time: Timer, opts: { reportEverywhere?: boolean } = {}): Promise<void> => {
  const a = catalog.anomalies
  const m = catalog.massAccess
  const familiar = { familiar_hours: catalog.familiarNetworkHours }
  await sql.exec('detect.macro-same-network')
  await sql.exec('detect.macro-address-block')
  await sql.exec('detect.macro-severity-name')
  await sql.exec('detect.macro-tried-rank')
  await sql.exec('detect.macro-tried-severity')
  await sql.exec('detect.macro-tried-title')
  await sql.exec('detect.macro-refused')
  await sql.exec('detect.macro-network-name')
  await sql.exec('detect.macro-network-detail')
  await sql.exec('detect.macro-from-networks')
  await sql.exec('detect.macro-apps-named')
  await sql.exec('detect.macro-targets-named')
  await sql.exec('detect.macro-operations-named')
  await sql.exec('detect.macro-gws-param')
  await sql.exec('detect.macro-operation')
  await sql.exec('detect.macro-api-operation')
  await sql.exec('detect.macro-glaring-rule')
  await sql.exec('detect.macro-says-refusals')
  await sql.exec('detect.macro-colleagues')
  await sql.exec('detect.verdict-events')
  await sql.exec('detect.rented-addresses')
  await time('detect.egress', () => sql.exec('detect.egress'))
  await time('detect.withdrawn', () => sql.exec('detect.withdrawn'))
  await time('detect.narrowed', () => sql.exec('detect.narrowed'))
  const routine = {
    ...familiar,
    colleagues: catalog.familiarNetworkColleagues,
    near_minutes: 30,
    handoff_minutes: 30,
    agent_minutes: a.agent_around_action.windowMinutes
  }
  if (!opts.reportEverywhere) {
    await time('detect.routine-familiar', () => sql.exec('detect.routine-familiar', routine))
    await time('detect.allow-list-own', () => sql.exec('detect.allow-list-own', { colleagues: catalog.familiarNetworkColleagues }))
  }
  await time('detect.at-least', () => sql.exec('detect.at-least'))
  // Why each attempt left failed, read from its record once the matches that raise nothing are gone: a case full of
  // mistyped codes from home would otherwise have every one of its records read.
  await time('detect.refusals', () => noteRefusals(sql))
  await time('detect.catalog', async () => {
    await sql.exec('detect.catalog-picks')
    await sql.exec('detect.catalog')
  })
  await time('detect.catalog-events', async () => {
    await sql.exec('detect.catalog-events')
    await sql.exec('detect.catalog-rules')
  })
  await sql.exec('detect.named-events')
  await sql.exec('detect.reported-sign-ins')
  await sql.exec('detect.consents')
  await time('detect.consent-companions', async () => {
    await sql.exec('detect.consent-companions')
    await sql.exec('detect.companion-events')
  })
  const window = { window_min: m.windowMinutes }
  const hops = { max_hops: a.impossible_travel.maxHopsPerSession }
  await time('detect.hop-sides', () => sql.exec('detect.hop-sides'))
  await time('detect.impossible-travel', () => sql.exec('detect.impossible-travel', { ...meta(a.impossible_travel), ...hops }))
  await time('detect.device-change', () => sql.exec('detect.device-change', meta(a.device_change)))
  await time('detect.ip-change', () => sql.exec('detect.ip-change', { ...meta(a.ip_change), ...hops }))
  await time('detect.context-changes', async () => {
    await sql.exec('detect.context-changes')
    await sql.exec('detect.drop-travel-hops')
    await sql.exec('detect.drop-net-hops')
  })
  await time('detect.post-revocation', () => sql.exec('detect.post-revocation', meta(a.post_revocation)))
  await time('detect.new-network', () =>
    sql.exec('detect.new-network', {
      ...meta(a.new_network),
      ...familiar,
      service_hours: a.new_network.serviceBaselineHours,
      colleagues: catalog.familiarNetworkColleagues
    })
  )
  await time('detect.flagged-network', () => sql.exec('detect.flagged-network', { ...meta(a.flagged_network), colleagues: catalog.familiarNetworkColleagues }))
  await time('detect.scripted-sign-in', () =>
    sql.exec('detect.scripted-sign-in', {
      ...meta(a.scripted_sign_in),
      ...familiar,
      clients: a.scripted_sign_in.clients,
      colleagues: catalog.familiarNetworkColleagues
    })
  )
  await time('detect.unusual-admin', () =>
    sql.exec('detect.unusual-admin', { ...meta(a.unusual_admin), baseline_hours: a.unusual_admin.baselineHours, ...familiar })
  )
  await time('detect.mass-access', async () => {
    await sql.exec('detect.mass-access', { ...meta(a.mass_access), ...window })
    await sql.exec('detect.mass-access-events', window)
  })
  await time('detect.interactive-login', () => sql.exec('detect.interactive-login', meta(a.interactive_login)))
  await time('detect.mass-access-ids', () => sql.exec('detect.mass-access-ids'))
  await time('detect.reported-network-activity', () => sql.exec('detect.reported-network-activity', meta(a.reported_network_activity)))
  await time('detect.sign-in-refusals', () => noteSignInRefusals(sql))
  await time('detect.recovery-before-takeover', () =>
    sql.exec('detect.recovery-before-takeover', { ...meta(a.recovery_before_takeover), hours: catalog.corroborationHours })
  )
  if (!opts.reportEverywhere) await time('detect.corroborated', () => sql.exec('detect.corroborated', { hours: catalog.corroborationHours }))
  // After the consents left uncorroborated are dropped: what an app did is told only for a consent that stands.
  if ((await sql.one<{ any: boolean }>('detect.any-consent'))?.any)
    await time('detect.consented-app-activity', () => sql.exec('detect.consented-app-activity', meta(a.consented_app_activity)))
  await time('detect.created-credential-use', () => sql.exec('detect.created-credential-use', meta(a.created_credential_use)))
  const personal = a.personal_exfiltration
  await time('detect.personal-exfiltration', () =>
    sql.exec('detect.personal-exfiltration', {
      ...meta(personal),
      techniques: JSON.stringify(personal.techniques),
      consumer: JSON.stringify(consumerMailDomains()),
      hours: personal.windowHours
    })
  )
  await time('detect.forwarded-mail', () => sql.exec('detect.forwarded-mail', meta(a.forwarded_mail)))
  await time('detect.rented-network', () => sql.exec('detect.rented-network', { ...meta(a.rented_network), colleagues: catalog.familiarNetworkColleagues }))
  await time('detect.push-runs', async () => {
    await sql.exec('detect.push-runs')
    await sql.exec('detect.companion-events')
  })
  await time('detect.agent-around-action', () =>
    sql.exec('detect.agent-around-action', { ...meta(a.agent_around_action), minutes: a.agent_around_action.windowMinutes })
  )
  await time('detect.anomaly-events', () => sql.exec('detect.anomaly-events'))
}

/** Writes the pivots, then `findings` from `findings_raw`, each finding with its chain: once `chain_sessions` exists. */
export const finishFindings = async (sql: Sql, time: Timer): Promise<void> => {
  await time('detect.pivots', async () => {
    await sql.exec('detect.pivots')
    await sql.exec('detect.chain-pivots')
  })
  await time('detect.event-ids', async () => {
    await sql.exec('detect.event-ids')
    await sql.exec('detect.orphan-events')
  })
}
