import { useEffect } from 'react'
import { SCREENS, useNav, type Screen } from '../state/nav-store'

const LABEL: Record<Screen, string> = {
  home: 'Case home',
  sessions: 'Sessions',
  investigation: 'Investigation',
  audit: 'Audit',
  settings: 'Settings'
}

/** Screens of an open case; Alt+1…5 switch between them from anywhere. */
export const NavTabs = () => {
  const screen = useNav((s) => s.screen)
  const go = useNav((s) => s.go)

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return
      const i = Number(e.key) - 1
      if (Number.isInteger(i) && i >= 0 && i < SCREENS.length) {
        e.preventDefault()
        go(SCREENS[i])
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [go])

  return (
    <nav className="tabs" aria-label="Screens">
      {SCREENS.map((s, i) => (
        <button
          key={s}
          type="button"
          className={screen === s ? 'tab on' : 'tab'}
          onClick={() => go(s)}
          data-testid={`nav-${s}`}
          title={`Alt+${i + 1}`}
          aria-current={screen === s ? 'page' : undefined}
        >
          {LABEL[s]}
        </button>
      ))}
    </nav>
  )
}
