import type { PushEvents, PushName } from '../contract'

type Listener<N extends PushName> = (payload: PushEvents[N]) => void

/** Typed push channel from the core to whichever transport serves the page. */
export class PushChannel {
  private readonly listeners = new Map<PushName, Set<Listener<never>>>()

  on<N extends PushName>(name: N, fn: Listener<N>): () => void {
    const set = this.listeners.get(name) ?? new Set()
    set.add(fn as Listener<never>)
    this.listeners.set(name, set)
    return () => set.delete(fn as Listener<never>)
  }

  /** Every event, for transports that forward all of them. */
  onAny(fn: <N extends PushName>(name: N, payload: PushEvents[N]) => void): () => void {
    this.anyListeners.add(fn as never)
    return () => this.anyListeners.delete(fn as never)
  }

  emit<N extends PushName>(name: N, payload: PushEvents[N]): void {
    for (const fn of this.listeners.get(name) ?? []) (fn as Listener<N>)(payload)
    for (const fn of this.anyListeners) fn(name, payload)
  }

  private readonly anyListeners = new Set<(name: PushName, payload: unknown) => void>()
}
