import type { CallInput, CallName, CallResult, PushEvents, PushName } from '../../../contract'

/** What components use to reach the core. They never know whether IPC or HTTP carries it. */
export interface Transport {
  kind: 'desktop' | 'web'
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>
  on<N extends PushName>(name: N, listener: (payload: PushEvents[N]) => void): () => void
}

/** The preload's bridge (desktop only). */
export interface DesktopBridge {
  calls: Record<string, (input: unknown) => Promise<{ ok: true; value: unknown } | { ok: false; error: string }>>
  on(name: string, listener: (payload: unknown) => void): () => void
  pathsOf(files: File[]): string[]
}

declare global {
  interface Window {
    afterlogin?: DesktopBridge
  }
}

export class CallError extends Error {
  constructor(
    readonly call: string,
    message: string
  ) {
    super(message)
  }
}
