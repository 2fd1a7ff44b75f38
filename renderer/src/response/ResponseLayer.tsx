import { useEffect } from 'react'
import './response.css'
import { AuditTab } from './AuditTab'
import { ResponsePanel } from './ResponsePanel'
import { useResponse } from './use-response'

/**
 * The response drawer: mount it once near the app root; open it with
 * `useResponse.getState().openFor({ chainId, identity, sessionId })` or `showAudit()`.
 */
export const ResponseLayer = () => {
  const open = useResponse((s) => s.open)
  const tab = useResponse((s) => s.tab)
  const hasTarget = useResponse((s) => s.target !== null)
  const close = useResponse((s) => s.close)

  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open, close])

  if (!open) return null
  return (
    <aside className="rsp-drawer" data-testid="response-drawer" aria-label="Response">
      <header className="rsp-drawer-head">
        <nav>
          <button
            className={tab === 'respond' ? 'on' : ''}
            disabled={!hasTarget}
            onClick={() => useResponse.setState({ tab: 'respond' })}
            data-testid="response-tab-respond"
          >
            Respond
          </button>
          <button className={tab === 'audit' ? 'on' : ''} onClick={() => useResponse.setState({ tab: 'audit' })} data-testid="response-tab-audit">
            Audit
          </button>
        </nav>
        <button onClick={close} aria-label="Close" data-testid="response-close">
          ✕
        </button>
      </header>
      <div className="rsp-drawer-body">{tab === 'respond' ? <ResponsePanel /> : <AuditTab />}</div>
    </aside>
  )
}

/** A button that opens the response drawer for a chain (for the investigation view's toolbar). */
export const RespondButton = ({ chainId, identity, sessionId }: { chainId: string; identity: string; sessionId?: string }) => (
  <button className="rsp-danger" data-testid="respond-open" onClick={() => void useResponse.getState().openFor({ chainId, identity, sessionId })}>
    Respond…
  </button>
)
