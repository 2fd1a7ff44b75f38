import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  BROWSER_LINUX,
  BROWSER_MAC,
  BROWSER_WIN,
  OKTA_APPS,
  cloudTrail,
  driveEvent,
  entraSignIn,
  githubEvent,
  gwsActivity,
  m365Record,
  oktaEvent,
  sfTimestamp,
  slackEntry,
  toCsv,
  type Actor,
  type OktaApp,
  type Place
} from './vendor-records'

export interface BundleOptions {
  /** Same seed, same bytes. */
  seed?: number
  /** Multiplies the hijacked session's bulk activity (≈500 events per unit): 100 gives a ~50,000-event chain. */
  scale?: number
}

export interface PlantedBundle {
  dir: string
  files: string[]
  /** Events written per source id. */
  events: Record<string, number>
  hijacked: {
    identity: string
    githubLogin: string
    oktaSession: string
    homeIp: string
    attackerIp: string
    attackerCountry: string
    apps: string[]
    findings: string[]
  }
  colleagues: string[]
  service: { identity: string; findings: string[] }
  agent: { identity: string; appName: string; findings: string[] }
}

const DOMAIN = 'acme.example'
const DAY = 86_400_000
const MIN = 60_000
/** The incident day; the day before gives every identity a baseline. */
const INCIDENT = Date.UTC(2026, 2, 10)

const place = (ip: string, city: string, country: string, countryCode: string, lat: number, lon: number, asn: number, asOrg: string): Place => ({
  ip,
  city,
  country,
  countryCode,
  lat,
  lon,
  asn,
  asOrg
})

const FRANKFURT = place('87.123.45.67', 'Frankfurt am Main', 'Germany', 'DE', 50.1109, 8.6821, 3320, 'Deutsche Telekom AG')
const SAO_PAULO = place('189.40.50.60', 'Sao Paulo', 'Brazil', 'BR', -23.5558, -46.6396, 26599, 'TELEFONICA BRASIL S.A')
const OFFICES = [
  place('91.64.12.34', 'Frankfurt am Main', 'Germany', 'DE', 50.1109, 8.6821, 3209, 'Vodafone GmbH'),
  place('5.146.200.10', 'Bonn', 'Germany', 'DE', 50.7374, 7.0982, 8881, '1&1 Versatel'),
  place('62.157.140.133', 'Ulm', 'Germany', 'DE', 48.4011, 9.9876, 3320, 'Deutsche Telekom AG'),
  place('95.91.20.30', 'Frankfurt am Main', 'Germany', 'DE', 50.1109, 8.6821, 3209, 'Vodafone GmbH')
]
const CI_IP = '3.80.10.20'
const LAGOS_IP = '41.58.10.20'
const AGENT_IP = '52.94.76.10'

/** mulberry32: small, fast and identical on every platform. */
const prng = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const person = (local: string, name: string, n: number): Actor => ({
  email: `${local}@${DOMAIN}`,
  name,
  oktaId: `00u${local.replace(/\W/g, '').padEnd(8, 'x').slice(0, 8)}${n}abc`,
  sfUserId: `0055g00000${String(1000 + n)}AbC`,
  githubLogin: `${local.split('.')[0]}-acme`,
  slackId: `U0ACME${String(100 + n)}`
})

class Recorder {
  readonly okta: unknown[] = []
  readonly entra: unknown[] = []
  readonly m365: unknown[] = []
  readonly gws: unknown[] = []
  readonly slack: unknown[] = []
  readonly github: unknown[] = []
  readonly aws: unknown[] = []
  readonly sf = {
    Login: [] as Array<Record<string, string>>,
    ReportExport: [] as Array<Record<string, string>>,
    URI: [] as Array<Record<string, string>>,
    Logout: [] as Array<Record<string, string>>
  }
  private readonly rand: () => number

