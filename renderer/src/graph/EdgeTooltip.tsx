import type { GraphEdge } from '../../../contract'
import { EvidenceView } from '../details/EvidenceView'
import { anomalyLabel } from '../../../contract/labels'

export interface HoveredEdge {
  edge: GraphEdge
  x: number
  y: number
}

export const EdgeTooltip = ({ hovered }: { hovered: HoveredEdge }) => (
  <div className="edge-tip" style={{ left: hovered.x + 14, top: hovered.y + 14 }} data-testid="edge-tooltip">
    <div className="edge-tip-title">{hovered.edge.kind === 'stitch' ? 'Stitched because' : `Context anomaly: ${anomalyLabel(hovered.edge.anomaly ?? '')}`}</div>
    {hovered.edge.evidence && <EvidenceView evidence={hovered.edge.evidence} />}
    <div className="muted small">click to pin in details</div>
  </div>
)
