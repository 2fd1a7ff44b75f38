import { describe, expect, it } from 'vitest'
import { HOSTING, OFFICE, OFFICE_2, oktaAt, oktaChains, oktaExample, type OktaNet, type OktaRec as Rec } from '../helpers/okta-networks'

// A help desk's factor reset (an `afterlogin.routine` rule) in Okta System Log records, each saying its own address
// and AS: reported from a network the admin's earlier sessions never used, not from the one they always use.
const reset = oktaExample('mfa-factor-reset-or-deactivated')
const HOME: OktaNet = { ip: '192.0.2.77', asn: 7922, org: 'home cable' }

let n = 0
const at = (rec: Rec, admin: string, time: string, net: OktaNet, session: string): Rec => {
  const r = structuredClone(rec)
  r.uuid = `3f9e1c2a-${String(++n).padStart(4, '0')}-4b7d-9c1e-08dd2a4b0001`
  r.published = time
  r.actor = { ...r.actor, alternateId: admin, displayName: admin.split('@')[0], id: `00u${String(n).padStart(17, '0')}` }
  return oktaAt(r, net, session)
}
const signIn = (admin: string, time: string, net: OktaNet, session: string): Rec => {
  const r = at(reset, admin, time, net, session)
  Object.assign(r, { eventType: 'user.session.start', displayMessage: 'User login to Okta', target: null, outcome: { result: 'SUCCESS', reason: null } })
  return r
}

/** Signs in on day 1 from the office, then resets a user's factor the next day, in a new session, from `net`. */
const resetNextDayFrom = (admin: string, net: OktaNet): Rec[] => [
  signIn(admin, '2025-03-11T09:00:00.000Z', OFFICE, `idx${admin.length}day1`),
  signIn(admin, '2025-03-12T10:00:00.000Z', net, `idx${admin.length}day2`),
  at(reset, admin, '2025-03-12T10:04:00.000Z', net, `idx${admin.length}day2`)
]

const flagged = async (records: Rec[]): Promise<string[]> =>
  (await oktaChains(records)).filter((c) => c.findings.some((f) => f.category === 'mfa_change')).map((c) => c.identity)

// A refusal (a routine attempt rule: a sign-in stopped at MFA) and the identities whose chains report it.
const failed = oktaExample('sign-in-stopped-at-mfa-or-lockout')
const refused = async (records: Rec[]): Promise<string[]> =>
  (await oktaChains(records)).filter((c) => c.findings.some((f) => f.category === 'attempt')).map((c) => c.identity)
/** `first`, then a later session's sign-in and refusal from the hosting network. */
const refusedFromHostingAfter = (first: Rec, user: string, session: string): Rec[] => [
  first,
  signIn(user, '2025-03-12T23:00:00.000Z', HOSTING, session),
  at(failed, user, '2025-03-12T23:05:00.000Z', HOSTING, session)
]

