import { randomBytes } from 'node:crypto'
import { userInfo } from 'node:os'
import type { ActionStatus, ActionSummary, ConnectorId, ConnectorInfo, ResponseAction, ResponsePreview } from '../../contract'
import { CONNECTOR_IDS } from '../../contract'
import type { PushChannel } from '../emitter'
import { log } from '../log'
import type { CaseDb } from '../store/case-db'
import { appendAudit } from '../audit/audit'
import { connectorConfig, connectorInfo, missingSettings } from './config'
import { CONNECTORS } from './connectors'
import { CallFailed, CallUnknown, LiveRunner } from './live-runner'
import { getAction, insertAction, listCalls, markInterrupted, publicCall, runningActionIds, setActionStatus, statusFromCalls } from './outbox'
import { planFor } from './planner'
import type { BackoffPolicy } from './rate-limit'
import { redactor } from './redact'
import type { SecretStore } from './secret-store'
import { chainKeysFor, chainSessionsOf, resolveTarget, type TargetSession } from './targets'
import type { Target } from './types'

export interface ResponseRequest {
  identity: string
  action: ResponseAction
  connectors: ConnectorId[]
  chainId?: string
  sessionId?: string
}

export interface ExecuteRequest extends ResponseRequest {
  reason: string
  analyst?: string
  dryRun: boolean
}

export interface ServiceDeps {
  db: () => CaseDb
  push: PushChannel
  secrets: SecretStore
  dataDir: string
  policy?: Partial<BackoffPolicy>
  /** Registers a run with the owner of the case, so the case is not closed under it. */
  track?: <T>(run: Promise<T>) => Promise<T>
}

export const defaultAnalyst = (): string => {
  try {
    return userInfo().username || 'analyst'
  } catch {
    return 'analyst'
  }
}

// A run in the background outlives the request that started it; if its case closes under it, say so and move on.
const backgroundFailure = (err: unknown) => log.warn(`response action stopped: ${(err as Error).message}`)

