import type { CaseInfo } from '../../../contract'
import { CoveragePanel } from '../home/Coverage'
import { ImportPanel } from '../import/ImportPanel'
import { appColor } from '../lib/app-colors'
import { fmtCount, fmtTime } from '../lib/format'
import { useNav } from '../state/nav-store'

const Stat = ({ id, value, label }: { id: string; value: number; label: string }) => (
  <div className="stat" data-testid={id}>
    <span className="value">{fmtCount(value)}</span>
    <span className="label">{label}</span>
  </div>
)

export const CaseHome = ({ info }: { info: CaseInfo }) => {
  const go = useNav((s) => s.go)
  const max = Math.max(1, ...info.sources.map((s) => s.events))
  return (
    <section className="case-home" data-testid="case-home">
      <div className="stats">
        <Stat id="count-events" value={info.events} label="events" />
        <Stat id="count-sources" value={info.sources.length} label="sources" />
        <Stat id="count-imports" value={info.imports} label="imports" />
        <Stat id="count-quarantined" value={info.quarantined} label="quarantined" />
        <div className="stat wide">
          <span className="value small-value" data-testid="time-range">
            {fmtTime(info.firstEvent)} → {fmtTime(info.lastEvent)}
          </span>
          <span className="label">time range of the data (UTC)</span>
        </div>
        {info.events > 0 && (
          <button type="button" className="primary" onClick={() => go('sessions')} data-testid="go-sessions">
            Review sessions →
          </button>
        )}
      </div>
      <div className="home-grid">
        <ImportPanel />
        <div className="panel">
          <h3>Events per source</h3>
          {info.sources.length === 0 ? (
            <p className="muted" data-testid="no-sources">
              This case holds no events yet. Drop exported logs on the import panel to start.
            </p>
          ) : (
            <table className="grid" data-testid="source-counts">
              <tbody>
                {info.sources.map((s) => (
                  <tr key={s.source} data-source={s.source}>
                    <td>
                      <span className="app-dot" style={{ background: appColor(s.source) }} />
                      {s.source}
                    </td>
                    <td className="bar-cell">
                      <span className="bar" style={{ width: `${(100 * s.events) / max}%`, background: appColor(s.source) }} />
                    </td>
                    <td className="num">{fmtCount(s.events)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
      <CoveragePanel info={info} />
    </section>
  )
}
