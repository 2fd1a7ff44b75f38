import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react'
import {
  Controls,
  ReactFlow,
  useStore,
  type EdgeMouseHandler,
  type NodeMouseHandler,
  type ReactFlowInstance
} from '@xyflow/react'
import { useInvestigation } from '../state/investigation-store'
import { useTheme } from '../state/theme-store'
import { BulkEdges } from './BulkEdges'
import { ChainNode } from './ChainNode'
import { GraphMinimap } from './GraphMinimap'
import { EdgeTooltip, type HoveredEdge } from './EdgeTooltip'
import { NodeMenu, type MenuAt } from './NodeMenu'
import { toFlowEdges, type ChainFlowEdge, type ChainFlowNode } from './to-flow'

// Module scope: React Flow re-creates every node when these objects change identity.
const nodeTypes = { chain: ChainNode }
const proOptions = { hideAttribution: true }
const fitAll = { padding: 0.08, maxZoom: 1.2 }
// A small chain opens readable, centred on its middle (where the identity and IdP session sit); a big one opens whole.
const fitReadable = { padding: 0.08, maxZoom: 1.2, minZoom: 0.75 }
const fitOptions = (count: number) => (count < 300 ? fitReadable : fitAll)
/** Below this zoom labels are unreadable: nodes become plain boxes and resource edges go (see graph.css). */
const LOD_ZOOM = 0.35


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
  const [flow, setFlow] = useState<ReactFlowInstance<ChainFlowNode, ChainFlowEdge> | null>(null)
  const [hovered, setHovered] = useState<HoveredEdge | null>(null)
  const [menu, setMenu] = useState<MenuAt | null>(null)
  const [drawn, setDrawn] = useState<{ nodes: ChainFlowNode[]; openedAt: number; ms: number } | null>(null)
  const ready = status === 'ready' && drawn?.nodes === nodes
  const wrap = useRef<HTMLDivElement>(null)
  const userMoved = useRef(false)

  // The panels around the graph fill in after it is drawn; keep it fitted until the analyst moves it.
  useEffect(() => {
    const el = wrap.current
    if (!el || !flow) return
    const ro = new ResizeObserver(() => {
      const count = useInvestigation.getState().nodes.length
      if (!userMoved.current && count) void flow.fitView(fitOptions(count))
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [flow])

  const edges = useMemo(() => (graph ? toFlowEdges(graph, selectedEdge) : []), [graph, selectedEdge])

  // Fit once per drawn graph. `drawn` says which node set is on screen (the readiness marker tests and
  // bench:graph wait on) and how long the chain took from being asked for to its first painted graph.
  useEffect(() => {
    if (!flow || status !== 'ready') return
    userMoved.current = false
    if (nodes.length) void flow.fitView(fitOptions(nodes.length))
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
        <Controls showInteractive={false} />
      </ReactFlow>
      {nodes.length === 0 && (status === 'loading' || status === 'layout') && <div className="graph-overlay muted"><span className="spinner" /> {step}</div>}
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
  useEffect(() => {
    target.current?.classList.toggle('lod-far', far)
  }, [far, target])
  return null
}
