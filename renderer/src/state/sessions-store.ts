import { create } from 'zustand'
import type { IdentityType, RecommendedResponse } from '../../../contract'

export interface ChainFilter {
  identityType?: IdentityType
  app?: string
  response?: RecommendedResponse
  text?: string
}

interface CaseView {
  filter: ChainFilter
  cursor: number
}

interface SessionsState {
  /** The case the filter and cursor below belong to. */
  caseId: string | null
  filter: ChainFilter
  /** Keyboard cursor in the list; kept when the analyst goes to a chain and comes back. */
  cursor: number
  /** Other cases' filter and cursor, restored when the analyst returns to them (never applied to another case). */
  others: Record<string, CaseView>
  setFilter(patch: Partial<ChainFilter>): void
  setCursor(i: number): void
  /** The open case changed: park this case's view and take up the next case's own (empty the first time). */
  switchCase(caseId: string | null): void
}

export const useSessions = create<SessionsState>((set, get) => ({
  caseId: null,
  filter: {},
  cursor: 0,
  others: {},
  setFilter: (patch) => {
    const next: ChainFilter = { ...get().filter, ...patch }
    for (const k of Object.keys(next) as Array<keyof ChainFilter>) if (!next[k]) delete next[k]
    // The same filter again keeps the list and the analyst's place in it; only another one starts from the top.
    if (JSON.stringify(next) === JSON.stringify(get().filter)) return
    set({ filter: next, cursor: 0 })
  },
  setCursor: (cursor) => set({ cursor }),
  switchCase: (caseId) => {
    const { caseId: was, filter, cursor, others } = get()
    if (caseId === was) return
    const parked = was ? { ...others, [was]: { filter, cursor } } : others
    const view = (caseId && parked[caseId]) || { filter: {}, cursor: 0 }
    set({ caseId, filter: view.filter, cursor: view.cursor, others: parked })
  }
}))
