import type { TimelineBucket } from '../../../contract'

export interface Bar {
  /** Horizontal extent as fractions of the whole time span. */
  x0: number
  x1: number
  /** Height as a fraction of the lane (square-root scaled so a single event stays visible next to a burst). */
  h: number
  events: number
  findings: number
  start: string
  end: string
}

export interface Lane {
  app: string
  events: number
  findings: number
  bars: Bar[]
}

export interface TimelineModel {
  t0: number
  t1: number
  lanes: Lane[]
}

export const buildTimeline = (buckets: TimelineBucket[]): TimelineModel | null => {
  if (buckets.length === 0) return null
  let t0 = Number.POSITIVE_INFINITY
  let t1 = Number.NEGATIVE_INFINITY
  let max = 0
  for (const b of buckets) {
    t0 = Math.min(t0, Date.parse(b.start))
    t1 = Math.max(t1, Date.parse(b.end))
    max = Math.max(max, b.events)
  }
  if (!(t1 > t0)) t1 = t0 + 1000
  const span = t1 - t0
  const lanes = new Map<string, Lane>()
  for (const b of buckets) {
    const lane = lanes.get(b.app) ?? { app: b.app, events: 0, findings: 0, bars: [] }
    lanes.set(b.app, lane)
    lane.events += b.events
    lane.findings += b.findings
    if (b.events === 0 && b.findings === 0) continue
    lane.bars.push({
      x0: (Date.parse(b.start) - t0) / span,
      x1: (Date.parse(b.end) - t0) / span,
      h: max ? Math.max(0.08, Math.sqrt(b.events / max)) : 0,
      events: b.events,
      findings: b.findings,
      start: b.start,
      end: b.end
    })
  }
  // Busiest app on top: that is usually where the story is.
  return { t0, t1, lanes: [...lanes.values()].sort((a, b) => b.events - a.events || a.app.localeCompare(b.app)) }
}

const clamp01 = (f: number): number => Math.min(1, Math.max(0, f))

export const fractionToTime = (model: TimelineModel, f: number): number => model.t0 + clamp01(f) * (model.t1 - model.t0)

export const timeToFraction = (model: TimelineModel, t: number): number => clamp01((t - model.t0) / (model.t1 - model.t0))

/** A brushed range as ISO times; too narrow a drag (a click) selects nothing. */
export const brushToRange = (model: TimelineModel, a: number, b: number): { from: string; to: string } | null => {
  const lo = clamp01(Math.min(a, b))
  const hi = clamp01(Math.max(a, b))
  if (hi - lo < 0.004) return null
  return {
    from: new Date(Math.floor(fractionToTime(model, lo) / 1000) * 1000).toISOString(),
    to: new Date(Math.ceil(fractionToTime(model, hi) / 1000) * 1000).toISOString()
  }
}

/** Evenly spaced axis labels at round-ish steps. */
export const ticks = (model: TimelineModel, count = 6): Array<{ f: number; label: string }> => {
  const span = model.t1 - model.t0
  const sameDay = new Date(model.t0).toISOString().slice(0, 10) === new Date(model.t1).toISOString().slice(0, 10)
  const out: Array<{ f: number; label: string }> = []
  for (let i = 0; i <= count; i++) {
    const t = model.t0 + (span * i) / count
    const iso = new Date(t).toISOString()
    out.push({ f: i / count, label: sameDay ? iso.slice(11, 16) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}` })
  }
  return out
}
