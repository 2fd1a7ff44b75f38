import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChainRow } from '../../contract/sessions'
import { generateHijackBundle, type PlantedBundle } from '../../core/demo/bundle-generator'
import { runImport } from '../../core/import/index'
import { insertAction, setActionStatus } from '../../core/response/outbox'
import { analyzeCase } from '../../core/sessions/analyze'
import { Workbench } from '../../core/workbench'
import { testQuery } from '../helpers/test-queries'

const dirs: string[] = []
const benches: Workbench[] = []

const openCase = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'afterlogin-edits-'))
  dirs.push(dir)
  const wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
  benches.push(wb)
  await wb.open(join(dir, 'case', 'case.duckdb'))
  return { dir, wb }
}

afterAll(async () => {
  for (const wb of benches) wb.close()
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

const chains = async (wb: Workbench): Promise<ChainRow[]> => (await wb.handlers['chains.list']({ offset: 0, limit: 500, sort: 'risk', filter: {} })).rows

describe('identity map', () => {
  it('joins a GitHub login to the person it belongs to, and splits it again when cleared', async () => {
    const { dir, wb } = await openCase()
    const t0 = Date.UTC(2026, 3, 2, 9, 0, 0)
    const okta = [0, 1].map((i) => ({
      uuid: `0000000${i}-aaaa-4bbb-8ccc-000000000000`,
      published: new Date(t0 + i * 60_000).toISOString(),
      eventType: i === 0 ? 'user.session.start' : 'user.authentication.sso',
      displayMessage: 'x',
      actor: { id: '00u1', type: 'User', alternateId: 'alice@acme.example', displayName: 'Alice' },
      client: { ipAddress: '87.123.45.67', userAgent: { rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/131.0 Safari/537.36' } },
      authenticationContext: { externalSessionId: '102aliceSession0001', rootSessionId: '102aliceSession0001' },
      outcome: { result: 'SUCCESS' },
      target: i === 1 ? [{ id: '0oa1', type: 'AppInstance', alternateId: 'GitHub Enterprise Cloud', displayName: 'GitHub' }] : []
    }))
    // The GitHub org does not use SAML here: its events name only the login.
    const github = [2, 3, 4].map((i) => ({
      '@timestamp': t0 + i * 60_000,
      _document_id: `doc${i}`,
      action: 'git.clone',
      actor: 'alice-acme',
      actor_ip: '87.123.45.67',
      org: 'acme-corp',
      repo: 'acme-corp/web',
      hashed_token: 'tok-alice-0000000000000000000000000000',
      user_agent: 'git/2.45'
    }))
    await writeFile(join(dir, 'a.json'), JSON.stringify(okta))
    await writeFile(join(dir, 'b.ndjson'), github.map((g) => JSON.stringify(g)).join('\n'))
    await runImport(wb.requireCase().db, [join(dir, 'a.json'), join(dir, 'b.ndjson')])

    let list = await chains(wb)
    expect(list.map((c) => c.identity).sort()).toEqual(['alice-acme', 'alice@acme.example'])

    const map = await wb.handlers['identity.map.set']({ alias: 'Alice-ACME', identity: 'alice@acme.example' })
    expect(map).toEqual([{ alias: 'alice-acme', identity: 'alice@acme.example' }])
    list = await chains(wb)
    expect(list).toHaveLength(1)
    expect(list[0].apps).toEqual(['github', 'okta'])
    const detail = await wb.handlers['chains.get']({ id: list[0].id })
    expect(detail.links[0].evidence.rule).toBe('idp_sso')
    expect(detail.links[0].evidence.matched).toMatchObject({ identity: 'alice@acme.example', ip: '87.123.45.67' })

    await expect(wb.handlers['identity.map.set']({ alias: 'alice@acme.example', identity: 'someone@acme.example' })).rejects.toThrow(/already the identity/)
    await expect(wb.handlers['identity.map.set']({ alias: 'x', identity: 'alice-acme' })).rejects.toThrow(/itself an alias/)

    expect(await wb.handlers['identity.map.clear']({ alias: 'alice-acme' })).toEqual([])
    list = await chains(wb)
    expect(list).toHaveLength(2)
    const audit = await wb.requireCase().db.many<{ kind: string }>(testQuery('sessions.test-audit-kinds'))
    expect(audit.map((a) => a.kind)).toEqual(['identity.map', 'identity.map'])
  }, 60_000)
})

describe('identities the logs themselves tie together', () => {
  it('takes a GitHub login for the person its SAML sign-ins name, unless the login names more than one person', async () => {
    const { dir, wb } = await openCase()
    const t0 = Date.UTC(2026, 3, 2, 9, 0, 0)
    const event = (i: number, actor: string, action: string, extra: Record<string, unknown> = {}) => ({
      '@timestamp': t0 + i * 60_000,
      _document_id: `gh-doc-${i}`,
      action,
      actor,
      actor_ip: '87.123.45.67',
      org: 'acme-corp',
      user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Chrome/131.0 Safari/537.36',
      ...extra
    })
    const github = [
      event(0, 'bob-acme', 'org.sso_response', { external_identity_nameid: 'bob@acme.example' }),
      event(2, 'bob-acme', 'repo.download_zip', { repo: 'acme-corp/web' }),
      // Two people signed in through one login: it stays a login of its own.
      event(3, 'shared-acme', 'org.sso_response', { external_identity_nameid: 'carol@acme.example' }),
      event(4, 'shared-acme', 'org.sso_response', { external_identity_nameid: 'dave@acme.example' }),
      event(5, 'shared-acme', 'repo.download_zip', { repo: 'acme-corp/api' })
    ]
    await writeFile(join(dir, 'gh.ndjson'), github.map((g) => JSON.stringify(g)).join('\n'))
    await runImport(wb.requireCase().db, [join(dir, 'gh.ndjson')])
    const list = await chains(wb)
    expect(list.map((c) => c.identity).sort()).toEqual(['bob@acme.example', 'carol@acme.example', 'dave@acme.example', 'shared-acme'])
    expect(list.find((c) => c.identity === 'bob@acme.example')!.events).toBe(2)
  }, 60_000)
})

describe('link rejection and revocation on the hijack bundle', () => {
  let wb: Workbench
  let planted: PlantedBundle

  beforeAll(async () => {
    const c = await openCase()
    wb = c.wb
    planted = await generateHijackBundle(join(c.dir, 'bundle'), { seed: 7 })
    await runImport(wb.requireCase().db, [planted.dir])
  }, 120_000)

  it('stores a rejected link, re-stitches without it and never uses it again', async () => {
    const top = (await chains(wb))[0]
    const before = await wb.handlers['chains.get']({ id: top.id })
    const sfSession = before.sessions.find((s) => s.source === 'salesforce' && s.ips.includes(planted.hijacked.attackerIp))!
    const link = before.links.find((l) => l.to === sfSession.id && !l.rejected)!
    expect(link.evidence.rule).toBe('idp_sso')

    const after = await wb.handlers['links.reject']({ id: link.id, reason: 'analyst: different person' })
    expect(after.chain.id).toBe(top.id)
    const rejected = after.links.find((l) => l.id === link.id)!
    expect(rejected.rejected).toBe(true)
    // The next best evidence still ties the session to the stolen Okta session: same identity and IP.
    const replacement = after.links.find((l) => l.to === sfSession.id && !l.rejected)!
    expect(replacement.id).not.toBe(link.id)
    expect(replacement.evidence.rule).toBe('idp_session_overlap')
    expect(replacement.evidence.matched.ip).toBe(planted.hijacked.attackerIp)

    // Rejecting that one too leaves the Salesforce session a chain of its own.
    const alone = await wb.handlers['links.reject']({ id: replacement.id })
    expect(alone.sessions.map((s) => s.id)).not.toContain(sfSession.id)
    const own = (await chains(wb)).find((c) => c.id === `c${sfSession.id.slice(1)}`)!
    expect(own.apps).toEqual(['salesforce'])
    expect(own.findings.map((f) => f.category)).toContain('data_export')
    await expect(wb.handlers['links.reject']({ id: 'lnope' })).rejects.toThrow(/no link/)
  })

  it('flags activity on a session after a revocation the response log recorded', async () => {
    const db = wb.requireCase().db
    const top = (await chains(wb))[0]
    expect(top.findings.map((f) => f.category)).not.toContain('post_revocation')
    const id = 'act-test-revoke'
    await insertAction(db, {
      id,
      batchId: null,
      analyst: 'tester',
      reason: 'stolen session',
      connector: 'okta',
      action: 'terminate-session',
      identity: planted.hijacked.identity,
      chainId: top.id,
      sessionKeys: [planted.hijacked.oktaSession],
      dryRun: false,
      plan: {
        connector: 'okta',
        label: 'Okta',
        action: 'terminate-session',
        supported: true,
        configured: true,
        missing: [],
        target: planted.hijacked.identity,
        sessionKey: planted.hijacked.oktaSession,
        calls: [],
        cuts: [],
        doesNotCut: [],
        residual: '',
        permissions: [],
        docs: [],
        notes: []
      }
    })
    await setActionStatus(db, id, 'done', null)
    // Revoked right after the attacker's first SSO (12:20 UTC); the stolen cookie kept working for three more.
    await db.exec('response.action.executed', { id, at: '2026-03-10T12:21:00.000Z' })
    await analyzeCase(db)
    const again = (await chains(wb)).find((c) => c.identity === planted.hijacked.identity && c.findings.some((f) => f.category === 'post_revocation'))!
    expect(again).toBeDefined()
    expect(again.response).toBe('terminate-session')
    const finding = again.findings.find((f) => f.category === 'post_revocation')!
    expect(finding.severity).toBe('critical')
    const events = await wb.handlers['chains.events']({ id: again.id, offset: 0, limit: 50, node: `s:${finding.sessionId}` })
    const flagged = events.rows.filter((r) => r.findings.includes(finding.id))
    expect(flagged.length).toBe(3)
    expect(flagged.every((r) => r.time > '2026-03-10T12:21:00' && r.srcIp === planted.hijacked.attackerIp)).toBe(true)
    expect(finding.eventIds.length).toBeGreaterThan(0)
  })
})
