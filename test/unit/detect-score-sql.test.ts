import { DuckDBInstance } from '@duckdb/node-api'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANOMALIES, CATEGORIES, loadPolicies, type ResponsePolicy } from '../../core/policies/policies'
import { scoreChains, scoreParams, type ScoreInput } from '../../core/detect/score'
import { Sql } from '../../core/store/case-db'
import { IDENTITY_TYPES } from '../../contract/sessions'

// analyze.chain-scores scores chains in DuckDB; scoreChain is the readable reference it must match exactly.
let sql: Sql
let instance: DuckDBInstance
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:')
  sql = new Sql(await instance.connect())
})
afterAll(() => instance.closeSync())

interface Finding {
  chain_id: string
  kind: 'action' | 'anomaly'
  category: string
  sev_rank: number
  count: number
  title: string
  after_pivot: boolean
  break_glass: boolean
}

/** Every category a finding can carry: the risky-action categories and the anomalies (mass_access is both). */
const CATS = [...new Set<string>([...CATEGORIES, ...ANOMALIES])]
/** The identity types, and one the policy does not know (scored as unknown). */
const TYPES = [...IDENTITY_TYPES, 'robot']

const inSql = async (findings: Finding[], types: Map<string, string>, policy: ResponsePolicy) => {
  await sql.connection.run('CREATE OR REPLACE TABLE chain_base (id VARCHAR, identity_type VARCHAR)')
  await sql.connection.run(
    'CREATE OR REPLACE TABLE findings (chain_id VARCHAR, kind VARCHAR, category VARCHAR, sev_rank INTEGER, count INTEGER, title VARCHAR, after_pivot BOOLEAN, break_glass BOOLEAN)'
  )
  await sql.connection.run(`INSERT INTO chain_base SELECT * FROM (SELECT unnest(from_json($j, '[{"id":"VARCHAR","t":"VARCHAR"}]'), recursive := true))`, {
    j: JSON.stringify([...types].map(([id, t]) => ({ id, t })))
  })
  if (findings.length) {
    await sql.connection.run(
      `INSERT INTO findings SELECT * FROM (SELECT unnest(from_json($j, '[{"chain_id":"VARCHAR","kind":"VARCHAR","category":"VARCHAR","sev_rank":"INTEGER","count":"INTEGER","title":"VARCHAR","after_pivot":"BOOLEAN","break_glass":"BOOLEAN"}]'), recursive := true))`,
      { j: JSON.stringify(findings) }
    )
  }
  await sql.exec('analyze.chain-scores', scoreParams(policy))
  const rows = (await sql.connection.runAndReadAll('SELECT id, risk, response, reasons FROM chain_scores ORDER BY id')).getRowObjectsJson()
  return rows.map((r) => ({ id: String(r.id), risk: Number(r.risk), response: String(r.response), reasons: r.reasons as string[] }))
}

/** What analyze.chain-scores aggregated before it scored in SQL: one row per chain, kind and category. */
const reference = (findings: Finding[], types: Map<string, string>, policy: ResponsePolicy) => {
  const groups = new Map<string, ScoreInput>()
  for (const f of findings) {
    const key = `${f.chain_id}|${f.kind}|${f.category}`
    const g = groups.get(key)
    if (!g)
      groups.set(key, {
        chain_id: f.chain_id,
        identity_type: types.get(f.chain_id) ?? '',
        kind: f.kind,
        category: f.category,
        sev_rank: f.sev_rank,
        count: f.count,
        title: f.title,
        after_pivot: f.after_pivot,
        break_glass: f.break_glass
      })
    else {
      g.after_pivot = g.after_pivot || f.after_pivot
      g.break_glass = g.break_glass || f.break_glass
      if (f.sev_rank > g.sev_rank || (f.sev_rank === g.sev_rank && f.title > g.title)) g.title = f.title
      g.sev_rank = Math.max(g.sev_rank, f.sev_rank)
      g.count += f.count
    }
  }
  return scoreChains([...groups.values()], policy).sort((a, b) => (a.id < b.id ? -1 : 1))
}

const finding = fc.record({
  chain_id: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
  kind: fc.constantFrom('action' as const, 'anomaly' as const),
  category: fc.constantFrom(...CATS),
  sev_rank: fc.integer({ min: 0, max: 4 }),
  count: fc.integer({ min: 1, max: 100_000 }),
  title: fc.constantFrom('Export', 'API token created', 'New IP', 'b', 'a'),
  after_pivot: fc.boolean(),
  break_glass: fc.boolean()
})
const chainTypes = fc.tuple(...['c1', 'c2', 'c3', 'c4', 'c5'].map(() => fc.constantFrom(...TYPES))).map((ts) => new Map(ts.map((t, i) => [`c${i + 1}`, t])))

describe('risk scoring in SQL', () => {
  it('gives the shipped policy the same risk, response and reasons as scoreChain', async () => {
    const { response } = await loadPolicies(null)
    await fc.assert(
      fc.asyncProperty(fc.array(finding, { maxLength: 30 }), chainTypes, async (findings, types) => {
        expect(await inSql(findings, types, response)).toEqual(reference(findings, types, response))
      }),
      { numRuns: 150 }
    )
  })

  it('follows an edited policy: odd weights, factors, thresholds, forced responses and identity mappings', async () => {
    const { response: shipped } = await loadPolicies(null)
    const weight = fc.double({ min: -20, max: 80, noNaN: true })
    const policy = fc.record({
      weights: fc.record({ critical: weight, high: weight, medium: weight, low: weight, info: weight }),
      volumeBonus: fc.record({ per10x: fc.double({ min: 0, max: 12, noNaN: true }), max: fc.double({ min: 0, max: 30, noNaN: true }) }),
      identityFactor: fc.record({
        human: fc.double({ min: 0.1, max: 3, noNaN: true }),
        service: fc.constant(1.1),
        agent: fc.constant(0.7),
        unknown: fc.constant(1)
      }),
      afterPivotFactor: fc.double({ min: 1, max: 4, noNaN: true }),
      breakGlassMinSeverity: fc.constantFrom('info' as const, 'low' as const, 'medium' as const, 'high' as const, 'critical' as const),
      breakGlassWithAnomaly: fc.constantFrom('monitor' as const, 'terminate-session' as const),
      always: fc.constantFrom({}, shipped.always, { ip_change: 'step-up' as const, post_revocation: 'terminate-session' as const }),
      thresholds: fc.constantFrom(shipped.thresholds, [{ min: 12.5, response: 'step-up' as const }], [])
    })
    await fc.assert(
      fc.asyncProperty(fc.array(finding, { maxLength: 30 }), chainTypes, policy, async (findings, types, edits) => {
        const p: ResponsePolicy = { ...shipped, ...edits, byIdentityType: { ...shipped.byIdentityType, human: { monitor: 'step-up' } } }
        expect(await inSql(findings, types, p)).toEqual(reference(findings, types, p))
      }),
      { numRuns: 150 }
    )
  })
})
