import type { Edge, Node } from '@xyflow/react'
import type { ChainGraph, GraphEdge, GraphNode, GraphNodeKind } from '../../../contract'
import { isInteractiveEdge } from './bulk-edges'
import type { LayoutInput, LayoutResult } from './layout'

export interface ChainNodeData extends Record<string, unknown> {
  node: GraphNode
  /** Targets of this action kept out of the view until the analyst opens it (see foldTargets). */
  folded: number
  /**
   * Which side of a context change the node's events fall on (country, network, device), for before/after
   * colouring; null until the chain carries that information.
   */
  context: string | null
}

export type ChainFlowNode = Node<ChainNodeData, 'chain'>

export interface ChainEdgeData extends Record<string, unknown> {
  edge: GraphEdge
}

export type ChainFlowEdge = Edge<ChainEdgeData>

/**
 * Fixed sizes per kind: the layout needs them before React has measured anything. Identity and session labels
 * get two lines (graph.css) so "Google Workspace session no session id" reads whole instead of being cut.
 */
export const NODE_SIZE: Record<GraphNodeKind, { width: number; height: number }> = {
  identity: { width: 180, height: 50 },
  session: { width: 180, height: 50 },
  app: { width: 180, height: 50 },
  action: { width: 176, height: 38 },
  resource: { width: 180, height: 30 }
}

/** Smallest text a node draws, in graph units (graph.css: .cn-label; the meta line goes below READABLE_ZOOM). */
export const LABEL_PX = 12.5
/** Smallest text an analyst should have to read on screen. */
export const MIN_SCREEN_PX = 11
/** The zoom at which node labels are MIN_SCREEN_PX on screen: the view never opens below it, and under it text goes. */
export const READABLE_ZOOM = MIN_SCREEN_PX / LABEL_PX
/** Where the meta line's 11 px text reaches MIN_SCREEN_PX. */
export const META_ZOOM = 1

const epoch = (iso: string | null): number | null => {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : t
}

export const layoutInputOf = (graph: ChainGraph): LayoutInput => ({
  nodes: graph.nodes.map((n) => ({ id: n.id, time: epoch(n.first), ...NODE_SIZE[n.kind], inline: n.kind === 'action' })),
  columnGap: 40,
  // Rows close enough for a dozen sessions to open whole at a readable zoom under the chain's header and story.
  rowGap: 7,
  // Anomaly edges tie two points in time together; they must not pull nodes into other columns.
  edges: graph.edges.filter((e) => e.kind !== 'anomaly').map((e) => ({ source: e.source, target: e.target }))
})

export interface FoldedGraph {
  graph: ChainGraph
  /** Targets kept out per action node id. */
  folded: Map<string, number>
}

/**
 * The chain without the targets (resources) of actions the analyst has not opened: aggregating rather than
 * shrinking is what lets a chain open whole at a readable zoom. An action with folded targets becomes
 * expandable, so double-click or "Expand all" brings them back (its id goes into `expand`).
 */
export const foldTargets = (graph: ChainGraph, keepOpen: ReadonlySet<string>): FoldedGraph => {
  const folded = new Map<string, number>()
  const drop = new Set<string>()
  for (const e of graph.edges) {
    if (e.kind !== 'resource' || keepOpen.has(e.source)) continue
    drop.add(e.target)
    folded.set(e.source, (folded.get(e.source) ?? 0) + 1)
  }
  if (drop.size === 0) return { graph, folded }
  return {
    graph: {
      nodes: graph.nodes.filter((n) => !drop.has(n.id)).map((n) => (folded.has(n.id) ? { ...n, expandable: true } : n)),
      edges: graph.edges.filter((e) => !drop.has(e.target) && !drop.has(e.source)),
      hidden: graph.hidden
    },
    folded
  }
}

/** Share of the pane kept free on each side when the view is fitted. */
export const FIT_PADDING = 0.04

/** Whether a laid-out graph fits a pane at the readable zoom (with the fit's padding on each side). */
export const fitsReadable = (layout: Pick<LayoutResult, 'width' | 'height'>, pane: { width: number; height: number }, padding = FIT_PADDING): boolean =>
  layout.width * READABLE_ZOOM <= pane.width * (1 - 2 * padding) && layout.height * READABLE_ZOOM <= pane.height * (1 - 2 * padding)

export const toFlowNodes = (graph: ChainGraph, layout: LayoutResult, folded: ReadonlyMap<string, number> = new Map()): ChainFlowNode[] =>
  graph.nodes.map((n) => ({
    id: n.id,
    type: 'chain',
    position: layout.positions[n.id] ?? { x: 0, y: 0 },
    // Known sizes let React Flow cull off-screen nodes before it has measured them.
    width: NODE_SIZE[n.kind].width,
    height: NODE_SIZE[n.kind].height,
    data: { node: n, folded: folded.get(n.id) ?? 0, context: null },
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
