import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'
import { oktaFindings, oktaSignIn, type OktaNet } from '../helpers/okta-networks'
import { rentedAsns, vpnAsnSet } from '../../core/enrich/vpn-asns'
import { vpnAsnsDefault, vpnAsnsSchema } from '../../core/policies/vpn-asns'

// CloudTrail: an IAM user's long-term key, committed to a repository, used by whoever found it. 45.77.143.92 is on
// Vultr (AS20473, The Constant Company), a server host that rents addresses by the hour; 52.56.10.20 is on AWS.
const KEY = 'AKIAXC4M7QBKDEPL0Y9Q'
const VULTR = '45.77.143.92'
const OWN_HOST = '52.56.10.20'

let n = 0
const call = (time: string, eventSource: string, eventName: string, ip: string, opts: { user?: string; denied?: boolean; key?: string } = {}) => ({
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    principalId: `AIDAXC4M7QB${(opts.user ?? 'deployer').toUpperCase().padEnd(9, '0').slice(0, 9)}`,
    arn: `arn:aws:iam::482913650271:user/${opts.user ?? 'sims-sync-deployer'}`,
    accountId: '482913650271',
    accessKeyId: opts.key ?? KEY,
    userName: opts.user ?? 'sims-sync-deployer'
  },
  eventTime: time,
  eventSource,
  eventName,
  awsRegion: 'eu-west-2',
  sourceIPAddress: ip,
  userAgent: 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.8.0-1009-aws lang/python#3.12.3',
  ...(opts.denied ? { errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform this operation' } : {}),
  requestParameters: eventName === 'GetObject' ? { bucketName: 'thornbury-sims-exports', key: 'census/2026-autumn/pupil_census.csv' } : null,
  responseElements: null,
  requestID: `REQ${++n}`,
  eventID: `d1e5${String(n).padStart(4, '0')}-77d3-47b6-a527-2c7b14281a79`,
  readOnly: true,
  eventType: 'AwsApiCall',
  managementEvent: eventSource !== 's3.amazonaws.com',
  recipientAccountId: '482913650271'
})

// A console sign-in by one of the organisation's people.
const consoleLogin = (time: string, user: string, ip: string) => ({
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    principalId: `AIDA${user.toUpperCase()}`,
    arn: `arn:aws:iam::482913650271:user/${user}`,
    accountId: '482913650271',
    userName: user
  },
  eventTime: time,
  eventSource: 'signin.amazonaws.com',
  eventName: 'ConsoleLogin',
  awsRegion: 'us-east-1',
  sourceIPAddress: ip,
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  requestParameters: null,
  responseElements: { ConsoleLogin: 'Success' },
  additionalEventData: { MFAUsed: 'Yes', LoginTo: 'https://console.aws.amazon.com/console/home' },
  eventID: `e2f6${String(++n).padStart(4, '0')}-77d3-47b6-a527-2c7b14281a79`,
  eventType: 'AwsConsoleSignIn',
  managementEvent: true,
  recipientAccountId: '482913650271'
})

const rented = async (records: object[]) => {
  const { chains } = await importedChains('cloudtrail.json', { Records: records })
  return chains.flatMap((c) => c.findings).filter((f) => f.category === 'rented_network')
}

