import type { CaseInfo, CaseSummary, SourceCount } from '../../contract'
import { analysisCoverage } from '../sessions/coverage'
import type { CaseDb } from '../store/case-db'

interface Meta {
  name: string
  demo: boolean
  createdAt: string
}

/** Writes name and creation time on first open; afterwards the stored values win. */
export const stampNewCase = async (db: CaseDb, name: string, demo: boolean): Promise<Meta> => {
  const rows = await db.many<{ key: string; value: string }>('case.meta.all')
  const meta = Object.fromEntries(rows.map((r) => [r.key, r.value]))
  if (!meta.name) {
    meta.name = name
    meta.createdAt = new Date().toISOString()
    meta.demo = String(demo)
    for (const key of ['name', 'createdAt', 'demo'] as const) await db.exec('case.meta.set', { key, value: meta[key] })
  }
  return { name: meta.name, demo: meta.demo === 'true', createdAt: meta.createdAt }
}

export const readCaseInfo = async (db: CaseDb, summary: CaseSummary): Promise<CaseInfo> => {
  const rows = await db.many<{ key: string; value: string }>('case.meta.all')
  const meta = Object.fromEntries(rows.map((r) => [r.key, r.value]))
  const counts = await db.one<{
    events: number
    imports: number
    quarantined: number
    first_event: string | null
    last_event: string | null
  }>('case.counts')
  const sources = await db.many<SourceCount>('case.sources')
  const { complete, analysedEvents } = await analysisCoverage(db)
  return {
    ...summary,
    name: meta.name ?? summary.name,
    createdAt: meta.createdAt ?? summary.openedAt,
    events: counts?.events ?? 0,
    imports: counts?.imports ?? 0,
    quarantined: counts?.quarantined ?? 0,
    sources,
    firstEvent: counts?.first_event ?? null,
    lastEvent: counts?.last_event ?? null,
    analysis: { complete, analysedEvents }
  }
}
