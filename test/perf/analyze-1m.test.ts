import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { analyzeCase } from '../../core/sessions/analyze'
import { chainGraph } from '../../core/sessions/graph'
import { chainEvents, listChains } from '../../core/sessions/read-model'
import { CaseDb } from '../../core/store/case-db'
import { testQuery } from '../helpers/test-queries'

// A benchmark, not a gate: `npm run bench:analyze` (AFTERLOGIN_BENCH=1) prints the figures.
const N = Number(process.env.AFTERLOGIN_BENCH_EVENTS ?? 1_000_000)

describe.skipIf(!process.env.AFTERLOGIN_BENCH)('analyzeCase at scale', () => {
  it(`computes sessions, chains and findings for ${N.toLocaleString('en')} events`, async () => {
    // AFTERLOGIN_BENCH_DB keeps (and reuses) the synthesized case instead of a throwaway one.
    const keep = process.env.AFTERLOGIN_BENCH_DB
    const dir = await mkdtemp(join(tmpdir(), 'afterlogin-bench-'))
    const db = await CaseDb.open(keep ?? join(dir, 'case.duckdb'))
    try {
      let t = performance.now()
      const present = (await db.one<{ events: number }>('analyze.state'))?.events ?? 0
      // About 170 events per identity per day over 30 days: a busy mid-size tenant.
      if (!present) await db.exec(testQuery('bench.synthesize-events'), { n: N, identities: Math.max(20, Math.round(N / 5000)) })
      const synth = performance.now() - t
      const first = await analyzeCase(db)
      t = performance.now()
      const second = await analyzeCase(db)
      const again = performance.now() - t
      const top = (await listChains(db, { offset: 0, limit: 1, sort: 'events', filter: {} })).rows[0]
      t = performance.now()
      const graph = await chainGraph(db, { id: top.id, expand: [] })
      const page = await chainEvents(db, { id: top.id, offset: 0, limit: 200 })
      const view = performance.now() - t
      const out = {
        events: first.events,
        synthesizeMs: Math.round(synth),
        analyzeMs: first.ms,
        analyzeCpuMs: first.cpuMs,
        reanalyzeCpuMs: second.cpuMs,
        reanalyzeMs: Math.round(again),
        sessions: first.sessions,
        chains: first.chains,
        findings: first.findings,
        largestChainEvents: top.events,
        graphAndFirstPageMs: Math.round(view),
        graphNodes: graph.nodes.length,
        slowestSteps: Object.entries(second.steps)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8),
        cpuSteps: Object.entries(second.cpuSteps)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 12)
      }
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
      expect(page.rows.length).toBeGreaterThan(0)
    } finally {
      db.close()
      await rm(dir, { recursive: true, force: true })
    }
  }, 600_000)
})
