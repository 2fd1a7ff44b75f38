import { memo } from 'react'
import type { ChainRow } from '../../../contract'
import { ActingFor } from '../context/ActingFor'
import { appColor } from '../lib/app-colors'
import { countriesLabel } from '../lib/country'
import { fmtCount, fmtSpan } from '../lib/format'
import { ResponseTag, RiskBadge } from '../investigation/RiskBadge'
import { identityTypeLabel, reasonLabel, sourceLabel } from '../../../contract/labels'

export const ROW_HEIGHT = 52

export const ChainRowView = memo(({ row, active, onOpen, onPoint }: { row: ChainRow; active: boolean; onOpen: (id: string) => void; onPoint: () => void }) => (
  <div
    className={`chain-row${active ? ' active' : ''}`}
    onClick={onPoint}
    onDoubleClick={() => onOpen(row.id)}
    data-testid="chain-row"
    data-chain={row.id}
    data-identity={row.identity}
    role="option"
    aria-selected={active}
  >
    <RiskBadge risk={row.risk} />
    <div className="cr-main">
      <div className="cr-top">
        <button type="button" className="link identity" onClick={() => onOpen(row.id)} tabIndex={-1}>
          {row.identity}
        </button>
        <span className="tag">{identityTypeLabel(row.identityType)}</span>
        <ActingFor identity={row.identity} actingFor={row.actingFor} />
        {row.pivot && (
          <span className="pivot-flag" title={`context changed at ${row.pivot.time}`} data-testid="chain-row-pivot">
            pivot
          </span>
        )}
        {row.apps.map((a) => (
          <span key={a} className="app-chip small">
            <span className="app-dot" style={{ background: appColor(a) }} />
            {sourceLabel(a)}
          </span>
        ))}
      </div>
      <div className="cr-reasons small muted">{row.reasons.slice(0, 3).map(reasonLabel).join(' · ') || 'no findings'}</div>
    </div>
    <div className="cr-side small">
      <span className="muted">{fmtSpan(row.start, row.end)}</span>
      <span>
        {fmtCount(row.events)} ev · {countriesLabel(row.countries) || '—'}
      </span>
    </div>
    <ResponseTag response={row.response} />
  </div>
))
