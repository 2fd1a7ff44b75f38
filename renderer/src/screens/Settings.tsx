import { ConnectorSettings } from '../response/ConnectorSettings'
import { PolicyViewers } from '../settings/PolicyViewers'
import { IdentityMapEditor } from '../settings/IdentityMapEditor'
import { useTheme } from '../state/theme-store'

export const Settings = () => {
  const theme = useTheme((s) => s.theme)
  const setTheme = useTheme((s) => s.setTheme)
  return (
    <section className="settings" data-testid="settings">
      <div className="panel row">
        <h3 className="inline">Theme</h3>
        <button type="button" className={theme === 'dark' ? 'on' : ''} onClick={() => setTheme('dark')} data-testid="theme-dark">
          Dark
        </button>
        <button type="button" className={theme === 'light' ? 'on' : ''} onClick={() => setTheme('light')} data-testid="theme-light">
          Light
        </button>
      </div>
      <ConnectorSettings />
      <IdentityMapEditor />
      <PolicyViewers />
    </section>
  )
}
