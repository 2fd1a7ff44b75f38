import { useCallback, useEffect, useState } from 'react'
import type { ActionSummary, AuditRecord, AuditVerification } from '../../../contract'
import { responseLabel } from '../../../contract/labels'
import { api, onPush } from '../api'
import { errorText, fmtTime } from '../lib/format'
import { StatusBadge } from './ResponsePanel'

const download = (name: string, text: string, type: string) => {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

const PendingActions = ({ action, onDone }: { action: ActionSummary; onDone: () => void }) => {
  const [reason, setReason] = useState('')
  const [err, setErr] = useState<string | null>(null)
  const run = async (work: () => Promise<unknown>) => {
    try {
      setErr(null)
      await work()
      onDone()
    } catch (e) {
      setErr(errorText(e))
    }
  }
  const ok = reason.trim().length >= 3
  return (
    <div className="rsp-pending" data-testid={`audit-pending-${action.id}`}>
      <input placeholder="reason (required)" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="audit-pending-reason" />
      <button disabled={!ok} onClick={() => void run(() => api('response.resume', { id: action.id, reason, resendUnsafe: false }))} data-testid="audit-resume">
        Resume safe calls
      </button>
      <button disabled={!ok} onClick={() => void run(() => api('response.resume', { id: action.id, reason, resendUnsafe: true }))} data-testid="audit-resend">
        Resend all
      </button>
      <button disabled={!ok} onClick={() => void run(() => api('response.settle', { id: action.id, outcome: 'done', reason }))} data-testid="audit-settle-done">
        Mark done
      </button>
      {err && <span className="rsp-warn">{err}</span>}
    </div>
  )
}

/** Every response action of the case and the hash-chained audit trail, with verification and export. */
export const AuditTab = () => {
  const [actions, setActions] = useState<ActionSummary[] | null>(null)
  const [records, setRecords] = useState<AuditRecord[]>([])
  const [verified, setVerified] = useState<AuditVerification | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(async () => {
    try {
      const [a, page] = await Promise.all([api('response.actions', { limit: 500 }), api('audit.list', { offset: 0, limit: 500 })])
      setActions(a)
      setRecords(page.rows)
      setError(null)
    } catch (err) {
      setError(errorText(err))
    }
  }, [])

  useEffect(() => {
    void load()
    // A running batch pushes many updates: reload at most every 300 ms.
    let timer: ReturnType<typeof setTimeout> | null = null
    const off = onPush('response.status', () => {
      timer ??= setTimeout(() => {
        timer = null
        void load()
      }, 300)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [load])

  const verify = async () => setVerified(await api('audit.verify', {}))
  const exportAs = async (format: 'json' | 'csv') => {
    const out = await api('audit.export', { format })
    download(`afterlogin-audit.${format}`, out.text, format === 'csv' ? 'text/csv' : 'application/json')
  }

  if (error)
    return (
      <p className="rsp-error" role="alert">
        {error}
      </p>
    )
  if (!actions) return <p className="rsp-muted">Loading the audit trail…</p>
  return (
    <div className="rsp-audit" data-testid="audit-tab" data-count={actions.length}>
      <div className="rsp-audit-bar">
        <button onClick={() => void verify()} data-testid="audit-verify">
          Verify chain
        </button>
        <button onClick={() => void exportAs('csv')} data-testid="audit-export-csv">
          Export CSV
        </button>
        <button onClick={() => void exportAs('json')} data-testid="audit-export-json">
          Export JSON
        </button>
        {verified && (
          <span className={verified.ok ? 'rsp-ok' : 'rsp-warn'} data-testid="audit-verified" data-ok={String(verified.ok)}>
            {verified.ok
              ? `${verified.records} records intact · head ${verified.head?.slice(0, 12) ?? '—'}`
              : `broken at #${verified.brokenAt}: ${verified.problem}`}
          </span>
        )}
      </div>
      {actions.length === 0 ? (
        <p className="rsp-muted">No response action in this case yet. Actions, dry runs included, appear here with their reason.</p>
      ) : (
        <table className="rsp-table">
          <thead>
            <tr>
              <th>When (UTC)</th>
              <th>Analyst</th>
              <th>Action</th>
              <th>Connector</th>
              <th>Identity</th>
              <th>Status</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {actions.map((a) => (
              <tr key={a.id} data-testid="audit-action" data-connector={a.connector} data-status={a.status}>
                <td>{fmtTime(a.createdAt)}</td>
                <td>{a.analyst}</td>
                <td>
                  {responseLabel(a.action)}
                  {a.dryRun ? ' (dry run)' : ''}
                </td>
                <td>{a.connector}</td>
                <td>{a.identity}</td>
                <td>
                  <StatusBadge status={a.status} />
                  {a.error && <div className="rsp-muted">{a.error}</div>}
                  {a.status === 'pending' && <PendingActions action={a} onDone={() => void load()} />}
                </td>
                <td title={a.reason}>{a.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details className="rsp-records">
        <summary>Audit records ({records.length})</summary>
        <ol>
          {records.map((r) => (
            <li key={r.seq} data-testid="audit-record">
              <code>#{r.seq}</code> {fmtTime(r.at)} {r.actor} <strong>{r.kind}</strong> {r.subject ?? ''}{' '}
              <code className="rsp-muted">{r.hash.slice(0, 12)}</code>
            </li>
          ))}
        </ol>
      </details>
    </div>
  )
}
