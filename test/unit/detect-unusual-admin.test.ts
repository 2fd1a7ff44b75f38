import { describe, expect, it } from 'vitest'
import type { ChainRow } from '../../contract/sessions'
import { gwsActivity as activity, type Net } from '../helpers/gws-activity'
import { importedChains } from '../helpers/imported-chains'

// Google Workspace Reports activities: each record says its own address, AS and region.
const OFFICE: Net = { ip: '198.51.100.20', asn: 64500, region: 'US' }
const OFFICE_2: Net = { ip: '198.51.100.21', asn: 64500, region: 'US' }
const HOSTING: Net = { ip: '203.0.113.9', asn: 64511, region: 'NL' }

const signIn = (email: string, time: string, net: Net) =>
  activity(email, time, 'login', 'login', 'login_success', net, [
    { name: 'login_type', value: 'google_password' },
    { name: 'is_suspicious', boolValue: false }
  ])
// An admin change a rule reads as risky: Drive opened to sharing outside the domain.
const settingChange = (email: string, time: string, net: Net) =>
  activity(email, time, 'admin', 'APPLICATION_SETTINGS', 'CHANGE_APPLICATION_SETTING', net, [
    { name: 'APPLICATION_NAME', value: 'Drive and Docs' },
    { name: 'SETTING_NAME', value: 'SHARING_OUTSIDE_DOMAIN' },
    { name: 'OLD_VALUE', value: 'TRUSTED_DOMAINS' },
    { name: 'NEW_VALUE', value: 'SHARING_ALLOWED' }
  ])
// Admin work no rule calls risky: a calendar setting written back unchanged, a responder's clean-up.
const cleanUp = (email: string, time: string, net: Net) =>
  activity(email, time, 'admin', 'APPLICATION_SETTINGS', 'CHANGE_APPLICATION_SETTING', net, [
    { name: 'APPLICATION_NAME', value: 'Calendar' },
    { name: 'SETTING_NAME', value: 'SHARING_OUTSIDE_DOMAIN' },
    { name: 'OLD_VALUE', value: 'SHOW_ONLY_FREE_BUSY_INFORMATION' },
    { name: 'NEW_VALUE', value: 'SHOW_ONLY_FREE_BUSY_INFORMATION' }
  ])

/** One identity seen signing in on day 1 from the office, then doing its first admin action 26 hours later from `net`. */
const firstAdminFrom = (email: string, net: Net) => [
  signIn(email, '2025-03-11T09:00:00.000Z', OFFICE),
  signIn(email, '2025-03-12T11:00:00.000Z', net),
  settingChange(email, '2025-03-12T11:05:00.000Z', net)
]

const unusualAdmin = async (items: unknown[]): Promise<ChainRow[]> => {
  const { source, chains } = await importedChains('gws.json', { kind: 'admin#reports#activities', items })
  expect(source).toBe('google_workspace')
  return chains.filter((c) => c.findings.some((f) => f.category === 'unusual_admin'))
}

describe('first admin action of an identity (unusual_admin)', () => {
  it('is reported from a network the identity had not used, not from where it always works', async () => {
    const flagged = await unusualAdmin([
      ...firstAdminFrom('dana.admin@fabrikam.example', HOSTING),
      ...firstAdminFrom('lee.helpdesk@fabrikam.example', OFFICE),
      // Another address of the office's AS: the same network.
      ...firstAdminFrom('kim.it@fabrikam.example', OFFICE_2)
    ])
    expect(flagged.map((c) => c.identity)).toEqual(['dana.admin@fabrikam.example'])
    const f = flagged[0].findings.find((x) => x.category === 'unusual_admin')!
    expect(f.title).toBe('First admin action by this identity (1 admin events)')
  })

  it('is not reported for admin work no rule calls risky, a responder cleaning up from home', async () => {
    const email = 'ria.sec@fabrikam.example'
    const flagged = await unusualAdmin([
      signIn(email, '2025-03-11T09:00:00.000Z', OFFICE),
      signIn(email, '2025-03-12T11:00:00.000Z', HOSTING),
      cleanUp(email, '2025-03-12T11:05:00.000Z', HOSTING)
    ])
    expect(flagged).toEqual([])
  })

  it('is judged on time alone when the admin records carry no address', async () => {
    const item = settingChange('sam.ops@fabrikam.example', '2025-03-12T11:05:00.000Z', OFFICE) as Record<string, unknown>
    delete item.ipAddress
    delete item.networkInfo
    const flagged = await unusualAdmin([signIn('sam.ops@fabrikam.example', '2025-03-11T09:00:00.000Z', OFFICE), item])
    expect(flagged.map((c) => c.identity)).toEqual(['sam.ops@fabrikam.example'])
  })
})
