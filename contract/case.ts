import { z } from 'zod'
import { call } from './define'

export interface AppInfo {
  name: string
  version: string
  /** Which shell serves the page: the Electron window or the CLI's local web mode. */
  transport: 'desktop' | 'web'
  dataDir: string
}

export interface CaseSummary {
  id: string
  name: string
  path: string
  openedAt: string
  demo: boolean
}

export interface SourceCount {
  source: string
  events: number
}

export interface CaseInfo extends CaseSummary {
  createdAt: string
  events: number
  imports: number
  quarantined: number
  sources: SourceCount[]
  /** ISO times of the first and last event, null when the case is empty. */
  firstEvent: string | null
  lastEvent: string | null
  analysis: AnalysisCoverage
}

/** Whether sessions, chains and findings cover every stored event (not after an import cut off mid-analysis). */
export interface AnalysisCoverage {
  complete: boolean
  /** How many events the last analysis started from; null when the case was never analysed. */
  analysedEvents: number | null
}

const caseName = z
  .string()
  .trim()
  .min(1, 'a case needs a name')
  .max(120, 'case names are at most 120 characters')
  .regex(/^[^\\/:*?"<>|\u0000-\u001f]+$/, 'case names cannot contain path separators or control characters')

// Pages never pass file paths: cases are addressed by the id the core gave them
// (recent list), created by name inside the data folder, or picked in a native dialog.
export const caseCalls = {
  'app.info': call<AppInfo>()(z.object({}).strict()),
  'case.create': call<CaseInfo>()(z.object({ name: caseName }).strict()),
  'case.open': call<CaseInfo>()(z.object({ id: z.string().min(1).max(200) }).strict()),
  'case.openDemo': call<CaseInfo>()(z.object({}).strict()),
  'case.recent': call<CaseSummary[]>()(z.object({}).strict()),
  'case.info': call<CaseInfo | null>()(z.object({}).strict()),
  /** Analyses the open case again (after an interrupted import) and returns its info. */
  'case.analyze': call<CaseInfo>()(z.object({}).strict())
}
