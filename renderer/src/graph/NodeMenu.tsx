import { useEffect } from 'react'
import type { GraphNode } from '../../../contract'
import { useResponse } from '../response/use-response'
import { useInvestigation } from '../state/investigation-store'

export interface MenuAt {
  node: GraphNode
  x: number
  y: number
}

const sessionIdOf = (nodeId: string): string | undefined => (nodeId.startsWith('s:') ? nodeId.slice(2) : undefined)

/** Right-click on the identity or a session: respond to it, or look at what it did. */
export const NodeMenu = ({ at, onClose }: { at: MenuAt; onClose: () => void }) => {
  const chain = useInvestigation((s) => s.detail?.chain ?? null)
  const select = useInvestigation((s) => s.select)

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  const sessionId = sessionIdOf(at.node.id)
  return (
    <div className="menu" style={{ left: at.x, top: at.y }} role="menu" data-testid="node-menu" onContextMenu={(e) => e.preventDefault()}>
      <div className="menu-title">{at.node.label}</div>
      <button
        type="button"
        role="menuitem"
        data-testid="menu-respond"
        disabled={!chain}
        onClick={() => {
          if (chain) void useResponse.getState().openFor({ chainId: chain.id, identity: chain.identity, ...(sessionId ? { sessionId } : {}) })
          onClose()
        }}
      >
        Respond to {sessionId ? 'this session' : 'this identity'}…
      </button>
      <button
        type="button"
        role="menuitem"
        onClick={() => {
          select({ kind: 'node', id: at.node.id })
          onClose()
        }}
      >
        Show its events
      </button>
    </div>
  )
}
