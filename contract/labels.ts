import type { IdentityType, RecommendedResponse } from './sessions'

/**
 * The words an analyst reads for the product's ids. Ids (data_export, device_change, terminate-session …) stay
 * in JSON, the CLI and exports; every screen and the report show these labels instead. One table, so a new
 * category gets its label once and every view follows. An id without a label is shown as words, never as
 * snake_case (see `humanizeId`).
 */
const FINDING_CATEGORIES: Readonly<Record<string, string>> = {
  data_export: 'Data export',
  external_share: 'External share',
  mail_forwarding: 'Mail forwarding',
  credential_created: 'Credential created',
  oauth_grant: 'OAuth consent grant',
  privilege_change: 'Privilege change',
  admin_change: 'Admin setting change',
  mfa_change: 'MFA change',
  mass_access: 'Mass access',
  rule_match: 'Sigma rule match',
  attempt: 'Attempted action'
}

/** Context anomalies: what changed inside a session (or what no human would do). */
const ANOMALIES: Readonly<Record<string, string>> = {
  ip_change: 'new network',
  impossible_travel: 'impossible travel',
  device_change: 'new device',
  new_network: 'sign-in from a new network',
  flagged_network: 'sign-in from a flagged address',
  scripted_sign_in: 'sign-in by a script',
  unusual_admin: 'first admin action',
  post_revocation: 'activity after revocation',
  interactive_login: 'interactive login by a non-human identity',
  reported_network_activity: 'activity from a reported address',
  recovery_before_takeover: 'change to an account before its reported sign-in',
  consented_app_activity: 'activity by a consented app',
  personal_exfiltration: 'data taken around a send to a personal address',
  created_credential_use: 'use of a credential a finding reported',
  rented_network: 'activity from a rented network',
  agent_around_action: 'what an AI agent did around its own high-severity action',
  forwarded_mail: 'mail delivered to an address a finding reported forwarding to'
}

const RESPONSES: Readonly<Record<RecommendedResponse | 'suspend-identity', string>> = {
  none: 'No action',
  monitor: 'Monitor',
  'step-up': 'Step-up authentication',
  'revoke-tokens': 'Revoke tokens',
  'terminate-session': 'Terminate session',
  'suspend-identity': 'Suspend identity'
}

const IDENTITY_TYPES: Readonly<Record<IdentityType, string>> = {
  human: 'Human',
  service: 'Service account',
  agent: 'AI agent',
  unknown: 'Unknown identity type'
}

/** Why two sessions were stitched into one chain. */
const STITCH_RULES: Readonly<Record<string, string>> = {
  idp_sso: 'IdP single sign-on',
  shared_session_id: 'Shared session id'
}

/** Log sources (and the apps named after them) as their vendors write them. */
const SOURCES: Readonly<Record<string, string>> = {
  okta: 'Okta',
  entra: 'Entra ID',
  m365: 'Microsoft 365',
  google_workspace: 'Google Workspace',
  slack: 'Slack',
  github: 'GitHub',
  salesforce: 'Salesforce',
  aws: 'AWS',
  generic: 'Other logs'
}

const capitalise = (s: string): string => (s ? s[0].toUpperCase() + s.slice(1) : s)

/** `some_new_id` → "Some new id": a fallback that never shows snake_case. */
export const humanizeId = (id: string): string => capitalise(id.replace(/[_-]+/g, ' ').trim())

/** A finding's category, an anomaly included ("Data export", "Context anomaly: new device"). */
export const categoryLabel = (category: string): string => {
  if (Object.hasOwn(FINDING_CATEGORIES, category)) return FINDING_CATEGORIES[category]
  if (Object.hasOwn(ANOMALIES, category)) return `Context anomaly: ${ANOMALIES[category]}`
  return humanizeId(category)
}

/** An anomaly alone, lower case, for running text ("new device"). */
export const anomalyLabel = (anomaly: string): string => (Object.hasOwn(ANOMALIES, anomaly) ? ANOMALIES[anomaly] : humanizeId(anomaly).toLowerCase())

export const isAnomaly = (id: string): boolean => Object.hasOwn(ANOMALIES, id)

export const responseLabel = (response: string): string =>
  Object.hasOwn(RESPONSES, response) ? RESPONSES[response as RecommendedResponse] : humanizeId(response)

export const identityTypeLabel = (type: string): string => (Object.hasOwn(IDENTITY_TYPES, type) ? IDENTITY_TYPES[type as IdentityType] : humanizeId(type))

export const stitchRuleLabel = (rule: string): string => (Object.hasOwn(STITCH_RULES, rule) ? STITCH_RULES[rule] : humanizeId(rule))

export const sourceLabel = (source: string): string => (Object.hasOwn(SOURCES, source) ? SOURCES[source] : source)

/** Any id the UI may meet in running text, in lower case for mid-sentence use. */
const inline = (id: string): string => {
  if (Object.hasOwn(ANOMALIES, id)) return `context anomaly: ${ANOMALIES[id]}`
  if (Object.hasOwn(FINDING_CATEGORIES, id)) return FINDING_CATEGORIES[id].replace(/^(\w)(?=[a-z])/, (c) => c.toLowerCase())
  if (Object.hasOwn(RESPONSES, id)) return RESPONSES[id as RecommendedResponse].toLowerCase()
  return id
}

/**
 * A risk reason as the scorer writes it ("break-glass data_export with context anomaly device_change →
 * terminate-session", "ip_change (medium, +18): …") in words. Only known ids are replaced, so titles and
 * indicators inside the reason (addresses, file names, hyphenated words) are left as the record gave them.
 */
export const reasonLabel = (reason: string): string => {
  const anomalyList = reason.replace(
    /context anomal(?:y|ies) ((?:[a-z]+(?:_[a-z]+)+)(?:, [a-z]+(?:_[a-z]+)+)*)/g,
    (_, list: string) => `context anomaly: ${list.split(', ').map(anomalyLabel).join(', ')}`
  )
  const words = anomalyList.replace(/\b[a-z]+(?:[_-][a-z]+)+\b/g, (id, offset: number, all: string) => {
    // A hyphenated word is only a response id where the scorer puts one: after an arrow, or before "always"/"does not".
    if (id.includes('-') && !Object.hasOwn(RESPONSES, id)) return id
    if (id.includes('-') && !/→\s*$|recommends\s*$/.test(all.slice(0, offset)) && !/^\s+does not apply/.test(all.slice(offset + id.length))) return id
    return inline(id)
  })
  return capitalise(words)
}
