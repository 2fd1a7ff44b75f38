import { useRef, useState } from 'react'
import { useCase } from '../state/case-store'
import { transport } from '../transport'
import { CasePicker } from '../screens/CasePicker'
import { NavTabs } from './NavTabs'
import { Popover } from './Popover'
import { ExportMenu } from './ExportMenu'

export const TopBar = () => {
  const current = useCase((s) => s.current)
  const status = useCase((s) => s.status)
  const error = useCase((s) => s.error)
  const [picking, setPicking] = useState(false)
  const casesButton = useRef<HTMLButtonElement>(null)

  return (
    <header className="topbar">
      <span className="brand">Afterlogin</span>
      {current && (
        <span className="case-name" data-testid="case-name">
          {current.name}
          {current.demo && <span className="tag">demo</span>}
        </span>
      )}
      {current && <NavTabs />}
      <span className="spacer" />
      {status === 'busy' && (
        <span className="muted" data-testid="busy">
          working…
        </span>
      )}
      {error && (
        <span className="error-text" role="alert" data-testid="error">
          {error}
        </span>
      )}
      <span className="muted small">{transport?.kind === 'web' ? 'local web mode' : 'desktop'}</span>
      {current && <ExportMenu />}
      {current && (
        <button type="button" ref={casesButton} onClick={() => setPicking((p) => !p)} aria-expanded={picking} data-testid="switch-case">
          Cases
        </button>
      )}
      {picking && current && (
        <Popover onClose={() => setPicking(false)} anchor={casesButton} label="Cases" testId="cases-popover">
          <CasePicker onDone={() => setPicking(false)} />
        </Popover>
      )}
    </header>
  )
}
