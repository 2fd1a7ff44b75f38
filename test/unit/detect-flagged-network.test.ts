import { describe, expect, it } from 'vitest'
import type { ChainRow } from '../../contract/sessions'
import { HOSTING, OFFICE, oktaFindings, oktaSignIn, type OktaNet as Net, type OktaRec as Rec } from '../helpers/okta-networks'

// Okta sign-ins (user.session.start) from one address: the first record says the address is an anonymizing proxy
// (securityContext.isProxy, the verdict rule okta/sign-in-through-anonymizing-proxy), a later session's record from the
// same address does not. The later sign-in is the same hands: flagged_network.
const signIn = (person: string, time: string, net: Net, session: string, opts: { proxy?: boolean; failed?: boolean } = {}): Rec =>
  oktaSignIn(person, time, net, session, opts)

const person = 'nia.finance@northwind-labs.com'
const flagged = (records: Rec[]): Promise<ChainRow['findings']> => oktaFindings(records, 'flagged_network')

describe('sign-in from an address a vendor flagged (flagged_network)', () => {
  it('reports a later sign-in from the address a verdict rule flagged, naming the address and the verdict', async () => {
    const later = signIn(person, '2025-03-11T10:30:00.000Z', HOSTING, 'idxnia2')
    const found = await flagged([
      signIn(person, '2025-03-11T09:00:00.000Z', OFFICE, 'idxnia0'),
      signIn(person, '2025-03-11T10:00:00.000Z', HOSTING, 'idxnia1', { proxy: true }),
      later
    ])
    expect(found).toHaveLength(1)
    expect(found[0].eventIds).toEqual([`okta:${later.uuid}`])
    expect(found[0].title).toContain(HOSTING.ip)
    expect(found[0].title).toContain('Okta sign-in from an anonymizing proxy')
    expect(found[0].severity).toBe('medium')
  })

  it('reports nothing when no record flagged the address, and not the flagged record itself', async () => {
    expect(
      await flagged([signIn(person, '2025-03-11T10:00:00.000Z', HOSTING, 'idxnia1'), signIn(person, '2025-03-11T10:30:00.000Z', HOSTING, 'idxnia2')])
    ).toEqual([])
    expect(await flagged([signIn(person, '2025-03-11T10:00:00.000Z', HOSTING, 'idxnia1', { proxy: true })])).toEqual([])
  })

  it('reports a sign-in whose record names no browser (a Google login, an OAuth token), not a sign-out', async () => {
    const bare = signIn(person, '2025-03-11T10:30:00.000Z', HOSTING, 'idxnia2')
    bare.client = { ...bare.client, userAgent: null }
    const out = signIn(person, '2025-03-11T11:00:00.000Z', HOSTING, 'idxnia3')
    out.eventType = 'user.session.end'
    out.displayMessage = 'User logout from Okta'
    const found = await flagged([signIn(person, '2025-03-11T10:00:00.000Z', HOSTING, 'idxnia1', { proxy: true }), bare, out])
    expect(found.flatMap((f) => f.eventIds)).toEqual([`okta:${bare.uuid}`])
  })

  it('reports failed tries alone as a failed sign-in, one severity lower', async () => {
    const found = await flagged([
      signIn(person, '2025-03-11T10:00:00.000Z', HOSTING, 'idxnia1', { proxy: true }),
      signIn(person, '2025-03-12T08:00:00.000Z', HOSTING, 'idxnia3', { failed: true })
    ])
    expect(found.map((f) => [f.severity, f.title.split(':')[0]])).toEqual([['low', `Failed sign-in from an address a vendor flagged (${person})`]])
  })

  it("reports another person's sign-in from an address flagged for someone else, naming whom the verdict was about", async () => {
    const next = signIn('omar.ops@northwind-labs.com', '2025-03-11T22:00:00.000Z', HOSTING, 'idxomar1')
    const found = await flagged([
      signIn('omar.ops@northwind-labs.com', '2025-03-11T08:00:00.000Z', OFFICE, 'idxomar0'),
      signIn(person, '2025-03-11T10:00:00.000Z', HOSTING, 'idxnia1', { proxy: true }),
      next
    ])
    expect(found.flatMap((f) => f.eventIds)).toEqual([`okta:${next.uuid}`])
    expect(found[0].title).toContain(`Okta sign-in from an anonymizing proxy (${person})`)
  })

  it("does not report the organisation's egress, where a verdict about one person's sign-in says nothing of the others'", async () => {
    const colleagues = ['a', 'b', 'c'].map((n, i) => signIn(`${n}.staff@northwind-labs.com`, `2025-03-11T08:0${i}:00.000Z`, OFFICE, `idxstaff${n}`))
    const found = await flagged([
      ...colleagues,
      signIn(person, '2025-03-11T09:00:00.000Z', OFFICE, 'idxnia1', { proxy: true }),
      signIn('d.staff@northwind-labs.com', '2025-03-11T10:00:00.000Z', OFFICE, 'idxstaffd')
    ])
    expect(found).toEqual([])
  })
  it('does not take an address for the egress through sign-ins a verdict flagged there: the intruder opening one account after another', async () => {
    const taken = ['a', 'b', 'c'].map((n, i) =>
      signIn(`${n}.staff@northwind-labs.com`, `2025-03-11T08:0${i}:00.000Z`, HOSTING, `idxtaken${n}`, { proxy: true })
    )
    const next = signIn('d.staff@northwind-labs.com', '2025-03-11T10:00:00.000Z', HOSTING, 'idxtakend')
    const found = await flagged([...taken, next])
    expect(found.flatMap((f) => f.eventIds)).toEqual([`okta:${next.uuid}`])
  })
})
