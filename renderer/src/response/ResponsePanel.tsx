import { memo } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { ActionStatus, CallStatus, ConnectorId, ConnectorPlan } from '../../../contract'
import { RESPONSE_ACTIONS } from '../../../contract'
import { responseLabel } from '../../../contract/labels'
import { useResponse } from './use-response'

const ACTION_LABEL: Record<(typeof RESPONSE_ACTIONS)[number], string> = {
  'step-up': 'Step-up',
  'revoke-tokens': 'Revoke tokens',
  'terminate-session': 'Terminate sessions',
  'suspend-identity': 'Suspend identity'
}

export const StatusBadge = ({ status }: { status: ActionStatus | CallStatus }) => (
  <span className={`rsp-badge rsp-${status}`} data-status={status}>
    {status}
  </span>
)

const PlanCard = memo(({ plan, simulated }: { plan: ConnectorPlan; simulated: boolean }) => (
  <section className="rsp-plan" data-testid={`response-plan-${plan.connector}`} data-simulated={String(simulated)}>
    <header>
      <strong>{plan.label}</strong> <span className="rsp-muted">→ {plan.target}</span>
      {simulated && (
        <span className="rsp-badge rsp-simulated" title="a provider simulated on this machine (loopback): no real tenant is touched">
          simulated
        </span>
      )}
      {!plan.configured && <span className="rsp-warn"> not configured: {plan.missing.join(', ')}</span>}
    </header>
    {plan.supported ? (
      <>
        <ol className="rsp-calls">
          {plan.calls.map((c, i) => (
            <li key={i} className={c.kind}>
              <code>
                {c.method} {c.url}
              </code>
              {c.body !== null && <code className="rsp-body">{JSON.stringify(c.body)}</code>}
              <span className="rsp-muted">
                {c.purpose}
                {c.repeat ? ` · ${c.repeat}` : ''}
                {c.kind === 'change' && !c.safeToRepeat ? ' · not safe to repeat' : ''}
              </span>
            </li>
          ))}
        </ol>
        <dl className="rsp-effects">
          <dt>Cuts</dt>
          <dd>{plan.cuts.join('; ')}</dd>
          <dt>Does not cut</dt>
          <dd>{plan.doesNotCut.join('; ')}</dd>
          <dt>Residual access</dt>
          <dd>{plan.residual}</dd>
          <dt>Needs</dt>
          <dd data-testid={`response-permissions-${plan.connector}`}>{plan.permissions.join('; ')}</dd>
          <dt>Sources</dt>
          <dd className="rsp-sources">{plan.docs.join(' · ')}</dd>
        </dl>
      </>
    ) : null}
    {plan.notes.map((n) => (
      <p key={n} className="rsp-note">
        {n}
      </p>
    ))}
  </section>
))

const LiveStatus = () => {
  const sent = useResponse((s) => s.sent)
  const live = useResponse((s) => s.live)
  return (
    <section className="rsp-live" data-testid="response-live">
      <h3>Status</h3>
      {sent.map((a) => {
        const now = live[a.id]
        const status = now?.status ?? a.status
        return (
          <div key={a.id} className="rsp-live-row" data-testid={`response-status-${a.connector}`} data-status={status}>
            <strong>{a.connector}</strong> <StatusBadge status={status} />
            <ul>
              {(now?.calls ?? []).map((c) => (
                <li key={c.callNo}>
                  <StatusBadge status={c.status} />{' '}
                  <code>
                    {c.method} {c.url}
                  </code>
                  {c.attempts > 1 && <span className="rsp-muted"> · {c.attempts} attempts</span>}
                  {c.error && <span className="rsp-warn"> · {c.error}</span>}
                </li>
              ))}
            </ul>
          </div>
        )
      })}
    </section>
  )
}

const ConnectorChoice = ({ id }: { id: ConnectorId }) => {
  const info = useResponse((s) => s.connectors.find((c) => c.id === id))
  const checked = useResponse((s) => s.selected.includes(id))
  const action = useResponse((s) => s.action)
  const dryRun = useResponse((s) => s.dryRun)
  const toggle = useResponse((s) => s.toggle)
  const supported = info?.actions.includes(action) ?? false
  const usable = supported && (info?.configured || dryRun)
  return (
    <label className={`rsp-connector${usable ? '' : ' off'}`} title={info && !info.configured ? `set ${info.missing.join(', ')}` : undefined}>
      <input type="checkbox" data-testid={`response-connector-${id}`} checked={checked} disabled={!usable} onChange={() => toggle(id)} />
      {info?.label ?? id}
      {info?.simulated && <span className="rsp-badge rsp-simulated">simulated</span>}
      {!supported ? <span className="rsp-muted"> · cannot {action}</span> : !info?.configured && <span className="rsp-warn"> · not configured</span>}
    </label>
  )
}

