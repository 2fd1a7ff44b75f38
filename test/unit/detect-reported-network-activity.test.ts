import { describe, expect, it } from 'vitest'
import { importedBundle } from '../helpers/imported-chains'
import { HOSTING, OFFICE, oktaSignIn, type OktaRec as Rec } from '../helpers/okta-networks'
import { ruleExample } from '../helpers/rule-examples'

// A person signs in to Okta from the office on day 1 and from a hosting provider on day 2 (new_network); the unified
// audit log has their mailbox read (a Bind no rule reports; its target the mailbox) from either network, before and
// after.
const PERSON = 'mina.treasury@fabrikam.example'
let n = 0
const mailRead = (time: string, ip: string, session = 'dd013ee1-c16d-4480-bf7b-f0bc30a6ae3f'): Record<string, unknown> => {
  const r = structuredClone(ruleExample('m365/mailbox-folders-synced', 'nomatch'))
  r.Id = `9a0c7e2b-${String(++n).padStart(4, '0')}-4c1d-9e8f-0a1b2c3d4e5f`
  r.CreationTime = time
  r.UserId = PERSON
  r.MailboxOwnerUPN = PERSON
  r.ClientIP = ip
  r.ClientIPAddress = ip
  r.SessionId = session
  return r
}
const ssoRefused = (time: string): Rec => {
  const r = oktaSignIn(PERSON, time, HOSTING, 'idxmina2', { failed: true })
  r.eventType = 'user.authentication.sso'
  r.displayMessage = 'User single sign on to app'
  r.outcome = { result: 'FAILURE', reason: 'POLICY_DENY' }
  return r
}

const activity = async (mail: Record<string, unknown>[], okta: Rec[] = []) => {
  const { chains } = await importedBundle({
    'okta.json': [
      oktaSignIn(PERSON, '2025-03-11T09:00:00.000Z', OFFICE, 'idxmina1'),
      oktaSignIn(PERSON, '2025-03-12T22:00:00.000Z', HOSTING, 'idxmina2'),
      ...okta
    ],
    'm365.json': mail
  })
  const findings = chains.flatMap((c) => c.findings)
  expect(findings.some((f) => f.category === 'new_network')).toBe(true)
  return findings.filter((f) => f.category === 'reported_network_activity')
}

describe('activity from the address of a reported sign-in (reported_network_activity)', () => {
  it('names what the person did from the reported address at and after the sign-in, and nothing else', async () => {
    const [f, ...more] = await activity([
      mailRead('2025-03-12T21:30:00', HOSTING.ip), // before the sign-in
      mailRead('2025-03-12T22:05:00', HOSTING.ip),
      mailRead('2025-03-12T22:06:00', HOSTING.ip),
      mailRead('2025-03-13T08:07:00', OFFICE.ip, 'f6d0a57d-7dda-496b-98a9-8125179a8c71') // the owner, at the office
    ])
    expect(more).toEqual([])
    expect(f.title).toBe(
      'Activity from the address of a reported sign-in, PT 203.0.113.66 (hosting relay bv): Exchange:MailItemsAccessed ×2 → mina.treasury@fabrikam.example'
    )
    expect(f.eventIds.map((id) => id.slice(-4))).toEqual(['4e5f', '4e5f'])
    expect(f.detail).toMatch(/^from 203\.0\.113\.66, .*AS64511 hosting relay bv; 2 events no other finding names$/)
    expect(f.severity).toBe('medium')
  })

  it('says which tries from there were refused, and why, as the records say it: one finding per session', async () => {
    const all = await activity([], [ssoRefused('2025-03-12T22:10:00.000Z')])
    expect(all.map((f) => f.title)).toEqual([
      expect.stringMatching(
        /^Activity from the address of a reported sign-in, PT 203\.0\.113\.66 \(hosting relay bv\): user\.authentication\.sso \(failed\).* — refused: POLICY_DENY$/
      )
    ])
  })

  it('names the session the intruder came back in from there, once the address had become familiar', async () => {
    // Two days later, from the same address: no longer new to the person (used more than 12 hours before).
    const all = await activity([], [oktaSignIn(PERSON, '2025-03-14T23:00:00.000Z', HOSTING, 'idxmina3')])
    expect(all.map((f) => f.title)).toEqual(['Activity from the address of a reported sign-in, PT 203.0.113.66 (hosting relay bv): user.session.start'])
  })

  it('is not raised when nothing else was done from there', async () => {
    expect(await activity([mailRead('2025-03-12T22:07:00', OFFICE.ip)])).toEqual([])
  })
})
