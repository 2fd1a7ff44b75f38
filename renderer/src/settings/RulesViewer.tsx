import { useEffect, useState } from 'react'
import type { RuleInfo } from '../../../contract'
import { api } from '../api'
import { RuleYaml } from './RuleYaml'

/**
 * The Sigma rules the case's last analysis loaded: the shipped catalog, the case's own rules/ folder and the
 * settings' rule folders; each with its source, level, status (with the reason when not ok) and hits here.
 */
export const RulesViewer = () => {
  const [rules, setRules] = useState<RuleInfo[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [q, setQ] = useState('')
  const [open, setOpen] = useState<string | null>(null)
  useEffect(() => {
    api('rules.list', {}).then(setRules, (err: Error) => setError(err.message))
  }, [])
  if (error) return <p className="panel error-text">Rules could not be listed: {error}</p>
  if (!rules) return <p className="panel muted">Loading the case's rules…</p>
  const catalog = rules.filter((r) => r.path.startsWith('policies/sigma/')).length
  const text = (r: RuleInfo) => `${r.source ?? ''} ${r.category ?? ''} ${r.title ?? ''} ${r.path} ${r.status}`.toLowerCase()
  const shown = rules.filter((r) => !q || text(r).includes(q.toLowerCase()))
  const problems = rules.filter((r) => r.status === 'error' || r.status === 'unsupported').length
  return (
    <div className="panel" data-testid="catalog">
      <div className="section-head">
        <h3>Detection rules (Sigma) · {rules.length} rules</h3>
        <input placeholder="filter rules" value={q} onChange={(e) => setQ(e.target.value)} data-testid="rules-filter" />
      </div>
      <p className="muted small" data-testid="catalog-origin">
        Built-in default catalog ({catalog} rules in policies/sigma), plus the rule files in this case folder's rules/ and the folders listed as ruleFolders in
        the app settings (settings.json in the data folder). {problems > 0 && `${problems} could not be used: see their reason.`} Re-analyse the case after
        adding or editing a rule.
      </p>
      <div className="table-scroll">
        <table className="grid wide">
          <thead>
            <tr>
              <th>source</th>
              <th>level</th>
              <th>status</th>
              <th>hits</th>
              <th>title</th>
              <th>category</th>
              <th>file</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r, i) => (
              <tr key={`${r.path}:${r.id ?? i}`} data-testid="sigma-rule" data-status={r.status}>
                <td>{r.source ?? '—'}</td>
                <td>{r.level && <span className={`sev sev-${r.level === 'informational' ? 'info' : r.level}`}>{r.level}</span>}</td>
                <td className="mono small" title={r.reason ?? ''}>
                  {r.status}
                  {r.reason && <div className="muted">{r.reason}</div>}
                </td>
                <td className="mono">{r.hits}</td>
                <td>{r.title ?? '—'}</td>
                <td className="mono small">{r.category ?? ''}</td>
                <td className="mono small">
                  <button type="button" className="link" onClick={() => setOpen(open === r.path ? null : r.path)} data-testid="rule-yaml-toggle">
                    {r.path}
                  </button>
                  {open === r.path && <RuleYaml path={r.path} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
