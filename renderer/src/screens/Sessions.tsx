import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { ChainRow } from '../../../contract'
import { api } from '../api'
import { fmtCount } from '../lib/format'
import { usePageCache } from '../lib/use-page-cache'
import { ChainRowView, ROW_HEIGHT } from '../sessions/ChainRowView'
import { SessionFilters } from '../sessions/SessionFilters'
import { useCase } from '../state/case-store'
import { useNav } from '../state/nav-store'
import { useSessions } from '../state/sessions-store'

/** Chains sorted by risk, a page at a time from DuckDB; ↑/↓ move, Enter opens, / jumps to the filter. */
export const Sessions = () => {
  const filter = useSessions((s) => s.filter)
  const cursor = useSessions((s) => s.cursor)
  const setCursor = useSessions((s) => s.setCursor)
  const openChain = useNav((s) => s.openChain)
  const caseId = useCase((s) => s.current?.id ?? '')
  const caseEvents = useCase((s) => s.current?.events ?? 0)
  const key = `${caseId}|${caseEvents}|${JSON.stringify(filter)}`
  const fetchPage = useCallback((offset: number, limit: number) => api('chains.list', { offset, limit, sort: 'risk', filter }), [filter])
  const cache = usePageCache<ChainRow>(key, fetchPage, 100)
  const scroller = useRef<HTMLDivElement>(null)
  const total = cache.total ?? 0
  const virt = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 })
  const items = virt.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? 0

  useEffect(() => cache.ensure(first, Math.max(last, 30)), [cache, first, last])
  useEffect(() => {
    if (total > 0) virt.scrollToIndex(Math.min(cursor, total - 1), { align: 'auto' })
  }, [cursor, total, virt])
  useEffect(() => scroller.current?.focus(), [])

  // Coming back to the list makes a fresh page cache, so Enter can land before the rows have arrived (or on a row
  // End jumped to that is still being fetched). The keypress is kept and honoured when that row arrives rather
  // than silently dropped; moving the cursor or a failed fetch cancels it.
  const [pendingOpen, setPendingOpen] = useState<number | null>(null)
  const pendingRow = pendingOpen === null ? undefined : cache.get(pendingOpen)
  useEffect(() => {
    if (pendingOpen === null) return
    if (pendingRow) {
      setPendingOpen(null)
      openChain(pendingRow.id)
    } else if (cache.error || cache.total === 0) setPendingOpen(null)
    else if (cache.total !== null && pendingOpen >= cache.total) setPendingOpen(cache.total - 1)
    else if (cache.total !== null) cache.ensure(pendingOpen, pendingOpen)
  }, [pendingOpen, pendingRow, cache, cache.error, cache.total, openChain])
  // End pressed before the count arrived asks for the last row: it lands there once the count is known.
  useEffect(() => {
    if (cache.total !== null && cache.total > 0 && cursor > cache.total - 1) setCursor(cache.total - 1)
  }, [cache.total, cursor, setCursor])
  const moveCursor = (i: number) => {
    setPendingOpen(null)
    setCursor(i)
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') moveCursor(Math.max(0, Math.min(total - 1, cursor + 1)))
    else if (e.key === 'ArrowUp') moveCursor(Math.max(0, cursor - 1))
    else if (e.key === 'PageDown') moveCursor(Math.max(0, Math.min(total - 1, cursor + 10)))
    else if (e.key === 'PageUp') moveCursor(Math.max(0, cursor - 10))
    else if (e.key === 'Home') moveCursor(0)
    else if (e.key === 'End') moveCursor(cache.total === null ? Number.MAX_SAFE_INTEGER : Math.max(0, total - 1))
    else if (e.key === 'Enter') {
      const row = cache.get(cursor)
      if (row) openChain(row.id)
      else setPendingOpen(cursor)
    } else if (e.key === '/') document.getElementById('session-filter-text')?.focus()
    else return
    e.preventDefault()
  }

  return (
    <section className="sessions" data-testid="sessions">
      <SessionFilters />
      <div className="list-head small muted" data-testid="sessions-count">
        {cache.total === null ? 'Loading chains…' : `${fmtCount(total)} chain${total === 1 ? '' : 's'}, riskiest first`}
        {cache.busy && cache.total !== null && ' · loading…'}
      </div>
      {cache.error && (
        <p className="error-text" role="alert" data-testid="sessions-error">
          {cache.error}
        </p>
      )}
      {cache.total === 0 && !cache.error && (
        <div className="empty-state" data-testid="sessions-empty">
          <h2>{Object.keys(filter).length ? 'No chain matches these filters' : 'No sessions yet'}</h2>
          <p className="muted">
            {Object.keys(filter).length
              ? 'Loosen a filter to see more.'
              : 'Import log bundles on the case home; chains appear here once the import is analysed.'}
          </p>
        </div>
      )}
      <div className="chain-list" ref={scroller} tabIndex={0} onKeyDown={onKey} role="listbox" aria-label="Chains" data-testid="chain-list">
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const row = cache.get(it.index)
            return (
              <div key={it.key} className="row-slot" style={{ transform: `translateY(${it.start}px)`, height: ROW_HEIGHT }}>
                {row ? (
                  <ChainRowView row={row} active={it.index === cursor} onOpen={openChain} onPoint={() => setCursor(it.index)} />
                ) : (
                  <div className="chain-row placeholder" />
                )}
              </div>
            )
          })}
        </div>
      </div>
    </section>
  )
}
