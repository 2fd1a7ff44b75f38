import { appColor } from '../lib/app-colors'
import { fmtCount, fmtSpan } from '../lib/format'
import { useInvestigation } from '../state/investigation-store'
import { ResponseTag, RiskBadge } from './RiskBadge'
import { identityTypeLabel, sourceLabel } from '../../../contract/labels'

export const ChainHeader = () => {
  const chain = useInvestigation((s) => s.detail?.chain ?? null)
  if (!chain) return <div className="chain-header muted">Loading chain…</div>
  return (
    <div className="chain-header" data-testid="chain-header">
      <RiskBadge risk={chain.risk} />
      <strong className="identity" data-testid="chain-identity">
        {chain.identity}
      </strong>
      <span className="tag">{identityTypeLabel(chain.identityType)}</span>
      <span className="apps">
        {chain.apps.map((a) => (
          <span key={a} className="app-chip" style={{ borderColor: appColor(a) }}>
            <span className="app-dot" style={{ background: appColor(a) }} />
            {sourceLabel(a)}
          </span>
        ))}
      </span>
      <span className="muted small">
        {fmtCount(chain.events)} events · {fmtSpan(chain.start, chain.end)}
        {chain.countries.length > 0 && ` · ${chain.countries.join(', ')}`}
      </span>
      <span className="spacer" />
      <ResponseTag response={chain.response} />
    </div>
  )
}
