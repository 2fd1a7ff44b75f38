import type {
  ActionDetail,
  ActionStatus,
  ActionSummary,
  AttemptRecord,
  CallRecord,
  CallStatus,
  ConnectorId,
  ConnectorPlan,
  ResponseAction
} from '../../contract'
import type { CaseDb } from '../store/case-db'
import type { CallSpec } from './types'

/** The outbox's rows in the product's own shapes. Every write here happens before the effect it describes. */

interface ActionRow {
  id: string
  batch_id: string | null
  created_at: string
  analyst: string
  reason: string
  connector: string
  action: string
  identity: string
  chain_id: string | null
  session_keys: string | null
  dry_run: boolean
  status: string
  plan?: string
  executed_at: string | null
  finished_at: string | null
  error: string | null
}

interface CallRow {
  call_no: number
  call_key: string
  method: string
  url: string
  purpose: string
  kind: string
  safe_to_repeat: boolean
  status: string
  http_status: number | null
  attempts: number
  request_id: string | null
  error: string | null
}

interface AttemptRow {
  call_no: number
  attempt: number
  started_at: string
  finished_at: string | null
  method: string
  url: string
  http_status: number | null
  request_id: string | null
  error: string | null
}

export interface StoredCall extends CallRecord {
  key: string
  kind: 'lookup' | 'change'
}

const keysOf = (text: string | null): string[] => {
  if (!text) return []
  const parsed = JSON.parse(text) as unknown
  return Array.isArray(parsed) ? parsed.map(String) : []
}

const summaryOf = (r: ActionRow): ActionSummary => ({
  id: r.id,
  batchId: r.batch_id,
  createdAt: r.created_at,
  analyst: r.analyst,
  reason: r.reason,
  connector: r.connector as ConnectorId,
  action: r.action as ResponseAction,
  identity: r.identity,
  chainId: r.chain_id,
  sessionKeys: keysOf(r.session_keys),
  dryRun: r.dry_run,
  status: r.status as ActionStatus,
  executedAt: r.executed_at,
  finishedAt: r.finished_at,
  error: r.error
})

const callOf = (r: CallRow): StoredCall => ({
  callNo: r.call_no,
  key: r.call_key,
  kind: r.kind === 'lookup' ? 'lookup' : 'change',
  method: r.method,
  url: r.url,
  status: r.status as CallStatus,
  httpStatus: r.http_status,
  attempts: r.attempts,
  requestId: r.request_id,
  error: r.error,
  safeToRepeat: r.safe_to_repeat,
  purpose: r.purpose
})

const attemptOf = (r: AttemptRow): AttemptRecord => ({
  callNo: r.call_no,
  attempt: r.attempt,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  method: r.method,
  url: r.url,
  httpStatus: r.http_status,
  requestId: r.request_id,
  error: r.error
})

/** What the write-ahead record holds before anything is sent: the summary's request fields and the previewed plan. */
export interface NewAction extends Pick<
  ActionSummary,
  'id' | 'batchId' | 'analyst' | 'reason' | 'connector' | 'action' | 'identity' | 'chainId' | 'sessionKeys' | 'dryRun'
> {
  plan: ConnectorPlan
}

export const insertAction = (db: CaseDb, a: NewAction): Promise<number> =>
  db.exec('response.action.insert', {
    id: a.id,
    batch_id: a.batchId,
    created_at: new Date().toISOString(),
    analyst: a.analyst,
    reason: a.reason,
    connector: a.connector,
    action: a.action,
    identity: a.identity,
    chain_id: a.chainId,
    session_keys: JSON.stringify(a.sessionKeys),
    dry_run: a.dryRun,
    status: a.dryRun ? 'dry-run' : 'running',
    plan: JSON.stringify(a.plan)
  })

export const setActionStatus = (db: CaseDb, id: string, status: ActionStatus, error: string | null): Promise<number> =>
  db.exec('response.action.status', { id, status, error, finished: status !== 'running' && status !== 'pending' })

export const markExecuted = (db: CaseDb, id: string): Promise<number> => db.exec('response.action.executed', { id, at: new Date().toISOString() })

