import { create } from 'zustand'

export const SCREENS = ['home', 'sessions', 'investigation', 'audit', 'settings'] as const
export type Screen = (typeof SCREENS)[number]

interface NavState {
  screen: Screen
  /** The chain the investigation screen shows. */
  chainId: string | null
  go(screen: Screen): void
  openChain(id: string): void
  reset(): void
}

export const useNav = create<NavState>((set) => ({
  screen: 'home',
  chainId: null,
  go: (screen) => set({ screen }),
  openChain: (id) => set({ chainId: id, screen: 'investigation' }),
  reset: () => set({ screen: 'home', chainId: null })
}))
