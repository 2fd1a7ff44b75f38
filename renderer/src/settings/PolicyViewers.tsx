import { useEffect, useState } from 'react'
import type { CasePolicies, PolicyInEffect } from '../../../contract'
import { api } from '../api'
import { categoryLabel } from '../../../contract/labels'

interface CatalogRule {
  id: string
  source: string
  types: string | string[]
  category: string
  severity: string
  title: string
  attack?: string[]
}

const originText = (origin: string): string => (origin === 'default' ? 'Built-in default' : `This case's own copy: ${origin}`)

/** The policies the open case applies: the shipped defaults, overridden file by file by the case's policies/ folder. */
export const usePolicies = (): { policies: CasePolicies | null; error: string | null } => {
  const [policies, setPolicies] = useState<CasePolicies | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    api('policies.get', {}).then(setPolicies, (err: Error) => setError(err.message))
  }, [])
  return { policies, error }
}

export const CatalogViewer = ({ policy }: { policy: PolicyInEffect }) => {
  const [q, setQ] = useState('')
  const rules = (policy.value.rules ?? []) as CatalogRule[]
  const text = (r: CatalogRule) => `${r.source} ${r.category} ${r.title} ${[r.types].flat().join(' ')}`.toLowerCase()
  const shown = rules.filter((r) => !q || text(r).includes(q.toLowerCase()))
  return (
    <div className="panel" data-testid="catalog">
      <div className="section-head">
        <h3>Risky-action catalog · {rules.length} rules</h3>
        <input placeholder="filter rules" value={q} onChange={(e) => setQ(e.target.value)} />
      </div>
      <p className="muted small" data-testid="catalog-origin">
        {originText(policy.origin)}. Copy policies/risky-actions.json into the case folder's policies/ to tune one case.
      </p>
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
                <td title={r.category}>{categoryLabel(r.category)}</td>
                <td>
                  <span className={`sev sev-${r.severity}`}>{r.severity}</span>
                </td>
                <td>{r.title}</td>
                <td className="mono small">{[r.types].flat().join(' ')}</td>
                <td className="mono small">{(r.attack ?? []).join(' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

export const JsonViewer = ({ title, policy, testId }: { title: string; policy: PolicyInEffect; testId: string }) => (
  <details className="panel" data-testid={testId}>
    <summary>
      <h3 className="inline">{title}</h3> <span className="muted small">{originText(policy.origin)}</span>
    </summary>
    <pre className="raw">{JSON.stringify(policy.value, null, 2)}</pre>
  </details>
)

export const PolicyViewers = () => {
  const { policies, error } = usePolicies()
  if (error) return <p className="panel error-text">Policies could not be loaded: {error}</p>
  if (!policies) return <p className="panel muted">Loading the case's policies…</p>
  return (
    <>
      <CatalogViewer policy={policies.riskyActions} />
      <JsonViewer title="Identity classification" policy={policies.classification} testId="classification" />
      <JsonViewer title="Response policy" policy={policies.response} testId="response-policy" />
      <JsonViewer title="Known VPN and secure-access networks" policy={policies.vpnAsns} testId="vpn-asns" />
    </>
  )
}
