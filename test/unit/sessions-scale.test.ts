import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateHijackBundle } from '../../core/demo/bundle-generator'
import { runImport } from '../../core/import/index'
import { NODE_LIMIT } from '../../core/sessions/graph'
import { Workbench } from '../../core/workbench'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

describe('a 50,000-event chain', () => {
  it('opens as an aggregated graph and a first page of events in well under a second', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'afterlogin-scale-'))
    dirs.push(dir)
    const planted = await generateHijackBundle(join(dir, 'bundle'), { scale: 100 })
    const wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
    try {
      await wb.open(join(dir, 'case', 'case.duckdb'))
      await runImport(wb.requireCase().db, [planted.dir])
      const top = (await wb.handlers['chains.list']({ offset: 0, limit: 1, sort: 'risk', filter: {} })).rows[0]
      expect(top.identity).toBe(planted.hijacked.identity)
      expect(top.events).toBeGreaterThan(45_000)

      // Best of three: the machine is shared, the first call also warms DuckDB's caches.
      let best = Infinity
      let graph = await wb.handlers['chains.graph']({ id: top.id, expand: [] })
      for (let i = 0; i < 3; i++) {
        const t = performance.now()
        graph = await wb.handlers['chains.graph']({ id: top.id, expand: [] })
        const page = await wb.handlers['chains.events']({ id: top.id, offset: 0, limit: 200 })
        best = Math.min(best, performance.now() - t)
        expect(page.rows).toHaveLength(200)
        expect(page.total).toBe(top.events)
      }
      console.log(`graph + first event page of the top chain: best of three ${best.toFixed(0)} ms`)
      expect(graph.nodes.length).toBeLessThanOrEqual(NODE_LIMIT)
      expect(graph.hidden).toBeGreaterThan(0)

      // Expanding the clones shows their repositories; the aggregate said how many there were.
      const clones = graph.nodes.find((n) => n.kind === 'action' && n.app === 'github' && n.count >= 10_000)!
      expect(clones.expandable).toBe(false)
      // The report exports; the attacker's clones are a data export of their own, in GitHub.
      const exports = graph.nodes.find((n) => n.id.endsWith(':data_export') && n.app === 'salesforce')!
      expect(exports.count).toBe(2000)
      const opened = await wb.handlers['chains.graph']({ id: top.id, expand: [exports.id] })
      const reports = opened.edges.filter((e) => e.source === exports.id && e.kind === 'resource')
      expect(reports.length).toBe(50)
      const one = await wb.handlers['chains.events']({ id: top.id, offset: 0, limit: 500, node: reports[0].target })
      expect(one.total).toBe(40)
    } finally {
      wb.close()
    }
  }, 300_000)
})
