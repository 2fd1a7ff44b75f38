import { memo, type CSSProperties } from 'react'
import { Handle, Position, type NodeProps } from '@xyflow/react'
import type { GraphNodeKind } from '../../../contract'
import { pivotClass, pivotSide } from '../context/pivot'
import { appColor } from '../lib/app-colors'
import { fmtCount } from '../lib/format'
import { useInvestigation } from '../state/investigation-store'
import type { ChainFlowNode } from './to-flow'

const GLYPH: Record<GraphNodeKind, string> = {
  identity: '◉',
  session: '▣',
  app: '▢',
  action: '◆',
  resource: '▪'
}

/**
 * One node of the chain graph. Kept deliberately plain (no shadows, filters or transitions) because a
 * 2,000-node view must still pan at 30 fps on software rendering; selection comes from a narrow selector.
 */
const ChainNodeView = ({ id, data }: NodeProps<ChainFlowNode>) => {
  const n = data.node
  const selected = useInvestigation((s) => s.selection?.kind === 'node' && s.selection.id === id)
  const expanded = useInvestigation((s) => s.expand.includes(id))
  // Narrow selectors: a string each, so a node re-renders only when the chain's pivot or agent changes.
  const pivotTime = useInvestigation((s) => s.detail?.chain.pivot?.time ?? null)
  const actingFor = useInvestigation((s) => (n.kind === 'identity' ? (s.detail?.chain.actingFor ?? null) : null))
  // The identity spans the whole chain: it is on neither side of the pivot.
  const side = n.kind === 'identity' ? null : pivotSide(pivotTime, n.last)
  const cls = `cn cn-${n.kind}${n.risky ? ' cn-risky' : ''}${selected ? ' cn-selected' : ''}${pivotClass(side)}`
  return (
    <div className={cls} style={{ '--app': appColor(n.app) } as CSSProperties} data-kind={n.kind} data-app={n.app ?? ''} data-pivot={side ?? ''}>
      <Handle type="target" position={Position.Left} isConnectable={false} className="cn-handle" />
      <span className="cn-glyph">{GLYPH[n.kind]}</span>
      <span className="cn-body">
        <span className="cn-label" title={n.label}>
          {n.label}
        </span>
        <span className="cn-meta">
          {n.app && n.kind !== 'resource' ? `${n.app} · ` : ''}
          {fmtCount(n.count)} ev
          {n.findings.length > 0 && <span className="cn-find"> · {n.findings.length} finding{n.findings.length > 1 ? 's' : ''}</span>}
        </span>
        {actingFor && (
          <span className="cn-meta" data-testid="node-acting-for">
            agent acting for {actingFor}
          </span>
        )}
      </span>
      {(n.expandable || expanded) && <span className="cn-expand" title={expanded ? 'Collapse (double-click)' : 'Expand (double-click)'}>{expanded ? '−' : '+'}</span>}
      <Handle type="source" position={Position.Right} isConnectable={false} className="cn-handle" />
    </div>
  )
}

export const ChainNode = memo(ChainNodeView)
