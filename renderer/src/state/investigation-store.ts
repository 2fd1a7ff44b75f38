import { create } from 'zustand'
import type { ChainDetail, ChainGraph, TimelineBucket } from '../../../contract'
import { api } from '../api'
import { errorText } from '../lib/format'
import { chooseView, type Pane } from '../graph/choose-view'
import { playSteps } from '../graph/playback'
import { runLayout } from '../graph/run-layout'
import { toFlowNodes, type ChainFlowNode } from '../graph/to-flow'

export interface TimeRange {
  from: string
  to: string
}

export type Selection = { kind: 'node'; id: string } | { kind: 'edge'; id: string } | null

type Status = 'idle' | 'loading' | 'layout' | 'ready' | 'error'

/** How many aggregates "expand all" opens at once (the contract's limit per graph request). */
export const EXPAND_LIMIT = 200

interface InvestigationState {
  chainId: string | null
  status: Status
  /** What the progress line says while status is loading or layout. */
  step: string
  error: string | null
  detail: ChainDetail | null
  graph: ChainGraph | null
  nodes: ChainFlowNode[]
  timeline: TimelineBucket[]
  expand: string[]
  range: TimeRange | null
  selection: Selection
  eventUid: string | null
  /** performance.now() when the chain was asked for; the graph reports its open time from it. */
  openedAt: number
  /** Targets folded into their actions in the current view (the chain did not fit whole at a readable zoom). */
  folded: number
  /** The graph pane's size, which decides whether the chain opens whole or with its targets folded. */
  pane: Pane
  /** Playback: the step (index into playSteps(graph)) on screen, whether it advances, and the time it stands at. */
  playIndex: number | null
  playing: boolean
  playAt: string | null
  setPane(pane: Pane): void
  stepPlayback(delta: number): void
  setPlaying(playing: boolean): void
  stopPlayback(): void
  open(chainId: string): Promise<void>
  reloadGraph(): Promise<void>
  setRange(range: TimeRange | null): void
  toggleExpand(nodeId: string): void
  expandAll(): void
  collapseAll(): void
  select(sel: Selection): void
  openEvent(uid: string | null): void
  rejectLink(linkId: string, reason: string): Promise<void>
}

let graphSeq = 0

/** What a chain's view holds before its data arrives: the store starts so, and each open resets to it. */
const NOTHING_OPEN = {
  detail: null,
  graph: null,
  nodes: [],
  timeline: [],
  expand: [],
  range: null,
  selection: null,
  eventUid: null,
  folded: 0,
  playIndex: null,
  playing: false,
  playAt: null
} satisfies Partial<InvestigationState>

export const useInvestigation = create<InvestigationState>((set, get) => {
  const loadGraph = async (): Promise<void> => {
    const { chainId, expand, range } = get()
    if (!chainId) return
    const seq = ++graphSeq
    set({ status: 'loading', step: 'Loading graph…', error: null })
    try {
      const graph = await api('chains.graph', { id: chainId, expand, ...(range ?? {}) })
      if (seq !== graphSeq) return
      set({ status: 'layout', step: `Laying out ${graph.nodes.length.toLocaleString('en-US')} nodes…` })
      const view = await chooseView(graph, get().expand, get().pane, runLayout)
      if (seq !== graphSeq) return
      const folded = [...view.folded.values()].reduce((a, b) => a + b, 0)
      const steps = playSteps(view.graph).length
      const { playIndex } = get()
      set({
        graph: view.graph,
        nodes: toFlowNodes(view.graph, view.layout, view.folded),
        folded,
        status: 'ready',
        step: '',
        ...(playIndex !== null && playIndex >= steps ? { playIndex: null, playAt: null, playing: false } : {})
      })
    } catch (err) {
      if (seq === graphSeq) set({ status: 'error', error: errorText(err), step: '' })
    }
  }

  return {
    chainId: null,
    status: 'idle',
    step: '',
    error: null,
    ...NOTHING_OPEN,
    openedAt: 0,
    // Until the pane reports its size: the graph area of a 1440×900 window.
    pane: { width: 960, height: 600 },

    open: async (chainId) => {
      set({ chainId, openedAt: performance.now(), ...NOTHING_OPEN })
      const sideData = Promise.all([api('chains.get', { id: chainId }), api('chains.timeline', { id: chainId, buckets: 160 })])
      const graphDone = loadGraph()
      try {
        const [detail, timeline] = await sideData
        if (get().chainId === chainId) set({ detail, timeline })
      } catch (err) {
        if (get().chainId === chainId) set({ status: 'error', error: errorText(err) })
      }
      await graphDone
    },
    reloadGraph: loadGraph,
    setRange: (range) => {
      set({ range })
      void loadGraph()
    },
    toggleExpand: (nodeId) => {
      const { expand } = get()
      set({ expand: expand.includes(nodeId) ? expand.filter((e) => e !== nodeId) : [...expand, nodeId].slice(-EXPAND_LIMIT) })
      void loadGraph()
    },
    expandAll: () => {
      const { graph, expand } = get()
      const more = (graph?.nodes ?? []).filter((n) => n.expandable && !expand.includes(n.id)).map((n) => n.id)
      if (!more.length) return
      set({ expand: [...expand, ...more].slice(0, EXPAND_LIMIT) })
      void loadGraph()
    },
    collapseAll: () => {
      if (!get().expand.length) return
      set({ expand: [] })
      void loadGraph()
    },
    select: (selection) => set({ selection, eventUid: null, playing: false }),
    setPane: (pane) => set({ pane }),
    stepPlayback: (delta) => {
      const { graph, playIndex, playing } = get()
      const steps = playSteps(graph)
      if (!steps.length) return
      const i = Math.min(steps.length - 1, Math.max(0, playIndex === null ? (delta < 0 ? steps.length - 1 : 0) : playIndex + delta))
      const n = steps[i]
      set({ playIndex: i, playAt: n.first, selection: { kind: 'node', id: n.id }, eventUid: null, playing: playing && i < steps.length - 1 })
    },
    setPlaying: (playing) => {
      const { playIndex, graph } = get()
      if (playing && (playIndex === null || playIndex >= playSteps(graph).length - 1)) {
        set({ playIndex: null })
        get().stepPlayback(1)
      }
      set({ playing })
    },
    stopPlayback: () => set({ playIndex: null, playAt: null, playing: false }),
    openEvent: (eventUid) => set({ eventUid }),
    rejectLink: async (linkId, reason) => {
      const detail = await api('links.reject', { id: linkId, ...(reason ? { reason } : {}) })
      set({ detail })
      await loadGraph()
    }
  }
})
