import { fmtCount } from '../lib/format'
import { useInvestigation } from '../state/investigation-store'
import { PlaybackControls } from './PlaybackControls'

export const GraphToolbar = () => {
  const status = useInvestigation((s) => s.status)
  const step = useInvestigation((s) => s.step)
  const error = useInvestigation((s) => s.error)
  const shown = useInvestigation((s) => s.graph?.nodes.length ?? 0)
  const hidden = useInvestigation((s) => s.graph?.hidden ?? 0)
  const folded = useInvestigation((s) => s.folded)
  const expandable = useInvestigation((s) => s.graph?.nodes.some((n) => n.expandable) ?? false)
  const expanded = useInvestigation((s) => s.expand.length)
  const expandAll = useInvestigation((s) => s.expandAll)
  const collapseAll = useInvestigation((s) => s.collapseAll)
  const reload = useInvestigation((s) => s.reloadGraph)
  const busy = status === 'loading' || status === 'layout'
  return (
    <div className="graph-toolbar">
      <span className="small muted" data-testid="graph-counts">
        {fmtCount(shown)} nodes{hidden + folded > 0 ? ` · ${fmtCount(hidden + folded)} more behind aggregates` : ''}
      </span>
      <PlaybackControls />
      {busy && (
        <span className="progress-inline" data-testid="graph-progress">
          <span className="spinner" /> {step}
        </span>
      )}
      {status === 'error' && (
        <span className="error-text" role="alert">
          {error}{' '}
          <button type="button" onClick={() => void reload()}>
            Retry
          </button>
        </span>
      )}
      <span className="spacer" />
      <button type="button" onClick={expandAll} disabled={busy || !expandable} data-testid="expand-all" title="Open every aggregate that hides targets">
        Expand all
      </button>
      <button type="button" onClick={collapseAll} disabled={busy || expanded === 0} data-testid="collapse-all">
        Collapse
      </button>
    </div>
  )
}
