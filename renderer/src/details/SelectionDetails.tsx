import { useState } from 'react'
import type { ChainDetail, GraphEdge, GraphNode } from '../../../contract'
import { appColor } from '../lib/app-colors'
import { errorText, fmtCount, fmtSpan } from '../lib/format'
import { useInvestigation } from '../state/investigation-store'
import { EvidenceView } from './EvidenceView'
import { FindingsList } from './FindingsList'
import { anomalyLabel, sourceLabel } from '../../../contract/labels'

export const NodeSummary = ({ node, detail }: { node: GraphNode; detail: ChainDetail | null }) => {
  const findings = (detail?.chain.findings ?? []).filter((f) => node.findings.includes(f.id))
  return (
    <section data-testid="node-details">
      <div className="node-title">
        <span className="app-dot" style={{ background: appColor(node.app) }} />
        <strong>{node.label}</strong>
        <span className="tag">{node.kind}</span>
        {node.risky && <span className="tag danger">risky</span>}
      </div>
      <p className="small muted">
        {node.app ? `${sourceLabel(node.app)} · ` : ''}
        {fmtCount(node.count)} event{node.count === 1 ? '' : 's'}
        {node.first && node.last ? ` · ${fmtSpan(node.first, node.last)}` : ''}
      </p>
      {findings.length > 0 && <FindingsList findings={findings} />}
    </section>
  )
}

export const EdgeDetails = ({ edge, detail }: { edge: GraphEdge; detail: ChainDetail | null }) => {
  const rejectLink = useInvestigation((s) => s.rejectLink)
  const from = useInvestigation((s) => s.graph?.nodes.find((n) => n.id === edge.source)?.label ?? edge.source)
  const to = useInvestigation((s) => s.graph?.nodes.find((n) => n.id === edge.target)?.label ?? edge.target)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const linkId = edge.kind === 'stitch' ? edge.id.replace(/^e:/, '') : null
  const link = linkId ? detail?.links.find((l) => l.id === linkId) : undefined
  const anomalyId = edge.kind === 'anomaly' ? edge.id.replace(/^e:anomaly:/, '') : null
  const anomaly = anomalyId ? (detail?.chain.findings ?? []).filter((f) => f.id === anomalyId) : []
  return (
    <section data-testid="edge-details">
      <h3>
        {edge.kind === 'stitch' ? 'Stitch evidence' : edge.kind === 'anomaly' ? `Context anomaly · ${anomalyLabel(edge.anomaly ?? '')}` : `${edge.kind} edge`}
      </h3>
      <p className="small muted">
        {from} → {to}
      </p>
      {edge.evidence && <EvidenceView evidence={edge.evidence} />}
      {anomaly.length > 0 && <FindingsList findings={anomaly} />}
      {linkId && (
        <form
          className="row reject"
          onSubmit={(e) => {
            e.preventDefault()
            setError(null)
            rejectLink(linkId, reason.trim()).catch((err: unknown) => setError(errorText(err)))
          }}
        >
          <input
            className="grow"
            placeholder="Why these sessions do not belong together (optional)"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="submit" disabled={link?.rejected} data-testid="reject-link">
            {link?.rejected ? 'Rejected' : 'Reject link'}
          </button>
        </form>
      )}
      {error && <p className="error-text">{error}</p>}
    </section>
  )
}
