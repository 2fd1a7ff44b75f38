import { create } from 'zustand'
import type { ImportFileResult, ImportListEntry, ImportProgress } from '../../../contract'
import { api, onPush } from '../api'
import { useCase } from '../state/case-store'
import { transport } from '../transport'
import type { PickedFile } from './dropped-files'

/** One import as the panel shows it: uploading, running (progress), or finished (per-file results). */
export interface ImportCard {
  key: string
  importId: string | null
  label: string
  phase: 'uploading' | 'reading' | 'analyzing' | 'finished' | 'failed'
  progress: ImportProgress | null
  uploaded: { done: number; total: number } | null
  files: ImportFileResult[]
  status: string | null
  error: string | null
  seconds: number | null
}

interface ImportState {
  cards: ImportCard[]
  start(files: PickedFile[]): Promise<void>
  cancel(importId: string): Promise<void>
  loadPast(): Promise<void>
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err))
let seq = 0

const fromPast = (p: ImportListEntry): ImportCard => ({
  key: p.id,
  importId: p.id,
  label: p.paths.join(', '),
  phase: 'finished',
  progress: null,
  uploaded: null,
  files: p.files,
  status: p.status,
  error: p.error,
  seconds: p.seconds
})

export const useImports = create<ImportState>((set, get) => {
  const patch = (key: string, change: Partial<ImportCard>): void => set({ cards: get().cards.map((c) => (c.key === key ? { ...c, ...change } : c)) })

  // Events can outrun import.start's answer (a small import finishes first): keep the latest per id.
  const early = new Map<string, ImportProgress>()

  const apply = (p: ImportProgress): void => {
    const card = get().cards.find((c) => c.importId === p.importId)
    if (!card) {
      early.set(p.importId, p)
      return
    }
    if (p.phase === 'finished' && p.summary) {
      patch(card.key, { phase: 'finished', progress: p, files: p.summary.files, status: p.summary.status, seconds: p.summary.seconds })
      void api('case.info', {}).then((info) => useCase.getState().setCurrent(info))
    } else patch(card.key, { phase: p.phase, progress: p })
  }
  onPush('import.progress', apply)

  return {
    cards: [],
    async start(files) {
      if (files.length === 0) return
      const key = `local-${++seq}`
      const label = files.length === 1 ? files[0].relPath : `${files.length} files (${files[0].relPath.split('/')[0]}…)`
      const card: ImportCard = {
        key,
        importId: null,
        label,
        phase: 'uploading',
        progress: null,
        uploaded: null,
        files: [],
        status: null,
        error: null,
        seconds: null
      }
      set({ cards: [card, ...get().cards] })
      try {
        if (!transport) throw new Error('no connection to the Afterlogin core')
        const input = await transport.importInput(files, (done, total) => patch(key, { uploaded: { done, total } }))
        const { importId } = await api('import.start', input)
        patch(key, { importId, phase: 'reading' })
        const seen = early.get(importId)
        early.delete(importId)
        if (seen) apply(seen)
      } catch (err) {
        patch(key, { phase: 'failed', error: message(err) })
      }
    },
    async cancel(importId) {
      await api('import.cancel', { importId })
    },
    async loadPast() {
      const past = await api('import.list', { limit: 10 })
      const live = get().cards.filter((c) => c.phase !== 'finished')
      const liveIds = new Set(live.map((c) => c.importId))
      set({ cards: [...live, ...past.filter((p) => !liveIds.has(p.id)).map(fromPast)] })
    }
  }
})
