import { describe, expect, it } from 'vitest'
import type { ChainRow } from '../../contract/sessions'
import { HOSTING, oktaAt, oktaChains, oktaExample, oktaSignIn, type OktaRec as Rec } from '../helpers/okta-networks'

// An Okta administrator creates a user (user.lifecycle.create: a rule marked afterlogin.corroborated) from a network
// nobody used before in the case: reported only when something else was found for the administrator within two
// hours of it, such as a sign-in Okta calls an anonymizing proxy.
const admin = 'dana.admin@northwind-labs.com'
const created = (time: string): Rec => {
  const r = structuredClone(oktaExample('user-account-created-or-reactivated'))
  r.uuid = `5b2c3d4e-${time.slice(11, 13)}${time.slice(14, 16)}-4a5b-8c9d-0e1f2a3b0c0d`
  r.published = time
  r.actor = { ...r.actor, alternateId: admin, displayName: 'Dana Admin' }
  return oktaAt(r, HOSTING, 'idxdana1')
}
const creations = async (records: Rec[]): Promise<ChainRow['findings']> =>
  (await oktaChains(records)).flatMap((c) => c.findings).filter((f) => f.title.startsWith('Okta user created'))

describe('rules that want corroboration (afterlogin.corroborated)', () => {
  it('does not report a new user created in a session where nothing else was found', async () => {
    expect(await creations([created('2025-03-11T10:00:00.000Z')])).toEqual([])
  })

  it('reports it beside another finding for the administrator within two hours, not beside one a day before', async () => {
    const proxy = (time: string) => oktaSignIn(admin, time, HOSTING, 'idxdana1', { proxy: true })
    expect(await creations([proxy('2025-03-11T09:30:00.000Z'), created('2025-03-11T10:00:00.000Z')])).toHaveLength(1)
    expect(await creations([proxy('2025-03-10T09:30:00.000Z'), created('2025-03-11T10:00:00.000Z')])).toEqual([])
  })
})
