import { join } from 'node:path'
import type { ChainDetail, ChainRow, EventRow, Finding } from '../../contract'
import type { SessionReader } from '../../core/export/session-reader'
import { CaseDb } from '../../core/store/case-db'
import { tellStory } from '../../core/sessions/story'
import { tempHome } from './web-mode'

/**
 * A small case whose events carry the hostile values exports must survive (formula prefixes, markup,
 * quotes, line breaks), plus one chain with findings over them. Rows are inserted directly: the import
 * engine is not what these tests are about.
 */
export const HOSTILE = {
  formula: '=HYPERLINK("http://evil.example","click")',
  plus: '+cmd|" /C calc"!A0',
  minus: '-2+3',
  at: '@SUM(1+1)',
  tab: '\t=1+1',
  cr: '\r=1+1',
  markup: '<script>alert(1)</script><img src=x onerror=alert(2)>',
  quote: `a "quoted", multi\nline value`
}

export interface FixtureEvent {
  uid: string
  source: string
  source_type: string
  category: string
  action: string
  outcome: string
  time: string
  actor_name: string
  actor_type: string
  src_ip: string | null
  geo_country: string | null
  target_name: string | null
  session_key: string | null
  raw: string
}

export const FIXTURE_EVENTS: FixtureEvent[] = [
  {
    uid: 'okta:1',
    source: 'okta',
    source_type: 'user.session.start',
    category: 'authentication',
    action: 'user.session.start',
    outcome: 'success',
    time: '2024-05-01T08:00:00.000Z',
    actor_name: 'alice@acme.example',
    actor_type: 'human',
    src_ip: '198.51.100.7',
    geo_country: 'US',
    target_name: null,
    session_key: 'okta-s1',
    raw: '{"eventType":"user.session.start"}'
  },
  {
    uid: 'okta:2',
    source: 'okta',
    source_type: 'user.account.update_password',
    category: 'account_change',
    action: 'user.account.update_password',
    outcome: 'success',
    time: '2024-05-01T08:01:00.000Z',
    actor_name: HOSTILE.formula,
    actor_type: 'human',
    src_ip: '203.0.113.9',
    geo_country: 'RU',
    target_name: HOSTILE.plus,
    session_key: 'okta-s1',
    raw: JSON.stringify({ note: HOSTILE.markup })
  },
  {
    uid: 'salesforce:3',
    source: 'salesforce',
    source_type: 'ReportExport',
    category: 'data_access',
    action: 'report.export',
    outcome: 'success',
    time: '2024-05-01T08:05:00.000Z',
    actor_name: HOSTILE.at,
    actor_type: 'human',
    src_ip: '203.0.113.9',
    geo_country: 'RU',
    target_name: HOSTILE.markup,
    session_key: 'sf-1',
    raw: `TIMESTAMP,EVENT_TYPE\n20240501080500.000,ReportExport ${HOSTILE.markup}`
  },
  {
    uid: 'aws:4',
    source: 'aws',
    source_type: 'AttachUserPolicy',
    category: 'admin',
    action: 'iam.attach_user_policy',
    outcome: 'failure',
    time: '2024-05-01T08:06:00.000Z',
    actor_name: HOSTILE.tab,
    actor_type: 'service',
    src_ip: HOSTILE.cr,
    geo_country: null,
    target_name: HOSTILE.minus,
    session_key: 'AKIA1',
    raw: '{"eventName":"AttachUserPolicy"}'
  },
  {
    uid: 'google:5',
    source: 'google_workspace',
    source_type: 'change_user_access',
    category: 'sharing',
    action: 'drive.share_external',
    outcome: 'success',
    time: '2024-05-01T08:07:00.000Z',
    actor_name: HOSTILE.quote,
    actor_type: 'agent',
    src_ip: null,
    geo_country: null,
    target_name: 'Q3 plan',
    session_key: null,
    raw: '{"name":"change_user_access"}'
  },
  {
    uid: 'github:6',
    source: 'github',
    source_type: 'personal_access_token.create',
    category: 'api_activity',
    action: 'personal_access_token.create',
    outcome: 'success',
    time: '2024-05-01T08:08:00.000Z',
    actor_name: 'alice-acme',
    actor_type: 'human',
    src_ip: '203.0.113.9',
    geo_country: 'RU',
    target_name: 'token',
    session_key: 'gh-1',
    raw: '{"action":"personal_access_token.create"}'
  }
]

