import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'
import { ruleExample } from '../helpers/rule-examples'

// CloudTrail: dana.ops makes an access key for the backup-sync IAM user (a rule reports it: a key made for another
// user, from a network new to her). The key is then used.
const keyMade = ruleExample('aws/iam-access-key-created') // 2026-11-30T14:34:18Z, for backup-sync
const KEY = 'AKIAXC4M7QBKSYNC9F2A'
const HETZNER = '49.12.104.77'
const OWN_HOST = '52.56.10.20'

let n = 0
const call = (time: string, eventSource: string, eventName: string, ip: string) => ({
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDAXC4M7QBKSYNC0001',
    arn: 'arn:aws:iam::482913650271:user/backup-sync',
    accountId: '482913650271',
    accessKeyId: KEY,
    userName: 'backup-sync'
  },
  eventTime: time,
  eventSource,
  eventName,
  awsRegion: 'eu-west-1',
  sourceIPAddress: ip,
  userAgent: 'rclone/v1.69.1',
  requestParameters: eventName === 'GetObject' ? { bucketName: 'acme-backups', key: 'db/2026-11-30.dump' } : null,
  responseElements: null,
  requestID: `REQ${++n}`,
  eventID: `c0de${String(n).padStart(4, '0')}-77d3-47b6-a527-2c7b14281a79`,
  readOnly: true,
  eventType: 'AwsApiCall',
  managementEvent: eventSource !== 's3.amazonaws.com',
  recipientAccountId: '482913650271'
})

const used = async (records: object[]) => {
  const { chains } = await importedChains('cloudtrail.json', { Records: [keyMade, ...records] })
  return chains.flatMap((c) => c.findings).filter((f) => f.category === 'created_credential_use')
}

describe('what a credential a finding reported being made was used for (created_credential_use)', () => {
  it("names the new key's first calls from a network its user had never used", async () => {
    const found = await used([
      call('2026-11-30T14:44:00Z', 's3.amazonaws.com', 'ListBuckets', HETZNER),
      call('2026-11-30T14:45:00Z', 's3.amazonaws.com', 'GetObject', HETZNER)
    ])
    expect(found.map((f) => [f.eventIds.length, f.title])).toEqual([
      [
        2,
        expect.stringMatching(
          /^Use of a credential a finding reported being made, backup-sync: ListBuckets, GetObject → acme-backups.* — from .*49\.12\.104\.77/
        )
      ]
    ])
  })

  it('names nothing its user did from its own host, where it worked before the key was made', async () => {
    expect(
      await used([
        call('2026-11-30T02:00:00Z', 's3.amazonaws.com', 'ListBuckets', OWN_HOST),
        call('2026-11-30T14:44:00Z', 's3.amazonaws.com', 'ListBuckets', OWN_HOST),
        call('2026-11-30T14:45:00Z', 's3.amazonaws.com', 'GetObject', OWN_HOST)
      ])
    ).toEqual([])
  })
})
