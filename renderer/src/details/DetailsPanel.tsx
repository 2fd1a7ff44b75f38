import { useInvestigation } from '../state/investigation-store'
import { EdgeDetails, NodeSummary } from './SelectionDetails'
import { EventDetailView } from './EventDetailView'
import { EventList } from './EventList'
import { FindingsList } from './FindingsList'
import { LinksList } from './LinksList'

/** Right-hand panel: what is selected, the events behind it, and the raw record of one of them. */
export const DetailsPanel = () => {
  const chainId = useInvestigation((s) => s.chainId)
  const detail = useInvestigation((s) => s.detail)
  const selection = useInvestigation((s) => s.selection)
  const eventUid = useInvestigation((s) => s.eventUid)
  const node = useInvestigation((s) => (s.selection?.kind === 'node' ? s.graph?.nodes.find((n) => n.id === s.selection!.id) : undefined))
  const edge = useInvestigation((s) => (s.selection?.kind === 'edge' ? s.graph?.edges.find((e) => e.id === s.selection!.id) : undefined))
  if (!chainId) return null

  const nodeFilter = node && node.kind !== 'identity' ? node.id : null
  return (
    <aside className="details" data-testid="details">
      {eventUid && <EventDetailView uid={eventUid} />}
      <div className={eventUid ? 'hidden' : 'details-main'}>
        {node && <NodeSummary node={node} detail={detail} />}
        {edge && <EdgeDetails edge={edge} detail={detail} />}
        {!selection && (
          <section>
            <h3>Findings</h3>
            {detail ? <FindingsList findings={detail.chain.findings} /> : <p className="muted small">Loading…</p>}
            {detail && (
              <>
                <h3 className="gap">Stitched sessions</h3>
                <LinksList detail={detail} />
              </>
            )}
          </section>
        )}
        <EventList chainId={chainId} node={nodeFilter} />
      </div>
    </aside>
  )
}
