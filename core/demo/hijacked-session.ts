import { INCIDENT, MIN, SAO_PAULO } from './demo-world'
import type { Recorder } from './event-recorder'
import { githubSso, m365Login, mailRead, sfRow, sfSamlLogin, sso } from './app-records'
import { BROWSER_LINUX, driveEvent, githubEvent, gwsActivity, m365Record, type Actor, type OktaApp } from './vendor-records'

/** The victim's Okta session cookie replayed from São Paulo, then exports, shares, forwarding and a new token. */
export const hijack = (r: Recorder, v: Actor, scale: number): string => {
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
