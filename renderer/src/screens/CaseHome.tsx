import type { CaseInfo } from '../../../contract'
import { CoveragePanel } from '../home/Coverage'
import { ImportPanel } from '../import/ImportPanel'
import { appColor } from '../lib/app-colors'
import { fmtCount, fmtTime } from '../lib/format'
import { useCase } from '../state/case-store'
import { useNav } from '../state/nav-store'
import { sourceLabel } from '../../../contract/labels'

const Stat = ({ id, value, label }: { id: string; value: number; label: string }) => (
  <div className="stat" data-testid={id}>
    <span className="value">{fmtCount(value)}</span>
    <span className="label">{label}</span>
  </div>
)

/** While a case call fills the case (the demo is generated, imported and analysed): progress, not an empty case. */
const Building = ({ info }: { info: CaseInfo }) => {
  const progress = useCase((s) => s.building)
  const step =
    progress === null
      ? info.demo
        ? 'Generating the demo bundle…'
        : 'Opening the case…'
      : progress.phase === 'analyzing'
        ? `Analysing sessions and findings over ${fmtCount(progress.events)} events…`
        : `Importing: ${fmtCount(progress.events)} events from ${progress.filesDone} of ${progress.filesTotal} files…`
  return (
    <section className="case-home" data-testid="case-home">
      <div className="panel case-building" data-testid="case-building" role="status" aria-live="polite">
        <h2>{info.demo ? 'Building the demo case' : 'Preparing the case'}</h2>
        <p data-testid="case-building-step">{step}</p>
        <p className="muted small">Sessions, chains and findings appear here as soon as the analysis is done.</p>
      </div>
    </section>
  )
}

export const CaseHome = ({ info }: { info: CaseInfo }) => {
  const go = useNav((s) => s.go)
  // A case call still running on an empty case is the case being built: never show it as "no events".
  const building = useCase((s) => s.status === 'busy' || s.status === 'starting') && info.events === 0
  if (building) return <Building info={info} />
  return <Loaded info={info} go={go} />
}

/** A case whose analysis was cut off (a crash during an import) says what it lacks, and can finish it. */
const Incomplete = ({ info }: { info: CaseInfo }) => {
  const analyze = useCase((s) => s.analyze)
  const busy = useCase((s) => s.status === 'busy')
  const done = info.analysis.analysedEvents
  return (
    <div className="panel notice" data-testid="analysis-incomplete" role="status">
      <p>
        {done === null
          ? `None of the ${fmtCount(info.events)} events has been analysed yet`
          : `The last analysis covered ${fmtCount(done)} of ${fmtCount(info.events)} events`}
        : an import stopped before its analysis finished, so sessions, chains and findings may be missing.
      </p>
      <button type="button" className="primary" disabled={busy} onClick={() => void analyze()} data-testid="analyze-now">
        {busy ? 'Analysing…' : 'Analyse now'}
      </button>
    </div>
  )
}

const Loaded = ({ info, go }: { info: CaseInfo; go: (screen: 'sessions') => void }) => {
  const max = Math.max(1, ...info.sources.map((s) => s.events))
  return (
    <section className="case-home" data-testid="case-home">
      {!info.analysis.complete && <Incomplete info={info} />}
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
                      {sourceLabel(s.source)}
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
