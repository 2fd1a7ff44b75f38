/**
 * Builders for raw vendor records in the shapes real exports have (see FORMATS.md): the demo bundle and the
 * tests write these to disk and import them like any analyst's bundle, so nothing downstream is special-cased.
 */

export interface Actor {
  email: string
  name: string
  /** Per-vendor ids and logins. */
  oktaId: string
  sfUserId: string
  githubLogin: string
  slackId: string
}

export interface Place {
  ip: string
  city: string
  country: string
  countryCode: string
  lat: number
  lon: number
  asn: number
  asOrg: string
}

export const BROWSER_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
export const BROWSER_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0'
export const BROWSER_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

const iso = (t: number): string => new Date(t).toISOString()

/** Salesforce ELF `TIMESTAMP`: yyyyMMddHHmmss.SSS in UTC. */
export const sfTimestamp = (t: number): string => iso(t).replace(/[-:T]/g, '').replace('Z', '').slice(0, 18)

const geo = (p: Place) => ({
  city: p.city,
  state: null,
  country: p.country,
  postalCode: null,
  geolocation: { lat: p.lat, lon: p.lon }
})

export const oktaEvent = (o: {
  uuid: string
  t: number
  eventType: string
  actor: Actor
  place: Place
  ua: string
  session: string
  display: string
  target?: Array<{ id: string; type: string; alternateId: string; displayName: string }>
  outcome?: 'SUCCESS' | 'FAILURE'
}) => ({
  uuid: o.uuid,
  published: iso(o.t),
  eventType: o.eventType,
  version: '0',
  severity: 'INFO',
  legacyEventType: null,
  displayMessage: o.display,
  actor: { id: o.actor.oktaId, type: 'User', alternateId: o.actor.email, displayName: o.actor.name, detailEntry: null },
  client: {
    userAgent: { rawUserAgent: o.ua, os: o.ua.includes('Mac') ? 'Mac OS X' : 'Windows 10', browser: 'CHROME' },
    zone: 'null',
    device: 'Computer',
    id: null,
    ipAddress: o.place.ip,
    geographicalContext: geo(o.place)
  },
  device: null,
  authenticationContext: {
    authenticationProvider: null,
    credentialProvider: null,
    credentialType: null,
    issuer: null,
    interface: null,
    authenticationStep: 0,
    rootSessionId: o.session,
    externalSessionId: o.session
  },
  outcome: { result: o.outcome ?? 'SUCCESS', reason: null },
  securityContext: { asNumber: o.place.asn, asOrg: o.place.asOrg, isp: o.place.asOrg, domain: null, isProxy: false },
  debugContext: { debugData: { requestUri: '/app/sso', requestId: `req-${o.uuid.slice(0, 8)}` } },
  transaction: { type: 'WEB', id: `tx-${o.uuid.slice(0, 12)}`, detail: {} },
  request: { ipChain: [{ ip: o.place.ip, geographicalContext: geo(o.place), version: 'V4', source: null }] },
  target: o.target ?? [{ id: o.actor.oktaId, type: 'User', alternateId: o.actor.email, displayName: o.actor.name, detailEntry: null }]
})

/** Okta app instances the SSO events name, as an Okta org's app catalog labels them. */
export const OKTA_APPS = {
  salesforce: { id: '0oa1sfdc00000000001', type: 'AppInstance', alternateId: 'Salesforce.com', displayName: 'Salesforce.com' },
  google_workspace: { id: '0oa1goog00000000002', type: 'AppInstance', alternateId: 'Google Workspace', displayName: 'Google Workspace' },
  m365: { id: '0oa1msft00000000003', type: 'AppInstance', alternateId: 'Microsoft Office 365', displayName: 'Microsoft Office 365' },
  github: {
    id: '0oa1ghub00000000004',
    type: 'AppInstance',
    alternateId: 'GitHub Enterprise Cloud - Organization',
    displayName: 'GitHub Enterprise Cloud - Organization'
  },
  slack: { id: '0oa1slck00000000005', type: 'AppInstance', alternateId: 'Slack', displayName: 'Slack' },
  aws: { id: '0oa1awsx00000000006', type: 'AppInstance', alternateId: 'AWS IAM Identity Center', displayName: 'AWS IAM Identity Center' }
} as const
export type OktaApp = keyof typeof OKTA_APPS