describe('routine rules (afterlogin.routine)', () => {
  it('report a factor reset from a new network, not from the one the admin used in earlier sessions', async () => {
    expect(
      await flagged([
        ...resetNextDayFrom('dana.admin@northwind-labs.com', HOSTING),
        ...resetNextDayFrom('lee.helpdesk@northwind-labs.com', OFFICE),
        // Another address of the office's AS is the same network.
        ...resetNextDayFrom('kim.it@northwind-labs.com', OFFICE_2)
      ])
    ).toEqual(['dana.admin@northwind-labs.com'])
  })

  it('take a network as the admin’s own once they signed in from it on a device Okta already knew', async () => {
    // The reset from the hotel abroad right after a sign-in whose record says the device was known (Okta's behaviour
    // detection: New Device=NEGATIVE, not rated high risk): the owner on a trip, not someone with the password.
    const trip = (device: string, risk: string): Rec[] => {
      const records = resetNextDayFrom('ana.it@northwind-labs.com', HOSTING)
      records[1].debugContext.debugData.behaviors = `{New Geo-Location=POSITIVE, New Device=${device}, New IP=POSITIVE, New Country=POSITIVE}`
      records[1].debugContext.debugData.risk = `{reasons=New Country, level=${risk}}`
      return records
    }
    expect(await flagged(trip('NEGATIVE', 'MEDIUM'))).toEqual([])
    expect(await flagged(trip('POSITIVE', 'MEDIUM'))).toEqual(['ana.it@northwind-labs.com'])
    expect(await flagged(trip('NEGATIVE', 'HIGH'))).toEqual(['ana.it@northwind-labs.com'])
  })

  it('report it when the admin has no earlier session to compare with', async () => {
    const records = resetNextDayFrom('sam.ops@northwind-labs.com', OFFICE).slice(1)
    expect(await flagged(records)).toEqual(['sam.ops@northwind-labs.com'])
  })

  // Three colleagues signing in from the office's /24 make it the organisation's network from the first day; two do not.
  const colleagues = (count: number): Rec[] =>
    ['ana', 'ben', 'cho']
      .slice(0, count)
      .map((who, i) => signIn(`${who}@northwind-labs.com`, `2025-03-12T08:1${i}:00.000Z`, { ...OFFICE, ip: `198.51.100.${40 + i}` }, `idxcol${i}`))
  it("does not report it from the organisation's own network on the case's first day", async () => {
    const first = resetNextDayFrom('sam.ops@northwind-labs.com', OFFICE).slice(1)
    expect(await flagged([...colleagues(3), ...first])).toEqual([])
    expect(await flagged([...colleagues(2), ...first])).toEqual(['sam.ops@northwind-labs.com'])
  })

  it("places a record without an address by the admin's records around it", async () => {
    const resetWithout = (net: OktaNet): Rec[] => {
      const [day1, day2, reset] = resetNextDayFrom('lee.helpdesk@northwind-labs.com', net)
      reset.client = { ...reset.client, ipAddress: null }
      reset.request = { ipChain: [] }
      return [day1, day2, reset]
    }
    expect(await flagged(resetWithout(OFFICE))).toEqual([])
    expect(await flagged(resetWithout(HOSTING))).toEqual(['lee.helpdesk@northwind-labs.com'])
  })

  // A refusal (a routine attempt rule) is the person when it comes from where they first signed in in the case; an
  // action is not, for the case may start with the attacker.
  it("reads a refusal from the network of the user's first sign-in in the case as the user's", async () => {
    const user = 'gil.user@northwind-labs.com'
    const day = (net: OktaNet): Rec[] => [
      signIn(user, '2025-03-12T09:00:00.000Z', HOME, 'idxgil1'),
      at(failed, user, '2025-03-12T11:00:00.000Z', net, 'idxgil2')
    ]
    expect(await refused(day(HOME))).toEqual([])
    expect(await refused(day(HOSTING))).toEqual([user])
    // The same network for an action (a factor reset) is still reported: the first sign-in may have been the attacker's.
    expect(
      await flagged([signIn(user, '2025-03-12T09:00:00.000Z', HOSTING, 'idxgil1'), at(reset, user, '2025-03-12T09:05:00.000Z', HOSTING, 'idxgil1')])
    ).toEqual([user])
  })

  // Okta's behaviour detection says on the refusal itself that the device and the address are the user's own: the
  // owner locking herself out on her own phone, not someone with her password. Rated high risk, or through an address
  // Okta calls an anonymizing proxy, it stays reported.
  it('know a refusal whose own record says the device was one Okta already knew', async () => {
    const user = 'kay.nurse@northwind-labs.com'
    const tries = (risk: string, proxy = false): Rec[] => {
      const records = refusedFromHostingAfter(signIn(user, '2025-03-11T09:00:00.000Z', OFFICE, 'idxkay1'), user, 'idxkay2')
      const refusal = records[2]
      refusal.debugContext.debugData.behaviors = '{New Geo-Location=NEGATIVE, New Device=NEGATIVE, New IP=NEGATIVE, Velocity=NEGATIVE}'
      refusal.debugContext.debugData.risk = `{level=${risk}}`
      refusal.securityContext.isProxy = proxy
      // The sign-in before it is the network's only other record: it says nothing of the device.
      return records
    }
    expect(await refused(tries('LOW'))).toEqual([])
    expect(await refused(tries('HIGH'))).toEqual([user])
    expect(await refused(tries('LOW', true))).toEqual([user])
  })

  // The first sign-in's address is compared with its own AS and country, even when it has none: not with those of a
  // later sign-in (the attacker's), which a per-column arg_min would have picked up.
  it('compares with the first sign-in’s own network when the records and databases know nothing of its address', async () => {
    const user = 'ivy.user@northwind-labs.com'
    const first = signIn(user, '2025-03-12T09:00:00.000Z', { ip: '192.0.2.201', asn: 0, org: '' }, 'idxivy1')
    delete first.securityContext
    delete first.client.geographicalContext
    first.request = { ipChain: [{ ip: '192.0.2.201', version: 'V4', source: null }] }
    expect(await refused(refusedFromHostingAfter(first, user, 'idxivy2'))).toEqual([user])
  })

  it('has no first network for a person whose first sign-in names no address: the next one may be the attacker’s', async () => {
    const user = 'jon.user@northwind-labs.com'
    const first = signIn(user, '2025-03-12T09:00:00.000Z', OFFICE, 'idxjon1')
    first.client = { ...first.client, ipAddress: null }
    first.request = { ipChain: [] }
    delete first.securityContext
    expect(await refused(refusedFromHostingAfter(first, user, 'idxjon2'))).toEqual([user])
  })

  // The vendor's own verdict on the first sign-in (Okta: an anonymizing proxy) says it may not be the person: downloads
  // and refusals from there stay reported, and the person's next sign-in is their first network instead.
  it('does not take a first sign-in the record calls an anonymizing proxy for the person’s own network', async () => {
    const user = 'kai.user@northwind-labs.com'
    const records = (proxy: boolean): Rec[] => {
      const first = signIn(user, '2025-03-12T09:00:00.000Z', HOSTING, 'idxkai1')
      first.securityContext.isProxy = proxy
      return [first, signIn(user, '2025-03-12T10:00:00.000Z', HOME, 'idxkai2'), at(failed, user, '2025-03-12T11:00:00.000Z', HOSTING, 'idxkai3')]
    }
    expect(await refused(records(false))).toEqual([])
    expect(await refused(records(true))).toEqual([user])
  })

  it('does not make an address familiar through an earlier session the record calls an anonymizing proxy', async () => {
    const admin = 'lou.admin@northwind-labs.com'
    const records = (proxy: boolean): Rec[] => {
      const day1 = signIn(admin, '2025-03-11T09:00:00.000Z', HOSTING, 'idxlou1')
      day1.securityContext.isProxy = proxy
      return [day1, signIn(admin, '2025-03-12T10:00:00.000Z', HOSTING, 'idxlou2'), at(reset, admin, '2025-03-12T10:04:00.000Z', HOSTING, 'idxlou2')]
    }
    expect(await flagged(records(false))).toEqual([])
    expect(await flagged(records(true))).toEqual([admin])
  })

  it('does not make an address on a rented network familiar through an earlier session: anyone can rent it', async () => {
    const admin = 'rui.admin@northwind-labs.com'
    const records = (net: OktaNet): Rec[] => [
      signIn(admin, '2025-03-11T09:00:00.000Z', net, 'idxrui1'),
      signIn(admin, '2025-03-12T10:00:00.000Z', net, 'idxrui2'),
      at(reset, admin, '2025-03-12T10:04:00.000Z', net, 'idxrui2')
    ]
    // The same host, first on an AS no list names, then on Vultr's (AS20473), which rents servers by the hour.
    expect(await flagged(records(HOSTING))).toEqual([])
    expect(await flagged(records({ ...HOSTING, asn: 20473, org: 'The Constant Company, LLC' }))).toEqual([admin])
  })

  // What a user does to their own account (`routine: everyday`: their own password changed) is theirs from the network
  // of their first sign-in in the case, as a refusal is; the same change from elsewhere stays, here beside the
  // anonymizing-proxy sign-in that corroborates it.
  it("reads a user's own password change from the network of their first sign-in as the user's", async () => {
    const user = 'kavya.patel@example.com'
    const own = oktaExample('own-password-or-recovery-changed')
    const change = (net: OktaNet): Rec => {
      const r = at(own, user, '2025-03-12T09:20:00.000Z', net, net === HOME ? 'idxkav1' : 'idxkav2')
      r.target = [{ ...r.target[0], alternateId: user }]
      return r
    }
    const proxied = oktaAt(signIn(user, '2025-03-12T09:40:00.000Z', HOSTING, 'idxkav2'), HOSTING, 'idxkav2', true)
    const changed = async (records: Rec[]): Promise<string[]> =>
      (await oktaChains(records))
        .flatMap((c) => c.findings)
        .filter((f) => f.category === 'credential_created')
        .map((f) => f.title)
    const first = signIn(user, '2025-03-12T09:00:00.000Z', HOME, 'idxkav1')
    expect(await changed([first, change(HOME), proxied])).toEqual([])
    expect(await changed([first, change(HOSTING), proxied])).toHaveLength(1)
  })
})
