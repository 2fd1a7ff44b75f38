import { layoutGraph, type LayoutInput, type LayoutResult } from './layout'

/** Below this many nodes the layout takes well under a frame; posting to a worker would cost more than it saves. */
export const WORKER_THRESHOLD = 300

type Reply = { id: number; result?: LayoutResult; error?: string }

let worker: Worker | null = null
let seq = 0
const waiting = new Map<number, { ok: (r: LayoutResult) => void; fail: (e: Error) => void }>()

const getWorker = (): Worker | null => {
  if (worker) return worker
  if (typeof Worker === 'undefined') return null
  worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' })
  worker.onmessage = (e: MessageEvent<Reply>) => {
    const w = waiting.get(e.data.id)
    if (!w) return
    waiting.delete(e.data.id)
    if (e.data.result) w.ok(e.data.result)
    else w.fail(new Error(e.data.error ?? 'layout failed'))
  }
  worker.onerror = (e) => {
    for (const w of waiting.values()) w.fail(new Error(`layout worker: ${e.message}`))
    waiting.clear()
    worker?.terminate()
    worker = null
  }
  return worker
}

export const runLayout = (input: LayoutInput): Promise<LayoutResult> => {
  const w = input.nodes.length >= WORKER_THRESHOLD ? getWorker() : null
  if (!w) return Promise.resolve(layoutGraph(input))
  const id = ++seq
  return new Promise((ok, fail) => {
    waiting.set(id, { ok, fail })
    w.postMessage({ id, input })
  })
}
