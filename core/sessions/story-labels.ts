import type { IdentityType, RecommendedResponse } from '../../contract/sessions'
import { anomalyLabel, categoryLabel, isAnomaly, sourceLabel as vendorLabel } from '../../contract/labels'

// The words a chain's story uses for the product's ids, in running text: the UI's labels (contract/labels.ts)
// lower-cased, plus the phrases only a sentence needs. Ids stay in JSON and exports; an id without a label reads as
// words, never as snake_case.

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

/** A log source as its vendor writes it; one the product does not know reads as words. */
export const sourceLabel = (source: string): string =>
  source === 'generic' ? 'other logs' : vendorLabel(source) === source ? words(source) : vendorLabel(source)

/** A finding category or anomaly in lower case, for running text (the UI's labels, lower-cased but for acronyms). */
export const categoryWords = (category: string): string => {
  if (isAnomaly(category)) return anomalyLabel(category)
  const label = categoryLabel(category)
  return /^[A-Z]{2}/.test(label) ? label : label[0].toLowerCase() + label.slice(1)
}

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
