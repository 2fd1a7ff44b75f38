import type { CallInput, CallName, CallResult, PushEvents, PushName } from '../../../contract'

/** A file the analyst dropped or picked, with its path inside what was dropped. */
export interface FileToImport {
  file: File
  relPath: string
}

/** What `import.start` is given: paths (desktop) or the ids of uploaded files (web mode). */
export type ImportInput = { paths: string[] } | { uploads: string[] }

/** What components use to reach the core. They never know whether IPC or HTTP carries it. */
export interface Transport {
  kind: 'desktop' | 'web'
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>
  on<N extends PushName>(name: N, listener: (payload: PushEvents[N]) => void): () => void
  /** Hands dropped files to the core the only way this transport may: their paths, or uploads into the case. */
  importInput(files: FileToImport[], onUploaded: (done: number, total: number) => void): Promise<ImportInput>
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
