import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ChainGraph, GraphNode } from '../../contract/sessions'
import { layoutGraph, type LayoutInput } from '../../renderer/src/graph/layout'
import { bulkPaths } from '../../renderer/src/graph/bulk-edges'
import { layoutInputOf, toFlowEdges, toFlowNodes } from '../../renderer/src/graph/to-flow'
import { overlaps } from '../helpers/layout-overlaps'

const node = (id: string, time: number | null, width = 100, height = 30) => ({ id, time, width, height })

describe('chain graph layout', () => {
  it('puts identity, IdP session, stitched app sessions, actions and resources in successive columns', () => {
    const input: LayoutInput = {
      nodes: [node('i', 0), node('idp', 1), node('sf', 3), node('gws', 2), node('a1', 4), node('r1', 5)],
      edges: [
        { source: 'i', target: 'idp' },
        { source: 'i', target: 'sf' },
        { source: 'idp', target: 'sf' },
        { source: 'idp', target: 'gws' },
        { source: 'sf', target: 'a1' },
        { source: 'a1', target: 'r1' }
      ]
    }
    const { positions } = layoutGraph(input)
    const x = (id: string) => positions[id].x
    expect(x('i')).toBeLessThan(x('idp'))
    expect(x('idp')).toBeLessThan(x('sf'))
    expect(x('sf')).toBe(x('gws'))
    expect(x('sf')).toBeLessThan(x('a1'))
    expect(x('a1')).toBeLessThan(x('r1'))
    // Siblings read top to bottom in time order.
    expect(positions.gws.y).toBeLessThan(positions.sf.y)
    expect(overlaps(input, layoutGraph(input))).toEqual([])
  })

  it('centres a parent on its children', () => {
    const input: LayoutInput = {
      nodes: [node('p', 0), node('c1', 1), node('c2', 2), node('c3', 3)],
      edges: ['c1', 'c2', 'c3'].map((c) => ({ source: 'p', target: c }))
    }
    const { positions } = layoutGraph(input)
    expect(positions.p.y + 15).toBeCloseTo((positions.c1.y + positions.c3.y) / 2 + 15)
  })

  it('survives cycles, self loops, dangling edges and nodes without time', () => {
    const input: LayoutInput = {
      nodes: [node('a', null), node('b', 1), node('c', 2), node('lonely', null)],
      edges: [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'a' },
        { source: 'b', target: 'b' },
        { source: 'b', target: 'missing' }
      ]
    }
    const out = layoutGraph(input)
    expect(Object.keys(out.positions).sort()).toEqual(['a', 'b', 'c', 'lonely'])
    expect(overlaps(input, out)).toEqual([])
  })

  it('places every node of any graph without overlapping boxes', () => {
    const graphs = fc.integer({ min: 1, max: 120 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        parents: fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: n, maxLength: n }),
        extra: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), { maxLength: 20 }),
        times: fc.array(fc.option(fc.integer({ min: 0, max: 1000 })), { minLength: n, maxLength: n })
      })
    )
    fc.assert(
      fc.property(graphs, ({ n, parents, extra, times }) => {
        const nodes = Array.from({ length: n }, (_, i) => node(`n${i}`, times[i], 100, 20 + (i % 3) * 10))
        const edges = [
          ...parents.flatMap((p, i) => (p < i ? [{ source: `n${p}`, target: `n${i}` }] : [])),
          ...extra.map(([a, b]) => ({ source: `n${a}`, target: `n${b}` }))
        ]
        const input = { nodes, edges }
        const out = layoutGraph(input)
        return Object.keys(out.positions).length === n && overlaps(input, out).length === 0
      }),
      { numRuns: 150 }
    )
  })

  it('wraps a long list of leaves into a block of sub-columns in time order', () => {
    const leaves = Array.from({ length: 200 }, (_, k) => node(`r${k}`, 200 - k))
    const input: LayoutInput = {
      nodes: [node('s', 0), node('a', 1), ...leaves],
      edges: [{ source: 's', target: 'a' }, ...leaves.map((l) => ({ source: 'a', target: l.id }))]
    }
    const out = layoutGraph(input)
    expect(overlaps(input, out)).toEqual([])
    expect(out.width).toBeGreaterThan(out.height / 2)
    // Latest first in the input; earliest sits top-left of the block.
    expect(out.positions.r199.y).toBeLessThan(out.positions.r198.y)
    expect(out.positions.r0.x).toBeGreaterThan(out.positions.r199.x)
    expect(out.positions.a.x).toBeLessThan(out.positions.r199.x)
  })

  it('lays out a 2,000-node chain without recursion limits', () => {
    const nodes = [node('i', 0), ...Array.from({ length: 1999 }, (_, k) => node(`n${k}`, k))]
    // A deep path plus a wide fan: both shapes that break recursive layouts.
    const edges = [{ source: 'i', target: 'n0' }, ...Array.from({ length: 1998 }, (_, k) => ({ source: k < 900 ? `n${k}` : 'n0', target: `n${k + 1}` }))]
    const out = layoutGraph({ nodes, edges })
    expect(Object.keys(out.positions)).toHaveLength(2000)
  })
})