export const createFixtureCase = async (): Promise<CaseDb> => {
  const db = await CaseDb.open(join(tempHome('afterlogin-export-'), 'case.duckdb'))
  const sql = await db.connect()
  for (const e of FIXTURE_EVENTS) {
    await sql.connection.run(
      `INSERT INTO events (uid, source, source_type, category, action, outcome, time, actor_name, actor_type, app, session_key, session_keys,
         src_ip, geo_country, target_name, import_id, file_path, record_no, raw)
       VALUES ($uid, $source, $source_type, $category, $action, $outcome, $time::TIMESTAMPTZ, $actor_name, $actor_type, $source, $session_key,
         NULL, $src_ip, $geo_country, $target_name, 'imp-1', 'bundle.zip!' || $source || '.json', 1, $raw)`,
      { ...e }
    )
  }
  sql.connection.closeSync()
  return db
}

const finding = (
  id: string,
  category: string,
  severity: Finding['severity'],
  title: string,
  eventIds: string[],
  attack: string[],
  detail: string | null = null
): Finding => ({
  id,
  category,
  severity,
  title,
  detail,
  attack,
  owaspNhi: null,
  eventIds,
  sessionId: null,
  afterPivot: false,
  rule: null
})

export const FIXTURE_TRAVEL_DETAIL = 'Okta sign-ins from 198.51.100.7 (US) and 203.0.113.9 (RU), 1 min apart'

export const FIXTURE_CHAIN: ChainRow = {
  id: 'chain-1',
  identity: HOSTILE.markup,
  identityType: 'human',
  actingFor: null,
  pivot: null,
  apps: ['okta', 'salesforce', 'github'],
  ips: ['198.51.100.7', '203.0.113.9'],
  countries: ['US', 'RU'],
  start: '2024-05-01T08:00:00.000Z',
  end: '2024-05-01T08:08:00.000Z',
  events: 4,
  risk: 92,
  response: 'terminate-session',
  reasons: ['impossible_travel between US and RU', `data_export after context change ${HOSTILE.formula}`],
  findings: [
    finding('f-1', 'impossible_travel', 'high', 'Impossible travel US → RU in 1 min', ['okta:1', 'okta:2'], ['T1550.004'], FIXTURE_TRAVEL_DETAIL),
    finding('f-2', 'data_export', 'critical', `Report exported ${HOSTILE.markup}`, ['salesforce:3'], ['T1567']),
    finding('f-3', 'credential_created', 'high', 'New personal access token', ['github:6'], ['T1528'])
  ]
}

const row = (e: FixtureEvent): EventRow => ({
  uid: e.uid,
  time: e.time,
  source: e.source,
  app: e.source,
  sourceType: e.source_type,
  category: e.category,
  action: e.action,
  outcome: e.outcome,
  actorName: e.actor_name,
  srcIp: e.src_ip,
  country: e.geo_country,
  targetName: e.target_name,
  sessionId: e.session_key,
  findings: []
})

/** The session engine's answers for the fixture, shaped exactly as its contract calls return them. */
export const fixtureReader = (chains: ChainRow[] = [FIXTURE_CHAIN]): SessionReader => ({
  chains: async (offset, limit) => ({ rows: chains.slice(offset, offset + limit), total: chains.length, offset }),
  chain: async (id): Promise<ChainDetail> => {
    const chain = chains.find((c) => c.id === id)
    if (!chain) throw new Error(`no chain ${id}`)
    const story = tellStory({ chain, start: null, pivotEvent: null, facts: new Map() })
    return { chain, sessions: [], links: [], story: story.text, storyParts: story.parts }
  },
  chainEvents: async (id, offset, limit) => {
    const ev = FIXTURE_EVENTS.filter((e) => ['okta:1', 'okta:2', 'salesforce:3', 'github:6'].includes(e.uid) && id === 'chain-1').map(row)
    return { rows: ev.slice(offset, offset + limit), total: ev.length, offset }
  },
  findings: async (chainId) => chains.filter((c) => !chainId || c.id === chainId).flatMap((c) => c.findings)
})
