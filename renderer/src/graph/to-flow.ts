import type { Edge, Node } from '@xyflow/react'
import type { ChainGraph, GraphEdge, GraphNode, GraphNodeKind } from '../../../contract'
import { isInteractiveEdge } from './bulk-edges'
import type { LayoutInput, LayoutResult } from './layout'

export interface ChainNodeData extends Record<string, unknown> {
  node: GraphNode
}

export type ChainFlowNode = Node<ChainNodeData, 'chain'>

export interface ChainEdgeData extends Record<string, unknown> {
  edge: GraphEdge
}

export type ChainFlowEdge = Edge<ChainEdgeData>

/** Fixed sizes per kind: the layout needs them before React has measured anything. */
export const NODE_SIZE: Record<GraphNodeKind, { width: number; height: number }> = {
  identity: { width: 200, height: 44 },
  session: { width: 190, height: 44 },
  app: { width: 190, height: 44 },
  action: { width: 180, height: 38 },
  resource: { width: 200, height: 30 }
}

const epoch = (iso: string | null): number | null => {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : t
}

export const layoutInputOf = (graph: ChainGraph): LayoutInput => ({
  nodes: graph.nodes.map((n) => ({ id: n.id, time: epoch(n.first), ...NODE_SIZE[n.kind] })),
  // Anomaly edges tie two points in time together; they must not pull nodes into other columns.
  edges: graph.edges.filter((e) => e.kind !== 'anomaly').map((e) => ({ source: e.source, target: e.target }))
})

export const toFlowNodes = (graph: ChainGraph, layout: LayoutResult): ChainFlowNode[] =>
  graph.nodes.map((n) => ({
    id: n.id,
    type: 'chain',
    position: layout.positions[n.id] ?? { x: 0, y: 0 },
    // Known sizes let React Flow cull off-screen nodes before it has measured them.
    width: NODE_SIZE[n.kind].width,
    height: NODE_SIZE[n.kind].height,
    data: { node: n },
    draggable: false,
    connectable: false
  }))

export const edgeClass = (e: GraphEdge, selected: boolean): string => `edge-${e.kind}${selected ? ' edge-selected' : ''}`

/** React Flow edges for the links an analyst interacts with; the bulk is drawn by BulkEdges. */
export const toFlowEdges = (graph: ChainGraph, selectedEdge: string | null): ChainFlowEdge[] =>
  graph.edges.filter(isInteractiveEdge).map((e) => ({
    id: e.id,
    source: e.source,
    target: e.target,
    className: edgeClass(e, e.id === selectedEdge),
    data: { edge: e },
    focusable: e.kind !== 'session',
    interactionWidth: e.kind === 'session' ? 0 : 16
  }))
