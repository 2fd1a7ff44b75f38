import type { Classification } from '../policies/policies'

export interface IdentityPatternRow {
  pri: number
  kind: 'agent' | 'service' | 'human' | 'unknown'
  pattern: string
  exact: string | null
}

/**
 * The classification file as rows for analyze.policy-identity: explicit entries first, then agent
 * patterns (an "assistant" service account is an agent), then service patterns; `human` carries the
 * email-like fallback.
 */
export const classificationRows = (c: Classification): IdentityPatternRow[] => {
  const rows: IdentityPatternRow[] = []
  for (const [identity, kind] of Object.entries(c.identities)) rows.push({ pri: rows.length, kind, pattern: identity, exact: identity.trim().toLowerCase() })
  for (const pattern of c.agent.patterns) rows.push({ pri: rows.length, kind: 'agent', pattern, exact: null })
  for (const pattern of c.service.patterns) rows.push({ pri: rows.length, kind: 'service', pattern, exact: null })
  rows.push({ pri: rows.length, kind: 'human', pattern: c.defaultHuman, exact: null })
  return rows
}

/**
 * How SSO events and sign-ins name downstream apps (Okta app labels, Entra appDisplayName) → source ids.
 * Org-specific labels ("Salesforce - Production") still match; the first pattern wins.
 */
export const APP_NAME_PATTERNS: Array<{ pattern: string; source: string }> = [
  { pattern: 'salesforce|sfdc', source: 'salesforce' },
  { pattern: 'google|g ?suite|gmail', source: 'google_workspace' },
  { pattern: 'office ?365|microsoft ?365|exchange|sharepoint|onedrive|outlook|teams|m365', source: 'm365' },
  { pattern: 'github', source: 'github' },
  { pattern: 'slack', source: 'slack' },
  { pattern: 'aws|amazon web services|iam identity center', source: 'aws' }
]
