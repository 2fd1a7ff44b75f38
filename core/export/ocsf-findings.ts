import type { ChainRow, Finding, Severity } from '../../contract'
import { fitToClass } from './ocsf-classes'
import { OCSF_VERSION, ocsfProduct } from './ocsf-common'
import { ocsfUserType } from './ocsf-events'

const SEVERITY: Record<Severity, [number, string]> = {
  info: [1, 'Informational'],
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical']
}

export interface EvidenceSpan {
  first: string | null
  last: string | null
}

/**
 * One finding as an OCSF Detection Finding (class 2004, activity Create): the rule that produced it, its
 * ATT&CK techniques, the chain it belongs to as the affected resource, and every evidence event by uid in
 * `finding_info.related_events` so a SIEM can join back to the exported events.
 */
export const toOcsfFinding = (f: Finding, chain: ChainRow | null, span: EvidenceSpan, productVersion: string, now = new Date()): Record<string, unknown> => {
  const [severityId, severity] = SEVERITY[f.severity] ?? [0, 'Unknown']
  // The finding's time is its latest evidence; one whose evidence has no time is stamped when exported.
  const seen = span.last ?? span.first ?? now.toISOString()
  const finding: Record<string, unknown> = {
    class_uid: 2004,
    class_name: 'Detection Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200401,
    type_name: 'Detection Finding: Create',
    severity_id: severityId,
    severity,
    status_id: 1,
    status: 'New',
    time: Date.parse(seen),
    start_time: span.first ? Date.parse(span.first) : undefined,
    end_time: span.last ? Date.parse(span.last) : undefined,
    message: f.title,
    is_alert: true,
    metadata: { version: OCSF_VERSION, uid: f.id, product: ocsfProduct(productVersion) },
    finding_info: {
      uid: f.id,
      title: f.title,
      // The evidence in words: the rule and its id, the event types, every quoted value, the addresses, why it failed.
      desc: f.detail ?? undefined,
      types: [f.category],
      analytic: { uid: f.category, name: f.category, type_id: 1, type: 'Rule' },
      attacks: f.attack.map((uid) => ({ technique: { uid } })),
      first_seen_time: span.first ? Date.parse(span.first) : undefined,
      last_seen_time: span.last ? Date.parse(span.last) : undefined,
      related_events: f.eventIds.map((uid) => ({ uid })),
      related_events_count: f.eventIds.length
    },
    risk_score: chain?.risk,
    resources: chain ? [{ uid: chain.id, type: 'session_chain', name: chain.identity, labels: chain.apps }] : undefined,
    evidences: chain ? [{ actor: { user: { name: chain.identity, ...ocsfUserType(chain.identityType) } } }] : undefined,
    remediation: chain && chain.response !== 'none' ? { desc: `Recommended response: ${chain.response}` } : undefined,
    unmapped: { owasp_nhi: f.owaspNhi ?? undefined, session_id: f.sessionId ?? undefined, chain_reasons: chain?.reasons }
  }
  return JSON.parse(JSON.stringify(fitToClass(finding))) as Record<string, unknown>
}
