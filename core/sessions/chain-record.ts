import type { ChainRow } from '../../contract/sessions'

/**
 * One chain as a plain record, the shape every file and the CLI give it: the row's own fields, its story when
 * the caller read it, and each finding reduced to what proves it (category, severity, title, evidence, mappings,
 * the rule that raised it).
 */
export const chainRecord = (c: ChainRow, story: string | null = null) => ({
  id: c.id,
  identity: c.identity,
  identityType: c.identityType,
  actingFor: c.actingFor,
  apps: c.apps,
  ips: c.ips,
  countries: c.countries,
  start: c.start,
  end: c.end,
  events: c.events,
  risk: c.risk,
  response: c.response,
  reasons: c.reasons,
  pivot: c.pivot,
  story,
  findings: c.findings.map((f) => ({
    category: f.category,
    severity: f.severity,
    title: f.title,
    detail: f.detail,
    eventIds: f.eventIds,
    attack: f.attack,
    owaspNhi: f.owaspNhi,
    afterPivot: f.afterPivot,
    rule: f.rule ? { id: f.rule.id, title: f.rule.title, path: f.rule.path } : null
  }))
})

export type ChainRecord = ReturnType<typeof chainRecord>

/** Columns of a chain in a table (CSV, Parquet): one cell per field, the findings as their categories and evidence ids. */
export const CHAIN_COLUMNS = [
  'id',
  'identity',
  'identity_type',
  'apps',
  'ips',
  'countries',
  'start',
  'end',
  'events',
  'risk',
  'response',
  'reasons',
  'finding_categories',
  'finding_event_ids'
] as const

export const chainColumns = (r: ChainRecord): Record<(typeof CHAIN_COLUMNS)[number], unknown> => {
  const { identityType, findings, ...rest } = r
  return {
    ...rest,
    identity_type: identityType,
    finding_categories: [...new Set(findings.map((f) => f.category))],
    finding_event_ids: [...new Set(findings.flatMap((f) => f.eventIds))]
  }
}