const newId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`

/** Preview, execute, resume and settle response actions over one open case. */
export class ResponseService {
  private readonly active = new Map<string, Promise<ActionSummary>>()
  private readonly recovered = new WeakSet<CaseDb>()

  constructor(private readonly deps: ServiceDeps) {}

  /** Resolves when no action is running in this process (before closing a case under them). */
  async idle(): Promise<void> {
    while (this.active.size) await Promise.allSettled([...this.active.values()])
  }

  connectors(): ConnectorInfo[] {
    return CONNECTOR_IDS.map((id) => connectorInfo(id, this.deps.secrets, this.deps.dataDir))
  }

  /** The chain's sessions for one action: read once, shared by every connector it names. */
  private chainSessions(db: CaseDb, req: ResponseRequest): Promise<TargetSession[]> {
    return req.chainId ? chainSessionsOf(db, req.chainId) : Promise.resolve([])
  }

  private async targets(
    db: CaseDb,
    req: ResponseRequest,
    sessions: TargetSession[],
    actionId: string
  ): Promise<Map<ConnectorId, { target: Target; sessionKeys: string[] }>> {
    // A session may be named by the case's own session id or by its native key.
    const chosen = req.sessionId ? sessions.find((s) => s.id === req.sessionId) : undefined
    const sessionKey = req.sessionId ? (chosen ? chosen.sessionKey : req.sessionId) : null
    const out = new Map<ConnectorId, { target: Target; sessionKeys: string[] }>()
    for (const id of req.connectors) {
      const resolved = await resolveTarget(db, id, req.identity)
      // The one session only applies to the connector whose app it belongs to.
      const ownsSession = !chosen || id === 'ssf' || chainKeysFor(id, [chosen]).length > 0
      const key = ownsSession ? sessionKey : null
      const chainKeys = chainKeysFor(id, sessions)
      // An account-wide action cuts every session the provider's logs show for the identity, in the chain or not.
      const sessionKeys = [...new Set([...chainKeys, ...resolved.knownKeys])]
      out.set(id, {
        target: { identity: req.identity, action: req.action, sessionKey: key, account: resolved.account, knownKeys: resolved.knownKeys, actionId },
        sessionKeys
      })
    }
    return out
  }

  async preview(req: ResponseRequest): Promise<ResponsePreview> {
    const db = this.deps.db()
    const targets = await this.targets(db, req, await this.chainSessions(db, req), '{action id}')
    const plans = []
    for (const id of req.connectors) plans.push(await planFor(id, req.action, targets.get(id)!.target, this.deps.secrets, this.deps.dataDir))
    const sessionKey = [...targets.values()].map((t) => t.target.sessionKey).find(Boolean) ?? null
    return { identity: req.identity, action: req.action, sessionKey, plans }
  }

  /** Writes every action (and its audit record) before any call; then runs them, one per connector, in parallel. */
  async execute(req: ExecuteRequest, opts: { wait: boolean }): Promise<ActionSummary[]> {
    const db = this.deps.db()
    await this.recover(db)
    const analyst = req.analyst?.trim() || defaultAnalyst()
    for (const id of req.connectors) {
      const c = CONNECTORS[id]
      if (!c.actions[req.action]) throw new Error(`${c.label} cannot ${req.action}: ${c.unsupported[req.action] ?? 'not supported'}`)
      const missing = missingSettings(id, connectorConfig(id, this.deps.secrets, this.deps.dataDir))
      if (missing.length && !req.dryRun) throw new Error(`${c.label} is not configured: set ${missing.join(', ')}`)
    }
    const batchId = req.connectors.length > 1 ? newId('batch') : null
    const ids = req.connectors.map(() => newId('act'))
    const started: { id: string; connector: ConnectorId; target: Target }[] = []
    const sessions = await this.chainSessions(db, req)
    for (const [i, id] of req.connectors.entries()) {
      const actionId = ids[i]
      const { target, sessionKeys: wide } = (await this.targets(db, { ...req, connectors: [id] }, sessions, actionId)).get(id)!
      const plan = await planFor(id, req.action, target, this.deps.secrets, this.deps.dataDir)
      // What post_revocation compares later activity with: the one session cut, else every session of the account.
      const sessionKeys = plan.sessionKey ? [plan.sessionKey] : wide
      await insertAction(db, {
        id: actionId,
        batchId,
        analyst,
        reason: req.reason,
        connector: id,
        action: req.action,
        identity: req.identity,
        chainId: req.chainId ?? null,
        sessionKeys,
        dryRun: req.dryRun,
        plan
      })
      await appendAudit(db, {
        actor: analyst,
        kind: req.dryRun ? 'response.dry-run' : 'response.intent',
        subject: actionId,
        detail: {
          connector: id,
          action: req.action,
          identity: req.identity,
          target: plan.target,
          chainId: req.chainId ?? null,
          sessionKeys,
          batchId,
          reason: req.reason,
          dryRun: req.dryRun,
          calls: plan.calls.map((c) => ({ method: c.method, url: c.url, body: c.body }))
        }
      })
      started.push({ id: actionId, connector: id, target })
    }
    if (req.dryRun) return Promise.all(ids.map((id) => this.summary(db, id)))
    const runs = started.map((s) => this.track(s.id, this.runAction(db, s.id, s.connector, s.target, analyst, false)))
    if (opts.wait) return Promise.all(runs)
    for (const run of runs) void run.catch(backgroundFailure)
    return Promise.all(ids.map((id) => this.summary(db, id)))
  }

  private track(id: string, run: Promise<ActionSummary>): Promise<ActionSummary> {
    this.active.set(id, run)
    const tracked = run.finally(() => this.active.delete(id))
    return this.deps.track ? this.deps.track(tracked) : tracked
  }

  private async summary(db: CaseDb, id: string): Promise<ActionSummary> {
    const found = await getAction(db, id)
    if (!found) throw new Error(`no response action '${id}' in this case`)
    return found.summary
  }

  private async emit(db: CaseDb, id: string, connector: ConnectorId, status: ActionStatus): Promise<void> {
    const found = await getAction(db, id)
    const calls = (await listCalls(db, id)).map(publicCall)
    this.deps.push.emit('response.status', { actionId: id, batchId: found?.summary.batchId ?? null, connector, status, calls })
  }

  private async runAction(db: CaseDb, id: string, connector: ConnectorId, target: Target, analyst: string, resendUnsafe: boolean): Promise<ActionSummary> {
    const c = CONNECTORS[connector]
    const cfg = connectorConfig(connector, this.deps.secrets, this.deps.dataDir)
    const redact = redactor(cfg.secrets)
    let emitting = Promise.resolve()
    const onChange = () => {
      emitting = emitting.then(() => this.emit(db, id, connector, 'running')).catch(() => undefined)
    }
    const runner = new LiveRunner({ db, actionId: id, connector: c, analyst, redact, policy: this.deps.policy, resendUnsafe, onChange })
    await runner.load()
    await setActionStatus(db, id, 'running', null)
    let aborted = false
    let error: string | null = null
    try {
      await c.run(target, cfg, runner)
    } catch (err) {
      aborted = true
      error = redact((err as Error).message)
      if (!(err instanceof CallFailed) && !(err instanceof CallUnknown)) error = `${c.label}: ${error}`
    }
    const calls = await listCalls(db, id)
    const status = statusFromCalls(calls, aborted)
    await setActionStatus(db, id, status, status === 'done' ? null : error)
    await appendAudit(db, {
      actor: analyst,
      kind: 'response.result',
      subject: id,
      detail: { connector, status, error: status === 'done' ? null : error, calls: calls.length }
    })
    await emitting
    await this.emit(db, id, connector, status)
    return this.summary(db, id)
  }

  /**
   * After a crash, actions left `running` by a process that is gone become `pending`: calls that were in
   * flight get an unknown outcome, and nothing is sent again until the analyst resumes or settles them.
   */
  async recover(db: CaseDb): Promise<void> {
    if (this.recovered.has(db)) return
    this.recovered.add(db)
    for (const id of await runningActionIds(db)) {
      if (this.active.has(id)) continue
      await markInterrupted(db, id)
      await setActionStatus(db, id, 'pending', 'interrupted before it finished: review the calls, then resume or settle')
      await appendAudit(db, { actor: 'afterlogin', kind: 'response.interrupted', subject: id, detail: { calls: (await listCalls(db, id)).map(publicCall) } })
    }
  }

  async resume(id: string, reason: string, analystIn: string | undefined, resendUnsafe: boolean, opts: { wait: boolean }): Promise<ActionSummary> {
    const db = this.deps.db()
    await this.recover(db)
    const found = await getAction(db, id)
    if (!found) throw new Error(`no response action '${id}' in this case`)
    const s = found.summary
    if (this.active.has(id)) throw new Error(`action ${id} is running`)
    if (s.dryRun) throw new Error('a dry run sends nothing: start the action again without --dry-run')
    if (s.status === 'done') throw new Error(`action ${id} is already done`)
    const analyst = analystIn?.trim() || defaultAnalyst()
    await appendAudit(db, { actor: analyst, kind: 'response.resume', subject: id, detail: { reason, resendUnsafe } })
    const sessionKey = found.plan.sessionKey ?? null
    const resolved = await resolveTarget(db, s.connector, s.identity)
    const target: Target = { identity: s.identity, action: s.action, sessionKey, account: resolved.account, knownKeys: resolved.knownKeys, actionId: id }
    const run = this.track(id, this.runAction(db, id, s.connector, target, analyst, resendUnsafe))
    if (opts.wait) return run
    void run.catch(backgroundFailure)
    return this.summary(db, id)
  }

  /** The analyst checked at the provider and closes a pending action without sending anything. */
  async settle(id: string, outcome: 'done' | 'failed', reason: string, analystIn: string | undefined): Promise<ActionSummary> {
    const db = this.deps.db()
    await this.recover(db)
    const found = await getAction(db, id)
    if (!found) throw new Error(`no response action '${id}' in this case`)
    if (this.active.has(id)) throw new Error(`action ${id} is running`)
    if (found.summary.status !== 'pending') throw new Error(`only a pending action can be settled; ${id} is ${found.summary.status}`)
    const analyst = analystIn?.trim() || defaultAnalyst()
    await appendAudit(db, { actor: analyst, kind: 'response.settle', subject: id, detail: { outcome, reason } })
    await setActionStatus(db, id, outcome, outcome === 'failed' ? `settled by ${analyst}: ${reason}` : null)
    await this.emit(db, id, found.summary.connector, outcome)
    return this.summary(db, id)
  }
}
