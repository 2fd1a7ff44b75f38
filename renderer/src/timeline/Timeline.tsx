import { memo, useMemo, useRef, useState, type PointerEvent } from 'react'
import { TimelinePivot } from '../context/TimelinePivot'
import { sourceLabel } from '../../../contract/labels'
import { appColor } from '../lib/app-colors'
import { fmtCount, fmtTime } from '../lib/format'
import { useInvestigation } from '../state/investigation-store'
import { brushToRange, buildTimeline, ticks, timeToFraction, type Lane, type TimelineModel } from './timeline-model'

const W = 1000
const LANE = 18

/** Events over time per app, findings marked in red; drag to brush a time range that filters the graph and events. */
export const Timeline = () => {
  const buckets = useInvestigation((s) => s.timeline)
  const range = useInvestigation((s) => s.range)
  const setRange = useInvestigation((s) => s.setRange)
  const pivotTime = useInvestigation((s) => s.detail?.chain.pivot?.time ?? null)
  const span = useInvestigation((s) => {
    const sel = s.selection
    if (sel?.kind !== 'node') return null
    const n = s.graph?.nodes.find((x) => x.id === sel.id)
    return n?.first && n.last ? `${n.first}|${n.last}|${n.app ?? ''}` : null
  })
  const playAt = useInvestigation((s) => s.playAt)
  const model = useMemo(() => buildTimeline(buckets), [buckets])
  const svg = useRef<SVGSVGElement>(null)
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null)

  if (!model) {
    return (
      <div className="timeline empty" data-testid="timeline">
        <span className="muted">No events on the timeline yet.</span>
      </div>
    )
  }

  const frac = (e: PointerEvent): number => {
    const box = svg.current!.getBoundingClientRect()
    return (e.clientX - box.left) / box.width
  }
  const height = model.lanes.length * LANE
  const [spanFirst, spanLast, spanApp] = span ? span.split('|') : []
  const shown = drag ?? (range ? { a: timeToFraction(model, Date.parse(range.from)), b: timeToFraction(model, Date.parse(range.to)) } : null)

  return (
    <div className="timeline" data-testid="timeline">
      <div className="tl-labels">
        {model.lanes.map((l) => (
          <div key={l.app} className={`tl-label${spanApp && spanApp !== l.app ? ' dim' : ''}`} title={`${fmtCount(l.events)} events, ${l.findings} flagged`}>
            <span className="swatch" style={{ background: appColor(l.app) }} />
            {sourceLabel(l.app)}
          </div>
        ))}
      </div>
      <div className="tl-plot">
        <svg
          ref={svg}
          viewBox={`0 0 ${W} ${height}`}
          preserveAspectRatio="none"
          style={{ height }}
          data-testid="timeline-plot"
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId)
            const f = frac(e)
            setDrag({ a: f, b: f })
          }}
          onPointerMove={(e) => drag && setDrag({ a: drag.a, b: frac(e) })}
          onPointerUp={() => {
            if (!drag) return
            setDrag(null)
            const r = brushToRange(model, drag.a, drag.b)
            if (r) setRange(r)
          }}
        >
          {model.lanes.map((l, i) => (
            <LaneBars key={l.app} lane={l} y={i * LANE} dim={!!spanApp && spanApp !== l.app} />
          ))}
          {pivotTime && <TimelinePivot model={model} time={pivotTime} width={W} height={height} />}
          {spanFirst && (
            <rect
              className="tl-span"
              x={timeToFraction(model, Date.parse(spanFirst)) * W}
              width={Math.max(2, (timeToFraction(model, Date.parse(spanLast)) - timeToFraction(model, Date.parse(spanFirst))) * W)}
              y={0}
              height={height}
            />
          )}
          {playAt && (
            <>
              <rect className="tl-played" x={0} width={timeToFraction(model, Date.parse(playAt)) * W} y={0} height={height} data-testid="timeline-played" />
              <line
                className="tl-playhead"
                x1={timeToFraction(model, Date.parse(playAt)) * W}
                x2={timeToFraction(model, Date.parse(playAt)) * W}
                y1={0}
                y2={height}
                data-testid="timeline-playhead"
              />
            </>
          )}
          {shown && <rect className="tl-brush" x={Math.min(shown.a, shown.b) * W} width={Math.abs(shown.b - shown.a) * W} y={0} height={height} />}
        </svg>
        <Axis model={model} />
      </div>
      <div className="tl-side">
        {range ? (
          <>
            <span className="small mono" data-testid="timeline-range">
              {fmtTime(range.from)} → {fmtTime(range.to)}
            </span>
            <button type="button" onClick={() => setRange(null)} data-testid="timeline-clear">
              Clear range
            </button>
          </>
        ) : (
          <span className="muted small">drag to filter by time</span>
        )}
      </div>
    </div>
  )
}

const LaneBars = memo(({ lane, y, dim }: { lane: Lane; y: number; dim: boolean }) => {
  const color = appColor(lane.app)
  return (
    <g opacity={dim ? 0.25 : 1}>
      {lane.bars.map((b) => (
        <rect key={b.start} x={b.x0 * W} width={Math.max(1.5, (b.x1 - b.x0) * W - 0.5)} y={y + (LANE - 2) * (1 - b.h)} height={(LANE - 2) * b.h} fill={color}>
          <title>{`${lane.app} ${fmtTime(b.start)}: ${b.events} events${b.findings ? `, ${b.findings} flagged` : ''}`}</title>
        </rect>
      ))}
      {lane.bars
        .filter((b) => b.findings > 0)
        .map((b) => (
          <rect key={`f${b.start}`} className="tl-finding" x={b.x0 * W} width={Math.max(3, (b.x1 - b.x0) * W)} y={y} height={3} />
        ))}
    </g>
  )
})

const Axis = ({ model }: { model: TimelineModel }) => (
  <div className="tl-axis">
    {ticks(model).map((t) => (
      <span key={t.f} style={{ left: `${t.f * 100}%` }}>
        {t.label}
      </span>
    ))}
  </div>
)
