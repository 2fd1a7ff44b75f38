import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'
import { ruleExample } from '../helpers/rule-examples'
import { HOSTING, OFFICE, oktaAt, oktaExample, oktaFindings, oktaSignIn, type OktaRec as Rec } from '../helpers/okta-networks'

// An Okta network zone update (okta/network-zone-widened, `afterlogin.allowList`) by an admin working from a network
// of their own that day: the zone's gateways either all lie in the organisation's egress (a /24 four colleagues sign
// in from) or not.
const admin = 'nadia.ferreira@northwind-labs.com'
const colleagues = ['a', 'b', 'c', 'd'].map((n, i) => oktaSignIn(`${n}.staff@northwind-labs.com`, `2025-03-11T08:0${i}:00.000Z`, OFFICE, `idxstaff${n}`))

const zoneUpdate = (gateways: string[]): Rec => {
  const r = structuredClone(oktaExample('network-zone-widened'))
  r.uuid = `5e0f1a2b-${gateways.length}${gateways[gateways.length - 1].replace(/\D/g, '').slice(0, 3)}-4c5d-8e9f-0a1b2c3d4e5f`
  r.published = '2025-03-11T10:05:00.000Z'
  r.actor = { ...r.actor, alternateId: admin }
  oktaAt(r, HOSTING, 'idxadmin1')
  r.debugContext.debugData.zoneData = { gateways: gateways.map((value) => ({ type: 'CIDR', value })), proxies: [], type: 'IP', usage: 'POLICY' }
  return r
}
const adminSignIn = oktaSignIn(admin, '2025-03-11T10:00:00.000Z', HOSTING, 'idxadmin1')
const changes = async (records: Rec[]): Promise<string[]> => (await oktaFindings(records, 'admin_change')).map((f) => f.title)

describe('allow-list changes judged by the networks they let in (afterlogin.allowList)', () => {
  it("does not report a zone set to the organisation's own egress, the office range put back", async () => {
    expect(await changes([...colleagues, adminSignIn, zoneUpdate(['198.51.100.0/24'])])).toEqual([])
  })

  it('reports a zone that also lets in a network the organisation does not sign in from, naming it', async () => {
    const found = await changes([...colleagues, adminSignIn, zoneUpdate(['198.51.100.0/24', '45.137.21.0/24'])])
    expect(found).toHaveLength(1)
    expect(found[0]).toContain('45.137.21.0/24')
  })

  it('reports the office range where the case shows no egress to judge it by, and a range wider than a /24', async () => {
    expect(await changes([adminSignIn, zoneUpdate(['198.51.100.0/24'])])).toHaveLength(1)
    expect(await changes([...colleagues, adminSignIn, zoneUpdate(['198.51.0.0/16'])])).toHaveLength(1)
  })
})

// An Entra named location update (entra/named-location-changed) gives the location before and after: what it adds is
// what the change lets in.
describe('named location changes judged by the ranges they add', () => {
  const example = (): Record<string, any> => ruleExample('entra/named-location-changed')
  const update = (n: number, before: string, after: string): Record<string, any> => {
    const r = structuredClone(example())
    r.id = `Directory_5b1e${n}-named-location`
    r.correlationId = `5b1e${n}-corr`
    r.targetResources[0].modifiedProperties[0] = { displayName: 'NamedLocation', oldValue: before, newValue: after }
    return r
  }
  const reported = async (r: Record<string, any>): Promise<string[]> => {
    const { source, chains } = await importedChains('entra_audits.json', { value: [r] })
    expect(source).toBe('entra')
    return chains
      .flatMap((c) => c.findings)
      .filter((f) => f.category === 'admin_change')
      .map((f) => f.title)
  }

  it("does not report the intruder's range taken off a trusted location", async () => {
    const removed = update(1, '{"ipRanges":["203.0.113.0/24","185.220.101.0/24"],"isTrusted":true}', '{"ipRanges":["203.0.113.0/24"],"isTrusted":true}')
    expect(await reported(removed)).toEqual([])
  })

  it('reports the range a change adds, and every range of a location the change makes trusted', async () => {
    const added = await reported(
      update(2, '{"ipRanges":["203.0.113.0/24"],"isTrusted":true}', '{"ipRanges":["203.0.113.0/24","185.220.101.0/24"],"isTrusted":true}')
    )
    expect(added).toHaveLength(1)
    expect(added[0]).toContain('185.220.101.0/24')
    const trusted = await reported(update(3, '{"ipRanges":["185.220.101.0/24"],"isTrusted":false}', '{"ipRanges":["185.220.101.0/24"],"isTrusted":true}'))
    expect(trusted).toHaveLength(1)
  })
})
