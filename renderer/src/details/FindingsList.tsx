import type { Finding, FindingRule } from '../../../contract'
import { useState } from 'react'
import { RuleYaml } from '../settings/RuleYaml'
import { useInvestigation } from '../state/investigation-store'
import { categoryLabel } from '../../../contract/labels'

/** Each finding with the events that prove it: clicking one opens its record. */
export const FindingsList = ({ findings }: { findings: Finding[] }) => {
  const openEvent = useInvestigation((s) => s.openEvent)
  if (findings.length === 0) return <p className="muted small">No findings.</p>
  return (
    <ul className="findings" data-testid="findings">
      {findings.map((f) => (
        <li key={f.id} className={`finding sev-${f.severity}`} data-category={f.category}>
          <div className="finding-head">
            <span className={`sev sev-${f.severity}`}>{f.severity}</span>
            <span className="finding-title">{f.title}</span>
            {f.afterPivot && (
              <span className="finding-pivot small" title="At or after the moment the session changed hands" data-testid="finding-after-pivot">
                after pivot
              </span>
            )}
          </div>
          {f.detail && (
            <div className="finding-detail small muted" data-testid="finding-detail">
              {f.detail}
            </div>
          )}
          <div className="finding-meta small">
            <span title={f.category}>{categoryLabel(f.category)}</span>
            {f.attack.map((t) => (
              <span key={t} className="chip" title="MITRE ATT&CK technique">
                {t}
              </span>
            ))}
            {f.owaspNhi && (
              <span className="chip" title="OWASP Non-Human Identities Top 10">
                {f.owaspNhi}
              </span>
            )}
          </div>
          {f.rule && <FindingRuleView rule={f.rule} />}
          {f.eventIds.length > 0 && (
            <div className="finding-events small">
              events:
              {f.eventIds.slice(0, 8).map((uid, i) => (
                <button key={uid} type="button" className="link mono" onClick={() => openEvent(uid)} title={uid} data-testid="finding-event">
                  #{i + 1}
                </button>
              ))}
              {f.eventIds.length > 8 && <span className="muted"> +{f.eventIds.length - 8} more</span>}
            </div>
          )}
        </li>
      ))}
    </ul>
  )
}

/** The Sigma rule behind a finding, with its attribution, and its YAML on demand. */
const FindingRuleView = ({ rule }: { rule: FindingRule }) => {
  const [yaml, setYaml] = useState(false)
  return (
    <div className="finding-rule small" data-testid="finding-rule">
      <span className="muted">rule </span>
      <span>{rule.title}</span> <span className="mono muted">{rule.id}</span>
      {rule.author && <span className="muted"> · {rule.author}</span>}
      {rule.description && <div className="muted">{rule.description}</div>}
      {rule.falsepositives.length > 0 && <div className="muted">false positives: {rule.falsepositives.join('; ')}</div>}
      <button type="button" className="link" onClick={() => setYaml(!yaml)} data-testid="finding-rule-yaml">
        {yaml ? 'hide YAML' : 'show YAML'}
      </button>
      {yaml && <RuleYaml path={rule.path} />}
    </div>
  )
}
