import { mappingFor, recognise } from './index'
import type { SourceId } from './types'
import { pickText } from './values'

/** A value that only says the action failed (a job's "Failed", a status letter) names no reason. */
const NO_REASON = /^(?:fail(?:ed|ure)?|false|denied|deny|error|aborted|unknown|[FAN0])$/i

/** How long a refusal reason may be in a finding (an AWS errorMessage can name a whole policy). */
const REFUSAL_CHARS = 160

/**
 * Why a stored record says its action failed, in the vendor's words (the source's `refusal` fields): of its event
 * number `view` (1-based) when the record carries several, else of the first event that names one; null when the
 * record does not say (or only that it failed), or is not a record of that source.
 */
export const refusalOf = (source: SourceId, raw: string, view?: number): string | null => {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return null
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null
  const declared = mappingFor(source)
  if (!declared.refusal) return null
  const { mapping, record } = recognise(value as Record<string, unknown>, declared)
  if (mapping !== declared) return null
  const views = mapping.views ? mapping.views(record) : [record]
  for (const event of view !== undefined && views[view - 1] ? [views[view - 1]] : views) {
    const reason = pickText(event, mapping.refusal)?.replace(/\s+/g, ' ')
    if (reason && !NO_REASON.test(reason)) return reason.length > REFUSAL_CHARS ? `${reason.slice(0, REFUSAL_CHARS - 1)}…` : reason
  }
  return null
}
