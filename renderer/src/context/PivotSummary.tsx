import type { Pivot } from '../../../contract'
import { fmtTime } from '../lib/format'
import './context.css'

const FIELD_NAMES: Record<string, string> = { country: 'country', network: 'network', ip: 'address', place: 'place', device: 'device' }

/** Where the chain changed hands: the pivot's time, its event, and each changed aspect as from → to. */
export const PivotSummary = ({ pivot, onOpenEvent }: { pivot: Pivot; onOpenEvent?: (uid: string) => void }) => (
  <div className="pivot-summary" data-testid="chain-pivot" data-event={pivot.eventId}>
    <span className="pivot-flag" title="The first event after the session's context changed">
      pivot
    </span>
    <button type="button" className="link mono" onClick={() => onOpenEvent?.(pivot.eventId)} title={pivot.eventId} data-testid="pivot-time">
      {fmtTime(pivot.time)}
    </button>
    {pivot.changes.map((c) => (
      <span key={`${c.field}:${c.from}:${c.to}`} className="pivot-change small" data-field={c.field} data-testid="pivot-change">
        <span className="muted">{FIELD_NAMES[c.field] ?? c.field}</span> <span className="pivot-from">{c.from}</span> → <span className="pivot-to">{c.to}</span>
      </span>
    ))}
  </div>
)
