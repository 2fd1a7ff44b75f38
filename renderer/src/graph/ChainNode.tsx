import { Fragment, memo, type CSSProperties } from 'react'
import { Handle, Position, type NodeProps } from '@xyflow/react'
import type { GraphNodeKind } from '../../../contract'
import { pivotClass, pivotSide } from '../context/pivot'
import { appColor } from '../lib/app-colors'
import { fmtCount } from '../lib/format'
import { useInvestigation } from '../state/investigation-store'
import { isAfter } from './playback'
import type { ChainFlowNode } from './to-flow'

const GLYPH: Record<GraphNodeKind, string> = {
  identity: '◉',
  session: '▣',
  app: '▢',
  action: '◆',
  resource: '▪'
}

/** Line-break chances after @ and / so a two-line label breaks "maria.chen@" | "acme.example", not mid-word. */
const breakable = (label: string) =>
  label.split(/(?<=[@/])/).map((part, i) => (
    <Fragment key={i}>
      {i > 0 && <wbr />}
      {part}
    </Fragment>
  ))

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
  // During playback what has not happened yet at the playhead fades back.
  const future = useInvestigation((s) => isAfter(n, s.playAt))
  const cls = `cn cn-${n.kind}${n.risky ? ' cn-risky' : ''}${selected ? ' cn-selected' : ''}${future ? ' cn-future' : ''}${pivotClass(side)}`
  const folded = data.folded > 0 ? `${fmtCount(data.folded)} target${data.folded > 1 ? 's' : ''} folded: double-click to show` : ''
  // The full name and counts on hover, whatever the label had to leave out.
  const title = [
    n.label,
    `${n.app ? `${n.app} · ` : ''}${fmtCount(n.count)} events${n.findings.length ? ` · ${n.findings.length} finding${n.findings.length > 1 ? 's' : ''}` : ''}`,
    folded
  ]
    .filter(Boolean)
    .join('\n')
  return (
    <div
      className={cls}
      style={{ '--app': appColor(n.app) } as CSSProperties}
      data-kind={n.kind}
      data-app={n.app ?? ''}
      data-context={data.context ?? undefined}
      data-pivot={side ?? ''}
      title={title}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} className="cn-handle" />
      <span className="cn-glyph">{GLYPH[n.kind]}</span>
      <span className="cn-body">
        <span className="cn-label">{breakable(n.label)}</span>
        <span className="cn-meta">
          {n.app && n.kind !== 'resource' ? `${n.app} · ` : ''}
          {fmtCount(n.count)} ev
          {n.findings.length > 0 && (
            <span className="cn-find">
              {' '}
              · {n.findings.length} finding{n.findings.length > 1 ? 's' : ''}
            </span>
          )}
        </span>
        {actingFor && (
          <span className="cn-meta" data-testid="node-acting-for">
            agent acting for {actingFor}
          </span>
        )}
      </span>
      {(n.expandable || expanded) && (
        <span className="cn-expand" title={expanded ? 'Collapse (double-click)' : folded || 'Expand (double-click)'}>
          {expanded ? '−' : '+'}
        </span>
      )}
      <Handle type="source" position={Position.Right} isConnectable={false} className="cn-handle" />
    </div>
  )
}

export const ChainNode = memo(ChainNodeView)
