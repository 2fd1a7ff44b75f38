import type { ChainGraph } from '../../../contract'
import type { LayoutInput, LayoutResult } from './layout'
import { fitsReadable, foldTargets, layoutInputOf } from './to-flow'

export interface Pane {
  width: number
  height: number
}

export interface ChainView {
  graph: ChainGraph
  layout: LayoutResult
  folded: Map<string, number>
}

/** Past this many nodes a chain cannot fit a screen at a readable zoom, so the whole-view attempt is skipped. */
const TRY_WHOLE_BELOW = 150

/**
 * What the graph shows: every node when the whole chain fits the pane at a readable zoom, otherwise the targets
 * of actions the analyst has not opened are folded into their action (aggregate rather than shrink). The layout
 * runner is passed in: the window's lays big graphs out in a worker.
 */
export const chooseView = async (
  graph: ChainGraph,
  expand: readonly string[],
  pane: Pane,
  runLayout: (input: LayoutInput) => Promise<LayoutResult>
): Promise<ChainView> => {
  if (graph.nodes.length < TRY_WHOLE_BELOW) {
    const layout = await runLayout(layoutInputOf(graph))
    if (fitsReadable(layout, pane)) return { graph, layout, folded: new Map() }
  }
  const view = foldTargets(graph, new Set(expand))
  return { ...view, layout: await runLayout(layoutInputOf(view.graph)) }
}
