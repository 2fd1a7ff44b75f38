import { useCallback, useEffect, useRef } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { EventRow } from '../../../contract'
import { api } from '../api'
import { pivotClass, pivotSide } from '../context/pivot'
import { appColor } from '../lib/app-colors'
import { crossesDays, fmtClock, fmtCount, fmtTime } from '../lib/format'
import { usePageCache } from '../lib/use-page-cache'
import { useInvestigation } from '../state/investigation-store'
import { humanizeId } from '../../../contract/labels'

const ROW = 24

/** The chain's events in time order, filtered by the selected node and the brushed range; paged and virtualized. */
export const EventList = ({ chainId, node }: { chainId: string; node: string | null }) => {
  const range = useInvestigation((s) => s.range)
  const eventUid = useInvestigation((s) => s.eventUid)
  const openEvent = useInvestigation((s) => s.openEvent)
  const withDate = useInvestigation((s) => crossesDays(s.detail?.chain.start, s.detail?.chain.end))
  const pivot = useInvestigation((s) => s.detail?.chain.pivot ?? null)
  const key = `${chainId}|${node ?? ''}|${range?.from ?? ''}|${range?.to ?? ''}`
  const fetchPage = useCallback(
    (offset: number, limit: number) => api('chains.events', { id: chainId, offset, limit, ...(node ? { node } : {}), ...(range ?? {}) }),
    // The key carries every input of the query.
    [key]
  )
  const cache = usePageCache<EventRow>(key, fetchPage, 200)
  const scroller = useRef<HTMLDivElement>(null)
  const virt = useVirtualizer({ count: cache.total ?? 0, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 })
  const items = virt.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? 0

  useEffect(() => cache.ensure(first, Math.max(last, 50)), [cache, first, last])

  return (
    <div className="event-list" data-testid="event-list">
      <div className="list-head small muted">
        {cache.total === null
          ? 'loading events…'
          : `${fmtCount(cache.total)} event${cache.total === 1 ? '' : 's'}${node ? ' of the selected node' : ''}${range ? ' in range' : ''}`}
        {cache.error && <span className="error-text"> — {cache.error}</span>}
      </div>
      <div className="scroll" ref={scroller}>
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const ev = cache.get(it.index)
            return (
              <div key={it.key} className="ev-row-slot" style={{ transform: `translateY(${it.start}px)`, height: ROW }}>
                {ev ? (
                  <EventLine
                    ev={ev}
                    active={ev.uid === eventUid}
                    onOpen={openEvent}
                    withDate={withDate}
                    pivotTime={pivot?.time ?? null}
                    pivotEvent={pivot?.eventId ?? null}
                  />
                ) : (
                  <span className="muted small">…</span>
                )}
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}

const EventLine = ({
  ev,
  active,
  onOpen,
  withDate,
  pivotTime,
  pivotEvent
}: {
  ev: EventRow
  active: boolean
  onOpen: (uid: string) => void
  withDate: boolean
  pivotTime: string | null
  pivotEvent: string | null
}) => {
  const side = pivotSide(pivotTime, ev.time)
  return (
    <button
      type="button"
      className={`ev-row${active ? ' active' : ''}${ev.findings.length ? ' flagged' : ''}${pivotClass(side)}${ev.uid === pivotEvent ? ' pivot-at' : ''}`}
      onClick={() => onOpen(ev.uid)}
      data-testid="event-row"
      data-pivot={ev.uid === pivotEvent ? 'at' : (side ?? '')}
      title={ev.action ?? ''}
    >
      <span className="mono t" title={fmtTime(ev.time)} data-testid="event-time">
        {fmtClock(ev.time, withDate)}
      </span>
      <span className="app-dot" style={{ background: appColor(ev.app ?? ev.source) }} />
      <span className="act">{ev.action ?? humanizeId(ev.category)}</span>
      <span className="muted tgt">{ev.targetName ?? ''}</span>
      <span className="mono muted ip">{ev.srcIp ?? ''}</span>
    </button>
  )
}