  constructor(seed: number) {
    this.rand = prng(seed)
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1))
  }

  hex(n: number): string {
    let s = ''
    while (s.length < n)
      s += Math.floor(this.rand() * 0x100000000)
        .toString(16)
        .padStart(8, '0')
    return s.slice(0, n)
  }

  uuid(): string {
    const h = this.hex(32)
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
  }
}

/** Writes a realistic multi-app bundle with one hijacked session in it, and says what it planted. */
export const generateHijackBundle = async (dir: string, opts: BundleOptions = {}): Promise<PlantedBundle> => {
  const r = new Recorder(opts.seed ?? 1337)
  const scale = Math.max(1, Math.round(opts.scale ?? 1))
  const victim = person('maria.chen', 'Maria Chen', 1)
  const colleagues = [
    person('li.wong', 'Li Wong', 2),
    person('omar.haddad', 'Omar Haddad', 3),
    person('sara.lind', 'Sara Lind', 4),
    person('tom.becker', 'Tom Becker', 5)
  ]

  for (const day of [INCIDENT - DAY, INCIDENT]) {
    ordinaryDay(r, victim, FRANKFURT, BROWSER_MAC, day, { apps: ['salesforce', 'google_workspace', 'm365', 'slack'], until: day === INCIDENT ? 11 : 16 })
    colleagues.slice(0, 3).forEach((c, i) =>
      ordinaryDay(r, c, OFFICES[i], i === 1 ? BROWSER_WIN : BROWSER_MAC, day + i * 7 * MIN, {
        apps: i === 0 ? ['google_workspace', 'github', 'slack'] : ['salesforce', 'google_workspace', 'slack'],
        until: 16,
        reportExport: i === 2 && day === INCIDENT
      })
    )
    entraDay(r, colleagues[3], OFFICES[3], day)
    serviceDay(r, day, day === INCIDENT)
    agentDay(r, day, day === INCIDENT)
  }
  const session = hijack(r, victim, scale)

  await mkdir(dir, { recursive: true })
  const files: Array<[string, string]> = [
    ['part-001.json', JSON.stringify(sortBy(r.okta, (e) => (e as { published: string }).published))],
    ['part-002.json', JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns', value: r.entra })],
    ['part-003.json', JSON.stringify(r.m365)],
    ['part-004.json', JSON.stringify({ kind: 'admin#reports#activities', items: r.gws })],
    ['part-005.json', JSON.stringify({ entries: r.slack, response_metadata: { next_cursor: '' } })],
    ['part-006.ndjson', r.github.map((e) => JSON.stringify(e)).join('\n') + '\n'],
    ['part-007.csv', toCsv(SF_COLUMNS.Login, r.sf.Login)],
    ['part-008.csv', toCsv(SF_COLUMNS.ReportExport, r.sf.ReportExport)],
    ['part-009.csv', toCsv(SF_COLUMNS.URI, r.sf.URI)],
    ['part-010.csv', toCsv(SF_COLUMNS.Logout, r.sf.Logout)],
    ['part-011.json', JSON.stringify({ Records: r.aws })]
  ]
  for (const [name, text] of files) await writeFile(join(dir, name), text)

  const sf = r.sf.Login.length + r.sf.ReportExport.length + r.sf.URI.length + r.sf.Logout.length
  return {
    dir,
    files: files.map(([name]) => join(dir, name)),
    events: {
      okta: r.okta.length,
      entra: r.entra.length,
      m365: r.m365.length,
      google_workspace: r.gws.length,
      slack: r.slack.length,
      github: r.github.length,
      salesforce: sf,
      aws: r.aws.length
    },
    hijacked: {
      identity: victim.email,
      githubLogin: victim.githubLogin,
      oktaSession: session,
      homeIp: FRANKFURT.ip,
      attackerIp: SAO_PAULO.ip,
      attackerCountry: SAO_PAULO.countryCode,
      apps: ['okta', 'salesforce', 'google_workspace', 'm365', 'github', 'slack'],
      findings: ['impossible_travel', 'ip_change', 'data_export', 'external_share', 'mail_forwarding', 'credential_created']
    },
    colleagues: colleagues.map((c) => c.email),
    service: { identity: 'svc-deploy', findings: ['privilege_change'] },
    agent: { identity: `copilot-files-agent@${DOMAIN}`, appName: 'Copilot Files Agent', findings: ['mass_access'] }
  }
}

const sortBy = <T>(list: T[], key: (x: T) => string): T[] => [...list].sort((a, b) => key(a).localeCompare(key(b)))

const SF_COLUMNS = {
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

const sfRow = (
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

const sso = (r: Recorder, a: Actor, p: Place, ua: string, session: string, t: number, app: OktaApp) =>
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
const sfSamlLogin = (r: Recorder, t: number, a: Actor, p: Place, ua: string, keys: { login: string; session: string }) =>
  sfRow(r, 'Login', t, a, p.ip, keys, {
    USER_NAME: a.email,
    SOURCE_IP: p.ip,
    URI: '/saml/SSO',
    BROWSER_TYPE: ua,
    LOGIN_STATUS: 'LOGIN_NO_ERROR',
    LOGIN_TYPE: 'Saml Idp Initiated SSO'
  })

interface EntraKeys {
  session: string
  token: string
}

/** Microsoft 365's side of an SSO from Okta: a new Entra session and token, which the mailbox reads then carry. */
const m365Login = (r: Recorder, a: Actor, p: Place, ua: string, t: number): EntraKeys => {
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
const mailRead = (r: Recorder, a: Actor, p: Place, keys: EntraKeys, t: number, bind: boolean) =>
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
const githubSso = (r: Recorder, a: Actor, p: Place, ua: string, t: number) =>
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

/** Opens an app session right after its SSO and returns the keys the app uses for it. */
const appActivity = (r: Recorder, app: OktaApp, a: Actor, p: Place, ua: string, start: number, end: number, opts: { reportExport?: boolean }) => {
  const steps: number[] = []
  for (let t = start; t < end; t += r.int(4, 14) * MIN) steps.push(t)
  switch (app) {
    case 'salesforce': {
      const keys = { login: r.hex(16), session: r.hex(16) }
      sfSamlLogin(r, start, a, p, ua, keys)
      for (const t of steps.slice(1))
        sfRow(r, 'URI', t, a, p.ip, keys, {
          URI: `/lightning/r/Opportunity/006${r.hex(12)}/view`,
          RUN_TIME: String(r.int(40, 400)),
          CPU_TIME: String(r.int(5, 60)),
          REQUEST_STATUS: 'S'
        })
      if (opts.reportExport)
        sfRow(r, 'ReportExport', start + 45 * MIN, a, p.ip, keys, {
          URI: '/00O5g000001Q3xY',
          CLIENT_INFO: ua,
          REPORT_DESCRIPTION: 'Quarterly pipeline by region'
        })
      sfRow(r, 'Logout', end, a, p.ip, keys, {})
      return
    }
    case 'google_workspace':
      r.gws.push(
        gwsActivity({
          t: start,
          uniq: `-${r.int(1e9, 9e9)}`,
          app: 'login',
          email: a.email,
          profileId: `1${r.hex(10)}`,
          ip: p.ip,
          events: [{ type: 'login', name: 'login_success', parameters: [{ name: 'login_type', value: 'saml' }] }]
        })
      )
      for (const t of steps.slice(1))
        r.gws.push(
          gwsActivity({
            t,
            uniq: `-${r.int(1e9, 9e9)}`,
            app: 'drive',
            email: a.email,
            profileId: `1${r.hex(10)}`,
            ip: p.ip,
            events: [driveEvent(r.int(0, 3) ? 'view' : 'edit', { id: `1${r.hex(20)}`, title: `Team notes ${r.int(1, 40)}` }, a.email)]
          })
        )
      return
    case 'm365': {
      const keys = m365Login(r, a, p, ua, start)
      for (const t of steps.slice(1)) mailRead(r, a, p, keys, t, true)
      return
    }
    case 'slack': {
      const s = r.int(1e12, 9e12)
      r.slack.push(slackEntry({ id: r.uuid(), t: start, action: 'user_login', actor: a, place: p, ua, session: s }))
      for (const t of steps.slice(1).filter((_, i) => i % 3 === 0))
        r.slack.push(
          slackEntry({
            id: r.uuid(),
            t,
            action: 'file_downloaded',
            actor: a,
            place: p,
            ua,
            session: s,
            details: { file: { id: `F0${r.hex(9).toUpperCase()}`, name: 'standup.pdf' } }
          })
        )
      return
    }
    case 'github': {
      const tok = Buffer.from(r.hex(32), 'hex').toString('base64')
      githubSso(r, a, p, ua, start)
      for (const t of steps.slice(1).filter((_, i) => i % 2 === 0))
        r.github.push(
          githubEvent({
            id: r.hex(22),
            t,
            action: 'git.fetch',
            actor: a,
            place: p,
            ua: 'git/2.45.1',
            token: tok,
            extra: { repo: 'acme-corp/web-app', transport_protocol_name: 'http' }
          })
        )
      return
    }
    case 'aws':
      return
    default: {
      const never: never = app
      throw new Error(`no activity for ${String(never)}`)
    }
  }
}

const ordinaryDay = (r: Recorder, a: Actor, p: Place, ua: string, day: number, opts: { apps: OktaApp[]; until: number; reportExport?: boolean }) => {
  const session = `102${r.hex(22)}`
  const start = day + 8 * 3_600_000 + r.int(0, 20) * MIN
  r.okta.push(oktaEvent({ uuid: r.uuid(), t: start, eventType: 'user.session.start', actor: a, place: p, ua, session, display: 'User login to Okta' }))
  opts.apps.forEach((app, i) => {
    const t = start + (i + 1) * 2 * MIN
    sso(r, a, p, ua, session, t, app)
    const end = day + opts.until * 3_600_000 - r.int(0, 30) * MIN
    appActivity(r, app, a, p, ua, t + r.int(20, 150) * 1000, end, { reportExport: opts.reportExport && app === 'salesforce' })
  })
  return session
}

/** A colleague who signs in to Microsoft 365 through Entra ID: the sign-in and the mailbox share one session id. */
const entraDay = (r: Recorder, a: Actor, p: Place, day: number) => {
  const keys: EntraKeys = { session: r.uuid(), token: r.hex(22) }
  const start = day + 8 * 3_600_000 + r.int(30, 50) * MIN
  r.entra.push(
    entraSignIn({ id: r.uuid(), t: start, actor: a, place: p, ua: BROWSER_WIN, sessionId: keys.session, app: 'Office 365 Exchange Online', token: keys.token })
  )
  for (let t = start + 90_000; t < day + 15 * 3_600_000; t += r.int(5, 20) * MIN) mailRead(r, a, p, keys, t, false)
}

/** A CI deploy key doing its routine calls; on the incident day someone signs in with it and grants it admin. */
const serviceDay = (r: Recorder, day: number, incident: boolean) => {
  const key = 'AKIA4ACMESVCDEPLOY01'
  const ua = 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64.amzn.2023 command/ecs.update-service'
  const calls: Array<[string, string]> = [
    ['sts.amazonaws.com', 'GetCallerIdentity'],
    ['ecr.amazonaws.com', 'GetAuthorizationToken'],
    ['s3.amazonaws.com', 'PutObject'],
    ['ecs.amazonaws.com', 'UpdateService']
  ]
  for (let t = day + 7 * 3_600_000; t < day + 18 * 3_600_000; t += 45 * MIN)
    calls.forEach(([src, name], i) =>
      r.aws.push(cloudTrail({ id: r.uuid(), t: t + i * 20_000, eventSource: src, eventName: name, userName: 'svc-deploy', accessKeyId: key, ip: CI_IP, ua }))
    )
  if (!incident) return
  const t = day + 15 * 3_600_000 + 10 * MIN
  const console = 'ASIA4ACMECONSOLE0001'
  r.aws.push(
    cloudTrail({
      id: r.uuid(),
      t,
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      userName: 'svc-deploy',
      accessKeyId: '',
      ip: LAGOS_IP,
      ua: BROWSER_LINUX,
      eventType: 'AwsConsoleSignIn',
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' }
    })
  )
  r.aws.push(
    cloudTrail({
      id: r.uuid(),
      t: t + 3 * MIN,
      eventSource: 'iam.amazonaws.com',
      eventName: 'AttachUserPolicy',
      userName: 'svc-deploy',
      accessKeyId: console,
      ip: LAGOS_IP,
      ua: BROWSER_LINUX,
      requestParameters: { userName: 'svc-deploy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }
    })
  )
  r.aws.push(
    cloudTrail({
      id: r.uuid(),
      t: t + 5 * MIN,
      eventSource: 'iam.amazonaws.com',
      eventName: 'AttachRolePolicy',
      userName: 'svc-deploy',
      accessKeyId: console,
      ip: LAGOS_IP,
      ua: BROWSER_LINUX,
      requestParameters: { roleName: 'deploy-runner', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }
    })
  )
}

/** An AI agent reading Drive files on the user's behalf: steady the day before, a bulk sweep on the incident day. */
const agentDay = (r: Recorder, day: number, incident: boolean) => {
  const email = `copilot-files-agent@${DOMAIN}`
  const app = { applicationName: 'Copilot Files Agent', oAuthClientId: '104857600123456789012', impersonation: false }
  const read = (t: number) =>
    r.gws.push(
      gwsActivity({
        t,
        uniq: `-${r.int(1e9, 9e9)}`,
        app: 'drive',
        email,
        profileId: '109876543210987654321',
        ip: AGENT_IP,
        applicationInfo: app,
        events: [driveEvent('view', { id: `1${r.hex(20)}`, title: `Contract ${r.int(1, 900)}` }, `legal@${DOMAIN}`)]
      })
    )
  for (let t = day + 9 * 3_600_000; t < day + 17 * 3_600_000; t += 15 * MIN) read(t)
  if (incident) for (let i = 0; i < 400; i++) read(day + 10 * 3_600_000 + 5 * MIN + i * 2_000)
}

/** The victim's Okta session cookie replayed from São Paulo, then exports, shares, forwarding and a new token. */
const hijack = (r: Recorder, v: Actor, scale: number): string => {
  const session = (
    r.okta.find(
      (e) =>
        (e as { actor: { alternateId: string }; published: string }).actor.alternateId === v.email &&
        (e as { published: string }).published >= new Date(INCIDENT).toISOString()
    ) as {
      authenticationContext: { externalSessionId: string }
    }
  ).authenticationContext.externalSessionId
  const p = SAO_PAULO
  const ua = BROWSER_LINUX
  const t0 = INCIDENT + 12 * 3_600_000 + 20 * MIN
  const span = 90 * MIN
  const at = (i: number, n: number, offset: number) => t0 + offset + Math.floor((i * (span - offset)) / Math.max(1, n))
  const apps: OktaApp[] = ['salesforce', 'google_workspace', 'm365', 'github']
  apps.forEach((app, i) => sso(r, v, p, ua, session, t0 + i * 3 * MIN, app))

  const sf = { login: r.hex(16), session: r.hex(16) }
  sfSamlLogin(r, t0 + 40_000, v, p, ua, sf)
  for (let i = 0, n = 20 * scale; i < n; i++)
    sfRow(r, 'ReportExport', at(i, n, 2 * MIN), v, p.ip, sf, {
      URI: `/00O5g00000${String(1000 + (i % 50))}`,
      CLIENT_INFO: ua,
      REPORT_DESCRIPTION: ['All accounts with contacts', 'Pipeline by owner', 'Closed won — last 4 quarters'][i % 3]
    })
  for (let i = 0, n = 70 * scale; i < n; i++)
    sfRow(r, 'URI', at(i, n, MIN), v, p.ip, sf, { URI: `/lightning/o/Report/home`, RUN_TIME: '120', CPU_TIME: '20', REQUEST_STATUS: 'S' })

  const g = t0 + 3 * MIN
  const profile = '1029384756102938'
  r.gws.push(
    gwsActivity({
      t: g + 30_000,
      uniq: `-${r.int(1e9, 9e9)}`,
      app: 'login',
      email: v.email,
      profileId: profile,
      ip: p.ip,
      events: [{ type: 'login', name: 'login_success', parameters: [{ name: 'login_type', value: 'saml' }] }]
    })
  )
  for (let i = 0, n = 150 * scale; i < n; i++) {
    const doc = { id: `1${r.hex(20)}`, title: `Customer list ${i % 40}` }
    const offset = g - t0 + MIN
    r.gws.push(
      gwsActivity({
        t: at(i, n, offset),
        uniq: `-${r.int(1e9, 9e9)}`,
        app: 'drive',
        email: v.email,
        profileId: profile,
        ip: p.ip,
        events: [driveEvent(i % 3 ? 'view' : 'download', doc, v.email)]
      })
    )
  }
  for (let i = 0, n = 6 * scale; i < n; i++)
    r.gws.push(
      gwsActivity({
        t: at(i, n, g - t0 + 5 * MIN),
        uniq: `-${r.int(1e9, 9e9)}`,
        app: 'drive',
        email: v.email,
        profileId: profile,
        ip: p.ip,
        events: [
          driveEvent('change_user_access', { id: `1${r.hex(20)}`, title: `Board deck ${i}` }, v.email, [
            { name: 'visibility_change', value: 'external' },
            { name: 'target_user', value: 'drop.box.2291@gmail.com' },
            { name: 'old_value', multiValue: ['none'] },
            { name: 'new_value', multiValue: ['can_view'] },
            { name: 'visibility', value: 'shared_externally' }
          ])
        ]
      })
    )

  const m = t0 + 6 * MIN
  const mail = m365Login(r, v, p, ua, m + 30_000)
  r.m365.push(
    m365Record({
      id: r.uuid(),
      t: m + 4 * MIN,
      operation: 'New-InboxRule',
      workload: 'Exchange',
      recordType: 1,
      actor: v,
      ip: `${p.ip}:51234`,
      session: mail.session,
      token: mail.token,
      extra: {
        ObjectId: `${v.email}\\.`,
        Parameters: [
          { Name: 'Name', Value: '.' },
          { Name: 'ForwardTo', Value: 'drop.box.2291@gmail.com' },
          { Name: 'MarkAsRead', Value: 'True' },
          { Name: 'StopProcessingRules', Value: 'True' }
        ],
        ExternalAccess: false
      }
    })
  )
  for (let i = 0, n = 150 * scale; i < n; i++) mailRead(r, v, p, mail, at(i, n, m - t0 + 5 * MIN), true)

  const h = t0 + 9 * MIN
  const pat = Buffer.from(r.hex(32), 'hex').toString('base64')
  githubSso(r, v, p, ua, h + 40_000)
  r.github.push(
    githubEvent({
      id: r.hex(22),
      t: h + 3 * MIN,
      action: 'org_credential_authorization.grant',
      actor: v,
      place: p,
      ua,
      token: null,
      extra: { credential_type: 'personal access token', credential_id: 918273645, token_scopes: 'repo,read:org' }
    })
  )
  for (let i = 0, n = 100 * scale; i < n; i++)
    r.github.push(
      githubEvent({
        id: r.hex(22),
        t: at(i, n, h - t0 + 4 * MIN),
        action: 'git.clone',
        actor: v,
        place: p,
        ua: 'git/2.43.0',
        token: pat,
        extra: {
          repo: `acme-corp/${['billing-api', 'web-app', 'infra-terraform', 'mobile-app', 'data-pipeline'][i % 5]}`,
          transport_protocol_name: 'http',
          repository_public: false
        }
      })
    )
  return session
}
