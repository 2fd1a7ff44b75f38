import { describe, expect, it } from 'vitest'
import type { ChainRow, TimelineBucket } from '../../contract/sessions'
import { buildCoverage } from '../../renderer/src/home/coverage'
import { fmtDuration, fmtSpan, fmtTime } from '../../renderer/src/lib/format'
import { PageCache } from '../../renderer/src/lib/page-cache'
import { brushToRange, buildTimeline, ticks, timeToFraction } from '../../renderer/src/timeline/timeline-model'

const bucket = (app: string, start: string, end: string, events: number, findings = 0): TimelineBucket => ({ app, start, end, events, findings })

describe('timeline model', () => {
  const buckets = [
    bucket('okta', '2026-03-10T08:00:00Z', '2026-03-10T09:00:00Z', 4),
    bucket('salesforce', '2026-03-10T09:00:00Z', '2026-03-10T10:00:00Z', 400, 3),
    bucket('salesforce', '2026-03-10T10:00:00Z', '2026-03-10T12:00:00Z', 0)
  ]

  it('spans the buckets, puts the busiest app on top and keeps small bars visible', () => {
    const m = buildTimeline(buckets)!
    expect(new Date(m.t0).toISOString()).toBe('2026-03-10T08:00:00.000Z')
    expect(new Date(m.t1).toISOString()).toBe('2026-03-10T12:00:00.000Z')
    expect(m.lanes.map((l) => l.app)).toEqual(['salesforce', 'okta'])
    expect(m.lanes[0].bars).toHaveLength(1)
    expect(m.lanes[0].findings).toBe(3)
    expect(m.lanes[1].bars[0].h).toBeGreaterThan(0.08)
    expect(m.lanes[1].bars[0].x0).toBe(0)
    expect(m.lanes[0].bars[0].x1).toBeCloseTo(0.5)
  })

  it('turns a drag into a whole-second ISO range and ignores clicks', () => {
    const m = buildTimeline(buckets)!
    expect(brushToRange(m, 0.75, 0.25)).toEqual({ from: '2026-03-10T09:00:00.000Z', to: '2026-03-10T11:00:00.000Z' })
    expect(brushToRange(m, 0.5, 0.501)).toBeNull()
    expect(brushToRange(m, -1, 2)).toEqual({ from: '2026-03-10T08:00:00.000Z', to: '2026-03-10T12:00:00.000Z' })
    expect(timeToFraction(m, Date.parse('2026-03-10T10:00:00Z'))).toBeCloseTo(0.5)
  })

  it('labels the axis with times, and dates when the span crosses days', () => {
    expect(ticks(buildTimeline(buckets)!)[0].label).toBe('08:00')
    expect(ticks(buildTimeline([bucket('okta', '2026-03-09T22:00:00Z', '2026-03-10T02:00:00Z', 1)])!)[0].label).toBe('03-09 22:00')
    expect(buildTimeline([])).toBeNull()
  })
})

describe('page cache', () => {
  it('fetches only the pages in view, once each, and reports failures', async () => {
    const asked: number[] = []
    const cache = new PageCache<number>(async (offset, limit) => {
      asked.push(offset)
      if (offset === 300) throw new Error('boom')
      return { rows: Array.from({ length: Math.min(limit, 350 - offset) }, (_, i) => offset + i), total: 350 }
    }, 100)
    let changes = 0
    cache.subscribe(() => changes++)
    cache.ensure(0, 150)
    cache.ensure(20, 120)
    await new Promise((r) => setTimeout(r, 0))
    expect(asked).toEqual([0, 100])
    expect(cache.get(149)).toBe(149)
    expect(cache.get(250)).toBeUndefined()
    expect(cache.total).toBe(350)
    cache.ensure(300, 900)
    await new Promise((r) => setTimeout(r, 0))
    expect(asked).toEqual([0, 100, 300])
    expect(cache.error).toBe('boom')
    expect(changes).toBe(3)
  })
})

describe('coverage', () => {
  const chain = (identity: string, identityType: ChainRow['identityType'], apps: string[], risk: number): ChainRow => ({
    id: identity + apps.join(),
    identity,
    actingFor: null,
    pivot: null,
    identityType,
    apps,
    ips: [],
    countries: [],
    start: '2026-03-10T08:00:00Z',
    end: '2026-03-10T09:00:00Z',
    events: 1,
    risk,
    response: 'none',
    reasons: [],
    findings: []
  })

  it('merges chains per identity and names the gaps', () => {
    const sources = [
      { source: 'okta', events: 10 },
      { source: 'salesforce', events: 5 },
      { source: 'm365', events: 0 }
    ]
    const cov = buildCoverage(sources, [
      chain('a@x.example', 'human', ['okta'], 10),
      chain('a@x.example', 'human', ['salesforce'], 80),
      chain('b@x.example', 'human', ['salesforce'], 40),
      chain('svc-x', 'service', ['salesforce'], 90)
    ])
    expect(cov.sources).toEqual(['okta', 'salesforce'])
    expect(cov.rows.map((r) => [r.identity, r.risk, [...r.apps].sort()])).toEqual([
      ['svc-x', 90, ['salesforce']],
      ['a@x.example', 80, ['okta', 'salesforce']],
      ['b@x.example', 40, ['salesforce']]
    ])
    expect(cov.blindSpots).toEqual([expect.stringMatching(/^b@x\.example appears only in salesforce: no activity in okta/)])
  })

  it('warns when no identity provider was imported', () => {
    expect(buildCoverage([{ source: 'github', events: 3 }], []).blindSpots[0]).toMatch(/No identity-provider logs/)
  })
})

describe('formatting', () => {
  it('shows UTC times in one shape', () => {
    expect(fmtTime('2026-03-10T08:00:00.123Z')).toBe('2026-03-10 08:00:00Z')
    expect(fmtTime('2026-03-10T08:00:00+00:00')).toBe('2026-03-10 08:00:00Z')
    expect(fmtTime(null)).toBe('—')
    expect(fmtSpan('2026-03-10T08:00:00Z', '2026-03-10T09:30:00Z')).toBe('2026-03-10 08:00:00Z → 09:30:00Z')
    expect(fmtDuration(115)).toBe('1m 55s')
    expect(fmtDuration(-7200)).toBe('−2h 0m')
  })
})
