import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react'
import { Controls, ReactFlow, useStore, type EdgeMouseHandler, type NodeMouseHandler, type ReactFlowInstance } from '@xyflow/react'
import { useInvestigation } from '../state/investigation-store'
import { useTheme } from '../state/theme-store'
import { BulkEdges } from './BulkEdges'
import { ChainNode } from './ChainNode'
import { GraphMinimap } from './GraphMinimap'
import { EdgeTooltip, type HoveredEdge } from './EdgeTooltip'
import { NodeMenu, type MenuAt } from './NodeMenu'
import { FIT_PADDING, META_ZOOM, READABLE_ZOOM, toFlowEdges, type ChainFlowEdge, type ChainFlowNode } from './to-flow'

// Module scope: React Flow re-creates every node when these objects change identity.
const nodeTypes = { chain: ChainNode }
const proOptions = { hideAttribution: true }
/** The Fit View control shows everything, however small; below READABLE_ZOOM the nodes then drop their text. */
const fitAll = { padding: FIT_PADDING, maxZoom: 1.2 }
const MAX_OPEN_ZOOM = 1.2
/** Below this zoom nodes become plain boxes and resource edges go (see graph.css). */
const LOD_ZOOM = 0.35

type Flow = ReactFlowInstance<ChainFlowNode, ChainFlowEdge>

/**
 * Opens the chain fitted when it fits at a readable zoom (labels ≥ 11 px on screen); otherwise at the readable
 * zoom from its start (left, time flows right) with the identity in view, rather than shrinking text away.
 */
const openReadable = (flow: Flow, nodes: ChainFlowNode[], pane: { width: number; height: number }): void => {
  if (!nodes.length || pane.width <= 0 || pane.height <= 0) return
  const b = flow.getNodesBounds(nodes)
  const padX = pane.width * FIT_PADDING
  const padY = pane.height * FIT_PADDING
  const fit = Math.min((pane.width - 2 * padX) / (b.width || 1), (pane.height - 2 * padY) / (b.height || 1), MAX_OPEN_ZOOM)
  // A chain that fits at the readable zoom only once the margins give way opens whole, centred, with what margin is left.
  const snug = Math.min(pane.width / (b.width || 1), pane.height / (b.height || 1), MAX_OPEN_ZOOM)
  const whole = fit >= READABLE_ZOOM ? fit : snug >= READABLE_ZOOM ? READABLE_ZOOM : null
  if (whole !== null) {
    void flow.setViewport({ x: (pane.width - b.width * whole) / 2 - b.x * whole, y: (pane.height - b.height * whole) / 2 - b.y * whole, zoom: whole })
    return
  }
  const zoom = READABLE_ZOOM
  const identity = nodes.find((n) => n.data.node.kind === 'identity') ?? nodes[0]
  const centreY = identity.position.y + (identity.height ?? 0) / 2
  const highest = padY - b.y * zoom
  const lowest = pane.height - padY - (b.y + b.height) * zoom
  const y = Math.max(lowest, Math.min(highest, pane.height / 2 - centreY * zoom))
  void flow.setViewport({ x: padX - b.x * zoom, y, zoom })
}

