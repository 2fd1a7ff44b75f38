import type { IdentityType, RecommendedResponse } from '../../contract/sessions'

/**
 * The words a chain's story uses for the product's ids. They live in core because the CLI prints stories too;
 * the ids themselves stay in JSON and exports. An id without a label reads as words, never as snake_case.
 */
const SOURCES: Readonly<Record<string, string>> = {
  okta: 'Okta',
  entra: 'Entra ID',
  m365: 'Microsoft 365',
  google_workspace: 'Google Workspace',
  slack: 'Slack',
  github: 'GitHub',
  salesforce: 'Salesforce',
  aws: 'AWS',
  generic: 'other logs'
}

const CATEGORIES: Readonly<Record<string, string>> = {
  data_export: 'data export',
  external_share: 'external share',
  mail_forwarding: 'mail forwarding',
  credential_created: 'credential created',
  oauth_grant: 'OAuth consent grant',
  privilege_change: 'privilege change',
  admin_change: 'admin setting change',
  mfa_change: 'MFA change',
  mass_access: 'mass access',
  rule_match: 'rule match',
  attempt: 'attempted action',
  ip_change: 'new network',
  impossible_travel: 'impossible travel',
  device_change: 'new device',
  unusual_admin: 'first admin action',
  post_revocation: 'activity after revocation',
  interactive_login: 'interactive login by a non-human identity'
}

/** The detectors' findings for a change of place, network or device inside a session. */
const CONTEXT_CHANGES = new Set(['ip_change', 'impossible_travel', 'device_change'])

export const isContextChange = (category: string): boolean => CONTEXT_CHANGES.has(category)

const PIVOT_FIELDS: Readonly<Record<string, string>> = {
  country: 'country',
  network: 'network',
  ip: 'address',
  place: 'place',
  device: 'device'
}

/** `some_new_id` → "some new id". */
export const words = (id: string): string => id.replace(/[_-]+/g, ' ').trim()

const has = (table: Readonly<Record<string, string>>, id: string): boolean => Object.hasOwn(table, id)

export const sourceLabel = (source: string): string => (has(SOURCES, source) ? SOURCES[source] : words(source))

/** A finding category or anomaly in lower case, for running text. */
export const categoryWords = (category: string): string => (has(CATEGORIES, category) ? CATEGORIES[category] : words(category))

export const pivotFieldWords = (field: string): string => (has(PIVOT_FIELDS, field) ? PIVOT_FIELDS[field] : words(field))

/** "a human identity", "an AI agent" … as the subject's apposition. */
export const identityTypeWords = (type: IdentityType): string => {
  switch (type) {
    case 'human':
      return 'a human identity'
    case 'service':
      return 'a service account'
    case 'agent':
      return 'an AI agent'
    case 'unknown':
      return 'an identity of unknown type'
    default: {
      const never: never = type
      return words(String(never))
    }
  }
}

/** The recommended response as what the analyst would do ("terminate the session"). */
export const responseWords = (response: RecommendedResponse): string => {
  switch (response) {
    case 'none':
      return 'no response'
    case 'monitor':
      return 'monitoring the identity'
    case 'step-up':
      return 'step-up authentication'
    case 'revoke-tokens':
      return 'revoking its tokens'
    case 'terminate-session':
      return 'terminating the session'
    default: {
      const never: never = response
      return words(String(never))
    }
  }
}

/** A response id as written in a reason ("terminate-session") in words, or the id in words when unknown. */
export const responseIdWords = (id: string): string =>
  (['none', 'monitor', 'step-up', 'revoke-tokens', 'terminate-session'] as const).find((r) => r === id) !== undefined
    ? responseWords(id as RecommendedResponse)
    : words(id)

let regions: Intl.DisplayNames | undefined

/** An ISO 3166-1 alpha-2 code as the country's English name ("DE" → "Germany"); the code itself when unknown. */
export const countryName = (code: string): string => {
  regions ??= new Intl.DisplayNames(['en'], { type: 'region' })
  try {
    return (/^[A-Za-z]{2}$/.test(code) && regions.of(code.toUpperCase())) || code
  } catch {
    return code
  }
}
