import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ChainGraph, GraphEdge, GraphNode } from '../../contract/sessions'
import { chooseView } from '../../renderer/src/graph/choose-view'
import { layoutGraph, type LayoutInput } from '../../renderer/src/graph/layout'
import { isAfter, playSteps } from '../../renderer/src/graph/playback'
import { fitsReadable, foldTargets, layoutInputOf, READABLE_ZOOM, toFlowNodes } from '../../renderer/src/graph/to-flow'
import { overlaps } from '../helpers/layout-overlaps'

const lay = async (input: LayoutInput) => layoutGraph(input)

const at = (min: number) => new Date(Date.UTC(2026, 2, 10, 8, min)).toISOString()
const gnode = (id: string, kind: GraphNode['kind'], min: number, app = 'okta'): GraphNode => ({
  id,
  kind,
  app: kind === 'identity' ? null : app,
  label: id,
  count: 1,
  first: at(min),
  last: at(min),
  risky: false,
  findings: [],
  expandable: false
})
const edge = (source: string, target: string, kind: GraphEdge['kind']): GraphEdge => ({
  id: `${source}>${target}`,
  source,
  target,
  kind,
  evidence: null,
  anomaly: kind === 'anomaly' ? 'ip_change' : null
})

/** identity → IdP session → two app sessions, each with actions; the second session's actions have targets. */
const chain = (targets: number): ChainGraph => {
  const nodes = [
    gnode('i', 'identity', 0),
    gnode('s:idp', 'session', 1),
    gnode('s:sf', 'session', 2, 'salesforce'),
    gnode('s:gws', 'session', 3, 'google_workspace')
  ]
  const edges = [edge('i', 's:idp', 'session'), edge('s:idp', 's:sf', 'stitch'), edge('s:idp', 's:gws', 'stitch'), edge('i', 's:gws', 'anomaly')]
  for (const [s, acts] of [
    ['s:sf', ['login', 'report_export', 'api']],
    ['s:gws', ['login', 'share']]
  ] as const)
    acts.forEach((a, j) => {
      nodes.push(gnode(`a:${s}:${a}`, 'action', 10 + j * 5 + (s === 's:gws' ? 1 : 0)))
      edges.push(edge(s, `a:${s}:${a}`, 'action'))
    })
  for (let k = 0; k < targets; k++) {
    nodes.push(gnode(`r:${k}`, 'resource', 12 + k))
    edges.push(edge('a:s:gws:share', `r:${k}`, 'resource'))
  }
  return { nodes, edges, hidden: 0 }
}

describe('a session’s actions in rows, left to right in time order', () => {
  it('puts the actions of a session side by side in the order they began, wrapping after two', () => {
    const g = chain(0)
    const out = layoutGraph(layoutInputOf(g))
    const p = (id: string) => out.positions[id]
    // sf's actions: login, report_export on the first line, api wrapped under login.
    expect(p('a:s:sf:login').y).toBe(p('a:s:sf:report_export').y)
    expect(p('a:s:sf:login').x).toBeLessThan(p('a:s:sf:report_export').x)
    expect(p('a:s:sf:api').x).toBe(p('a:s:sf:login').x)
    expect(p('a:s:sf:api').y).toBeGreaterThan(p('a:s:sf:login').y)
    // Time flows right: identity, then sessions, then their actions.
    expect(p('i').x).toBeLessThan(p('s:idp').x)
    expect(p('s:idp').x).toBeLessThan(p('s:sf').x)
    expect(p('s:sf').x).toBeLessThan(p('a:s:sf:login').x)
    expect(overlaps(layoutInputOf(g), out)).toEqual([])
  })

  it('never overlaps boxes when inline and other leaves mix under any parents', () => {
    const graphs = fc.integer({ min: 1, max: 80 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        parents: fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: n, maxLength: n }),
        inline: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
        times: fc.array(fc.option(fc.integer({ min: 0, max: 1000 })), { minLength: n, maxLength: n }),
        perLine: fc.integer({ min: 1, max: 4 })
      })
    )
    fc.assert(
      fc.property(graphs, ({ n, parents, inline, times, perLine }) => {
        const nodes = Array.from({ length: n }, (_, i) => ({
          id: `n${i}`,
          time: times[i],
          width: 80 + (i % 4) * 20,
          height: 20 + (i % 3) * 10,
          inline: inline[i]
        }))
        const edges = parents.flatMap((p, i) => (p < i ? [{ source: `n${p}`, target: `n${i}` }] : []))
        const input = { nodes, edges, perLine }
        const out = layoutGraph(input)
        return Object.keys(out.positions).length === n && overlaps(input, out).length === 0
      }),
      { numRuns: 200 }
    )
  })
})

describe('aggregate rather than shrink', () => {
  it('folds the targets of actions that are not open and makes those actions expandable', () => {
    const { graph, folded } = foldTargets(chain(5), new Set())
    expect(graph.nodes.some((n) => n.kind === 'resource')).toBe(false)
    expect(graph.edges.some((e) => e.kind === 'resource')).toBe(false)
    expect(folded.get('a:s:gws:share')).toBe(5)
    expect(graph.nodes.find((n) => n.id === 'a:s:gws:share')!.expandable).toBe(true)
    expect(toFlowNodes(graph, layoutGraph(layoutInputOf(graph)), folded).find((n) => n.id === 'a:s:gws:share')!.data.folded).toBe(5)
    // An action the analyst opened keeps its targets.
    expect(foldTargets(chain(5), new Set(['a:s:gws:share'])).graph.nodes.filter((n) => n.kind === 'resource')).toHaveLength(5)
  })

  it('opens the whole chain when it fits the pane at the readable zoom, and folds targets when it does not', async () => {
    const small = chain(2)
    const whole = await chooseView(small, [], { width: 1400, height: 900 }, lay)
    expect(whole.graph.nodes).toHaveLength(small.nodes.length)
    expect(fitsReadable(whole.layout, { width: 1400, height: 900 })).toBe(true)
    const tall = chain(40)
    const view = await chooseView(tall, [], { width: 1000, height: 600 }, lay)
    expect(view.graph.nodes.some((n) => n.kind === 'resource')).toBe(false)
    expect(view.layout.height * READABLE_ZOOM).toBeLessThan(600)
  })

  it('keeps the readable zoom at 11 px labels', () => {
    expect(12.5 * READABLE_ZOOM).toBeCloseTo(11)
  })
})

describe('playback', () => {
  it('steps through the actions in the order they began, and knows what lies after the playhead', () => {
    const g = chain(0)
    const steps = playSteps(g).map((n) => n.id)
    expect(steps).toEqual(['a:s:sf:login', 'a:s:gws:login', 'a:s:sf:report_export', 'a:s:gws:share', 'a:s:sf:api'])
    expect(
      isAfter(
        g.nodes.find((n) => n.id === 'a:s:sf:api')!,
        at(15)
      )
    ).toBe(true)
    expect(
      isAfter(
        g.nodes.find((n) => n.id === 'a:s:sf:login')!,
        at(15)
      )
    ).toBe(false)
    expect(isAfter(g.nodes[0], null)).toBe(false)
    // A view without actions plays its sessions.
    expect(playSteps({ nodes: g.nodes.filter((n) => n.kind !== 'action'), edges: [], hidden: 0 }).map((n) => n.id)).toEqual(['s:idp', 's:sf', 's:gws'])
  })
})
