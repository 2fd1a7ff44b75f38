import { describe, expect, it } from 'vitest'
import { gwsActivity as activity, type Net } from '../helpers/gws-activity'
import { importedBundle, importedChains } from '../helpers/imported-chains'
import { ruleExample } from '../helpers/rule-examples'

// Jonas consents to "PDF Converter Online" (Entra audit, Consent to application, which the consent rule reports); the
// unified audit log's copy of a consent names the app by its id only. Then the app reads his mail through Graph from
// a hosting provider, and downloads a file in his name.
const PERSON = 'jonas.weber@fabrikam-corp.com'
const APP = 'PDF Converter Online'
const APP_ID = '7d2c41e8-5b3a-4f06-9c81-2e4a6b8d0f13'
const HOSTING = '167.99.132.18'
const AZURE = '20.190.128.5'

const consent = ruleExample('entra/oauth-consent-granted') // 2026-11-26T14:15:07Z
const idOnlyConsent = () => {
  const r = structuredClone(ruleExample('m365/oauth-consent-granted'))
  r.Id = '6b2e008c-0000-4c7f-b8e2-08dcf1a20001'
  r.CreationTime = '2026-11-26T14:15:08'
  r.UserId = PERSON
  r.UserKey = '10032002A1B2C3D4@fabrikam-corp.com'
  r.Actor = [{ ID: PERSON, Type: 5 }]
  r.ClientIP = '198.51.100.77'
  r.ObjectId = 'c0ffee00-1111-4222-8333-944455556666'
  r.Target = [
    { ID: 'User', Type: 2 },
    { ID: r.ObjectId, Type: 5 }
  ]
  r.ModifiedProperties = r.ModifiedProperties.map((p: { Name: string }) => (p.Name === 'TargetId.ServicePrincipalNames' ? { ...p, NewValue: r.ObjectId } : p))
  return r
}

// A Graph mail read: by the named app, or carrying only an app id.
const mailRead = (id: string, time: string, client: { name?: string; id: string }) => ({
  CreationTime: time,
  Id: id,
  Operation: 'MailItemsAccessed',
  OrganizationId: '2c8e4a6f-1b3d-4e5f-9a7c-0d2e4f6a8b44',
  RecordType: 50,
  ResultStatus: 'Succeeded',
  UserKey: '10032002A1B2C3D4',
  UserType: 0,
  Version: 1,
  Workload: 'Exchange',
  ClientIP: HOSTING,
  UserId: PERSON,
  AppAccessContext: { ClientAppId: client.id, ...(client.name ? { ClientAppName: client.name } : {}), UniqueTokenId: `tok-${id.slice(0, 8)}` },
  AppId: client.id,
  ClientAppId: client.id,
  ClientIPAddress: HOSTING,
  ClientInfoString: 'Client=REST;Client=RESTSystem;;',
  ExternalAccess: false,
  LogonType: 0,
  MailboxOwnerUPN: PERSON,
  OperationProperties: [{ Name: 'MailAccessType', Value: 'Bind' }],
  Folders: [{ Path: '\\Inbox', FolderItems: [{ InternetMessageId: `<${id}@mail.example>`, SizeInBytes: 48213 }] }]
})
const download = (id: string, time: string) => ({
  CreationTime: time,
  Id: id,
  Operation: 'FileDownloaded',
  OrganizationId: '2c8e4a6f-1b3d-4e5f-9a7c-0d2e4f6a8b44',
  RecordType: 6,
  UserKey: 'i:0h.f|membership|10032002a1b2c3d4@live.com',
  UserType: 0,
  Version: 1,
  Workload: 'OneDrive',
  ClientIP: HOSTING,
  UserId: PERSON,
  AppAccessContext: { ClientAppId: APP_ID, ClientAppName: APP },
  ObjectId: 'https://fabrikam-my.sharepoint.com/personal/jonas_weber/Documents/Payroll 2026.xlsx',
  ItemType: 'File',
  SourceFileName: 'Payroll 2026.xlsx',
  SourceFileExtension: 'xlsx',
  SiteUrl: 'https://fabrikam-my.sharepoint.com/personal/jonas_weber/',
  UserAgent: 'python-requests/2.31.0'
})

const told = async (records: object[]) => {
  const { chains } = await importedBundle({
    'entra_audit.json': { value: [consent] },
    'm365.json': [idOnlyConsent(), ...records]
  })
  return chains.flatMap((c) => c.findings).filter((f) => f.category === 'consented_app_activity')
}
const ids = (f: { eventIds: string[] }) => f.eventIds.map((id) => id.split(':').slice(1).join(':')).sort()

