import { create } from 'zustand'
import type { CaseInfo, CaseSummary } from '../../../contract'
import { api } from '../api'

type Status = 'starting' | 'ready' | 'busy' | 'error'

interface CaseState {
  status: Status
  error: string | null
  current: CaseInfo | null
  recent: CaseSummary[]
  start(): Promise<void>
  refresh(): Promise<void>
  create(name: string): Promise<void>
  open(id: string): Promise<void>
  openDemo(): Promise<void>
  setCurrent(info: CaseInfo | null): void
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err))

export const useCase = create<CaseState>((set, get) => {
  const run = async (work: () => Promise<CaseInfo | null>): Promise<void> => {
    set({ status: 'busy', error: null })
    try {
      const current = await work()
      set({ current, recent: await api('case.recent', {}), status: 'ready' })
    } catch (err) {
      set({ status: 'error', error: message(err) })
    }
  }
  return {
    status: 'starting',
    error: null,
    current: null,
    recent: [],
    // First launch with nothing open and nothing recent opens the demo case, so the main job shows something real.
    start: () =>
      run(async () => {
        const current = await api('case.info', {})
        if (current) return current
        const recent = await api('case.recent', {})
        return recent.length === 0 ? api('case.openDemo', {}) : null
      }),
    refresh: () => run(() => api('case.info', {})),
    create: (name) => run(() => api('case.create', { name })),
    open: (id) => run(() => api('case.open', { id })),
    openDemo: () => run(() => api('case.openDemo', {})),
    setCurrent: (info) => set({ current: info, status: get().status === 'starting' ? 'ready' : get().status })
  }
})
