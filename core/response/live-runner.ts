import type { CaseDb } from '../store/case-db'
import { appendAudit } from '../audit/audit'
import { finishAttempt, insertCall, listCalls, markExecuted, startAttempt, updateCall, type StoredCall } from './outbox'
import { backoffMs, DEFAULT_POLICY, type BackoffPolicy } from './rate-limit'
import type { CallRunner, CallSpec, Connector, ProviderReply, Verdict } from './types'

/** The call failed for good; the script stops unless the connector chose to carry on. */
export class CallFailed extends Error {}
/** The call's outcome is unknown and it is not safe to send again: the action waits for the analyst. */
export class CallUnknown extends Error {}

export interface LiveRunnerOptions {
  db: CaseDb
  actionId: string
  connector: Connector
  analyst: string
  redact: (text: string) => string
  policy?: Partial<BackoffPolicy>
  /** On resume: calls with an unknown outcome are sent again even when not safe to repeat. */
  resendUnsafe?: boolean
  onChange?: () => void
  sleep?: (ms: number) => Promise<void>
}

const defaultSleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms))

const describeThrow = (err: unknown, timeoutMs: number): { error: string; sent: boolean } => {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { error: `timeout after ${timeoutMs} ms`, sent: true }
  const code = e?.cause?.code ?? e?.code
  // Refused or unresolvable: the request never reached the provider, so it cannot have acted.
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { error: `network: ${code}`, sent: false }
  return { error: `network: ${code ?? e?.cause?.message ?? e?.message ?? String(err)}`, sent: true }
}

/**
 * Sends one action's calls through the outbox. Each call is written (queued) before it is sent and each
 * attempt is written before the request leaves, so a crash at any point leaves a record of what may
 * have happened. Retries: throttling and 5xx back off with a cap; unsafe calls are only retried when
 * the provider's answer proves they did nothing.
 */
export class LiveRunner implements CallRunner {
  readonly preview = false
  private readonly policy: BackoffPolicy
  private readonly sleep: (ms: number) => Promise<void>
  private known: StoredCall[] = []
  private nextNo = 0
  private used = new Set<number>()

  constructor(private readonly o: LiveRunnerOptions) {
    this.policy = { ...DEFAULT_POLICY, ...o.policy }
    this.sleep = o.sleep ?? defaultSleep
  }

  /** Loads calls already in the outbox (a resumed action). */
  async load(): Promise<void> {
    this.known = await listCalls(this.o.db, this.o.actionId)
    this.nextNo = this.known.reduce((n, c) => Math.max(n, c.callNo + 1), 0)
  }

  async call<T>(spec: CallSpec): Promise<T> {
    const data = await this.exchange(spec, false)
    return data as T
  }

  async callAllowMissing<T>(spec: CallSpec): Promise<T | null> {
    return (await this.exchange(spec, true)) as T | null
  }

  private async exchange(spec: CallSpec, allowMissing: boolean): Promise<unknown> {
    const url = this.o.redact(spec.url)
    const prior = this.known.find((c) => c.key === spec.key && !this.used.has(c.callNo))
    let callNo: number
    let attempts = 0
    if (prior) {
      this.used.add(prior.callNo)
      callNo = prior.callNo
      attempts = prior.attempts
      // A change already made is not made twice; lookups are reads and are simply asked again.
      if (prior.kind === 'change' && (prior.status === 'done' || prior.status === 'skipped')) return null
      if ((prior.status === 'unknown' || prior.status === 'sending') && !spec.safeToRepeat && !this.o.resendUnsafe) {
        throw new CallUnknown(`${spec.method} ${url}: sent before an interruption and not safe to repeat; check at the provider, then resend or settle`)
      }
    } else {
      callNo = this.nextNo++
      this.used.add(callNo)
      await insertCall(this.o.db, {
        actionId: this.o.actionId,
        callNo,
        key: spec.key,
        method: spec.method,
        url,
        body: spec.body ?? null,
        purpose: spec.purpose,
        kind: spec.kind,
        safeToRepeat: spec.safeToRepeat
      })
    }
    return this.attemptLoop(spec, url, callNo, attempts, allowMissing)
  }

  private async attemptLoop(spec: CallSpec, url: string, callNo: number, done: number, allowMissing: boolean): Promise<unknown> {
    const { db, actionId, connector } = this.o
    const first = done + 1
    for (let attempt = first; ; attempt++) {
      await updateCall(db, actionId, callNo, { status: 'sending', httpStatus: null, attempts: attempt, requestId: null, error: null })
      await startAttempt(db, { actionId, callNo, attempt, method: spec.method, url })
      this.o.onChange?.()
      let reply: ProviderReply | null = null
      let verdict: Verdict
      let sent = true
      try {
        reply = await spec.send(AbortSignal.timeout(this.policy.timeoutMs))
        verdict = connector.interpret(reply)
      } catch (err) {
        const d = describeThrow(err, this.policy.timeoutMs)
        sent = d.sent
        verdict = { ok: false, error: d.error, retryable: true, waitMs: null, notApplied: !d.sent, notFound: false }
      }
      const requestId = reply ? (connector.requestIdHeaders.map((h) => reply.headers[h]).find(Boolean) ?? null) : null
      const error = verdict.ok ? null : this.o.redact(verdict.error)
      await finishAttempt(db, { actionId, callNo, attempt, httpStatus: reply?.status ?? null, requestId, error })
      await appendAudit(db, {
        actor: this.o.analyst,
        kind: 'response.attempt',
        subject: actionId,
        detail: { connector: connector.id, call: callNo, attempt, method: spec.method, url, httpStatus: reply?.status ?? null, requestId, error }
      })

      const settle = async (status: StoredCall['status'], err: string | null) => {
        await updateCall(db, actionId, callNo, { status, httpStatus: reply?.status ?? null, attempts: attempt, requestId, error: err })
        this.o.onChange?.()
      }
      if (verdict.ok) {
        await settle('done', null)
        if (spec.kind === 'change') await markExecuted(db, actionId)
        return verdict.data
      }
      if (verdict.notFound && allowMissing) {
        await settle('skipped', 'not found at the provider: nothing to do')
        return null
      }
      // Unsafe calls are only sent again when the answer proves nothing happened (throttled, refused, 503).
      const mayRepeat = spec.safeToRepeat || verdict.notApplied
      if (verdict.retryable && mayRepeat && attempt - first + 1 < this.policy.maxAttempts) {
        const wait = verdict.waitMs ?? backoffMs(attempt - first + 1, this.policy)
        if (wait > this.policy.maxWaitMs) {
          await settle('failed', `${error}; the provider asked to wait ${Math.ceil(wait / 1000)} s, longer than the ${this.policy.maxWaitMs / 1000} s cap`)
          throw new CallFailed(`${spec.method} ${url}: ${error}`)
        }
        await this.sleep(wait)
        continue
      }
      if (!sent || verdict.notApplied || spec.safeToRepeat || reply) {
        await settle('failed', error)
        throw new CallFailed(`${spec.method} ${url}: ${error}`)
      }
      // A timeout or a dropped connection on a call that must not be repeated: nobody knows whether it happened.
      await settle('unknown', `${error}; outcome unknown and not safe to repeat`)
      throw new CallUnknown(`${spec.method} ${url}: ${error}; outcome unknown`)
    }
  }
}
