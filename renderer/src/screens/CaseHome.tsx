import type { CaseInfo } from '../../../contract'
import { ImportPanel } from '../import/ImportPanel'

const fmt = new Intl.NumberFormat('en-US')
const utc = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') + ' UTC' : '—')

export const CaseHome = ({ info }: { info: CaseInfo }) => (
  <section className="case-home" data-testid="case-home">
    <div className="stats">
      <div className="stat" data-testid="count-events">
        <span className="value">{fmt.format(info.events)}</span>
        <span className="label">events</span>
      </div>
      <div className="stat" data-testid="count-sources">
        <span className="value">{info.sources.length}</span>
        <span className="label">sources</span>
      </div>
      <div className="stat" data-testid="count-imports">
        <span className="value">{fmt.format(info.imports)}</span>
        <span className="label">imports</span>
      </div>
      <div className="stat" data-testid="count-quarantined">
        <span className="value">{fmt.format(info.quarantined)}</span>
        <span className="label">quarantined</span>
      </div>
    </div>
    <div className="panel">
      <h3>Time range</h3>
      <p data-testid="time-range">
        {utc(info.firstEvent)} → {utc(info.lastEvent)}
      </p>
    </div>
    <div className="panel">
      <h3>Events per source</h3>
      {info.sources.length === 0 ? (
        <p className="muted" data-testid="no-sources">
          This case holds no events yet.
        </p>
      ) : (
        <table className="grid" data-testid="source-counts">
          <tbody>
            {info.sources.map((s) => (
              <tr key={s.source} data-source={s.source}>
                <td>{s.source}</td>
                <td className="num">{fmt.format(s.events)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
    <ImportPanel />
  </section>
)
