import type { CaseInfo } from './case'
import type { ImportProgress } from './imports'
import type { ResponseStatusEvent } from './response'

/**
 * Events the core pushes to the page (IPC `webContents.send` or the web mode's SSE stream).
 * Each domain adds its own entry here with a payload type declared in its contract file.
 */
export interface PushEvents {
  'case.changed': CaseInfo | null
  /** Throttled while an import runs, and once with the summary when it ends. */
  'import.progress': ImportProgress
  'response.status': ResponseStatusEvent
}

export type PushName = keyof PushEvents
