import { describe, expect, it } from 'vitest'
import type { ChainRow } from '../../contract/sessions'
import { HOSTING, OFFICE, oktaAt, oktaChains, oktaExample, oktaSignIn, type OktaRec as Rec } from '../helpers/okta-networks'

// The help desk (at the office, where it always works: a routine reset no rule reports there) resets the factors of a
// person, who signs in from the office on day 1; on day 2 someone signs in to the person's account from a hosting
// provider (new_network).
const DESK = 'sam.helpdesk@fabrikam.example'
const PERSON = 'lena.finance@fabrikam.example'

const reset = (time: string): Rec => {
  const r = structuredClone(oktaExample('mfa-factor-reset-or-deactivated'))
  r.uuid = `5e6f7a8b-${time.slice(11, 13)}${time.slice(14, 16)}-4c1d-9e8f-0a1b2c3d4e5f`
  r.published = time
  r.eventType = 'user.mfa.factor.reset_all'
  r.displayMessage = 'Reset all factors for user'
  r.actor = { ...r.actor, alternateId: DESK, displayName: 'Sam Helpdesk' }
  r.target = [{ id: '00u8q2m4hJqUser20697', type: 'User', alternateId: PERSON, displayName: 'Lena Finance', detailEntry: null }]
  return oktaAt(r, OFFICE, 'idxdesk2')
}

const recoveries = async (records: Rec[]): Promise<ChainRow['findings']> =>
  (
    await oktaChains([
      oktaSignIn(DESK, '2025-03-11T08:00:00.000Z', OFFICE, 'idxdesk1'),
      oktaSignIn(PERSON, '2025-03-11T09:00:00.000Z', OFFICE, 'idxlena1'),
      ...records
    ])
  )
    .flatMap((c) => c.findings)
    .filter((f) => f.category === 'recovery_before_takeover')

describe('an account reset just before a reported sign-in (recovery_before_takeover)', () => {
  it('names the help desk’s reset that the caller then signed in with from elsewhere', async () => {
    const [f, ...more] = await recoveries([reset('2025-03-12T14:00:00.000Z'), oktaSignIn(PERSON, '2025-03-12T14:25:00.000Z', HOSTING, 'idxlena2')])
    expect(more).toEqual([])
    expect(f.title).toBe(
      "Change to another person's account just before their reported sign-in: MFA factor reset, deactivated or suspended for an Okta user " +
        '(user.mfa.factor.reset_all) → lena.finance@fabrikam.example — 25 min before a sign-in from PT 203.0.113.66 (hosting relay bv)'
    )
    expect(f.severity).toBe('high')
    expect(f.eventIds).toHaveLength(1)
  })

  it('lists several changes in one order, whatever order the records came in', async () => {
    const password = (time: string): Rec => {
      const r = reset(time)
      r.uuid = `6f7a8b9c-${time.slice(11, 13)}${time.slice(14, 16)}-4c1d-9e8f-0a1b2c3d4e5f`
      r.eventType = 'user.account.reset_password'
      r.displayMessage = 'Reset password for user'
      return r
    }
    const titles = async (first: Rec, second: Rec) =>
      (await recoveries([first, second, oktaSignIn(PERSON, '2025-03-12T14:25:00.000Z', HOSTING, 'idxlena2')])).map((f) => f.title.split(' → ')[0])
    const one = await titles(reset('2025-03-12T14:00:00.000Z'), password('2025-03-12T14:01:00.000Z'))
    expect(one).toHaveLength(1)
    expect(await titles(password('2025-03-12T14:00:00.000Z'), reset('2025-03-12T14:01:00.000Z'))).toEqual(one)
  })

  it('is not raised for the responder’s reset after the intrusion, nor for one the person’s own sign-in follows', async () => {
    // The intruder's sign-in comes first; the reset is the clean-up.
    expect(await recoveries([oktaSignIn(PERSON, '2025-03-12T13:00:00.000Z', HOSTING, 'idxlena2'), reset('2025-03-12T14:00:00.000Z')])).toEqual([])
    // The person locked out, reset, and back at the office.
    expect(await recoveries([reset('2025-03-12T14:00:00.000Z'), oktaSignIn(PERSON, '2025-03-12T14:10:00.000Z', OFFICE, 'idxlena2')])).toEqual([])
    // A reset hours before, past the two-hour window (corroborationHours).
    expect(await recoveries([reset('2025-03-12T08:00:00.000Z'), oktaSignIn(PERSON, '2025-03-12T14:25:00.000Z', HOSTING, 'idxlena2')])).toEqual([])
  })
})
