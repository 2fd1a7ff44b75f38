import { mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { CallName, CallParsed, CallResult, CaseInfo, CaseSummary } from '../contract'
import { caseIdFor, RecentCases } from './case/case-files'
import { caseHandlers } from './case/case-handlers'
import { exportHandlers } from './export/export-handlers'
import { importHandlers } from './import/import-handlers'
import { responseHandlers } from './response/response-handlers'
import type { SecretStore } from './response/secret-store'
import { sessionHandlers } from './sessions/session-handlers'
import { ruleHandlers } from './detect/sigma/rule-handlers'
import { readCaseInfo, stampNewCase } from './case/case-info'
import { PushChannel } from './emitter'
import { openCaseDb } from './case/open-case-db'
import type { CaseDb } from './store/case-db'

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
 * The plain-Node service behind every transport (Electron IPC, the web mode, the CLI).
 * It owns at most one open case; handlers for each domain live beside their domain.
 */
export class Workbench {
  readonly push = new PushChannel()
  readonly recent: RecentCases
  readonly handlers: Handlers
  private current: OpenCase | null = null
  private readonly background = new Set<Promise<unknown>>()

  constructor(readonly options: WorkbenchOptions) {
    this.recent = new RecentCases(options.dataDir)
    this.handlers = {
      ...caseHandlers(this),
      ...importHandlers(this),
      ...sessionHandlers(this),
      ...ruleHandlers(this),
      ...responseHandlers(this),
      ...exportHandlers(this)
    }
  }

  get openCase(): OpenCase | null {
    return this.current
  }

  /** The open case, or a clear error for calls that need one. */
  requireCase(): OpenCase {
    if (!this.current) throw new Error('no case is open: create or open a case first')
    return this.current
  }

  /** Work that outlives the call that started it (imports, response runs): the case is never closed under it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.background.add(work)
    const done = () => this.background.delete(work)
    work.then(done, done)
    return work
  }

  /** Resolves once no tracked work is running (before shutting down). */
  async settle(): Promise<void> {
    while (this.background.size) await Promise.allSettled([...this.background])
  }

  async open(path: string, opts: { name?: string; demo?: boolean } = {}): Promise<CaseInfo> {
    const full = resolve(path)
    if (this.current?.summary.path === full) return this.info()
    if (this.background.size) {
      throw new Error('an import or response action is still running in this case: wait for it to finish (or cancel the import) before switching cases')
    }
    await mkdir(dirname(full), { recursive: true })
    const db = await openCaseDb(full)
    try {
      const meta = await stampNewCase(db, opts.name ?? defaultName(full), opts.demo ?? false)
      this.close()
      const summary: CaseSummary = {
        id: caseIdFor(full),
        name: meta.name,
        path: full,
        openedAt: new Date().toISOString(),
        demo: meta.demo
      }
      this.current = { db, summary }
      await this.recent.touch(summary)
    } catch (err) {
      db.close()
      throw err
    }
    const info = await this.info()
    this.push.emit('case.changed', info)
    return info
  }

  async info(): Promise<CaseInfo> {
    const open = this.requireCase()
    return readCaseInfo(open.db, open.summary)
  }

  close(): void {
    this.current?.db.close()
    this.current = null
  }
}

const defaultName = (path: string): string => {
  const folder = dirname(path).split(/[\\/]/).pop() ?? 'case'
  return folder.replace(/-[a-z0-9]{6,}$/, '') || 'case'
}
