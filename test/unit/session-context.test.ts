import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli-in-process'
import type { ChainRow, Finding } from '../../contract/sessions'
import { runImport } from '../../core/import/index'
import { Workbench } from '../../core/workbench'
import { ROOT } from '../helpers/web-mode'

// The bundles of test/fixtures/context, modelled on the vendors' documented records: what a session's own logs say
// about where it was, when it changed hands, and which AI agent acted in it for whom.
const FIXTURES = join(ROOT, 'test', 'fixtures', 'context')
const dirs: string[] = []

/** Imports one bundle (a fixture's name, or a folder) into a fresh case and prints its chains as `afterlogin sessions --json` does. */
const analysed = async (bundle: string): Promise<{ chains: ChainRow[]; json: Array<Record<string, unknown>> }> => {
  const dir = await mkdtemp(join(tmpdir(), 'afterlogin-context-'))
  dirs.push(dir)
  const wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
  await wb.open(join(dir, 'case.duckdb'))
  const summary = await runImport(wb.requireCase().db, [bundle.startsWith('/') ? bundle : join(FIXTURES, bundle)])
  expect(summary.files.filter((f) => f.error)).toEqual([])
  const chains = (await wb.handlers['chains.list']({ offset: 0, limit: 100, sort: 'risk', filter: {} })).rows
  const file = wb.requireCase().db.path
  wb.close()
  const { code, out } = await runCli(['sessions', '--case', file, '--json'])
  expect(code).toBe(0)
  return { chains, json: JSON.parse(out) as Array<Record<string, unknown>> }
}

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

const uid = (n: number) => `okta:b7e1c0d2-${String(n).padStart(4, '0')}-11ef-9a1b-0242ac120002`
const only = (c: ChainRow, category: string): Finding => {
  const list = c.findings.filter((f) => f.category === category)
  expect(list, category).toHaveLength(1)
  return list[0]
}

describe('a session replayed from elsewhere, told by its own records', () => {
  for (const [bundle, from, to] of [
    ['hijack-record-geo', /San Francisco/, /Singapore/],
    ['hijack-offline-geo', /San Jose/, /Singapore/]
  ] as const)
    it(`${bundle}: impossible_travel and ip_change naming the replayed event, with both events, places, networks and speed, ISO countries, and the pivot at the first replayed event`, async () => {
      const { chains, json } = await analysed(bundle)
      const top = chains[0]
      expect(top.identity).toBe('alice.nguyen@acme.example')
      expect(top.countries).toEqual(['SG', 'US'])
      for (const category of ['impossible_travel', 'ip_change']) {
        const f = only(top, category)
        // One hop: the last event from San Francisco, then the first from Singapore (11 minutes later). The finding
        // names the replayed event; the owner's own, where the session came from, is told in the detail.
        expect(f.eventIds).toEqual([uid(5)])
        expect(f.detail).toContain(uid(4))
        expect(f.detail).toContain(uid(5))
        expect(f.detail).toMatch(from)
        expect(f.detail).toMatch(to)
        expect(f.detail).toMatch(/AS19165 Webpass Inc\..*AS9506 Singapore Telecommunications/)
        expect(f.detail).toMatch(/\b1[34]\d{3} km in 11 min, \d{5} km\/h$/)
        expect(f.afterPivot).toBe(true)
      }
      expect(top.pivot).toMatchObject({ time: '2026-03-04T16:20:00.123Z', eventId: uid(5) })
      expect(top.pivot!.changes).toEqual(
        expect.arrayContaining([
          { field: 'country', from: 'US', to: 'SG' },
          { field: 'network', from: 'AS19165 Webpass Inc.', to: expect.stringMatching(/^AS9506 Singapore Telecommunications/) },
          { field: 'device', from: 'macOS Chrome', to: 'Windows Chrome' }
        ])
      )
      // What the thief did after the pivot weighs more, and says so.
      const credentials = top.findings.filter((f) => f.category === 'credential_created')
      expect(credentials.length).toBeGreaterThan(0)
      for (const f of credentials) expect(f.afterPivot, f.title).toBe(true)
      expect(top.reasons.some((r) => /^credential_created \(high, \+\d+, after the pivot\)/.test(r))).toBe(true)
      expect(top.response).toBe('terminate-session')
      const printed = json.find((c) => c.id === top.id)!
      expect(printed.countries).toEqual(['SG', 'US'])
      expect(printed.pivot).toEqual(top.pivot)
      expect(printed.actingFor).toBeNull()
    })

  it('finds the same hop through the record geo and through the offline databases', async () => {
    // One after the other: each prints through the CLI, which writes to the one stdout.
    const log = await analysed('hijack-record-geo')
    const db = await analysed('hijack-offline-geo')
    const shape = (c: ChainRow) => ({
      categories: c.findings.map((f) => f.category).sort(),
      proofs: c.findings.map((f) => f.eventIds.join()).sort(),
      pivot: c.pivot?.eventId,
      countries: c.countries
    })
    expect(shape(db.chains[0])).toEqual(shape(log.chains[0]))
  })
})