export const getAction = async (db: CaseDb, id: string): Promise<{ summary: ActionSummary; plan: ConnectorPlan } | null> => {
  const row = await db.one<ActionRow>('response.action.get', { id })
  if (!row) return null
  return { summary: summaryOf(row), plan: JSON.parse(row.plan ?? '{}') as ConnectorPlan }
}

export const listActions = async (db: CaseDb, chainId: string | null, limit: number): Promise<ActionSummary[]> =>
  (await db.many<ActionRow>('response.action.list', { chain_id: chainId, limit })).map(summaryOf)

export const runningActionIds = async (db: CaseDb): Promise<string[]> => (await db.many<{ id: string }>('response.action.running')).map((r) => r.id)

export const listCalls = async (db: CaseDb, actionId: string): Promise<StoredCall[]> =>
  (await db.many<CallRow>('response.call.list', { action_id: actionId })).map(callOf)

export const listAttempts = async (db: CaseDb, actionId: string): Promise<AttemptRecord[]> =>
  (await db.many<AttemptRow>('response.attempt.list', { action_id: actionId })).map(attemptOf)

export const actionDetail = async (db: CaseDb, id: string): Promise<ActionDetail> => {
  const found = await getAction(db, id)
  if (!found) throw new Error(`no response action '${id}' in this case`)
  const [calls, attempts] = await Promise.all([listCalls(db, id), listAttempts(db, id)])
  return { ...found.summary, plan: found.plan, calls: calls.map(publicCall), attempts }
}

export const publicCall = ({ key: _key, kind: _kind, ...rest }: StoredCall): CallRecord => rest

export interface CallInsert extends Pick<CallSpec, 'key' | 'method' | 'url' | 'body' | 'purpose' | 'kind' | 'safeToRepeat'> {
  actionId: string
  callNo: number
}

export const insertCall = (db: CaseDb, c: CallInsert): Promise<number> =>
  db.exec('response.call.insert', {
    action_id: c.actionId,
    call_no: c.callNo,
    call_key: c.key,
    method: c.method,
    url: c.url,
    body: c.body === null || c.body === undefined ? null : JSON.stringify(c.body),
    purpose: c.purpose,
    kind: c.kind,
    safe_to_repeat: c.safeToRepeat,
    status: 'queued'
  })

export const updateCall = (
  db: CaseDb,
  actionId: string,
  callNo: number,
  u: { status: CallStatus; httpStatus: number | null; attempts: number; requestId: string | null; error: string | null }
): Promise<number> =>
  db.exec('response.call.update', {
    action_id: actionId,
    call_no: callNo,
    status: u.status,
    http_status: u.httpStatus,
    attempts: u.attempts,
    request_id: u.requestId,
    error: u.error
  })

export const startAttempt = (db: CaseDb, a: { actionId: string; callNo: number; attempt: number; method: string; url: string }): Promise<number> =>
  db.exec('response.attempt.start', {
    action_id: a.actionId,
    call_no: a.callNo,
    attempt: a.attempt,
    started_at: new Date().toISOString(),
    method: a.method,
    url: a.url
  })

export const finishAttempt = (
  db: CaseDb,
  a: { actionId: string; callNo: number; attempt: number; httpStatus: number | null; requestId: string | null; error: string | null }
): Promise<number> =>
  db.exec('response.attempt.finish', {
    action_id: a.actionId,
    call_no: a.callNo,
    attempt: a.attempt,
    finished_at: new Date().toISOString(),
    http_status: a.httpStatus,
    request_id: a.requestId,
    error: a.error
  })

export const markInterrupted = (db: CaseDb, actionId: string): Promise<number> => db.exec('response.call.interrupted', { action_id: actionId })

/** The action's status from its calls: an unknown outcome waits for the analyst; otherwise done/partial/failed. */
export const statusFromCalls = (calls: StoredCall[], aborted: boolean): ActionStatus => {
  if (calls.some((c) => c.status === 'unknown' || c.status === 'sending')) return 'pending'
  const changes = calls.filter((c) => c.kind === 'change')
  const done = changes.filter((c) => c.status === 'done').length
  const failed = calls.filter((c) => c.status === 'failed').length
  if (failed === 0 && !aborted) return 'done'
  return done > 0 ? 'partial' : 'failed'
}
