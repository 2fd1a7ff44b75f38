import type { ChainRow, Finding } from '../../contract'
import { categoryLabel, identityTypeLabel, reasonLabel, responseLabel, sourceLabel } from '../../contract/labels'
import type { EventRecord } from './event-record'
import { esc, html, join, type Html } from './html'
import { type ReportChain, type ReportModel, type Statement } from './report-model'
import { renderResponse, responseSummary } from './report-response-html'
import { REPORT_CSP, REPORT_CSS } from './report-style'

/**
 * The printable case report, written for the reader who has to act on it: a summary, the response taken and its
 * audit trail, each flagged chain (its story when there is one, then statements with links to the events they rest
 * on), and a capped evidence appendix. Evidence beyond the appendix is counted, never dropped silently: every uid is
 * in the OCSF findings export. Self-contained: no script, no remote resource, a CSP allowing only its own stylesheet.
 */
export const renderReport = (m: ReportModel): string => {
  const anchors = new Map([...m.evidence.keys()].map((uid, i) => [uid, i + 1]))
  const ref = (uid: string): Html => html`<a class="ev" href="#ev-${anchors.get(uid)}" title="evidence event ${uid}">[${anchors.get(uid)}]</a>`
  const info = m.caseInfo
  const body = html`<header>
  <h1>Afterlogin case report: ${info.name}</h1>
  <p class="muted">Generated ${m.generatedAt} by Afterlogin ${m.version}. Case file ${info.path}.</p>
</header>
${renderSummary(m)}
${renderResponse(m.response, info.path)}
<section>
  <h2>Flagged chains</h2>
  ${m.chains.length ? m.chains.map((rc, i) => renderChain(rc, i, ref)) : html`<p>No chain in this case has a finding.</p>`}
  ${m.flaggedNotShown > 0 ? html`<p class="muted">${m.flaggedNotShown} more flagged chains are not described here; export chains as CSV for all of them.</p>` : ''}
</section>
${renderQuiet(m)}
<section class="appendix">
  <h2>Appendix: evidence</h2>
  <p class="muted">The ${m.evidence.size} events linked above (of ${count(m.citedTotal, 'event')} the statements rest on), with where each came from and
  the record as the log wrote it (long records are cut). Every finding's full evidence is in the OCSF findings export.</p>
  ${[...m.evidence.values()].map((e, i) => renderEvidence(i + 1, e))}
</section>`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Afterlogin report: ${info.name}`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${body.text}
</body>
</html>
`
}

const count = (n: number, noun: string): string => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`
const categories = (findings: Finding[]): string => [...new Set(findings.map((f) => categoryLabel(f.category)))].join(', ')

const renderSummary = (m: ReportModel): Html => {
  const info = m.caseInfo
  const lead = m.chains.find((c) => c.story)
  const responses = new Map<string, number>()
  for (const c of m.chains)
    if (c.chain.response !== 'none') responses.set(responseLabel(c.chain.response), (responses.get(responseLabel(c.chain.response)) ?? 0) + 1)
  return html`<section>
  <h2>Summary</h2>
  ${lead ? html`<p class="story">${lead.story}</p>` : ''}
  <p>${count(info.events, 'event')} from ${count(info.sources.length, 'source')} (${info.sources.map((s) => sourceLabel(s.source)).join(', ') || 'none'}) in
  ${count(info.imports, 'import')}, ${info.firstEvent ?? '—'} to ${info.lastEvent ?? '—'} (UTC); ${count(info.quarantined, 'record')} quarantined.
  ${count(m.chainsTotal, 'chain')}, ${m.flaggedTotal} with findings${responses.size ? html`; recommended: ${[...responses].map(([r, n]) => `${r} ×${n}`).join(', ')}` : ''}.</p>
  <p>${responseSummary(m.response)}</p>
  ${
    m.chains.length
      ? html`<table class="compact"><thead><tr><th>identity</th><th>risk</th><th>recommended</th><th>apps</th><th>findings</th></tr></thead><tbody>
  ${m.chains.map(
    (rc, i) => html`<tr><td><a href="#chain-${i + 1}">${rc.chain.identity}</a><br><span class="muted">${identityTypeLabel(rc.chain.identityType)}</span></td>
    <td class="num">${rc.chain.risk}</td><td>${responseLabel(rc.chain.response)}</td><td>${rc.chain.apps.map(sourceLabel).join(', ')}</td><td>${categories(rc.chain.findings)}</td></tr>`
  )}
  </tbody></table>`
      : ''
  }
