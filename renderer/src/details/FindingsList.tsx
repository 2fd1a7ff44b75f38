import type { Finding } from '../../../contract'
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
          {f.detail && <div className="finding-detail small muted" data-testid="finding-detail">{f.detail}</div>}
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
