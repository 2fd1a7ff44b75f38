import { create } from 'zustand'
import type { CaseInfo, CaseSummary, ImportProgress } from '../../../contract'
import { api, onPush } from '../api'

type Status = 'starting' | 'ready' | 'busy' | 'error'

interface CaseState {
  status: Status
  error: string | null
  current: CaseInfo | null
  recent: CaseSummary[]
  /** While a case call fills the case (the demo is generated, imported and analysed): its latest progress. */
  building: ImportProgress | null
  start(): Promise<void>
  refresh(): Promise<void>
  /** Each resolves true when the case is open, false when the call failed (the error is in `error`). */
  create(name: string): Promise<boolean>
  open(id: string): Promise<boolean>
  openDemo(): Promise<boolean>
  /** Analyses the open case again (its analysis was cut off). */
  analyze(): Promise<boolean>
  setCurrent(info: CaseInfo | null): void
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err))

export const useCase = create<CaseState>((set, get) => {
  const run = async (work: () => Promise<CaseInfo | null>): Promise<boolean> => {
    set({ status: 'busy', error: null, building: null })
    try {
      const current = await work()
      set({ current, recent: await api('case.recent', {}), status: 'ready', building: null })
      return true
    } catch (err) {
      set({ status: 'error', error: message(err), building: null })
      return false
    }
  }
  // Import progress while a case call is running is that case being built (the demo): show it, not "no events".
  onPush('import.progress', (p) => {
    if (get().status === 'busy') set({ building: p.phase === 'finished' ? null : p })
  })
  return {
    status: 'starting',
    error: null,
    current: null,
    recent: [],
    building: null,
    // The case the core has open wins; otherwise the last case is reopened, as an analyst left it. First launch
    // with nothing recent opens the demo case, so the main job shows something real. A last case that cannot be
    // reopened (its file moved) leaves the picker up with the reason.
    start: async () => {
      let reopenError: string | null = null
      await run(async () => {
        const current = await api('case.info', {})
        if (current) return current
        const recent = await api('case.recent', {})
        if (recent.length === 0) return api('case.openDemo', {})
        try {
          return await api('case.open', { id: recent[0].id })
        } catch (err) {
          reopenError = `could not reopen '${recent[0].name}': ${message(err)}`
          return null
        }
      })
      if (reopenError) set({ error: reopenError })
    },
    refresh: async () => {
      await run(() => api('case.info', {}))
    },
    create: (name) => run(() => api('case.create', { name })),
    open: (id) => run(() => api('case.open', { id })),
    openDemo: () => run(() => api('case.openDemo', {})),
    analyze: () => run(() => api('case.analyze', {})),
    setCurrent: (info) => set({ current: info, status: get().status === 'starting' ? 'ready' : get().status })
  }
})
