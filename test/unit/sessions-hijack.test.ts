import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli-in-process'
import type { ChainRow } from '../../contract/sessions'
import { generateHijackBundle, type PlantedBundle } from '../../core/demo/bundle-generator'
import { runImport } from '../../core/import/index'
import { Workbench } from '../../core/workbench'

let dir: string
let wb: Workbench
let planted: PlantedBundle
let chains: ChainRow[]

const call = <N extends keyof Workbench['handlers']>(name: N, input: Parameters<Workbench['handlers'][N]>[0]) =>
  wb.handlers[name](input as never) as ReturnType<Workbench['handlers'][N]>

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'afterlogin-hijack-'))
  planted = await generateHijackBundle(join(dir, 'bundle'), { seed: 42 })
  wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
  await wb.open(join(dir, 'case', 'case.duckdb'))
  const summary = await runImport(wb.requireCase().db, [planted.dir])
  expect(summary.files.filter((f) => f.error)).toEqual([])
  chains = (await call('chains.list', { offset: 0, limit: 500, sort: 'risk', filter: {} })).rows
}, 120_000)

afterAll(async () => {
  wb?.close()
  await rm(dir, { recursive: true, force: true })
})

const categories = (c: ChainRow) => new Set(c.findings.map((f) => f.category))

describe('hijack bundle, imported through runImport', () => {
  it('puts the hijacked chain first, across okta, salesforce, google_workspace and m365, with every planted finding', () => {
    const top = chains[0]
    expect(top.identity).toBe(planted.hijacked.identity)
    for (const app of ['okta', 'salesforce', 'google_workspace', 'm365', 'github', 'slack']) expect(top.apps).toContain(app)
    for (const c of planted.hijacked.findings) expect(categories(top), c).toContain(c)
    expect(['revoke-tokens', 'terminate-session']).toContain(top.response)
    expect(top.countries).toEqual(expect.arrayContaining(['DE', planted.hijacked.attackerCountry]))
    expect(top.reasons.join('\n')).toMatch(/break-glass .* context anomaly .*impossible_travel/)
    const travel = top.findings.find((f) => f.category === 'impossible_travel')!
    expect(travel.attack).toContain('T1078.004')
    // The hop names the event out of place, the one in the attacker's country; where the session came from is told.
    expect(travel.eventIds).toHaveLength(1)
    expect(travel.detail).toContain(`) to ${travel.eventIds[0]} at `)
    expect(travel.title).toMatch(new RegExp(`→ .*${planted.hijacked.attackerCountry}, \\d+ km`))
    expect(top.findings.find((f) => f.category === 'mail_forwarding')!.attack).toEqual(['T1114.003'])
    // A human identity carries no OWASP NHI id.
    expect(top.findings.every((f) => f.owaspNhi === null)).toBe(true)
  })

  it('scores ordinary colleagues lower and leaves them at none or monitor', () => {
    const top = chains[0]
    const colleagues = chains.filter((c) => planted.colleagues.includes(c.identity))
    expect(colleagues.length).toBeGreaterThanOrEqual(planted.colleagues.length)
    for (const c of colleagues) {
      expect(c.risk, c.identity).toBeLessThan(top.risk)
      expect(['none', 'monitor'], c.identity).toContain(c.response)
    }
    // One colleague exported a report on an ordinary day, with nothing else found for them: a report export wants
    // corroboration (afterlogin.corroborated), so it raises nothing.
    expect(colleagues.some((c) => categories(c).has('data_export'))).toBe(false)
  })

  it('types the CI key as a service with a privilege_change, and its browser sign-in as a finding', () => {
    const svc = chains.filter((c) => c.identity === planted.service.identity)
    expect(svc.length).toBeGreaterThan(0)
    for (const c of svc) expect(c.identityType).toBe('service')
    const admin = svc.find((c) => categories(c).has('privilege_change'))!
    expect(admin).toBeDefined()
    const finding = admin.findings.find((f) => f.category === 'privilege_change')!
    expect(finding.severity).toBe('critical')
    expect(finding.owaspNhi).toBe('NHI5:2025')
    expect(categories(admin)).toContain('interactive_login')
    // The title says whose the sign-in was, from where and to what.
    const login = admin.findings.find((f) => f.category === 'interactive_login')!
    expect(login.title.startsWith(`Interactive browser login by a non-human identity (service): ${planted.service.identity} from `)).toBe(true)
    expect(login.title).toContain(' to ')
    expect(['revoke-tokens', 'terminate-session']).toContain(admin.response)
  })

  it('types the AI agent as an agent whose bulk reads exceed the agent baseline', () => {
    const agent = chains.filter((c) => c.identity === planted.agent.identity)
    expect(agent.every((c) => c.identityType === 'agent')).toBe(true)
    const burst = agent.find((c) => categories(c).has('mass_access'))!
    expect(burst.findings.find((f) => f.category === 'mass_access')!.title).toMatch(/agent baseline 150/)
    // Its steady reads the day before stay quiet.
    expect(agent.some((c) => c.findings.length === 0)).toBe(true)
  })

  it('explains every stitch: rule, matched fields and time delta', async () => {
    const detail = await call('chains.get', { id: chains[0].id })
    const live = detail.links.filter((l) => !l.rejected)
    expect(live.length).toBeGreaterThanOrEqual(5)
    for (const l of live) {
      expect(['idp_sso', 'shared_session_id', 'idp_session_overlap', 'console_login']).toContain(l.evidence.rule)
      expect(l.evidence.matched.identity).toBe(planted.hijacked.identity)
      expect(Math.abs(l.evidence.deltaSeconds)).toBeLessThan(3 * 3600)
    }
    const attackerSso = live.filter((l) => l.evidence.rule === 'idp_sso' && l.evidence.matched.ip === planted.hijacked.attackerIp)
    expect(attackerSso.length).toBeGreaterThanOrEqual(3)
    expect(detail.sessions.find((s) => s.source === 'okta')!.sessionKey).toBe(planted.hijacked.oktaSession)
  })

  it('stitches Entra sign-ins to Microsoft 365 through the shared session id', async () => {
    const tom = chains.find((c) => c.identity === 'tom.becker@acme.example')!
    const detail = await call('chains.get', { id: tom.id })
    expect(tom.apps).toEqual(['entra', 'm365'])
    expect(detail.links.map((l) => l.evidence.rule)).toEqual(['shared_session_id'])
    expect(detail.links[0].evidence.matched.session_key).toBeTruthy()
  })

  it('draws the chain as a graph with stitch evidence and anomaly edges, and pages its events per node', async () => {
    const top = chains[0]
    const graph = await call('chains.graph', { id: top.id, expand: [] })
    const kinds = new Set(graph.nodes.map((n) => n.kind))
    for (const k of ['identity', 'session', 'action', 'resource']) expect(kinds).toContain(k)
    expect(new Set(graph.nodes.filter((n) => n.kind === 'session').map((n) => n.app))).toEqual(new Set(top.apps))
    const stitch = graph.edges.filter((e) => e.kind === 'stitch')
    expect(stitch.length).toBeGreaterThanOrEqual(5)
    expect(stitch.every((e) => e.evidence && e.evidence.rule)).toBe(true)
    expect(graph.edges.filter((e) => e.kind === 'anomaly').map((e) => e.anomaly)).toEqual(expect.arrayContaining(['impossible_travel', 'ip_change']))
    const ids = new Set(graph.nodes.map((n) => n.id))
    for (const e of graph.edges) expect(ids.has(e.source) && ids.has(e.target), e.id).toBe(true)

    const exports = graph.nodes.find((n) => n.kind === 'action' && n.app === 'salesforce' && n.id.endsWith(':data_export'))!
    expect(exports.risky).toBe(true)
    const page = await call('chains.events', { id: top.id, offset: 0, limit: 5, node: exports.id })
    expect(page.total).toBe(exports.count)
    expect(page.rows.every((r) => r.source === 'salesforce' && r.findings.length > 0)).toBe(true)
    const all = await call('chains.events', { id: top.id, offset: 0, limit: 1000 })
    expect(all.total).toBe(top.events)
    expect([...all.rows].map((r) => r.time)).toEqual([...all.rows].map((r) => r.time).sort())
    const pastEnd = await call('chains.events', { id: top.id, offset: top.events + 10, limit: 5 })
    expect(pastEnd).toMatchObject({ rows: [], total: top.events })
    await expect(call('chains.events', { id: top.id, offset: 0, limit: 5, node: "s:x' OR 1=1 --" })).rejects.toThrow(/not a node/)

    const detail = await call('event.get', { uid: page.rows[0].uid })
    expect(detail.raw).toContain('ReportExport')
    expect(detail.provenance.filePath).toMatch(/part-008\.csv$/)
    expect(detail.findings.map((f) => f.category)).toContain('data_export')

    const timeline = await call('chains.timeline', { id: top.id, buckets: 48 })
    expect(new Set(timeline.map((b) => b.app))).toEqual(new Set(top.apps))
    expect(timeline.reduce((s, b) => s + b.events, 0)).toBe(top.events)
    expect(timeline.some((b) => b.findings > 0)).toBe(true)
  })

  it('filters the chain list by identity type, app, response and text', async () => {
    const agents = await call('chains.list', { offset: 0, limit: 50, sort: 'risk', filter: { identityType: 'agent' } })
    expect(agents.total).toBeGreaterThan(0)
    expect(agents.rows.every((c) => c.identityType === 'agent')).toBe(true)
    const aws = await call('chains.list', { offset: 0, limit: 50, sort: 'risk', filter: { app: 'aws' } })
    expect(aws.rows.every((c) => c.apps.includes('aws'))).toBe(true)
    const term = await call('chains.list', { offset: 0, limit: 50, sort: 'risk', filter: { response: 'terminate-session' } })
    expect(term.rows.map((c) => c.id)).toContain(chains[0].id)
    const text = await call('chains.list', { offset: 0, limit: 50, sort: 'events', filter: { text: '189.40.50' } })
    expect(text.rows.map((c) => c.id)).toEqual([chains[0].id])
    // Pages carry the total of the filtered list, also past its end, and keep the sort order across pages.
    const second = await call('chains.list', { offset: 1, limit: 2, sort: 'risk', filter: {} })
    expect(second).toMatchObject({ total: chains.length, offset: 1 })
    expect(second.rows.map((c) => c.id)).toEqual(chains.slice(1, 3).map((c) => c.id))
    expect(await call('chains.list', { offset: chains.length, limit: 5, sort: 'risk', filter: { identityType: 'agent' } })).toMatchObject({
      rows: [],
      total: agents.total
    })
  })

  it('prints the chains and one graph through the CLI', async () => {
    const file = wb.requireCase().db.path
    wb.close()
    try {
      const sessions = await runCli(['sessions', '--case', file, '--json', '--limit', '3'])
      expect(sessions.code).toBe(0)
      const listed = JSON.parse(sessions.out) as Array<Record<string, unknown>>
      expect(listed).toHaveLength(3)
      expect(Object.keys(listed[0])).toEqual(
        expect.arrayContaining([
          'id',
          'identity',
          'identityType',
          'apps',
          'ips',
          'countries',
          'start',
          'end',
          'events',
          'risk',
          'response',
          'reasons',
          'findings'
        ])
      )
      expect(listed[0].identity).toBe(planted.hijacked.identity)
      const drawn = await runCli(['graph', '--case', file, '--session', String(listed[0].id), '--json'])
      expect(drawn.code).toBe(0)
      const graph = JSON.parse(drawn.out) as { nodes: Array<{ id: string; kind: string }>; edges: Array<{ kind: string; evidence: unknown }> }
      expect(graph.edges.some((e) => e.kind === 'stitch' && e.evidence)).toBe(true)
      expect((await runCli(['sessions', '--case', file, '--limit', 'many'])).code).toBe(2)
    } finally {
      await wb.open(file)
    }
  })
})
