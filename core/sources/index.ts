import { aws } from './aws'
import { entra } from './entra'
import { generic } from './generic'
import { github } from './github'
import { googleWorkspace } from './gws'
import { m365 } from './m365'
import { okta } from './okta'
import { salesforce } from './salesforce'
import { slack } from './slack'
import type { Rec, SourceId, SourceMapping } from './types'
import { collectorInner } from './collectors'
import { expandDottedKeys } from './values'

export * from './types'
export { normalize, eventUid, outcomeOf, type Mapped } from './normalize'
export { parseTime, isoFromMicros } from './time'

/**
 * Every source, most specific signature first; generic matches anything and comes last.
 * Adding a source = one declaration file + one line here.
 */
export const MAPPINGS: readonly SourceMapping[] = [okta, entra, m365, googleWorkspace, slack, github, salesforce, aws, generic]

export const mappingFor = (id: SourceId): SourceMapping => MAPPINGS.find((m) => m.id === id)!

/** The source whose content signature the record carries (never the file name). */
export const detectSource = (r: Rec, preferred?: SourceMapping): SourceMapping => {
  if (preferred && preferred.id !== 'generic' && preferred.detect(r)) return preferred
  for (const m of MAPPINGS) if (m.detect(r)) return m
  return generic
}

/**
 * The source of a record and the record to map. When no signature matches, the record may still be a known
 * source's: flattened into dotted keys (json_normalize, a spreadsheet), or a collector's copy of it (Splunk,
 * Elastic, Logstash). Then the nested or inner record is mapped; the stored raw record stays the one read.
 */
export const recognise = (r: Rec, preferred?: SourceMapping): { mapping: SourceMapping; record: Rec } => {
  const mapping = detectSource(r, preferred)
  if (mapping !== generic) return { mapping, record: r }
  for (const candidate of candidates(r)) {
    const known = detectSource(candidate, preferred)
    if (known !== generic) return { mapping: known, record: candidate }
  }
  return { mapping, record: r }
}

/** The records recognise tries after the record itself, each built only when the one before did not match. */
function* candidates(r: Rec): Generator<Rec> {
  const nested = expandDottedKeys(r)
  if (nested) yield nested
  yield* collectorInner(r)
}
