import { create } from 'zustand'
import type { IdentityType, RecommendedResponse } from '../../../contract'

export interface ChainFilter {
  identityType?: IdentityType
  app?: string
  response?: RecommendedResponse
  text?: string
}

interface SessionsState {
  filter: ChainFilter
  /** Keyboard cursor in the list; kept when the analyst goes to a chain and comes back. */
  cursor: number
  setFilter(patch: Partial<ChainFilter>): void
  setCursor(i: number): void
}

export const useSessions = create<SessionsState>((set, get) => ({
  filter: {},
  cursor: 0,
  setFilter: (patch) => {
    const next: ChainFilter = { ...get().filter, ...patch }
    for (const k of Object.keys(next) as Array<keyof ChainFilter>) if (!next[k]) delete next[k]
    set({ filter: next, cursor: 0 })
  },
  setCursor: (cursor) => set({ cursor })
}))
