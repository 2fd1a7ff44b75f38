import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'

// CloudTrail: an AI agent's role (its name makes it an agent: policies/identity-classification.json) and an engineer,
// each calling IAM from the same AWS address they always use. Making a user and its key is routine (reported from a
// network the caller does not work from); putting a user in a group is not.
const AWS_ADDRESS = '44.213.82.155'

let n = 0
const call = (time: string, eventName: string, who: { role?: string; user?: string }, key: string, requestParameters: object | null) => ({
  eventVersion: '1.09',
  userIdentity: who.role
    ? {
        type: 'AssumedRole',
        principalId: `AROAWB2RHQ7TK4PXN2M9C:${who.role}-task`,
        arn: `arn:aws:sts::418295736104:assumed-role/${who.role}/${who.role}-task`,
        accountId: '418295736104',
        accessKeyId: key,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: 'AROAWB2RHQ7TK4PXN2M9C',
            arn: `arn:aws:iam::418295736104:role/${who.role}`,
            accountId: '418295736104',
            userName: who.role
          },
          attributes: { creationDate: time, mfaAuthenticated: 'false' }
        }
      }
    : {
        type: 'IAMUser',
        principalId: 'AIDAWB2RHQ7TOMARH4D',
        arn: `arn:aws:iam::418295736104:user/${who.user}`,
        accountId: '418295736104',
        accessKeyId: key,
        userName: who.user
      },
  eventTime: time,
  eventSource: eventName === 'GetObject' ? 's3.amazonaws.com' : 'iam.amazonaws.com',
  eventName,
  awsRegion: 'us-east-1',
  sourceIPAddress: AWS_ADDRESS,
  userAgent: 'Boto3/1.35.99 md/Botocore#1.35.99 ua/2.0 os/linux#6.1.119 lang/python#3.12.8',
  requestParameters,
  responseElements: null,
  requestID: `REQ${++n}`,
  eventID: `b7e1${String(n).padStart(4, '0')}-272e-47a7-a502-44022ac2a39e`,
  readOnly: eventName === 'GetObject',
  eventType: 'AwsApiCall',
  managementEvent: eventName !== 'GetObject',
  recipientAccountId: '418295736104'
})

const AGENT = { role: 'finance-copilot-agent' }
const ENGINEER = { user: 'omar.haddad' }
/** The caller's first session on day 1 (a read from the address it always uses), then day 2's calls in another session. */
const dayTwo = (who: typeof AGENT | typeof ENGINEER, key: string, calls: Array<[string, string, object | null]>) => [
  call('2026-03-10T13:11:00Z', 'GetObject', who, `${key}0`, { bucketName: 'halvard-agent-context', key: 'prefs.json' }),
  ...calls.map(([time, name, params]) => call(time, name, who, `${key}1`, params))
]
const newUser: Array<[string, string, object | null]> = [
  ['2026-03-11T02:47:03Z', 'CreateUser', { userName: 'svc-datasync' }],
  ['2026-03-11T02:47:31Z', 'CreateAccessKey', { userName: 'svc-datasync' }]
]
const intoGroup = (time: string): [string, string, object | null] => [time, 'AddUserToGroup', { groupName: 'finance-readonly', userName: 'svc-datasync' }]

const findings = async (records: object[]) => (await importedChains('cloudtrail.json', { Records: records })).chains.flatMap((c) => c.findings)
const titles = async (records: object[]): Promise<string[]> => (await findings(records)).map((f) => f.title.replace(/ →.*/, '')).sort()

describe("an AI agent's routine work beside its own glaring act", () => {
  it('reports the user and key an agent made in the hour it put that user in a group', async () => {
    expect(await titles(dayTwo(AGENT, 'ASIAWB2RHQ7TFER6S4H', [...newUser, intoGroup('2026-03-11T02:48:10Z')]))).toEqual([
      'AWS IAM access key created or reactivated (CreateAccessKey)',
      'AWS IAM user added to a group (AddUserToGroup)',
      'AWS IAM user or member account created (CreateUser)'
    ])
  })

  it('leaves them routine without that act, or with it more than an hour away', async () => {
    expect(await titles(dayTwo(AGENT, 'ASIAWB2RHQ7TFER6S4H', newUser))).toEqual([])
    expect(await titles(dayTwo(AGENT, 'ASIAWB2RHQ7TFER6S4H', [...newUser, intoGroup('2026-03-11T04:10:00Z')]))).toEqual([
      'AWS IAM user added to a group (AddUserToGroup)'
    ])
  })

  it("leaves a person's routine work routine beside the same act: a person's network tells", async () => {
    expect(await titles(dayTwo(ENGINEER, 'AKIAWB2RHQ7TOMARK', [...newUser, intoGroup('2026-03-11T02:48:10Z')]))).toEqual([
      'AWS IAM user added to a group (AddUserToGroup)'
    ])
  })
})

// What the agent did beside that act that no rule names: reads of the finance exports bucket.
const read = (time: string, key: string): [string, string, object | null] => [time, 'GetObject', { bucketName: 'halvard-finance-exports', key }]
const around = async (records: object[]) =>
  (await findings(records)).filter((f) => f.category === 'agent_around_action').map((f) => [f.eventIds.length, f.severity, f.title.replace(/ — from .*/, '')])

