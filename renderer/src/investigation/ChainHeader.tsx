import { ActingFor } from '../context/ActingFor'
import { PivotSummary } from '../context/PivotSummary'
import { appColor } from '../lib/app-colors'
import { countriesLabel } from '../lib/country'
import { fmtCount, fmtSpan } from '../lib/format'
import { useInvestigation } from '../state/investigation-store'
import { ResponseTag, RiskBadge } from './RiskBadge'
import { identityTypeLabel, sourceLabel } from '../../../contract/labels'

export const ChainHeader = () => {
  const chain = useInvestigation((s) => s.detail?.chain ?? null)
  const openEvent = useInvestigation((s) => s.openEvent)
  if (!chain) return <div className="chain-header muted">Loading chain…</div>
  return (
    <>
      <div className="chain-header" data-testid="chain-header">
        <RiskBadge risk={chain.risk} />
        <strong className="identity" data-testid="chain-identity">
          {chain.identity}
        </strong>
        <span className="tag" data-testid="chain-identity-type" data-type={chain.identityType}>
          {identityTypeLabel(chain.identityType)}
        </span>
        <ActingFor identity={chain.identity} actingFor={chain.actingFor} />
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
          {chain.countries.length > 0 && ` · ${countriesLabel(chain.countries)}`}
        </span>
        <span className="spacer" />
        <ResponseTag response={chain.response} />
      </div>
      {chain.pivot && <PivotSummary pivot={chain.pivot} onOpenEvent={openEvent} />}
    </>
  )
}
