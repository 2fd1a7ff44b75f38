import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  type EdgeMouseHandler,
  type NodeMouseHandler,
  type ReactFlowInstance
} from '@xyflow/react'
import { appColor } from '../lib/app-colors'
import { useInvestigation } from '../state/investigation-store'
import { useTheme } from '../state/theme-store'
import { ChainNode } from './ChainNode'
import { EdgeTooltip, type HoveredEdge } from './EdgeTooltip'
import { NodeMenu, type MenuAt } from './NodeMenu'
import { toFlowEdges, type ChainFlowEdge, type ChainFlowNode } from './to-flow'

// Module scope: React Flow re-creates every node when these objects change identity.
const nodeTypes = { chain: ChainNode }
const proOptions = { hideAttribution: true }
const fitViewOptions = { padding: 0.08, maxZoom: 1.2 }
const minimapColor = (n: ChainFlowNode): string => (n.data.node.risky ? '#ff5d5d' : appColor(n.data.node.app))

export const GraphView = () => {
  const nodes = useInvestigation((s) => s.nodes)
  const graph = useInvestigation((s) => s.graph)
  const status = useInvestigation((s) => s.status)
  const openedAt = useInvestigation((s) => s.openedAt)
  const selectedEdge = useInvestigation((s) => (s.selection?.kind === 'edge' ? s.selection.id : null))
  const select = useInvestigation((s) => s.select)
  const theme = useTheme((s) => s.theme)
  const toggleExpand = useInvestigation((s) => s.toggleExpand)
  const [flow, setFlow] = useState<ReactFlowInstance<ChainFlowNode, ChainFlowEdge> | null>(null)
  const [hovered, setHovered] = useState<HoveredEdge | null>(null)
  const [menu, setMenu] = useState<MenuAt | null>(null)
  const [openMs, setOpenMs] = useState<number | null>(null)
  const wrap = useRef<HTMLDivElement>(null)

  const edges = useMemo(() => (graph ? toFlowEdges(graph, selectedEdge) : []), [graph, selectedEdge])

  // Fit once per drawn graph, then report how long the chain took to appear (read by bench:graph).
  useEffect(() => {
    if (!flow || status !== 'ready' || nodes.length === 0) return
    void flow.fitView(fitViewOptions)
    const raf = requestAnimationFrame(() => setOpenMs(Math.round(performance.now() - openedAt)))
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
  const onPaneClick = useCallback(() => {
    setMenu(null)
    select(null)
  }, [select])

  return (
    <div
      className="graph"
      ref={wrap}
      data-testid="graph"
      data-ready={status === 'ready' && openMs !== null ? 'true' : 'false'}
      data-open-ms={openMs ?? ''}
      data-nodes={nodes.length}
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
        onMoveStart={onEdgeLeave}
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
        <Background variant={BackgroundVariant.Dots} gap={24} size={1} />
        <MiniMap<ChainFlowNode> pannable zoomable nodeColor={minimapColor} nodeStrokeWidth={0} className="minimap" />
        <Controls showInteractive={false} />
      </ReactFlow>
      {hovered && <EdgeTooltip hovered={hovered} />}
      {menu && <NodeMenu at={menu} onClose={() => setMenu(null)} />}
    </div>
  )
}
