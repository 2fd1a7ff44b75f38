import type { CaseInfo } from './case'

/** Events the core pushes to the page (IPC `webContents.send` or the web mode's SSE stream). */
export interface PushEvents {
  'case.changed': CaseInfo | null
}

export type PushName = keyof PushEvents