export const GraphView = () => {
  const nodes = useInvestigation((s) => s.nodes)
  const graph = useInvestigation((s) => s.graph)
  const status = useInvestigation((s) => s.status)
  const openedAt = useInvestigation((s) => s.openedAt)
  const chainId = useInvestigation((s) => s.chainId)
  const step = useInvestigation((s) => s.step)
  const range = useInvestigation((s) => s.range)
  const selectedEdge = useInvestigation((s) => (s.selection?.kind === 'edge' ? s.selection.id : null))
  const select = useInvestigation((s) => s.select)
  const theme = useTheme((s) => s.theme)
  const toggleExpand = useInvestigation((s) => s.toggleExpand)
  const [flow, setFlow] = useState<Flow | null>(null)
  const setPane = useInvestigation((s) => s.setPane)
  const playIndex = useInvestigation((s) => s.playIndex)
  const [hovered, setHovered] = useState<HoveredEdge | null>(null)
  const [menu, setMenu] = useState<MenuAt | null>(null)
  const [drawn, setDrawn] = useState<{ nodes: ChainFlowNode[]; openedAt: number; ms: number } | null>(null)
  const ready = status === 'ready' && drawn?.nodes === nodes
  const wrap = useRef<HTMLDivElement>(null)
  const userMoved = useRef(false)

  // The pane's size decides whether the chain opens whole or with targets folded: known before the first request.
  useLayoutEffect(() => {
    const el = wrap.current
    if (!el) return
    const measure = () => {
      const box = el.getBoundingClientRect()
      if (box.width > 0 && box.height > 0) setPane({ width: Math.round(box.width), height: Math.round(box.height) })
    }
    measure()
    // The panels around the graph fill in after it is drawn; keep it fitted until the analyst moves it.
    const ro = new ResizeObserver(() => {
      measure()
      const { nodes: drawnNodes, pane } = useInvestigation.getState()
      if (flow && !userMoved.current && drawnNodes.length) openReadable(flow, drawnNodes, pane)
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [flow, setPane])

  // Playback keeps the step it stands on in view (the zoom stays the analyst's).
  useEffect(() => {
    if (!flow || playIndex === null) return
    const sel = useInvestigation.getState().selection
    const n = sel?.kind === 'node' ? flow.getNode(sel.id) : undefined
    const box = wrap.current?.getBoundingClientRect()
    if (!n || !box) return
    const { x, y, zoom } = flow.getViewport()
    const sx = n.position.x * zoom + x
    const sy = n.position.y * zoom + y
    const inside = sx >= 0 && sy >= 0 && sx + (n.width ?? 0) * zoom <= box.width && sy + (n.height ?? 0) * zoom <= box.height
    if (!inside) void flow.setCenter(n.position.x + (n.width ?? 0) / 2, n.position.y + (n.height ?? 0) / 2, { zoom, duration: 250 })
  }, [flow, playIndex])

  const edges = useMemo(() => (graph ? toFlowEdges(graph, selectedEdge) : []), [graph, selectedEdge])

  // Fit once per drawn graph. `drawn` says which node set is on screen (the readiness marker tests and
  // bench:graph wait on) and how long the chain took from being asked for to its first painted graph.
  useEffect(() => {
    if (!flow || status !== 'ready') return
    userMoved.current = false
    const box = wrap.current?.getBoundingClientRect()
    if (nodes.length && box) openReadable(flow, nodes, box)
    const raf = requestAnimationFrame(() =>
      setDrawn((prev) => ({ nodes, openedAt, ms: prev?.openedAt === openedAt ? prev.ms : Math.round(performance.now() - openedAt) }))
    )
    return () => cancelAnimationFrame(raf)
  }, [flow, nodes, status, openedAt])

  const onNodeClick: NodeMouseHandler<ChainFlowNode> = useCallback((_, n) => select({ kind: 'node', id: n.id }), [select])
  const onNodeDoubleClick: NodeMouseHandler<ChainFlowNode> = useCallback(
    (_, n) => {
      if (n.data.node.expandable || useInvestigation.getState().expand.includes(n.id)) toggleExpand(n.id)
    },
    [toggleExpand]
  )
  const onEdgeClick: EdgeMouseHandler<ChainFlowEdge> = useCallback((_, e) => select({ kind: 'edge', id: e.id }), [select])
  const onEdgeEnter: EdgeMouseHandler<ChainFlowEdge> = useCallback((ev, e) => {
    const d = e.data?.edge
    if (!d || (!d.evidence && !d.anomaly)) return
    const box = wrap.current?.getBoundingClientRect()
    setHovered({ edge: d, x: ev.clientX - (box?.left ?? 0), y: ev.clientY - (box?.top ?? 0) })
  }, [])
  const onEdgeLeave = useCallback(() => setHovered(null), [])
  const onContextMenu: NodeMouseHandler<ChainFlowNode> = useCallback((ev, n) => {
    const kind = n.data.node.kind
    if (kind !== 'identity' && kind !== 'session') return
    ev.preventDefault()
    const box = wrap.current?.getBoundingClientRect()
    setMenu({ node: n.data.node, x: ev.clientX - (box?.left ?? 0), y: ev.clientY - (box?.top ?? 0) })
  }, [])
  const onMoveStart = useCallback((e: MouseEvent | TouchEvent | null) => {
    setHovered(null)
    if (e) userMoved.current = true
  }, [])
  const onPaneClick = useCallback(() => {
    setMenu(null)
    select(null)
  }, [select])

  return (
    <div
      className="graph"
      ref={wrap}
      data-testid="graph"
      data-ready={ready ? 'true' : 'false'}
      data-open-ms={drawn?.openedAt === openedAt ? drawn.ms : ''}
      data-nodes={nodes.length}
      data-chain={chainId ?? ''}
    >
      <ReactFlow<ChainFlowNode, ChainFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onInit={setFlow}
        onNodeClick={onNodeClick}
        onNodeDoubleClick={onNodeDoubleClick}
        onNodeContextMenu={onContextMenu}
        onEdgeClick={onEdgeClick}
        onEdgeMouseEnter={onEdgeEnter}
        onEdgeMouseLeave={onEdgeLeave}
        onPaneClick={onPaneClick}
        onMoveStart={onMoveStart}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        zoomOnDoubleClick={false}
        onlyRenderVisibleElements
        minZoom={0.05}
        maxZoom={2}
        proOptions={proOptions}
        colorMode={theme}
      >
        <ZoomClass target={wrap} />
        <BulkEdges />
        <GraphMinimap />
        <Controls showInteractive={false} fitViewOptions={fitAll} />
      </ReactFlow>
      {nodes.length === 0 && (status === 'loading' || status === 'layout') && (
        <div className="graph-overlay muted">
          <span className="spinner" /> {step}
        </div>
      )}
      {nodes.length === 0 && status === 'ready' && (
        <div className="graph-overlay muted" data-testid="graph-empty">
          Nothing to draw{range ? ' in the selected time range — clear or widen it on the timeline' : ''}.
        </div>
      )}
      {hovered && <EdgeTooltip hovered={hovered} />}
      {menu && <NodeMenu at={menu} onClose={() => setMenu(null)} />}
    </div>
  )
}

/**
 * Flips the level-of-detail class on the graph's wrapper when the zoom crosses LOD_ZOOM: one style change
 * on crossing, none per frame (the selector only changes value at the threshold).
 */
const ZoomClass = ({ target }: { target: RefObject<HTMLDivElement | null> }) => {
  const far = useStore((s) => s.transform[2] < LOD_ZOOM)
  // Text that would be under 11 px on screen is not drawn at all (names stay on hover).
  const mute = useStore((s) => s.transform[2] < READABLE_ZOOM - 1e-6)
  const noMeta = useStore((s) => s.transform[2] < META_ZOOM - 1e-6)
  useEffect(() => {
    target.current?.classList.toggle('lod-far', far)
    target.current?.classList.toggle('lod-mute', mute)
    target.current?.classList.toggle('lod-nometa', noMeta)
  }, [far, mute, noMeta, target])
  return null
}
