import { useState } from 'react'
import catalog from '../../../policies/risky-actions.json'
import classification from '../../../policies/identity-classification.json'
import responsePolicy from '../../../policies/response-policy.json'

interface CatalogRule {
  id: string
  source: string
  types: string
  category: string
  severity: string
  title: string
  attack?: string[]
  owaspNhi?: string | null
}

const rules = (catalog as { rules: CatalogRule[] }).rules

/** The defaults this version ships; a case folder's policies/ copy overrides them for that case. */
export const CatalogViewer = () => {
  const [q, setQ] = useState('')
  const shown = rules.filter((r) => !q || `${r.source} ${r.category} ${r.title} ${r.types}`.toLowerCase().includes(q.toLowerCase()))
  return (
    <div className="panel" data-testid="catalog">
      <div className="section-head">
        <h3>Risky-action catalog · {rules.length} rules</h3>
        <input placeholder="filter rules" value={q} onChange={(e) => setQ(e.target.value)} />
      </div>
      <p className="muted small">Built-in defaults. Copy policies/risky-actions.json into a case folder to tune one case.</p>
      <div className="table-scroll">
        <table className="grid wide">
          <thead>
            <tr>
              <th>source</th>
              <th>category</th>
              <th>severity</th>
              <th>title</th>
              <th>event types</th>
              <th>ATT&CK</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id}>
                <td>{r.source}</td>
                <td className="mono">{r.category}</td>
                <td>
                  <span className={`sev sev-${r.severity}`}>{r.severity}</span>
                </td>
                <td>{r.title}</td>
                <td className="mono small">{r.types}</td>
                <td className="mono small">{(r.attack ?? []).join(' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

export const JsonViewer = ({ title, value, testId }: { title: string; value: unknown; testId: string }) => (
  <details className="panel" data-testid={testId}>
    <summary>
      <h3 className="inline">{title}</h3>
    </summary>
    <pre className="raw">{JSON.stringify(value, null, 2)}</pre>
  </details>
)

export const ClassificationViewer = () => <JsonViewer title="Identity classification" value={classification} testId="classification" />
export const ResponsePolicyViewer = () => <JsonViewer title="Response policy" value={responsePolicy} testId="response-policy" />