describe('what an AI agent did around its own high-severity action (agent_around_action)', () => {
  it('names the reads within the hour of the act, not the ones hours later nor the day before', async () => {
    const records = dayTwo(AGENT, 'ASIAWB2RHQ7TFER6S4H', [
      read('2026-03-11T02:40:00Z', 'gl/gl_detail_feb2026.csv'),
      read('2026-03-11T02:41:00Z', 'payroll/register_feb2026.csv'),
      intoGroup('2026-03-11T02:48:10Z'),
      read('2026-03-11T05:30:00Z', 'gl/gl_summary_feb2026.csv')
    ])
    expect(await around(records)).toEqual([
      [
        2,
        'high',
        'What an AI agent did around its own high-severity action (finance-copilot-agent): GetObject ×2 → halvard-finance-exports — beside AddUserToGroup'
      ]
    ])
  })

  it('names nothing for an agent without such an act, nor for a person with one', async () => {
    expect(await around(dayTwo(AGENT, 'ASIAWB2RHQ7TFER6S4H', [read('2026-03-11T02:40:00Z', 'gl/gl_detail_feb2026.csv')]))).toEqual([])
    expect(
      await around(dayTwo(ENGINEER, 'AKIAWB2RHQ7TOMARK', [read('2026-03-11T02:40:00Z', 'gl/gl_detail_feb2026.csv'), intoGroup('2026-03-11T02:48:10Z')]))
    ).toEqual([])
  })
})

// The unified audit log's record of an inbox rule an assistant's app set in a person's mailbox with her delegated token
// (AppAccessContext names the app), and the same rule set by the person in Outlook.
const inboxRule = (id: string, app: string | null) => ({
  CreationTime: '2026-03-11T02:21:37',
  Id: id,
  Operation: 'UpdateInboxRules',
  OrganizationId: 'b6f1d2c4-8a3e-4f57-9c21-5e7d0a9b3f68',
  RecordType: 2,
  ResultStatus: 'Succeeded',
  UserKey: '10032006AF4720DC',
  UserType: 0,
  Version: 1,
  Workload: 'Exchange',
  ClientIP: '44.213.82.155',
  UserId: 'priya.raman@halvardanalytics.io',
  ClientInfoString: app ? 'Client=REST;Client=RESTSystem;;' : 'Client=OWA;Action=ViaProxy',
  MailboxOwnerUPN: 'priya.raman@halvardanalytics.io',
  SessionId: 'ba980c6c-ad73-4e83-b1f4-7452495c53cc',
  OperationProperties: [
    { Name: 'RuleOperation', Value: 'AddMailboxRule' },
    { Name: 'RuleName', Value: 'Vendor sync' },
    { Name: 'RuleActions', Value: '[{"ActionType":"Forward","Recipients":["k.brandt@nordwind-logistics.de"],"ForwardFlags":"None"}]' }
  ],
  ...(app
    ? { ClientAppId: 'ba52ae03-e105-4a9d-9cb0-34fcafc8d601', AppAccessContext: { ClientAppId: 'ba52ae03-e105-4a9d-9cb0-34fcafc8d601', ClientAppName: app } }
    : {})
})

describe('a rule finding on what a machine did', () => {
  it('names the app and the person it acted for in its title, and nothing for the person herself', async () => {
    const titles = async (record: object) => (await importedChains('m365.json', [record])).chains.flatMap((c) => c.findings).map((f) => f.title)
    expect(await titles(inboxRule('5e0c1d2a-0001-4b7d-9c1e-08dd2a4b0001', 'Halvard Copilot'))).toEqual([
      expect.stringMatching(
        /^Mailbox rule .* → .*k\.brandt@nordwind-logistics\.de.* by Halvard Copilot for priya\.raman@halvardanalytics\.io — from 44\.213\.82\.155$/
      )
    ])
    expect(await titles(inboxRule('5e0c1d2a-0002-4b7d-9c1e-08dd2a4b0001', null))).toEqual([expect.not.stringContaining(' by ')])
  })

  it('and what the agent did around it names the person it acted for', async () => {
    const read = {
      ...inboxRule('5e0c1d2a-0003-4b7d-9c1e-08dd2a4b0001', 'Halvard Copilot'),
      CreationTime: '2026-03-11T02:12:09',
      Operation: 'MailItemsAccessed',
      RecordType: 50,
      OperationProperties: [{ Name: 'MailAccessType', Value: 'Bind' }],
      Folders: [{ Path: '\\Finance\\Board', FolderItems: [{ InternetMessageId: '<board-1@halvardanalytics.io>' }] }]
    }
    const found = (await importedChains('m365.json', [read, inboxRule('5e0c1d2a-0004-4b7d-9c1e-08dd2a4b0001', 'Halvard Copilot')])).chains.flatMap(
      (c) => c.findings
    )
    expect(found.filter((f) => f.category === 'agent_around_action').map((f) => f.title.replace(/ — beside.*/, ''))).toEqual([
      'What an AI agent did around its own high-severity action (halvard copilot for priya.raman@halvardanalytics.io): MailItemsAccessed → priya.raman@halvardanalytics.io'
    ])
  })
})
