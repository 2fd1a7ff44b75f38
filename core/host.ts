import type { CallName, CallParsed, CallResult, CaseInfo, CaseSummary } from '../contract'
import type { RecentCases } from './case/case-files'
import type { PushChannel } from './emitter'
import type { SecretStore } from './response/secret-store'
import type { CaseDb } from './store/case-db'

/** Every contract call mapped onto the function that answers it. */
export type Handlers = { [N in CallName]: (input: CallParsed<N>) => Promise<CallResult<N>> }

export interface WorkbenchOptions {
  dataDir: string
  transport: 'desktop' | 'web'
  version: string
  /** Connector settings and credentials; the environment (AFTERLOGIN_<ID>_<SETTING>) when absent. */
  secrets?: SecretStore
}

export interface OpenCase {
  db: CaseDb
  summary: CaseSummary
}

/**
 * What a domain's handlers need from whoever hosts them (the workbench): the open case, the push
 * channel, background tracking and the options. Handlers depend on this, never on the workbench
 * itself, so the composition root is the only module that knows every domain.
 */
export interface CaseHost {
  readonly options: WorkbenchOptions
  readonly push: PushChannel
  readonly recent: RecentCases
  readonly openCase: OpenCase | null
  requireCase(): OpenCase
  /** Work that outlives the call that started it: the case is never closed under it. */
  track<T>(work: Promise<T>): Promise<T>
  open(path: string, opts?: { name?: string; demo?: boolean }): Promise<CaseInfo>
  info(): Promise<CaseInfo>
}