describe('activity from a rented network (rented_network)', () => {
  it("names a leaked key's calls from a rented server, though the key was never seen before", async () => {
    const found = await rented([
      call('2026-09-03T13:22:04Z', 'sts.amazonaws.com', 'GetCallerIdentity', VULTR),
      call('2026-09-03T13:23:30Z', 's3.amazonaws.com', 'ListBuckets', VULTR),
      call('2026-09-03T13:24:11Z', 's3.amazonaws.com', 'GetObject', VULTR),
      call('2026-09-03T13:25:40Z', 'ec2.amazonaws.com', 'DescribeInstances', VULTR, { denied: true })
    ])
    expect(found.map((f) => [f.eventIds.length, f.severity, f.title])).toEqual([
      [
        4,
        'medium',
        expect.stringMatching(
          /^Activity from a rented network \(sims-sync-deployer\): GetCallerIdentity, ListBuckets, GetObject, DescribeInstances \(failed\) → .*thornbury-sims-exports.* — from .*45\.77\.143\.92/
        )
      ]
    ])
    expect(found[0].title).toContain(` with key ${KEY} — from `)
    expect(found[0].detail).toMatch(/^4 events \(1 refused\) that no other finding names, from a rented network \(server hosting\); from 45\.77\.143\.92/)
  })

  it('names an event whose travel hop to another chain is dropped: the hop says where it was, not what it did', async () => {
    const { chains } = await importedChains('cloudtrail.json', {
      Records: [
        // The key's own host in London, then, in another session (another key of the same user), Frankfurt.
        call('2026-09-03T13:20:00Z', 's3.amazonaws.com', 'ListBuckets', OWN_HOST, { key: 'AKIAXC4M7QBKOWNH0ST1' }),
        call('2026-09-03T13:22:04Z', 'sts.amazonaws.com', 'GetCallerIdentity', VULTR)
      ]
    })
    const findings = chains.flatMap((c) => c.findings)
    // The hop from London to Frankfurt in two minutes joins two chains: it is not this chain's evidence.
    expect(findings.filter((f) => f.category === 'impossible_travel')).toEqual([])
    expect(findings.filter((f) => f.category === 'rented_network').map((f) => f.title)).toEqual([
      expect.stringMatching(/: GetCallerIdentity with key AKIAXC4M7QBKDEPL0Y9Q — from /)
    ])
  })

  it("names a Google API call by its method: an app's delegated key reading an executive's mail from a rented server", async () => {
    const read = (time: string, method: string, i: number) => ({
      kind: 'admin#reports#activity',
      id: { time, uniqueQualifier: `-73120044519${i}`, applicationName: 'token', customerId: 'C03az79cb' },
      actor: { email: 'cso@marlowebio.com', profileId: '114820013344556677889' },
      ipAddress: VULTR,
      events: [
        {
          type: 'auth',
          name: 'activity',
          parameters: [
            { name: 'api_name', value: 'gmail' },
            { name: 'method_name', value: method },
            { name: 'client_id', value: '108233415566778899001' },
            { name: 'num_response_bytes', intValue: '48211' },
            { name: 'product_bucket', value: 'GMAIL' },
            { name: 'app_name', value: 'dw-mail-ingest' },
            { name: 'client_type', value: 'WEB' }
          ]
        }
      ]
    })
    const { chains } = await importedChains('gws.json', {
      kind: 'admin#reports#activities',
      items: [read('2026-03-30T22:14:00.000Z', 'gmail.users.messages.list', 1), read('2026-03-30T22:14:30.000Z', 'gmail.users.messages.get', 2)]
    })
    expect(
      chains
        .flatMap((c) => c.findings)
        .filter((f) => f.category === 'rented_network')
        .map((f) => f.title)
    ).toEqual([expect.stringMatching(/^Activity from a rented network \(dw-mail-ingest\): gmail\.users\.messages\.list, gmail\.users\.messages\.get/)])
  })

  it('is one severity lower when everything tried from there was refused', async () => {
    const found = await rented([call('2026-09-03T13:25:40Z', 'ec2.amazonaws.com', 'DescribeInstances', VULTR, { denied: true })])
    expect(found.map((f) => f.severity)).toEqual(['low'])
  })

  it("names nothing a key did from its own host on a cloud provider's network", async () => {
    expect(
      await rented([
        call('2026-09-03T13:22:04Z', 'sts.amazonaws.com', 'GetCallerIdentity', OWN_HOST),
        call('2026-09-03T13:24:11Z', 's3.amazonaws.com', 'GetObject', OWN_HOST)
      ])
    ).toEqual([])
  })

  it("names nothing from the organisation's own egress, even on a rented host: more than three people sign in from its block", async () => {
    const block = '45.77.143.'
    expect(
      await rented([
        consoleLogin('2026-09-03T08:01:00Z', 'amara.osei', `${block}10`),
        consoleLogin('2026-09-03T08:05:00Z', 'tom.hadley', `${block}11`),
        consoleLogin('2026-09-03T08:09:00Z', 'priya.nair', `${block}12`),
        consoleLogin('2026-09-03T08:12:00Z', 'kofi.mensah', `${block}13`),
        call('2026-09-03T13:22:04Z', 'sts.amazonaws.com', 'GetCallerIdentity', VULTR)
      ])
    ).toEqual([])
  })
})

describe('a person at a VPN exit (rented_network)', () => {
  // M247 (AS9009) rents the servers many commercial VPNs run their exits on.
  const EXIT: OktaNet = { ip: '146.70.117.53', asn: 9009, org: 'M247 Europe SRL' }
  const person = 'renee.okafor@callowayhealth.org'

  it("is reported when no record says anything of the address: the list's word on its network stands", async () => {
    const signIn = oktaSignIn(person, '2026-03-17T21:02:00.000Z', EXIT, 'idxrenee1')
    delete signIn.securityContext.isProxy
    expect((await oktaFindings([signIn], 'rented_network')).map((f) => f.title)).toEqual([
      expect.stringMatching(/^Activity from a rented network \(renee\.okafor@callowayhealth\.org\): user\.session\.start — from .*146\.70\.117\.53/)
    ])
  })

  it('is not reported when a record says its vendor found no anonymizing proxy there: the record’s own word wins', async () => {
    expect(await oktaFindings([oktaSignIn(person, '2026-03-17T21:02:00.000Z', EXIT, 'idxrenee1', { proxy: false })], 'rented_network')).toEqual([])
  })
})

describe('the rented networks of the VPN list', () => {
  const list = vpnAsnsSchema.parse(vpnAsnsDefault)

  it('counts server hosts as rented, not an organisation’s secure-access gateway', () => {
    const asns = new Set(rentedAsns(list).map((a) => a.asn))
    expect([20473, 14061, 24940, 9009, 39351].every((a) => asns.has(a))).toBe(true)
    expect(asns.has(22616)).toBe(false) // Zscaler
  })

  it('still exempts only VPN and secure-access networks from impossible travel: a server host is where it is', () => {
    const vpn = vpnAsnSet(list)
    expect(vpn.has(9009)).toBe(true)
    expect(vpn.has(22616)).toBe(true)
    expect(vpn.has(20473)).toBe(false)
  })
})