/** The record-geo hijack's Okta records, edited, written as a bundle of their own. */
const editedHijack = async (edit: (records: Array<Record<string, any>>) => Array<Record<string, unknown>>): Promise<string> => {
  const records = readFileSync(join(FIXTURES, 'hijack-record-geo', 'okta-system-log.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, any>)
  const dir = await mkdtemp(join(tmpdir(), 'afterlogin-context-bundle-'))
  dirs.push(dir)
  await mkdir(join(dir, 'b'))
  await writeFile(
    join(dir, 'b', 'okta.ndjson'),
    edit(records)
      .map((r) => JSON.stringify(r))
      .join('\n')
  )
  return join(dir, 'b')
}

describe('hops that are no hops', () => {
  it("never makes a hop of one event's two copies, nor of the events after a copy", async () => {
    // The replayed sign-in exported twice; the second copy (another collector) kept the address of the earlier events.
    const bundle = await editedHijack((records) => {
      const copy = structuredClone(records[4])
      copy.client.ipAddress = records[3].client.ipAddress
      copy.client.geographicalContext = records[3].client.geographicalContext
      copy.securityContext = records[3].securityContext
      copy.request.ipChain = records[3].request.ipChain
      return [...records.slice(0, 5), copy, ...records.slice(5)]
    })
    const { chains } = await analysed(bundle)
    const top = chains[0]
    expect(only(top, 'impossible_travel').eventIds).toEqual([uid(5)])
    expect(only(top, 'ip_change').eventIds).toEqual([uid(5)])
    expect(top.pivot?.eventId).toBe(uid(5))
  })

  it("names the replayed events, not the owner's own on either side of them", async () => {
    // The owner back at her San Francisco desk in the same session, four minutes after the last Singapore event.
    const bundle = await editedHijack((records) => [
      ...records,
      { ...records[3], uuid: 'b7e1c0d2-0009-11ef-9a1b-0242ac120002', published: '2026-03-04T16:30:00.123Z' }
    ])
    const { chains } = await analysed(bundle)
    const named = chains.flatMap((c) => c.findings.filter((f) => ['impossible_travel', 'ip_change'].includes(f.category)))
    expect(named.map((f) => f.eventIds).sort()).toEqual([[uid(5)], [uid(5)], [uid(8)], [uid(8)]])
    // The return is told in the detail of the hop that names the last replayed event.
    expect(named.filter((f) => f.eventIds[0] === uid(8)).every((f) => (f.detail ?? '').includes(`to ${uid(9)} at`))).toBe(true)
  })

  it('names the events on a new browser inside a session, not the session start on the first', async () => {
    // The Singapore events kept at the owner's desk and address, but from Firefox on Linux.
    const firefox = { rawUserAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0', os: 'Linux', browser: 'FIREFOX' }
    const bundle = await editedHijack((records) =>
      records.map((r, i) =>
        i < 4 ? r : { ...r, client: { ...records[3].client, userAgent: firefox }, securityContext: records[3].securityContext, request: records[3].request }
      )
    )
    const { chains } = await analysed(bundle)
    const f = only(chains[0], 'device_change')
    expect(f.title).toBe('New device or browser inside a session: macOS Chrome → Linux Firefox')
    expect(f.eventIds).toEqual([uid(5)])
  })

  it('does not take another browser on the same system at the desk the session already used for a new device', async () => {
    // The Singapore events kept at the owner's desk and address, in Safari on the same Mac: an app's embedded browser
    // refreshing the session beside her own. The same browser from another address is reported.
    const safari = {
      rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      os: 'Mac OS X',
      browser: 'SAFARI'
    }
    const atDesk = await editedHijack((records) =>
      records.map((r, i) =>
        i < 4 ? r : { ...r, client: { ...records[3].client, userAgent: safari }, securityContext: records[3].securityContext, request: records[3].request }
      )
    )
    expect((await analysed(atDesk)).chains.flatMap((c) => c.findings).filter((f) => f.category === 'device_change')).toEqual([])
    const elsewhere = await editedHijack((records) => records.map((r, i) => (i < 4 ? r : { ...r, client: { ...r.client, userAgent: safari } })))
    const { chains } = await analysed(elsewhere)
    expect(only(chains[0], 'device_change').title).toBe('New device or browser inside a session: macOS Chrome → macOS Safari')
  })

  it('records a pivot the records state themselves: a managed device replaced by an unmanaged one', async () => {
    // The same place throughout; only Okta's device object changes, from the managed laptop to an unmanaged one.
    const bundle = await editedHijack((records) =>
      records
        .slice(0, 4)
        .concat(records.slice(0, 4).map((r, i) => ({ ...r, uuid: `${r.uuid}-b`, published: records[4 + i].published })))
        .map((r, i) => ({ ...r, device: { id: i < 4 ? 'guo1laptop' : 'guo9unknown', name: 'device', managed: i < 4 } }))
    )
    const { chains } = await analysed(bundle)
    expect(chains).toHaveLength(1)
    expect(chains[0].findings.map((f) => f.category)).not.toContain('impossible_travel')
    expect(chains[0].pivot).toMatchObject({ time: '2026-03-04T16:20:00.123Z', changes: [{ field: 'managed device', from: 'managed', to: 'unmanaged' }] })
  })

  it("does not flag a chain for a hop from another chain's session", async () => {
    // The Singapore events under a session of their own that nothing stitches to the San Francisco one.
    const bundle = await editedHijack((records) =>
      records.map((r, i) =>
        i < 4
          ? r
          : {
              ...r,
              authenticationContext: { ...r.authenticationContext, rootSessionId: '102OtherSessionKey9z8y7x', externalSessionId: '102OtherSessionKey9z8y7x' }
            }
      )
    )
    const { chains } = await analysed(bundle)
    expect(chains).toHaveLength(2)
    for (const c of chains) {
      expect(c.findings.map((f) => f.category)).not.toContain('impossible_travel')
      expect(c.findings.map((f) => f.category)).not.toContain('ip_change')
      expect(c.pivot).toBeNull()
    }
  })
})

describe('a benign day: a real flight, VPN exits rotating, routine admin', () => {
  it('raises no context finding and no pivot', async () => {
    const { chains, json } = await analysed('benign')
    expect(chains.map((c) => c.identity).sort()).toEqual(['bob.okafor@acme.example', 'cara.lind@acme.example', 'dev.admin@acme.example'])
    // The admin activates a new hire in the only session the case holds of them: with no earlier session to say where
    // they work, the routine rule would report it (afterlogin.routine), but nothing else is found for the admin, and a
    // new user wants corroboration (afterlogin.corroborated, detect-corroborated.test.ts).
    for (const c of chains) {
      expect(
        c.findings.map((f) => f.category),
        c.identity
      ).toEqual([])
      expect(c.pivot, c.identity).toBeNull()
      expect(c.response).toBe('none')
    }
    // The flight and the VPN exits are still where the records put them.
    expect(chains.find((c) => c.identity.startsWith('cara'))!.countries).toEqual(['DE', 'NL', 'SE'])
    expect(json.every((c) => c.pivot === null)).toBe(true)
  })
})

describe('AI agents and the identities they act for', () => {
  it('types M365 Copilot, an Entra agent identity, an AI service principal, a Slack AI app and a Google Workspace agent as agents, each with the user it acts for', async () => {
    const { chains, json } = await analysed('agents')
    const byIdentity = new Map(chains.map((c) => [c.identity, c]))
    for (const [agent, app, actingFor] of [
      ['microsoft 365 copilot', 'm365', 'dana.hr@acme.example'],
      ['contoso research agent', 'entra', 'dana.hr@acme.example'],
      ['claude', 'slack', 'dana.hr@acme.example'],
      ['hr copilot connector', 'entra', null],
      // Reports API actor.agentAttributionInfo: the agent, acting for its owner.
      ['quarterly review agent', 'google_workspace', 'dana.hr@acme.example']
    ] as const) {
      const c = byIdentity.get(agent)
      expect(c, agent).toBeDefined()
      expect(c!.identityType, agent).toBe('agent')
      expect(c!.apps).toEqual([app])
      expect(c!.actingFor, agent).toBe(actingFor)
      expect(json.find((x) => x.id === c!.id)).toMatchObject({ identity: agent, identityType: 'agent', actingFor })
    }
    // Dana's own mail reading stays hers: a person, acting for nobody, apart from the agent's work.
    const dana = byIdentity.get('dana.hr@acme.example')!
    expect(dana).toMatchObject({ identityType: 'human', actingFor: null, events: 1 })
    expect(byIdentity.get('microsoft 365 copilot')!.events).toBe(3)
    expect(byIdentity.get('quarterly review agent')!.events).toBe(2)
    // An app impersonating Dana by domain-wide delegation (actor.applicationInfo.impersonation) is a service acting for her.
    expect(byIdentity.get('nightly backup')).toMatchObject({ identityType: 'service', actingFor: 'dana.hr@acme.example', apps: ['google_workspace'] })
    // A Slack action that came through an app on a user's token (context.app: Okta provisioning on the admin's) is the app's, for the admin.
    expect(byIdentity.get('okta')).toMatchObject({ identityType: 'service', actingFor: 'it.admin@acme.example', apps: ['slack'] })
  })

  it('never makes an identity of a placeholder, nor accuses one of an interactive login', async () => {
    const { chains } = await analysed('placeholders')
    expect(chains.length).toBeGreaterThan(0)
    for (const c of chains) {
      expect(c.identity).toBe('(unknown)')
      expect(c.identityType).toBe('unknown')
      expect(c.findings.map((f) => f.category)).not.toContain('interactive_login')
    }
  })
})