describe('graph to React Flow', () => {
  const gnode = (id: string, kind: GraphNode['kind'], first: string | null): GraphNode => ({
    id,
    kind,
    app: kind === 'identity' ? null : 'okta',
    label: id,
    count: 1,
    first,
    last: first,
    risky: false,
    findings: [],
    expandable: false
  })
  const graph: ChainGraph = {
    nodes: [gnode('i:c', 'identity', '2026-03-10T08:00:00Z'), gnode('s:a', 'session', '2026-03-10T08:01:00Z'), gnode('s:b', 'session', '2026-03-10T08:02:00Z')],
    edges: [
      { id: 'e1', source: 'i:c', target: 's:a', kind: 'session', evidence: null, anomaly: null },
      { id: 'e2', source: 's:a', target: 's:b', kind: 'stitch', evidence: { rule: 'idp_sso', matched: { ip: '1.2.3.4' }, deltaSeconds: 12 }, anomaly: null },
      { id: 'e3', source: 'i:c', target: 's:b', kind: 'anomaly', evidence: null, anomaly: 'ip_change' }
    ],
    hidden: 0
  }

  it('keeps anomaly edges out of the layout so they cannot reorder columns', () => {
    expect(layoutInputOf(graph).edges).toEqual([
      { source: 'i:c', target: 's:a' },
      { source: 's:a', target: 's:b' }
    ])
  })

  it('gives nodes fixed sizes and marks the selected edge', () => {
    const nodes = toFlowNodes(graph, layoutGraph(layoutInputOf(graph)))
    expect(nodes.every((n) => n.width! > 0 && n.height! > 0 && n.type === 'chain')).toBe(true)
    const edges = toFlowEdges(graph, 'e2')
    expect(edges.find((e) => e.id === 'e2')!.className).toBe('edge-stitch edge-selected')
    expect(edges.find((e) => e.id === 'e3')!.className).toBe('edge-anomaly')
  })

  it('draws action and resource edges in bulk and keeps the clickable ones as React Flow edges', () => {
    const g: ChainGraph = {
      ...graph,
      nodes: [
        ...graph.nodes,
        gnode('a:a:data_export', 'action', '2026-03-10T08:03:00Z'),
        gnode('r:a:data_export:0123456789ab', 'resource', '2026-03-10T08:03:00Z')
      ],
      edges: [
        ...graph.edges,
        { id: 'e4', source: 's:a', target: 'a:a:data_export', kind: 'action', evidence: null, anomaly: null },
        { id: 'e5', source: 'a:a:data_export', target: 'r:a:data_export:0123456789ab', kind: 'resource', evidence: null, anomaly: null },
        { id: 'e6', source: 'a:a:data_export', target: 'gone', kind: 'resource', evidence: null, anomaly: null }
      ]
    }
    const nodes = toFlowNodes(g, layoutGraph(layoutInputOf(g)))
    expect(toFlowEdges(g, null).map((e) => e.id)).toEqual(['e1', 'e2', 'e3'])
    const paths = bulkPaths(g, nodes)
    expect(paths.action.match(/M/g)).toHaveLength(1)
    expect(paths.resource.match(/M/g)).toHaveLength(1)
    const s = nodes.find((n) => n.id === 's:a')!
    expect(paths.action.startsWith(`M${s.position.x + s.width!} ${s.position.y + s.height! / 2}C`)).toBe(true)
  })
})
