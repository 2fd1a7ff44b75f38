import type { Sql } from '../../store/case-db'
import type { Detection, LoadedRule, ValueTest } from './types'

/** The values a case gives a Sigma placeholder (`%name%` with the `expand` modifier), by name. */
export type Placeholders = (name: string) => string[]

const usesExpand = (t: ValueTest): boolean => t.t === 'expand' || (t.t === 'any' && t.tests.some(usesExpand)) || (t.t === 'not' && usesExpand(t.test))

const detectionExpands = (d: Detection): boolean => {
  switch (d.k) {
    case 'and':
    case 'or':
      return d.items.some(detectionExpands)
    case 'not':
      return detectionExpands(d.item)
    case 'field':
    case 'keywords':
      return d.tests.some(usesExpand)
    default:
      return false
  }
}

/**
 * The placeholders a case fills, as pySigma's processing pipelines fill them for a SIEM:
 * - `internal_domains`: the organisation's own mail domains, read from the case (queries/detect/sigma.sql
 *   `sigma.internal-domains`): a rule tells a recipient inside the organisation from one outside it.
 * Any other placeholder has no value, and a value made of it matches nothing. Read only when a rule uses one.
 */
export const casePlaceholders = async (sql: Sql, rules: LoadedRule[]): Promise<Placeholders> => {
  if (!rules.some((r) => r.kind === 'detection' && detectionExpands(r.detection))) return () => []
  const domains = (await sql.many<{ domain: string }>('sigma.internal-domains')).map((r) => r.domain)
  return (name) => (name.toLowerCase() === 'internal_domains' ? domains : [])
}
