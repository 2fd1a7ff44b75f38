import { describe, expect, it } from 'vitest'
import { gwsActivity, type Net } from '../helpers/gws-activity'
import { importedBundle, importedChains } from '../helpers/imported-chains'
import { ruleExample } from '../helpers/rule-examples'

// Unified audit log records of one office day. Four colleagues sign in from the office (its /24 is the organisation's
// egress, so a download from there is routine and no rule finding reports it). Lena downloads planning files at her desk,
// then an inbox rule forwards her mail out: to her personal Gmail, or to a partner's address, from her desk or from an
// intruder's server in another session.
const ORG = '6f1c2d84-93ab-4e57-b0d2-7c4a19e3f5a1'
const LENA = 'lena.hart@harrowgate.example'
const OFFICE = '81.144.218.34'
const INTRUDER = '45.137.21.9'

let n = 0
const id = () => `5e0c${String(++n).padStart(4, '0')}-93ab-4e57-b0d2-7c4a19e3f5a1`

const signIn = (user: string, time: string, ip: string, session: string) => ({
  CreationTime: time,
  Id: id(),
  Operation: 'UserLoggedIn',
  OrganizationId: ORG,
  RecordType: 15,
  ResultStatus: 'Success',
  UserKey: `1003${user.length}`,
  UserType: 0,
  Version: 1,
  Workload: 'AzureActiveDirectory',
  ClientIP: ip,
  ObjectId: '00000003-0000-0ff1-ce00-000000000000',
  UserId: user,
  AzureActiveDirectoryEventType: 1,
  ExtendedProperties: [{ Name: 'UserAgent', Value: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/146.0' }],
  ApplicationId: '00000003-0000-0ff1-ce00-000000000000',
  AppAccessContext: { AADSessionId: session }
})

/** Lena's copy of a catalog rule's example record, at `time`, with `fields` of her own. */
const lenas = (rule: string, time: string, fields: object) =>
  Object.assign(structuredClone(ruleExample(rule)), { CreationTime: time, Id: id(), OrganizationId: ORG, UserId: LENA, ...fields })

const download = (time: string, file: string, session: string) =>
  lenas('m365/file-downloaded', time, {
    UserKey: 'i:0h.f|membership|10034f@live.com',
    ClientIP: OFFICE,
    ObjectId: `https://harrowgate.sharepoint.com/sites/Planning/Shared Documents/${file}`,
    SiteUrl: 'https://harrowgate.sharepoint.com/sites/Planning/',
    SourceFileName: file,
    AppAccessContext: { AADSessionId: session }
  })

const forwarding = (time: string, to: string, ip: string, session: string) =>
  lenas('m365/inbox-rule-forwards-mail', time, {
    ObjectId: `${LENA}\\Planning digest`,
    ClientIP: `${ip}:52114`,
    Parameters: [
      { Name: 'Name', Value: 'Planning digest' },
      { Name: 'ForwardTo', Value: to },
      { Name: 'SubjectOrBodyContainsWords', Value: 'pre-app;S106;viability' }
    ],
    SessionId: session,
    AppAccessContext: { AADSessionId: session }
  })

const FILES = ['Pre-application Advice Register.xlsx', 'S106 Viability - Northgate.pdf', 'Developer Contacts Master.xlsx']

/** The office day with Lena's downloads at her desk (`downloadsAt` hours), then `sending`. */
const day = (sending: object[], downloadsAt = '2026-03-31T10:') => [
  ...['ann.cole', 'ben.ashby', 'cara.moss', 'dev.patel'].map((u, i) =>
    signIn(`${u}@harrowgate.example`, `2026-03-30T08:3${i}:00`, `81.144.218.${40 + i}`, `s-${u}`)
  ),
  signIn(LENA, '2026-03-30T08:35:00', OFFICE, 's-lena-0'),
  signIn(LENA, '2026-03-31T08:35:00', OFFICE, 's-lena-1'),
  ...FILES.map((f, i) => download(`${downloadsAt}0${i}:00`, f, 's-lena-1')),
  ...sending
]

const found = async (records: object[]) => {
  const { chains } = await importedChains('m365.json', records)
  return chains.flatMap((c) => c.findings)
}
const taken = async (records: object[]) => (await found(records)).filter((f) => f.category === 'personal_exfiltration')

describe('data taken around a send to a personal address (personal_exfiltration)', () => {
  it('names the downloads at her desk before she forwarded her mail to her personal Gmail', async () => {
    const all = await found(day([forwarding('2026-03-31T11:14:00', 'lena.hart.home@gmail.com', OFFICE, 's-lena-1')]))
    // The downloads alone are routine at the office: no rule finding names them.
    expect(all.filter((f) => f.category !== 'personal_exfiltration').map((f) => f.category)).toEqual(['mail_forwarding'])
    const [finding, ...more] = all.filter((f) => f.category === 'personal_exfiltration')
    expect(more).toEqual([])
    expect(finding.eventIds).toHaveLength(3)
    expect(finding.title).toContain(
      'Data taken around a send to a personal address (lena.hart.home@gmail.com): FileDownloaded ×3 → Pre-application Advice Register.xlsx, S106 Viability - Northgate.pdf, Developer Contacts Master.xlsx'
    )
    expect(finding.title).toContain(OFFICE)
    expect(finding.severity).toBe('high')
  })

  it('names nothing for mail forwarded to another organisation, from another network, or a day and more away', async () => {
    expect(await taken(day([forwarding('2026-03-31T11:14:00', 'planning@northgate-partners.co.uk', OFFICE, 's-lena-1')]))).toEqual([])
    // The intruder's forwarding rule from their server, in a session of their own: Lena's own work is not theirs.
    expect(await taken(day([forwarding('2026-03-31T11:14:00', 'lena.hart.home@gmail.com', INTRUDER, 's-intruder')]))).toEqual([])
    expect(await taken(day([forwarding('2026-04-02T11:14:00', 'lena.hart.home@gmail.com', OFFICE, 's-lena-1')]))).toEqual([])
  })
})

// A Google DLP rule stops Marcus sharing a file with his personal Gmail; its record names no address, so it is placed
// by its session's: his sign-in from home. Then he downloads two files from Slack, from the same home line.
const MARCUS = 'marcus.bell@aldgate.example'
const HOME: Net = { ip: '92.18.77.140', asn: 13285, region: 'GB' }
const ELSEWHERE: Net = { ip: '31.94.18.221', asn: 206067, region: 'GB' }
const googleSignIn = (time: string) => gwsActivity(MARCUS, time, 'login', 'login', 'login_success', HOME, [{ name: 'login_type', value: 'saml' }])
const dlpBlock = () => {
  const r = structuredClone(ruleExample('google_workspace/dlp-blocked-data-leaving'))
  r.id.time = '2026-03-11T20:05:00.000Z'
  r.id.uniqueQualifier = '-2988018362425759777'
  r.actor.email = MARCUS
  delete r.ipAddress
  const recipients = r.events[0].parameters.find((p: { name: string }) => p.name === 'resource_recipients')
  recipients.multiValue = ['marcus.bell.82@gmail.com']
  return r
}
const slackDownload = (time: string, file: string, net: Net) => {
  const r = structuredClone(ruleExample('slack/file-downloaded'))
  r.id = `0c9d5a94-4d82-4668-95c6-${String(Date.parse(time)).slice(-12)}`
  r.date_create = Date.parse(time) / 1000
  r.actor.user = { id: 'W01MBELL', name: 'Marcus Bell', email: MARCUS, team: 'E01ALDG' }
  r.entity.file = { id: `F${file.length}ABC`, name: file, filetype: 'xlsx', title: file }
  r.context.ip_address = net.ip
  r.context.session_id = 7301938475999
  return r
}

const placed = async (slackFrom: Net) => {
  const { chains } = await importedBundle({
    'gws.json': { kind: 'admin#reports#activities', items: [googleSignIn('2026-03-10T19:00:00.000Z'), googleSignIn('2026-03-11T20:00:00.000Z'), dlpBlock()] },
    'slack.json': {
      entries: [
        slackDownload('2026-03-11T20:30:00Z', 'Q1 merchant pipeline.xlsx', slackFrom),
        slackDownload('2026-03-11T20:31:00Z', 'Pricing exceptions.xlsx', slackFrom)
      ]
    }
  })
  return chains.flatMap((c) => c.findings).filter((f) => f.category === 'personal_exfiltration')
}

describe('a sending whose record names no address (personal_exfiltration)', () => {
  it("is placed by its session's address: the Slack downloads from the same home line are named", async () => {
    const [finding, ...more] = await placed(HOME)
    expect(more).toEqual([])
    expect(finding.eventIds).toHaveLength(2)
    expect(finding.title).toContain('(marcus.bell.82@gmail.com): file_downloaded ×2 → Q1 merchant pipeline.xlsx, Pricing exceptions.xlsx')
  })

  it('names nothing downloaded from another network', async () => {
    expect(await placed(ELSEWHERE)).toEqual([])
  })
})
