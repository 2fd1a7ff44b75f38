import type { CaseInfo } from './case'

/**
 * Events the core pushes to the page (IPC `webContents.send` or the web mode's SSE stream).
 * Each domain adds its own entry here with a payload type declared in its contract file.
 */
export interface PushEvents {
  'case.changed': CaseInfo | null
}

export type PushName = keyof PushEvents
