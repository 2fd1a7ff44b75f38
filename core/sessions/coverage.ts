import type { AnalysisCoverage } from '../../contract'
import type { CaseDb } from '../store/case-db'

/**
 * Whether the case's sessions, chains and findings cover every stored event. They do not when an import stored
 * events and its analysis never finished (a crash, a kill), or when the case was never analysed. Runs made before
 * runs counted what they started from are taken as complete.
 */
export const analysisCoverage = async (db: CaseDb): Promise<AnalysisCoverage & { events: number }> => {
  const s = await db.one<{ runs: number; events: number; analysed: number | null }>('analyze.state')
  const events = s?.events ?? 0
  const runs = s?.runs ?? 0
  const analysed = s?.analysed ?? null
  if (events === 0) return { complete: true, analysedEvents: analysed, events }
  if (runs === 0) return { complete: false, analysedEvents: null, events }
  return { complete: analysed === null || analysed >= events, analysedEvents: analysed, events }
}
