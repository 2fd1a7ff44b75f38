import type { ChainGraph, GraphEdge } from '../../../contract'
import type { ChainFlowNode } from './to-flow'

/** Edges the analyst clicks (session links, stitches, anomalies) stay React Flow edges; the rest are drawn in bulk. */
export const isInteractiveEdge = (e: GraphEdge): boolean => e.kind === 'session' || e.kind === 'stitch' || e.kind === 'anomaly'

export interface BulkPaths {
  action: string
  resource: string
}

/**
 * One SVG path per kind holding every action and resource edge as a subpath: a 2,000-edge view paints as two
 * elements instead of two thousand, which is what keeps software-rendered pans and zooms fluid.
 */
export const bulkPaths = (graph: ChainGraph, nodes: ChainFlowNode[]): BulkPaths => {
  const at = new Map(nodes.map((n) => [n.id, n]))
  const parts: Record<'action' | 'resource', string[]> = { action: [], resource: [] }
  for (const e of graph.edges) {
    if (e.kind !== 'action' && e.kind !== 'resource') continue
    const s = at.get(e.source)
    const t = at.get(e.target)
    if (!s || !t) continue
    const sx = s.position.x + (s.width ?? 0)
    const sy = s.position.y + (s.height ?? 0) / 2
    const tx = t.position.x
    const ty = t.position.y + (t.height ?? 0) / 2
    const mx = (sx + tx) / 2
    parts[e.kind].push(`M${sx} ${sy}C${mx} ${sy} ${mx} ${ty} ${tx} ${ty}`)
  }
  return { action: parts.action.join(''), resource: parts.resource.join('') }
}
