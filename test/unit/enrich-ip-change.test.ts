import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChainRow } from '../../contract/sessions'
import { BROWSER_MAC, oktaEvent, type Actor, type Place } from '../../core/demo/vendor-records'
import { runImport } from '../../core/import/index'
import { Workbench } from '../../core/workbench'

// Real public addresses whose networks are stable: the logs give the same country (and nearby coordinates) for
// all of them, so only the network can tell the moves apart.
const US = { city: 'Ashburn', country: 'United States', countryCode: 'US', lat: 39.0438, lon: -77.4874 }
const at = (ip: string, asn: number, asOrg: string): Place => ({ ip, asn, asOrg, ...US })
const GOOGLE_A = at('8.8.8.8', 15169, 'Google LLC')
const GOOGLE_B = at('8.8.4.4', 15169, 'Google LLC')
const QUAD9 = at('9.9.9.9', 19281, 'Quad9')
const SYDNEY = { city: 'Sydney', country: 'Australia', countryCode: 'AU', lat: -33.8688, lon: 151.2093 }
// Cloudflare's AS is on the shipped VPN list (WARP egress); Quad9's is not.
const CLOUDFLARE_SYDNEY: Place = { ip: '1.1.1.1', asn: 13335, asOrg: 'Cloudflare, Inc.', ...SYDNEY }
const QUAD9_SYDNEY: Place = { ip: '9.9.9.10', asn: 19281, asOrg: 'Quad9', ...SYDNEY }

const actor = (local: string, n: number): Actor => ({
  email: `${local}@example.com`,
  name: local,
  oktaId: `00u${local.padEnd(8, 'x')}${n}abc`,
  sfUserId: '',
  githubLogin: local,
  slackId: ''
})

let dir: string
let wb: Workbench
let chains: ChainRow[]
const T0 = Date.parse('2026-03-02T09:00:00Z')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'afterlogin-ipchange-'))
  const events: unknown[] = []
  // Each event 10 minutes after the one before, or at the minutes given.
  const session = (a: Actor, key: string, places: Place[], minutes = places.map((_, i) => i * 10)) =>
    places.forEach((place, i) =>
      events.push(
        oktaEvent({
          uuid: `${key}-${i}-0000-0000-000000000000`,
          t: T0 + minutes[i] * 60_000,
          eventType: i ? 'user.authentication.sso' : 'user.session.start',
          actor: a,
          place,
          ua: BROWSER_MAC,
          session: key,
          display: 'event'
        })
      )
    )
  session(actor('mover', 1), '102moverSESSIONkey0001', [GOOGLE_A, GOOGLE_A, QUAD9, QUAD9])
  session(actor('stayer', 2), '102stayerSESSIONkey002', [GOOGLE_A, GOOGLE_B, GOOGLE_A, GOOGLE_B])
  session(actor('warp', 3), '102warpSESSIONkey00003', [GOOGLE_A, CLOUDFLARE_SYDNEY])
  session(actor('flyer', 4), '102flyerSESSIONkey0004', [GOOGLE_A, QUAD9_SYDNEY])
  // Office, then an hour and a half later from home: the session moved. Then back on the first network five
  // minutes after the second: used from two places at once.
  session(actor('commuter', 5), '102commuterSESSIONkey5', [GOOGLE_A, GOOGLE_A, QUAD9], [0, 10, 100])
  session(actor('twoplaces', 6), '102twoplacesSESSIONk06', [GOOGLE_A, QUAD9, GOOGLE_A], [0, 95, 100])
  await mkdir(join(dir, 'bundle'), { recursive: true })
  await writeFile(join(dir, 'bundle', 'okta.json'), JSON.stringify(events))
  wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
  await wb.open(join(dir, 'case', 'case.duckdb'))
  const summary = await runImport(wb.requireCase().db, [join(dir, 'bundle')])
  expect(summary.files.filter((f) => f.error)).toEqual([])
  chains = (await wb.handlers['chains.list']({ offset: 0, limit: 50, sort: 'risk', filter: {} })).rows
}, 120_000)

afterAll(async () => {
  wb?.close()
  await rm(dir, { recursive: true, force: true })
})

const chainOf = (local: string) => chains.find((c) => c.identity === `${local}@example.com`)!

describe('ip_change by network', () => {
  it('fires when one session key moves to another AS inside the same country', () => {
    const f = chainOf('mover').findings.find((x) => x.category === 'ip_change')
    expect(f).toBeDefined()
    expect(f!.title).toMatch(/8\.8\.8\.8 → US 9\.9\.9\.9/)
  })

  it('stays quiet when the session reaches another network of the same country after a pause of an hour or more', () => {
    expect(chainOf('commuter').findings.map((x) => x.category)).not.toContain('ip_change')
  })

  it('fires when, after such a pause, the session is back on the first network within minutes', () => {
    const f = chainOf('twoplaces').findings.filter((x) => x.category === 'ip_change')
    expect(f.map((x) => x.title)).toEqual([expect.stringMatching(/9\.9\.9\.9 → US 8\.8\.8\.8, 0 km in 5 min/)])
  })

  it('stays quiet when the session only changes address inside the same AS', () => {
    expect(chainOf('stayer').findings.map((x) => x.category)).not.toContain('ip_change')
  })

  it('stores the AS of each address in the case', async () => {
    const sql = await wb.requireCase().db.connect()
    const rows = await sql.connection.runAndReadAll('SELECT ip, asn, as_org FROM ip_geo ORDER BY ip')
    sql.connection.closeSync()
    expect(rows.getRowObjectsJson()).toEqual([
      { ip: '1.1.1.1', asn: 13335, as_org: 'Cloudflare, Inc.' },
      { ip: '8.8.4.4', asn: 15169, as_org: 'Google LLC' },
      { ip: '8.8.8.8', asn: 15169, as_org: 'Google LLC' },
      { ip: '9.9.9.10', asn: 19281, as_org: 'Quad9' },
      { ip: '9.9.9.9', asn: 19281, as_org: 'Quad9' }
    ])
  })
})

describe('impossible travel and known VPN networks', () => {
  it('flags a US → Australia hop within minutes on an ordinary network', () => {
    expect(chainOf('flyer').findings.map((x) => x.category)).toContain('impossible_travel')
  })

  it('tolerates the same hop when the far end is a known VPN / secure-access network', () => {
    expect(chainOf('warp').findings.map((x) => x.category)).not.toContain('impossible_travel')
  })
})
