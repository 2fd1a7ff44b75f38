import { RespondButton } from '../response/ResponseLayer'
import { useInvestigation } from '../state/investigation-store'
import { ResponseTag } from './RiskBadge'
import { reasonLabel } from '../../../contract/labels'

/** The recommended response and the reasons behind it; the response drawer opens from here or a node's menu. */
export const ResponseArea = () => {
  const chain = useInvestigation((s) => s.detail?.chain ?? null)
  if (!chain) return null
  return (
    <section className="response-area" data-testid="response-area">
      <div className="section-head">
        <h3>Recommended</h3>
        <ResponseTag response={chain.response} />
        <span className="spacer" />
        <RespondButton chainId={chain.id} identity={chain.identity} />
      </div>
      {chain.reasons.length > 0 ? (
        <ul className="reasons small" data-testid="response-reasons">
          {chain.reasons.map((r) => (
            <li key={r}>{reasonLabel(r)}</li>
          ))}
        </ul>
      ) : (
        <p className="muted small">Nothing in this chain calls for a response.</p>
      )}
    </section>
  )
}