describe('what an app did after a consent a finding reported (consented_app_activity)', () => {
  it('names the app’s mail reads and downloads after the consent, by its name or by its id', async () => {
    const found = await told([
      mailRead('aa000001-0000-4000-8000-000000000001', '2026-11-26T14:40:00', { name: APP, id: APP_ID }),
      mailRead('aa000002-0000-4000-8000-000000000002', '2026-11-26T14:41:00', { id: 'c0ffee00-1111-4222-8333-944455556666' }),
      download('aa000003-0000-4000-8000-000000000003', '2026-11-26T14:45:00')
    ])
    expect(found.map(ids).flat().sort()).toEqual([
      'aa000001-0000-4000-8000-000000000001',
      'aa000002-0000-4000-8000-000000000002',
      'aa000003-0000-4000-8000-000000000003'
    ])
    const titles = found.map((f) => f.title).join('\n')
    expect(titles).toContain('Activity by an app a consent finding reported, PDF Converter Online: MailItemsAccessed')
    expect(titles).toContain('FileDownloaded → Payroll 2026.xlsx')
    // The unified audit log's copy names the app by its id, and so does the finding of what only that id says.
    expect(titles).toContain('Activity by an app a consent finding reported, c0ffee00-1111-4222-8333-944455556666: MailItemsAccessed')
    expect(titles).toContain(HOSTING)
    expect(found.every((f) => f.severity === 'medium')).toBe(true)
  })

  it('leaves out what an app that ran before the consent did from its own hosts', async () => {
    const fromAzure = (id: string, time: string) => ({ ...mailRead(id, time, { name: APP, id: APP_ID }), ClientIP: AZURE, ClientIPAddress: AZURE })
    const after = fromAzure('cc000002-0000-4000-8000-000000000002', '2026-11-26T15:00:00')
    // A new app's first reads are named wherever they come from; an app that read from there before the consent is at work.
    expect((await told([after])).map(ids).flat()).toEqual(['cc000002-0000-4000-8000-000000000002'])
    expect(await told([fromAzure('cc000001-0000-4000-8000-000000000001', '2026-11-26T09:00:00'), after])).toEqual([])
  })

  it('is not raised for the app’s records before the consent, nor for another app’s', async () => {
    expect(
      await told([
        mailRead('bb000001-0000-4000-8000-000000000001', '2026-11-26T13:00:00', { name: APP, id: APP_ID }),
        mailRead('bb000002-0000-4000-8000-000000000002', '2026-11-26T14:40:00', { name: 'Contoso Mail Archiver', id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' })
      ])
    ).toEqual([])
  })
})

// Google Workspace Reports activities: Ana authorizes "Docs Viewer Plus" with Gmail and Drive scopes (a consent the
// rule reports only beside something else found for her: here, or not, Drive opened to outside sharing minutes
// later). The app then lists her mail through the Gmail API and downloads a Drive file (the download names the app by
// its client id's project number).
const OFFICE: Net = { ip: '198.51.100.20', asn: 64500, region: 'US' }
const VPS: Net = { ip: '203.0.113.9', asn: 64511, region: 'NL' }
const ANA = 'ana.lima@northwind.example'
const CLIENT = '884301226512-q9v7m2k1x0c3.apps.googleusercontent.com'
const googleSignIn = (time: string, net: Net) => activity(ANA, time, 'login', 'login', 'login_success', net, [{ name: 'login_type', value: 'google_password' }])
const authorize = (time: string, net: Net) =>
  activity(ANA, time, 'token', 'auth', 'authorize', net, [
    { name: 'client_id', value: CLIENT },
    { name: 'app_name', value: 'Docs Viewer Plus' },
    { name: 'client_type', value: 'WEB' },
    { name: 'scope', multiValue: ['https://mail.google.com/', 'https://www.googleapis.com/auth/drive'] }
  ])
const apiCall = (time: string) =>
  activity(ANA, time, 'token', 'auth', 'activity', VPS, [
    { name: 'api_name', value: 'gmail' },
    { name: 'method_name', value: 'gmail.users.messages.list' },
    { name: 'client_id', value: CLIENT },
    { name: 'num_response_bytes', intValue: '18344' },
    { name: 'app_name', value: 'Docs Viewer Plus' },
    { name: 'client_type', value: 'WEB' }
  ])
const driveDownload = (time: string) =>
  activity(ANA, time, 'drive', 'access', 'download', VPS, [
    { name: 'doc_id', value: '1x9Yh2kQ' },
    { name: 'doc_type', value: 'spreadsheet' },
    { name: 'doc_title', value: 'Member mailing list 2026' },
    { name: 'owner', value: ANA },
    { name: 'visibility', value: 'private' },
    { name: 'originating_app_id', value: '884301226512' }
  ])

// Drive opened to sharing outside the domain, which a rule reports on its own.
const sharingOpened = (time: string) =>
  activity(ANA, time, 'admin', 'APPLICATION_SETTINGS', 'CHANGE_APPLICATION_SETTING', VPS, [
    { name: 'APPLICATION_NAME', value: 'Drive and Docs' },
    { name: 'SETTING_NAME', value: 'SHARING_OUTSIDE_DOMAIN' },
    { name: 'OLD_VALUE', value: 'TRUSTED_DOMAINS' },
    { name: 'NEW_VALUE', value: 'SHARING_ALLOWED' }
  ])

const googleTold = async (corroborated: boolean) => {
  const items = [
    googleSignIn('2026-03-10T20:40:00.000Z', VPS),
    authorize('2026-03-10T20:47:00.000Z', VPS),
    ...(corroborated ? [sharingOpened('2026-03-10T20:49:00.000Z')] : []),
    apiCall('2026-03-10T20:52:00.000Z'),
    driveDownload('2026-03-10T20:58:00.000Z')
  ]
  const { chains } = await importedChains('gws.json', { kind: 'admin#reports#activities', items })
  return chains.flatMap((c) => c.findings).filter((f) => f.category === 'consented_app_activity')
}

describe('what a Google app did after the authorization (consented_app_activity)', () => {
  it('names its API calls by their method and the Drive download its client id made', async () => {
    const titles = (await googleTold(true)).map((f) => f.title)
    expect(titles.join('\n')).toContain('Activity by an app a consent finding reported, Docs Viewer Plus: gmail.users.messages.list')
    expect(titles.join('\n')).toContain('download → Member mailing list 2026')
  })

  it('tells nothing of an authorization no finding stands for (nothing else found for her)', async () => {
    expect(await googleTold(false)).toEqual([])
  })
})

// An admin gives a client domain-wide delegation (its record names the client by its numeric id only). The client then
// reads a mailbox in the CFO's name; the CFO later revokes her own token for it.
const ADMIN = 'it-admin@northwind.example'
const CFO = 'cfo@northwind.example'
const DWD_CLIENT = '109283746501928374650'
const delegation = () => {
  const r = structuredClone(ruleExample('google_workspace/domain-wide-delegation-granted'))
  r.id.time = '2026-03-10T21:48:00.000Z'
  r.actor.email = ADMIN
  r.ipAddress = VPS.ip
  return r
}
const delegatedRead = (time: string) =>
  activity(CFO, time, 'token', 'auth', 'activity', VPS, [
    { name: 'api_name', value: 'gmail' },
    { name: 'method_name', value: 'gmail.users.messages.list' },
    { name: 'client_id', value: DWD_CLIENT },
    { name: 'app_name', value: 'MailBridge Archive Connector' },
    { name: 'client_type', value: 'WEB' }
  ])
const revoked = (time: string) =>
  activity(CFO, time, 'token', 'auth', 'revoke', OFFICE, [
    { name: 'client_id', value: DWD_CLIENT },
    { name: 'app_name', value: 'MailBridge Archive Connector' }
  ])

describe('what an app given domain-wide delegation did (consented_app_activity)', () => {
  it('names its API calls by the client id the grant names, not the person revoking its access', async () => {
    const items = [delegation(), delegatedRead('2026-03-10T21:53:00.000Z'), revoked('2026-03-11T09:10:00.000Z')]
    const { chains } = await importedChains('gws.json', { kind: 'admin#reports#activities', items })
    const found = chains.flatMap((c) => c.findings).filter((f) => f.category === 'consented_app_activity')
    expect(found.map((f) => f.eventIds.length)).toEqual([1])
    expect(found.map((f) => f.title)).toEqual([
      `Activity by an app a consent finding reported, ${DWD_CLIENT}: gmail.users.messages.list → MailBridge Archive Connector — from NL ${VPS.ip}`
    ])
  })
})