export const entraSignIn = (o: { id: string; t: number; actor: Actor; place: Place; ua: string; sessionId: string; app: string; token: string }) => ({
  id: o.id,
  createdDateTime: iso(o.t),
  userDisplayName: o.actor.name,
  userPrincipalName: o.actor.email,
  userId: o.actor.oktaId,
  appId: '00000002-0000-0ff1-ce00-000000000000',
  appDisplayName: o.app,
  ipAddress: o.place.ip,
  clientAppUsed: 'Browser',
  correlationId: o.id,
  conditionalAccessStatus: 'success',
  isInteractive: true,
  sessionId: o.sessionId,
  uniqueTokenIdentifier: o.token,
  riskDetail: 'none',
  riskLevelAggregated: 'none',
  riskLevelDuringSignIn: 'none',
  riskState: 'none',
  riskEventTypes: [],
  resourceDisplayName: 'Office 365 Exchange Online',
  resourceId: '00000002-0000-0ff1-ce00-000000000000',
  userAgent: o.ua,
  status: { errorCode: 0, failureReason: null, additionalDetails: null },
  deviceDetail: {
    deviceId: '',
    displayName: null,
    operatingSystem: 'Windows 10',
    browser: 'Edge 130.0.0',
    isCompliant: true,
    isManaged: true,
    trustType: 'AzureAd'
  },
  location: {
    city: o.place.city,
    state: null,
    countryOrRegion: o.place.countryCode,
    geoCoordinates: { altitude: null, latitude: o.place.lat, longitude: o.place.lon }
  },
  appliedConditionalAccessPolicies: []
})

export const m365Record = (o: {
  id: string
  t: number
  operation: string
  workload: 'Exchange' | 'SharePoint' | 'OneDrive' | 'AzureActiveDirectory'
  recordType: number
  actor: Actor
  ip: string
  session: string
  token: string
  extra?: Record<string, unknown>
}) => ({
  CreationTime: iso(o.t).slice(0, 19),
  Id: o.id,
  Operation: o.operation,
  OrganizationId: '7f1c2a1e-5c1b-4b38-9f59-0d1d1c0a1a01',
  RecordType: o.recordType,
  ResultStatus: 'Succeeded',
  UserKey: `10032000${o.actor.oktaId.slice(-8).toUpperCase()}`,
  UserType: 0,
  Version: 1,
  Workload: o.workload,
  ClientIP: o.ip,
  UserId: o.actor.email,
  AppAccessContext: { AADSessionId: o.session, UniqueTokenId: o.token, IssuedAtTime: iso(o.t - 60_000).slice(0, 19) },
  ...o.extra
})

export const gwsActivity = (o: {
  t: number
  uniq: string
  app: 'drive' | 'login' | 'token' | 'admin'
  email: string
  profileId: string
  ip: string
  events: Array<{ type: string; name: string; parameters: Array<Record<string, unknown>> }>
  applicationInfo?: { applicationName: string; oAuthClientId: string; impersonation: boolean }
}) => ({
  kind: 'admin#reports#activity',
  id: { time: iso(o.t), uniqueQualifier: o.uniq, applicationName: o.app, customerId: 'C03az79cb' },
  etag: `"${o.uniq}"`,
  actor: {
    callerType: 'USER',
    email: o.email,
    profileId: o.profileId,
    ...(o.applicationInfo ? { applicationInfo: o.applicationInfo } : {})
  },
  ipAddress: o.ip,
  events: o.events
})

