/// <reference lib="webworker" />
import { layoutGraph, type LayoutInput } from './layout'

// Big chains are laid out here so the window keeps answering while thousands of nodes are placed.
self.onmessage = (e: MessageEvent<{ id: number; input: LayoutInput }>) => {
  try {
    self.postMessage({ id: e.data.id, result: layoutGraph(e.data.input) })
  } catch (err) {
    self.postMessage({ id: e.data.id, error: err instanceof Error ? err.message : String(err) })
  }
}