/** Choose the action and connectors for a chain, read the exact calls, confirm with a reason, watch it happen. */
export const ResponsePanel = () => {
  // Only the form's own fields: live status pushes re-render LiveStatus, not the whole panel.
  const s = useResponse(
    useShallow((x) => ({
      target: x.target,
      phase: x.phase,
      recommended: x.recommended,
      action: x.action,
      setAction: x.setAction,
      candidates: x.candidates,
      dryRun: x.dryRun,
      setDryRun: x.setDryRun,
      selected: x.selected,
      loadPreview: x.loadPreview,
      preview: x.preview,
      reason: x.reason,
      setReason: x.setReason,
      analyst: x.analyst,
      setAnalyst: x.setAnalyst,
      confirm: x.confirm,
      error: x.error,
      sent: x.sent
    }))
  )
  const simulated = useResponse(useShallow((x) => x.connectors.filter((c) => c.simulated).map((c) => c.id)))
  if (!s.target) return null
  const busy = s.phase === 'loading' || s.phase === 'previewing' || s.phase === 'sending'
  const canConfirm = s.phase === 'preview' && s.reason.trim().length >= 3 && s.selected.length > 0
  return (
    <div className="rsp-panel" data-testid="response-panel" data-phase={s.phase}>
      <p className="rsp-target">
        <strong data-testid="response-identity">{s.target.identity}</strong>
        {s.target.sessionId && <span className="rsp-muted"> · session {s.target.sessionId}</span>}
        {s.recommended && <span className="rsp-muted"> · recommended: {responseLabel(s.recommended)}</span>}
      </p>
      <fieldset className="rsp-actions" disabled={busy || s.phase === 'sent'}>
        {RESPONSE_ACTIONS.map((a) => (
          <label key={a} className={s.action === a ? 'on' : ''}>
            <input type="radio" name="rsp-action" data-testid={`response-action-${a}`} checked={s.action === a} onChange={() => s.setAction(a)} />
            {ACTION_LABEL[a]}
          </label>
        ))}
      </fieldset>
      <fieldset className="rsp-connectors" disabled={busy || s.phase === 'sent'}>
        <legend>Connectors</legend>
        {s.candidates.map((id) => (
          <ConnectorChoice key={id} id={id} />
        ))}
        <label className="rsp-connector">
          <input type="checkbox" data-testid="response-dry-run" checked={s.dryRun} onChange={(e) => s.setDryRun(e.target.checked)} />
          Dry run (record the intent, send nothing)
        </label>
      </fieldset>
      {s.phase !== 'sent' && (
        <button data-testid="response-preview" disabled={busy || s.selected.length === 0} onClick={() => void s.loadPreview()}>
          {s.phase === 'previewing' ? 'Preparing preview…' : 'Preview calls'}
        </button>
      )}
      {s.sent.length > 0 && <LiveStatus />}
      {s.preview && (
        <details className="rsp-sent-preview" open={s.phase !== 'sent'}>
          <summary>Calls previewed</summary>
          <div className="rsp-preview" data-testid="response-preview-list">
            {s.preview.plans.map((p) => (
              <PlanCard key={p.connector} plan={p} simulated={simulated.includes(p.connector)} />
            ))}
          </div>
        </details>
      )}
      {s.phase === 'preview' || s.phase === 'sending' ? (
        <div className="rsp-confirm">
          <label>
            Reason (goes into the audit trail)
            <textarea
              data-testid="response-reason"
              value={s.reason}
              onChange={(e) => s.setReason(e.target.value)}
              rows={2}
              placeholder="e.g. Okta session replayed from another country; exports followed"
            />
          </label>
          <label>
            Analyst
            <input data-testid="response-analyst" value={s.analyst} onChange={(e) => s.setAnalyst(e.target.value)} placeholder="your OS user name" />
          </label>
          <button className="rsp-danger" data-testid="response-confirm" disabled={!canConfirm || busy} onClick={() => void s.confirm()}>
            {s.dryRun ? 'Record dry run' : `Confirm ${ACTION_LABEL[s.action].toLowerCase()} (${s.selected.length})`}
          </button>
        </div>
      ) : null}
      {s.error && (
        <p className="rsp-error" role="alert" data-testid="response-error">
          {s.error}
        </p>
      )}
    </div>
  )
}
