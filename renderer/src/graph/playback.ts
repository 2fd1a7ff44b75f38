import type { ChainGraph, GraphNode } from '../../../contract'

/**
 * The steps a playback walks: the chain's actions in the order they began (sessions when a view has no
 * action), ties broken by id so a replay is always the same.
 */
export const playSteps = (graph: ChainGraph | null): GraphNode[] => {
  const nodes = graph?.nodes ?? []
  const actions = nodes.filter((n) => n.kind === 'action' && n.first)
  const steps = actions.length ? actions : nodes.filter((n) => n.kind === 'session' && n.first)
  return [...steps].sort((a, b) => Date.parse(a.first!) - Date.parse(b.first!) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Whether a node lies after the playhead (it has not happened yet at that point of the replay). */
export const isAfter = (node: Pick<GraphNode, 'first'>, playAt: string | null): boolean =>
  playAt !== null && node.first !== null && Date.parse(node.first) > Date.parse(playAt)
