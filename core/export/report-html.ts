import type { EventRow, Finding } from '../../contract'
import type { EventRecord } from './event-record'
import { esc, html, join, type Html } from './html'
import { EVIDENCE_PER_FINDING, type ReportChain, type ReportModel } from './report-model'
import { REPORT_CSP, REPORT_CSS } from './report-style'

/**
 * The printable case report. Every statement about a chain carries links to the evidence events it rests on;
 * the evidence section lists each such event with its provenance (import, file, record) and raw record.
 * Self-contained: no script, no remote resource, a CSP that allows only its own inline stylesheet.
 */
export const renderReport = (m: ReportModel): string => {
  const anchors = new Map<string, number>()
  const ref = (uid: string): Html | null => {
    if (!m.evidence.has(uid)) return null
    if (!anchors.has(uid)) anchors.set(uid, anchors.size + 1)
    const n = anchors.get(uid)!
    return html`<a class="ev" href="#ev-${n}" title="evidence event ${uid}">[${n}]</a>`
  }
  const refs = (uids: string[]): Html => join(uids.map(ref).filter((x): x is Html => x !== null), ' ')

  const chainsHtml = m.chains.map((rc) => renderChain(rc, ref, refs))
  const evidenceHtml = [...anchors.entries()].map(([uid, n]) => renderEvidence(n, m.evidence.get(uid)!))
  const info = m.caseInfo
  const shown = m.chains.length < m.chainsTotal ? html` (the ${m.chains.length} highest-risk shown; export chains as CSV for all)` : ''
  const body = html`<header>
  <h1>Afterlogin case report: ${info.name}</h1>
  <p class="muted">Generated ${m.generatedAt} by Afterlogin ${m.version}. Case file ${info.path}.</p>
</header>
<section>
  <h2>Scope</h2>
  <p>${count(info.events, 'event')} from ${count(info.imports, 'import')}, ${info.firstEvent ?? '—'} to ${info.lastEvent ?? '—'} (UTC);
  ${count(info.quarantined, 'record')} quarantined. ${count(m.chainsTotal, 'chain')}${shown}.</p>
  <table><thead><tr><th>source</th><th>events</th></tr></thead><tbody>
  ${info.sources.map((s) => html`<tr><td>${s.source}</td><td class="num">${s.events.toLocaleString('en-US')}</td></tr>`)}
  </tbody></table>
</section>
<section>
  <h2>Chains</h2>
  ${chainsHtml.length ? chainsHtml : html`<p>No chains in this case.</p>`}
</section>
<section>
  <h2>Evidence</h2>
  <p class="muted">Each event a statement above links to, with where it came from and the record as the log wrote it.</p>
  ${evidenceHtml}
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

type Ref = (uid: string) => Html | null
type Refs = (uids: string[]) => Html

const firstOf = (events: EventRow[], key: (e: EventRow) => string | null): Map<string, string> => {
  const out = new Map<string, string>()
  for (const e of events) {
    const k = key(e)
    if (k && !out.has(k)) out.set(k, e.uid)
  }
  return out
}

const linkedList = (values: string[], firsts: Map<string, string>, ref: Ref): Html =>
  join(
    values.map((v) => {
      const uid = firsts.get(v)
      return html`<code>${v}</code>${uid ? ref(uid) : html` <span class="muted">(beyond the events listed)</span>`}`
    }),
    ', '
  )

const renderFinding = (f: Finding, refs: Refs): Html => {
  const shown = f.eventIds.slice(0, EVIDENCE_PER_FINDING)
  const more = f.eventIds.length - shown.length
  const attack = f.attack.length ? html` — ATT&amp;CK ${f.attack.join(', ')}` : ''
  const nhi = f.owaspNhi ? html`, OWASP ${f.owaspNhi}` : ''
  return html`<li><span class="sev sev-${f.severity}">${f.severity}</span> ${f.title} <span class="muted">(${f.category}${attack}${nhi})</span> ${refs(shown)}${
    more > 0 ? html` <span class="muted">and ${more} more evidence events (all uids are in the OCSF findings export)</span>` : ''
  }</li>`
}

/** A reason is linked to the findings it names (by category or title); otherwise to all of the chain's finding evidence. */
const reasonEvidence = (reason: string, findings: Finding[]): string[] => {
  const text = reason.toLowerCase()
  const named = findings.filter((f) => text.includes(f.category.toLowerCase()) || text.includes(f.category.replaceAll('_', ' ')) || text.includes(f.title.toLowerCase()))
  return (named.length ? named : findings).flatMap((f) => f.eventIds.slice(0, 5))
}

const renderChain = (rc: ReportChain, ref: Ref, refs: Refs): Html => {
  const c = rc.chain
  const ev = rc.events
  const bounds = ev.length ? [ev[0].uid, ev[ev.length - 1].uid] : []
  const apps = firstOf(ev, (e) => e.source)
  const ips = firstOf(ev, (e) => e.srcIp)
  const countries = firstOf(ev, (e) => e.country)
  const reasonsFallback = ev.length ? [ev[0].uid] : []
  return html`<article class="chain">
  <h3>${c.identity} <span class="muted">— ${c.identityType}, risk ${c.risk}/100, recommended response: ${c.response}</span></h3>
  <ul class="statements">
    <li>Active from ${c.start} to ${c.end} (UTC), ${c.events.toLocaleString('en-US')} events. ${refs(bounds)}</li>
    <li>Apps: ${linkedList(c.apps, apps, ref)}.</li>
    ${c.ips.length ? html`<li>Source IPs: ${linkedList(c.ips, ips, ref)}.</li>` : ''}
    ${c.countries.length ? html`<li>Countries: ${linkedList(c.countries, countries, ref)}.</li>` : ''}
    ${c.reasons.map((r) => {
      const uids = reasonEvidence(r, c.findings)
      return html`<li>Risk reason: ${r} ${refs(uids.length ? uids : reasonsFallback)}</li>`
    })}
  </ul>
  ${c.findings.length ? html`<h4>Findings</h4><ul class="statements">${c.findings.map((f) => renderFinding(f, refs))}</ul>` : html`<p class="muted">No findings.</p>`}
  ${rc.eventsTotal > ev.length ? html`<p class="muted">Locations above are linked among the first ${ev.length} of ${rc.eventsTotal} events.</p>` : ''}
</article>`
}

const renderEvidence = (n: number, e: EventRecord): Html => {
  let pretty = e.raw
  try {
    pretty = JSON.stringify(JSON.parse(e.raw), null, 2)
  } catch {
    // Not JSON (a CSV row): shown as the log wrote it.
  }
  return html`<div class="evidence" id="ev-${n}">
  <strong>[${n}]</strong> ${e.time} — <code>${e.source}</code> ${e.source_type ?? ''} <span class="muted">${e.category}/${e.outcome}</span><br>
  actor <code>${e.actor_name ?? e.actor_id ?? '—'}</code>${e.src_ip ? html` from <code>${e.src_ip}</code>` : ''}${e.geo_country ? html` (${e.geo_city ? `${e.geo_city}, ` : ''}${e.geo_country})` : ''}${
    e.target_name || e.target_id ? html`, target <code>${e.target_name ?? e.target_id}</code>` : ''
  }${e.session_key ? html`, session <code>${e.session_key}</code>` : ''}<br>
  <span class="muted">event ${e.uid} · import ${e.import_id} · ${e.file_path} record ${e.record_no}</span>
  <pre>${pretty}</pre>
</div>`
}