</section>`
}

const refsOf = (st: Statement, ref: (uid: string) => Html): Html => {
  const more = st.evidenceTotal - st.linked.length
  return html`${join(st.linked.map(ref), ' ')}${more > 0 ? html` <span class="muted">+${more} more events</span>` : ''}`
}

const statementText = (st: Statement): Html => {
  const w = st.what
  switch (w.kind) {
    case 'period':
      return html`Active from ${w.start} to ${w.end} (UTC), ${count(w.events, 'event')}.`
    case 'apps':
      return html`Apps: ${w.values.map(sourceLabel).join(', ')}.`
    case 'ips':
      return html`Source IPs: ${join(
        w.values.map((v) => html`<code>${v}</code>`),
        ', '
      )}.`
    case 'countries':
      return html`Countries: ${join(
        w.values.map((v) => html`<code>${v}</code>`),
        ', '
      )}.`
    case 'reason':
      return html`Why: ${reasonLabel(w.text)}`
    case 'finding': {
      const f = w.finding
      const attack = f.attack.length ? html` — ATT&amp;CK ${f.attack.join(', ')}` : ''
      const nhi = f.owaspNhi ? html`, OWASP ${f.owaspNhi}` : ''
      return html`<span class="sev sev-${f.severity}">${f.severity}</span> ${f.title} <span class="muted">(${categoryLabel(f.category)}${attack}${nhi})</span>`
    }
    default: {
      const never: never = w
      throw new Error(`unknown statement ${JSON.stringify(never)}`)
    }
  }
}

const renderChain = (rc: ReportChain, i: number, ref: (uid: string) => Html): Html => {
  const c = rc.chain
  const facts = rc.statements.filter((s) => s.what.kind !== 'finding')
  const findings = rc.statements.filter((s) => s.what.kind === 'finding')
  const li = (st: Statement) => html`<li>${statementText(st)} ${refsOf(st, ref)}</li>`
  return html`<article class="chain" id="chain-${i + 1}">
  <h3>${c.identity} <span class="muted">— ${identityTypeLabel(c.identityType)}, risk ${c.risk}/100, recommended response: ${responseLabel(c.response)}</span></h3>
  ${rc.story ? html`<p class="story">${rc.story}</p>` : ''}
  <ul class="statements">${facts.map(li)}</ul>
  ${findings.length ? html`<h4>Findings</h4><ul class="statements">${findings.map(li)}</ul>` : html`<p class="muted">No findings.</p>`}
  ${rc.eventsTotal > rc.eventsRead ? html`<p class="muted">Locations above are linked among the first ${rc.eventsRead} of ${rc.eventsTotal} events.</p>` : ''}
</article>`
}

const renderQuiet = (m: ReportModel): Html => {
  if (!m.quiet.length) return html``
  const more = m.chainsTotal - m.flaggedTotal - m.quiet.length
  const row = (c: ChainRow) =>
    html`<tr><td>${c.identity}</td><td>${identityTypeLabel(c.identityType)}</td><td>${c.apps.map(sourceLabel).join(', ')}</td><td class="num">${c.events.toLocaleString('en-US')}</td><td>${c.start.slice(0, 16)} → ${c.end.slice(0, 16)}</td></tr>`
  return html`<section>
  <h2>Chains without findings</h2>
  <table class="compact"><thead><tr><th>identity</th><th>type</th><th>apps</th><th>events</th><th>active (UTC)</th></tr></thead><tbody>${m.quiet.map(row)}</tbody></table>
  ${more > 0 ? html`<p class="muted">${more} more; export chains as CSV for all of them.</p>` : ''}
</section>`
}

const RAW_CHARS = 700

const renderEvidence = (n: number, e: EventRecord): Html => {
  let raw = e.raw
  try {
    raw = JSON.stringify(JSON.parse(e.raw))
  } catch {
    // Not JSON (a CSV row): shown as the log wrote it.
  }
  const cut = raw.length > RAW_CHARS ? `${raw.slice(0, RAW_CHARS)} … (${raw.length - RAW_CHARS} more characters)` : raw
  return html`<div class="evidence" id="ev-${n}">
  <strong>[${n}]</strong> ${e.time} — <code>${e.source}</code> ${e.source_type ?? ''} <span class="muted">${e.category}/${e.outcome}</span>,
  actor <code>${e.actor_name ?? e.actor_id ?? '—'}</code>${e.src_ip ? html` from <code>${e.src_ip}</code>` : ''}${e.geo_country ? html` (${e.geo_city ? `${e.geo_city}, ` : ''}${e.geo_country})` : ''}${
    e.target_name || e.target_id ? html`, target <code>${e.target_name ?? e.target_id}</code>` : ''
  }${e.session_key ? html`, session <code>${e.session_key}</code>` : ''}<br>
  <span class="muted">event ${e.uid} · import ${e.import_id} · ${e.file_path} record ${e.record_no}</span>
  <pre>${cut}</pre>
</div>`
}
