import { describe, expect, it } from 'vitest'
import type { ChainRow } from '../../contract/sessions'
import { HOSTING, OFFICE, oktaFindings, oktaSignIn, type OktaNet as Net, type OktaRec as Rec } from '../helpers/okta-networks'

// Okta sign-ins (user.session.start) whose client is a script's HTTP library rather than a browser: a stolen
// password or token used by a tool from the thief's host (scripted_sign_in).
const SCRIPT = 'python-requests/2.31.0'
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36'
const signIn = (person: string, time: string, net: Net, session: string, opts: { failed?: boolean; userAgent?: string } = {}): Rec =>
  oktaSignIn(person, time, net, session, { userAgent: SCRIPT, ...opts })

const person = 'nia.finance@northwind-labs.com'
const scripted = (records: Rec[]): Promise<ChainRow['findings']> => oktaFindings(records, 'scripted_sign_in')

describe("sign-in by a script to a person's account (scripted_sign_in)", () => {
  it('reports a person signed in by an HTTP library from a new network, naming the client and the address, on the first day too', async () => {
    const script = signIn(person, '2025-03-11T10:00:00.000Z', HOSTING, 'idxnia1')
    const found = await scripted([signIn(person, '2025-03-11T09:00:00.000Z', OFFICE, 'idxnia0', { userAgent: BROWSER }), script])
    expect(found).toHaveLength(1)
    expect(found[0].eventIds).toEqual([`okta:${script.uuid}`])
    expect(found[0].title).toMatch(
      new RegExp(`^Sign-in by a script to a person's account \\(${person}\\): ${SCRIPT} — from (\\w\\w )?${HOSTING.ip} \\(${HOSTING.org}\\) to Okta$`)
    )
    expect(found[0].severity).toBe('medium')
  })

  it('reports nothing for a browser, a service account, or a network the person had used the day before', async () => {
    expect(await scripted([signIn(person, '2025-03-11T10:00:00.000Z', HOSTING, 'idxnia1', { userAgent: BROWSER })])).toEqual([])
    expect(await scripted([signIn('svc-hr-sync@northwind-labs.com', '2025-03-11T10:00:00.000Z', HOSTING, 'idxsvc1')])).toEqual([])
    expect(
      await scripted([
        signIn(person, '2025-03-10T09:00:00.000Z', OFFICE, 'idxnia0', { userAgent: BROWSER }),
        signIn(person, '2025-03-11T10:00:00.000Z', OFFICE, 'idxnia1')
      ])
    ).toEqual([])
  })

  it('reports failed tries alone as a failed sign-in, one severity lower', async () => {
    const found = await scripted([signIn(person, '2025-03-11T10:00:00.000Z', HOSTING, 'idxnia1', { failed: true })])
    expect(found.map((f) => [f.severity, f.title.split(':')[0]])).toEqual([['low', `Failed sign-in by a script to a person's account (${person})`]])
  })
})