export const driveEvent = (name: string, doc: { id: string; title: string }, owner: string, extra: Array<Record<string, unknown>> = []) => ({
  type: name === 'change_user_access' || name === 'change_document_visibility' ? 'acl_change' : 'access',
  name,
  parameters: [
    { name: 'primary_event', boolValue: true },
    { name: 'doc_id', value: doc.id },
    { name: 'doc_title', value: doc.title },
    { name: 'doc_type', value: 'spreadsheet' },
    { name: 'owner', value: owner },
    { name: 'owner_is_shared_drive', boolValue: false },
    ...extra
  ]
})

export const slackEntry = (o: { id: string; t: number; action: string; actor: Actor; place: Place; ua: string; session: number; details?: unknown }) => ({
  id: o.id,
  date_create: Math.floor(o.t / 1000),
  action: o.action,
  actor: { type: 'user', user: { id: o.actor.slackId, name: o.actor.name, email: o.actor.email, team: 'T0ACME01' } },
  entity: { type: 'user', user: { id: o.actor.slackId, name: o.actor.name, email: o.actor.email, team: 'T0ACME01' } },
  context: {
    location: { type: 'enterprise', id: 'E0ACME01', name: 'Acme', domain: 'acme' },
    ua: o.ua,
    ip_address: o.place.ip,
    session_id: o.session
  },
  details: o.details ?? null
})

export const githubEvent = (o: {
  id: string
  t: number
  action: string
  actor: Actor
  place: Place
  ua: string
  token: string | null
  extra?: Record<string, unknown>
}) => ({
  '@timestamp': o.t,
  _document_id: o.id,
  action: o.action,
  actor: o.actor.githubLogin,
  actor_id: 40_000_000 + (o.actor.sfUserId.charCodeAt(o.actor.sfUserId.length - 1) % 100),
  actor_ip: o.place.ip,
  actor_location: { country_code: o.place.countryCode },
  business: 'acme',
  created_at: o.t,
  external_identity_nameid: o.actor.email,
  external_identity_username: o.actor.email,
  org: 'acme-corp',
  org_id: 91234567,
  user_agent: o.ua,
  ...(o.token ? { hashed_token: o.token, programmatic_access_type: 'Personal access token (classic)' } : {}),
  ...o.extra
})

export const cloudTrail = (o: {
  id: string
  t: number
  eventSource: string
  eventName: string
  userName: string
  accessKeyId: string
  ip: string
  ua: string
  requestParameters?: Record<string, unknown> | null
  responseElements?: Record<string, unknown> | null
  eventType?: string
  additionalEventData?: Record<string, unknown>
}) => ({
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDA4ACMESVCDEPLOY01',
    arn: `arn:aws:iam::314159265358:user/${o.userName}`,
    accountId: '314159265358',
    accessKeyId: o.accessKeyId,
    userName: o.userName
  },
  eventTime: iso(o.t).replace(/\.\d{3}Z$/, 'Z'),
  eventSource: o.eventSource,
  eventName: o.eventName,
  awsRegion: 'eu-central-1',
  sourceIPAddress: o.ip,
  userAgent: o.ua,
  requestParameters: o.requestParameters ?? null,
  responseElements: o.responseElements ?? null,
  ...(o.additionalEventData ? { additionalEventData: o.additionalEventData } : {}),
  requestID: `${o.id.slice(0, 8)}-req`,
  eventID: o.id,
  readOnly: /^(Get|List|Describe)/.test(o.eventName),
  eventType: o.eventType ?? 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '314159265358'
})

/** Salesforce EventLogFile CSV: all fields quoted, upper-case header, as the ELF download gives it. */
export const toCsv = (columns: readonly string[], rows: Array<Record<string, string>>): string => {
  const q = (v: string) => `"${v.replaceAll('"', '""')}"`
  return [columns.map(q).join(','), ...rows.map((r) => columns.map((c) => q(r[c] ?? '')).join(','))].join('\n') + '\n'
}
