import { layoutGraph, type LayoutInput, type LayoutResult } from './layout'

/** Below this many nodes the layout takes well under a frame; posting to a worker would cost more than it saves. */
export const WORKER_THRESHOLD = 300

type Reply = { id: number; result?: LayoutResult; error?: string }
type Waiting = { input: LayoutInput; ok: (r: LayoutResult) => void; fail: (e: Error) => void }

let worker: Worker | null = null
/** Set once the worker could not start (e.g. its script is gone after an update): lay out inline from then on. */
let workerBroken = false
let seq = 0
const waiting = new Map<number, Waiting>()

const getWorker = (): Worker | null => {
  if (worker) return worker
  if (workerBroken || typeof Worker === 'undefined') return null
  worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' })
  worker.onmessage = (e: MessageEvent<Reply>) => {
    const w = waiting.get(e.data.id)
    if (!w) return
    waiting.delete(e.data.id)
    if (e.data.result) w.ok(e.data.result)
    else w.fail(new Error(e.data.error ?? 'layout failed'))
  }
  worker.onerror = (e) => {
    e.preventDefault()
    workerBroken = true
    worker?.terminate()
    worker = null
    // Whatever was queued is still laid out, just on this thread.
    for (const w of waiting.values()) {
      try {
        w.ok(layoutGraph(w.input))
      } catch (err) {
        w.fail(err instanceof Error ? err : new Error(String(err)))
      }
    }
    waiting.clear()
  }
  return worker
}

export const runLayout = (input: LayoutInput): Promise<LayoutResult> => {
  const w = input.nodes.length >= WORKER_THRESHOLD ? getWorker() : null
  if (!w) return Promise.resolve(layoutGraph(input))
  const id = ++seq
  return new Promise((ok, fail) => {
    waiting.set(id, { input, ok, fail })
    w.postMessage({ id, input })
  })
}
