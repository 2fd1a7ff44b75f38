import { useEffect } from 'react'
import { DetailsPanel } from '../details/DetailsPanel'
import { GraphView } from '../graph/GraphView'
import { ChainHeader } from '../investigation/ChainHeader'
import { ChainStory } from '../investigation/ChainStory'
import { GraphToolbar } from '../investigation/GraphToolbar'
import { ResponseArea } from '../investigation/ResponseArea'
import { useInvestigation } from '../state/investigation-store'
import { useNav } from '../state/nav-store'
import { Timeline } from '../timeline/Timeline'

export const Investigation = () => {
  const chainId = useNav((s) => s.chainId)
  const go = useNav((s) => s.go)
  const loaded = useInvestigation((s) => s.chainId)
  const open = useInvestigation((s) => s.open)

  useEffect(() => {
    if (chainId && chainId !== loaded) void open(chainId)
  }, [chainId, loaded, open])

  // Escape steps back: first out of an open record, then out of the selection.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || (e.target as HTMLElement | null)?.closest('input, textarea, select')) return
      const s = useInvestigation.getState()
      if (s.eventUid) s.openEvent(null)
      else if (s.selection) s.select(null)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  if (!chainId) {
    return (
      <section className="empty-state" data-testid="investigation-empty">
        <h2>No chain open</h2>
        <p className="muted">Pick a chain in the sessions list to draw its cross-app graph.</p>
        <button type="button" onClick={() => go('sessions')}>
          Go to sessions
        </button>
      </section>
    )
  }
  return (
    <section className="investigation" data-testid="investigation">
      <ChainHeader />
      <ChainStory />
      <div className="inv-body">
        <div className="inv-main">
          <GraphToolbar />
          <GraphView />
          <Timeline />
        </div>
        <div className="inv-side">
          <ResponseArea />
          <DetailsPanel />
        </div>
      </div>
    </section>
  )
}
