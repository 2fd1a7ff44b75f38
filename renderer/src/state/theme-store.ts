import { create } from 'zustand'

export type Theme = 'dark' | 'light'
const KEY = 'afterlogin.theme'

const initial = (): Theme => (localStorage.getItem(KEY) === 'light' ? 'light' : 'dark')

const apply = (theme: Theme): void => {
  document.documentElement.dataset.theme = theme
  localStorage.setItem(KEY, theme)
}

interface ThemeState {
  theme: Theme
  setTheme(theme: Theme): void
}

export const useTheme = create<ThemeState>((set) => {
  const theme = initial()
  apply(theme)
  return {
    theme,
    setTheme: (t) => {
      apply(t)
      set({ theme: t })
    }
  }
})
