import { resolve } from 'node:path'
import type { CaseInfo } from '../contract'
import { RecentCases } from './case/case-files'
import { auditHandlers } from './audit/audit-handlers'
import { caseHandlers } from './case/case-handlers'
import { exportHandlers } from './export/export-handlers'
import { importHandlers } from './import/import-handlers'
import { responseHandlers } from './response/response-handlers'
import { sessionHandlers } from './sessions/session-handlers'
import { ruleHandlers } from './detect/sigma/rule-handlers'
import { readCaseInfo } from './case/case-info'
import { PushChannel } from './emitter'
import { openCaseFile } from './case/open-case'
import type { CaseHost, Handlers, OpenCase, WorkbenchOptions } from './host'

export type { Handlers, OpenCase, WorkbenchOptions } from './host'

/**
 * The plain-Node service behind every transport (Electron IPC, the web mode, the CLI).
 * It owns at most one open case; handlers for each domain live beside their domain.
 */
export class Workbench implements CaseHost {
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
      ...auditHandlers(this),
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
    const opened = await openCaseFile(full, opts)
    this.close()
    this.current = opened
    try {
      await this.recent.touch(opened.summary)
    } catch (err) {
      opened.db.close()
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
