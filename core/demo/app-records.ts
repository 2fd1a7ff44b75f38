/** Records that both the ordinary days and the hijacked session write: SSO sign-ins into each app, Salesforce ELF rows, mailbox reads. */
import type { Recorder } from './event-recorder'
import { OKTA_APPS, githubEvent, m365Record, oktaEvent, sfTimestamp, type Actor, type OktaApp, type Place } from './vendor-records'

export const SF_COLUMNS = {
  Login: [
    'EVENT_TYPE',
    'TIMESTAMP',
    'REQUEST_ID',
    'ORGANIZATION_ID',
    'USER_ID',
    'USER_NAME',
    'CLIENT_IP',
    'SOURCE_IP',
    'URI',
    'BROWSER_TYPE',
    'LOGIN_STATUS',
    'LOGIN_TYPE',
    'LOGIN_KEY',
    'SESSION_KEY',
    'USER_TYPE',
    'TIMESTAMP_DERIVED',
    'USER_ID_DERIVED'
  ],
  ReportExport: [
    'EVENT_TYPE',
    'TIMESTAMP',
    'REQUEST_ID',
    'ORGANIZATION_ID',
    'USER_ID',
    'CLIENT_IP',
    'URI',
    'CLIENT_INFO',
    'REPORT_DESCRIPTION',
    'SESSION_KEY',
    'LOGIN_KEY',
    'TIMESTAMP_DERIVED',
    'USER_ID_DERIVED'
  ],
  URI: [
    'EVENT_TYPE',
    'TIMESTAMP',
    'REQUEST_ID',
    'ORGANIZATION_ID',
    'USER_ID',
    'CLIENT_IP',
    'URI',
    'RUN_TIME',
    'CPU_TIME',
    'REQUEST_STATUS',
    'SESSION_KEY',
    'LOGIN_KEY',
    'USER_TYPE',
    'TIMESTAMP_DERIVED',
    'USER_ID_DERIVED'
  ],
  Logout: [
    'EVENT_TYPE',
    'TIMESTAMP',
    'REQUEST_ID',
    'ORGANIZATION_ID',
    'USER_ID',
    'CLIENT_IP',
    'SESSION_KEY',
    'LOGIN_KEY',
    'USER_TYPE',
    'TIMESTAMP_DERIVED',
    'USER_ID_DERIVED'
  ]
} as const satisfies Record<string, readonly string[]>

export const sfRow = (
  r: Recorder,
  type: keyof Recorder['sf'],
  t: number,
  a: Actor,
  ip: string,
  keys: { login: string; session: string },
  extra: Record<string, string>
) => {
  r.sf[type].push({
    EVENT_TYPE: type,
    TIMESTAMP: sfTimestamp(t),
    REQUEST_ID: `4${r.hex(14)}`,
    ORGANIZATION_ID: '00D5g000004ACME',
    USER_ID: a.sfUserId.slice(0, 15),
    CLIENT_IP: ip,
    SESSION_KEY: keys.session,
    LOGIN_KEY: keys.login,
    USER_TYPE: 'Standard',
    TIMESTAMP_DERIVED: new Date(t).toISOString(),
    USER_ID_DERIVED: a.sfUserId,
    ...extra
  })
}

export const sso = (r: Recorder, a: Actor, p: Place, ua: string, session: string, t: number, app: OktaApp) =>
  r.okta.push(
    oktaEvent({
      uuid: r.uuid(),
      t,
      eventType: 'user.authentication.sso',
      actor: a,
      place: p,
      ua,
      session,
      display: 'User single sign on to app',
      target: [OKTA_APPS[app], { id: a.oktaId, type: 'AppUser', alternateId: a.email, displayName: a.name }]
    })
  )

/** Salesforce's side of an SSO from Okta. */
export const sfSamlLogin = (r: Recorder, t: number, a: Actor, p: Place, ua: string, keys: { login: string; session: string }) =>
  sfRow(r, 'Login', t, a, p.ip, keys, {
    USER_NAME: a.email,
    SOURCE_IP: p.ip,
    URI: '/saml/SSO',
    BROWSER_TYPE: ua,
    LOGIN_STATUS: 'LOGIN_NO_ERROR',
    LOGIN_TYPE: 'Saml Idp Initiated SSO'
  })

export interface EntraKeys {
  session: string
  token: string
}

/** Microsoft 365's side of an SSO from Okta: a new Entra session and token, which the mailbox reads then carry. */
export const m365Login = (r: Recorder, a: Actor, p: Place, ua: string, t: number): EntraKeys => {
  const keys = { session: r.uuid(), token: r.hex(22) }
  r.m365.push(
    m365Record({
      id: r.uuid(),
      t,
      operation: 'UserLoggedIn',
      workload: 'AzureActiveDirectory',
      recordType: 15,
      actor: a,
      ip: p.ip,
      session: keys.session,
      token: keys.token,
      extra: {
        ExtendedProperties: [
          { Name: 'UserAgent', Value: ua },
          { Name: 'RequestType', Value: 'SAML20:process' }
        ]
      }
    })
  )
  return keys
}

/** One mailbox read in Outlook on the web; `bind` adds the MailAccessType property to the record. */
export const mailRead = (r: Recorder, a: Actor, p: Place, keys: EntraKeys, t: number, bind: boolean) =>
  r.m365.push(
    m365Record({
      id: r.uuid(),
      t,
      operation: 'MailItemsAccessed',
      workload: 'Exchange',
      recordType: 50,
      actor: a,
      ip: p.ip,
      session: keys.session,
      token: keys.token,
      extra: {
        ClientInfoString: 'Client=OWA;Action=ViaProxy',
        MailboxOwnerUPN: a.email,
        ...(bind ? { OperationProperties: [{ Name: 'MailAccessType', Value: 'Bind' }] } : {}),
        OperationCount: 1
      }
    })
  )

/** GitHub's side of an SSO from Okta. */
export const githubSso = (r: Recorder, a: Actor, p: Place, ua: string, t: number) =>
  r.github.push(
    githubEvent({
      id: r.hex(22),
      t,
      action: 'org.sso_response',
      actor: a,
      place: p,
      ua,
      token: null,
      extra: { issuer: 'http://www.okta.com/exk1acme', outcome: 'success' }
    })
  )
