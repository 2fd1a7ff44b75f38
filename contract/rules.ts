import { z } from 'zod'
import { call } from './define'

/** The Sigma rule behind a finding, with the attribution its licence asks for. */
export interface FindingRule {
  id: string
  title: string
  level: string | null
  description: string | null
  references: string[]
  falsepositives: string[]
  author: string | null
  /** `policies/sigma/…` for the shipped catalog, else the rule file's path. */
  path: string
}

export type RuleLoadStatus = 'ok' | 'not_applicable' | 'unsupported' | 'error'

/** One rule (or a file that failed to load) as the last analysis of the case saw it. */
export interface RuleInfo {
  id: string | null
  title: string | null
  path: string
  kind: 'detection' | 'correlation' | 'filter' | null
  source: string | null
  level: string | null
  category: string | null
  status: RuleLoadStatus
  /** Why not ok: the logsource, the unsupported feature, or the error with its line. */
  reason: string | null
  /** Events of this case the rule matched. */
  hits: number
}

export const ruleCalls = {
  'rules.list': call<RuleInfo[]>()(z.object({}).strict()),
  /** The YAML text of a loaded rule file (only files the case's analysis loads can be read). */
  'rules.yaml': call<{ path: string; text: string }>()(z.object({ path: z.string().min(1).max(4096) }).strict())
}
