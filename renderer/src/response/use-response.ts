import { create } from 'zustand'
import type { ActionSummary, ConnectorId, ConnectorInfo, ResponseAction, ResponsePreview, ResponseStatusEvent } from '../../../contract'
import { CONNECTOR_FOR_SOURCE, RESPONSE_ACTIONS } from '../../../contract'
import { api, onPush } from '../api'
import { errorText } from '../lib/format'

export interface ResponseTarget {
  chainId: string
  identity: string
  /** A session node of the graph: only that session where the provider can cut one alone. */
  sessionId?: string
}

type Phase = 'idle' | 'loading' | 'ready' | 'previewing' | 'preview' | 'sending' | 'sent' | 'error'

interface ResponseState {
  open: boolean
  tab: 'respond' | 'audit'
  target: ResponseTarget | null
  phase: Phase
  error: string | null
  connectors: ConnectorInfo[]
  /** Connectors that act on the chain's apps (plus SSF), in the chain's order. */
  candidates: ConnectorId[]
  selected: ConnectorId[]
  action: ResponseAction
  recommended: string | null
  preview: ResponsePreview | null
  reason: string
  analyst: string
  dryRun: boolean
  sent: ActionSummary[]
  /** Live status per action id, from `response.status` pushes. */
  live: Record<string, ResponseStatusEvent>
  openFor(target: ResponseTarget): Promise<void>
  showAudit(): void
  close(): void
  setAction(action: ResponseAction): void
  toggle(id: ConnectorId): void
  setReason(reason: string): void
  setAnalyst(analyst: string): void
  setDryRun(dryRun: boolean): void
  loadPreview(): Promise<void>
  confirm(): Promise<void>
}

const isAction = (r: string): r is ResponseAction => (RESPONSE_ACTIONS as readonly string[]).includes(r)

/** Connectors for a chain's apps (source ids → connector ids), each once, SSF last. */
export const connectorsForApps = (apps: string[]): ConnectorId[] => {
  const ids = apps.map((a) => CONNECTOR_FOR_SOURCE[a]).filter((c): c is ConnectorId => !!c)
  return [...new Set<ConnectorId>([...ids, 'ssf'])]
}

let stopLive: (() => void) | null = null

/**
 * The response panel's state. Other views open it with `useResponse.getState().openFor({ chainId, identity, sessionId })`
 * (the graph's context menu on a chain, session or identity node).
 */
export const useResponse = create<ResponseState>((set, get) => {
  const changed = () => set({ preview: null, phase: get().phase === 'error' || get().phase === 'preview' ? 'ready' : get().phase })
  return {
    open: false,
    tab: 'respond',
    target: null,
    phase: 'idle',
    error: null,
    connectors: [],
    candidates: [],
    selected: [],
    action: 'terminate-session',
    recommended: null,
    preview: null,
    reason: '',
    analyst: '',
    dryRun: false,
    sent: [],
    live: {},

    openFor: async (target) => {
      set({ open: true, tab: 'respond', target, phase: 'loading', error: null, preview: null, sent: [], live: {}, reason: '' })
      stopLive ??= onPush('response.status', (e) => set({ live: { ...get().live, [e.actionId]: e } }))
      try {
        const [connectors, detail] = await Promise.all([api('response.connectors', {}), api('chains.get', { id: target.chainId })])
        const candidates = connectorsForApps(detail.chain.apps)
        const usable = (id: ConnectorId) => connectors.find((c) => c.id === id)
        const recommended = detail.chain.response
        const action = isAction(recommended) ? recommended : 'terminate-session'
        // From a session node, only that session's app is preselected; from the chain or identity, every app.
        const sessionSource = target.sessionId ? detail.sessions.find((x) => x.id === target.sessionId)?.source : undefined
        const scope = sessionSource && CONNECTOR_FOR_SOURCE[sessionSource] ? [CONNECTOR_FOR_SOURCE[sessionSource]] : candidates
        const selected = scope.filter((id) => usable(id)?.configured && usable(id)?.actions.includes(action))
        set({ connectors, candidates, selected, action, recommended, phase: 'ready' })
      } catch (err) {
        set({ phase: 'error', error: errorText(err) })
      }
    },
    showAudit: () => set({ open: true, tab: 'audit' }),
    close: () => set({ open: false }),
    setAction: (action) => {
      const { connectors, candidates } = get()
      set({ action, selected: candidates.filter((id) => connectors.find((c) => c.id === id && c.configured && c.actions.includes(action))) })
      changed()
    },
    toggle: (id) => {
      const { selected } = get()
      set({ selected: selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id] })
      changed()
    },
    setReason: (reason) => set({ reason }),
    setAnalyst: (analyst) => set({ analyst }),
    setDryRun: (dryRun) => set({ dryRun }),
    loadPreview: async () => {
      const { target, action, selected } = get()
      if (!target || selected.length === 0) return
      set({ phase: 'previewing', error: null })
      try {
        const preview = await api('response.preview', {
          identity: target.identity,
          action,
          connectors: selected,
          chainId: target.chainId,
          sessionId: target.sessionId
        })
        set({ preview, phase: 'preview' })
      } catch (err) {
        set({ phase: 'error', error: errorText(err) })
      }
    },
    confirm: async () => {
      const { target, action, selected, reason, analyst, dryRun, preview } = get()
      if (!target || !preview || reason.trim().length < 3) return
      set({ phase: 'sending', error: null })
      try {
        const sent = await api('response.execute', {
          identity: target.identity,
          action,
          connectors: selected,
          chainId: target.chainId,
          sessionId: target.sessionId,
          reason: reason.trim(),
          analyst: analyst.trim() || undefined,
          dryRun
        })
        set({ sent, phase: 'sent' })
      } catch (err) {
        set({ phase: 'error', error: errorText(err) })
      }
    }
  }
})
