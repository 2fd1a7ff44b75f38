import type { ActionSummary, AuditRecord } from '../../contract'
import { responseLabel } from '../../contract/labels'
import { html, type Html } from './html'
import { AUDIT_TAIL, type ReportResponse } from './report-model'

const STATUS: Record<ActionSummary['status'], string> = {
  pending: 'pending',
  running: 'running',
  done: 'done',
  failed: 'failed',
  partial: 'partly done',
  'dry-run': 'dry run (nothing sent)'
}

/** One line saying what the response record holds, for the summary. */
export const responseSummary = (r: ReportResponse): Html => {
  const counts = new Map<string, number>()
  for (const a of r.actions) counts.set(STATUS[a.status], (counts.get(STATUS[a.status]) ?? 0) + 1)
  const actions = r.actions.length
    ? html`${r.actions.length}${r.actionsMore ? '+' : ''} response action${r.actions.length === 1 ? '' : 's'} recorded (${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')})`
    : html`No response action recorded`
  const audit = r.verification.ok
    ? html`the audit trail holds ${r.auditTotal} record${r.auditTotal === 1 ? '' : 's'} and verifies intact`
    : html`<strong>the audit trail is broken</strong> at record ${r.verification.brokenAt ?? '?'}: ${r.verification.problem ?? ''}`
  return html`${actions}; ${audit}. <a href="#response">Details</a>.`
}

const actionRow = (a: ActionSummary): Html => html`<tr>
  <td>${a.createdAt.replace('T', ' ').slice(0, 19)}</td>
  <td>${responseLabel(a.action)}<br><span class="muted">${a.connector}</span></td>
  <td><code>${a.identity}</code></td>
  <td>${STATUS[a.status]}${a.error ? html`<br><span class="muted">${a.error}</span>` : ''}</td>
  <td>${a.analyst}</td>
  <td>${a.reason}</td>
</tr>`

const auditRow = (r: AuditRecord): Html => html`<tr>
  <td class="num">${r.seq}</td><td>${r.at.replace('T', ' ').slice(0, 19)}</td><td>${r.actor}</td><td><code>${r.kind}</code></td>
  <td>${r.subject ?? ''}</td><td><code>${r.hash.slice(0, 12)}</code></td>
</tr>`

/** The response actions taken from this case (the outbox) and the hash-chained audit trail that records them. */
export const renderResponse = (r: ReportResponse, casePath: string): Html => {
  const v = r.verification
  const earlier = r.auditTotal - r.auditTail.length
  return html`<section id="response">
  <h2>Response actions and audit trail</h2>
  ${
    r.actions.length
      ? html`<table class="compact"><thead><tr><th>time (UTC)</th><th>action</th><th>identity</th><th>status</th><th>analyst</th><th>reason</th></tr></thead>
  <tbody>${r.actions.map(actionRow)}</tbody></table>
  ${r.actionsMore ? html`<p class="muted">Only the latest ${r.actions.length} actions are listed; <code>afterlogin respond --case … --list</code> lists all.</p>` : ''}`
      : html`<p>No response action has been previewed, dry-run or sent from this case.</p>`
  }
  <h3>Audit trail</h3>
  <p>${
    v.ok
      ? html`${v.records} record${v.records === 1 ? '' : 's'}, hash chain verified intact${v.head ? html`; head <code>${v.head.slice(0, 16)}</code> (note it to detect a truncated tail later)` : ''}.`
      : html`<strong>Broken</strong> at record ${v.brokenAt ?? '?'}: ${v.problem ?? 'unknown problem'}.`
  }</p>
  ${
    r.auditTail.length
      ? html`<table class="compact"><thead><tr><th>#</th><th>time (UTC)</th><th>actor</th><th>kind</th><th>subject</th><th>hash</th></tr></thead>
  <tbody>${r.auditTail.map(auditRow)}</tbody></table>
  ${earlier > 0 ? html`<p class="muted">The last ${AUDIT_TAIL} of ${r.auditTotal} records; the full trail: <code>afterlogin audit --case ${casePath} --json</code> (or the Audit screen).</p>` : ''}`
      : ''
  }
</section>`
}
