import { describe, expect, it } from 'vitest'
import { crossesDays, fmtClock } from '../../renderer/src/lib/format'
import { buildTimeline, ticks } from '../../renderer/src/timeline/timeline-model'

describe('event times on chains that span days', () => {
  it('knows when a chain crosses a UTC day, whatever the offset the times were written with', () => {
    expect(crossesDays('2026-03-10T08:10:00.000Z', '2026-03-10T23:59:59Z')).toBe(false)
    expect(crossesDays('2026-03-09T23:50:00Z', '2026-03-10T00:10:00Z')).toBe(true)
    expect(crossesDays('2026-03-09T07:00:00+00:00', '2026-03-10T17:31:00+00:00')).toBe(true)
    expect(crossesDays(null, '2026-03-10T00:10:00Z')).toBe(false)
  })

  it('prints the date with the time of day only when asked to', () => {
    expect(fmtClock('2026-03-10T08:10:05.123Z', false)).toBe('08:10:05Z')
    expect(fmtClock('2026-03-10T08:10:05.123Z', true)).toBe('2026-03-10 08:10:05Z')
    expect(fmtClock(null, true)).toBe('—')
  })

  it('puts the date on timeline ticks when the range crosses a day, and leaves it off within one day', () => {
    const bucket = (start: string, end: string) => ({ app: 'okta', start, end, events: 1, findings: 0 })
    const twoDays = buildTimeline([bucket('2026-03-09T22:00:00Z', '2026-03-09T23:00:00Z'), bucket('2026-03-10T05:00:00Z', '2026-03-10T06:00:00Z')])!
    expect(ticks(twoDays).every((t) => /^\d\d-\d\d \d\d:\d\d$/.test(t.label))).toBe(true)
    const oneDay = buildTimeline([bucket('2026-03-10T08:00:00Z', '2026-03-10T09:00:00Z')])!
    expect(ticks(oneDay).every((t) => /^\d\d:\d\d$/.test(t.label))).toBe(true)
  })
})
