import { MIN } from './demo-world'
import type { Recorder } from './event-recorder'
import { githubSso, m365Login, mailRead, sfRow, sfSamlLogin, sso, type EntraKeys } from './app-records'
import { BROWSER_WIN, driveEvent, entraSignIn, githubEvent, gwsActivity, oktaEvent, slackEntry, type Actor, type OktaApp, type Place } from './vendor-records'

/** Opens an app session right after its SSO and records what the user does in it until `end`. */
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

export const ordinaryDay = (r: Recorder, a: Actor, p: Place, ua: string, day: number, opts: { apps: OktaApp[]; until: number; reportExport?: boolean }) => {
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
export const entraDay = (r: Recorder, a: Actor, p: Place, day: number) => {
  const keys: EntraKeys = { session: r.uuid(), token: r.hex(22) }
  const start = day + 8 * 3_600_000 + r.int(30, 50) * MIN
  r.entra.push(
    entraSignIn({ id: r.uuid(), t: start, actor: a, place: p, ua: BROWSER_WIN, sessionId: keys.session, app: 'Office 365 Exchange Online', token: keys.token })
  )
  for (let t = start + 90_000; t < day + 15 * 3_600_000; t += r.int(5, 20) * MIN) mailRead(r, a, p, keys, t, false)
}
