import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SF_COLUMNS } from './app-records'
import { DAY, DOMAIN, FRANKFURT, INCIDENT, MIN, OFFICES, SAO_PAULO, person } from './demo-world'
import { Recorder } from './event-recorder'
import { hijack } from './hijacked-session'
import { agentDay, serviceDay } from './non-human-days'
import { entraDay, ordinaryDay } from './ordinary-days'
import { BROWSER_MAC, BROWSER_WIN, toCsv } from './vendor-records'

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
