import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'

// CloudTrail: IAM Identity Center hands Priya's role to her CLI from the office on day 1 (GetRoleCredentials, her
// browser having approved it); on day 2 to a host of a hosting provider, from which the role's calls follow.
const onBehalfOf = { userId: '94c8e4a8-7051-70f2-3b1e-6a5d2f0c91b4', identityStoreArn: 'arn:aws:identitystore::550913887204:identitystore/d-9267a3c1f0' }
const PERSON = 'priya.raman@graniteridge.co'
let n = 0
const roleHanded = (time: string, ip: string) => ({
  eventVersion: '1.10',
  userIdentity: { type: 'Unknown', principalId: onBehalfOf.userId, accountId: '550913887204', userName: PERSON, onBehalfOf },
  eventTime: time,
  eventSource: 'sso.amazonaws.com',
  eventName: 'GetRoleCredentials',
  awsRegion: 'us-west-2',
  sourceIPAddress: ip,
  userAgent: 'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.1.0-25-amd64 md/command#s3api.list-buckets',
  requestParameters: { roleName: 'PlatformEngineer', accountId: '418295730164' },
  responseElements: null,
  requestID: `7bbdb79b-05a8-4a3b-919e-6b754665${String(++n).padStart(4, '0')}`,
  eventID: `5d0c7a1e-2b3f-4c4d-9e5f-6a7b8c9d${String(n).padStart(4, '0')}`,
  readOnly: true,
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '550913887204',
  eventCategory: 'Management'
})

describe('IAM Identity Center handing a role out is a sign-in to the account', () => {
  it('is reported from a network new to the person, named as hers', async () => {
    const { chains } = await importedChains('cloudtrail.json', {
      Records: [
        roleHanded('2026-03-10T09:00:00Z', '198.51.100.20'),
        roleHanded('2026-03-11T09:30:00Z', '198.51.100.20'),
        roleHanded('2026-03-12T06:12:40Z', '203.0.113.9')
      ]
    })
    const found = chains.filter((c) => c.identity === PERSON).flatMap((c) => c.findings.filter((f) => f.category === 'new_network'))
    expect(found).toHaveLength(1)
    expect(found[0].title).toMatch(/^Sign-in from a network new to this person \(priya\.raman@graniteridge\.co\): .*203\.0\.113\.9.* to sso\.amazonaws\.com$/)
  })
})
