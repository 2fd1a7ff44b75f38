import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportKind } from '../../contract'
import { csvCell, csvLine, neutraliseCell } from '../../core/export/csv-safe'
import { runExport, type ExportContext } from '../../core/export/export-case'
import { ocsfClassOf } from '../../core/export/ocsf-events'
import { REPORT_CSS, REPORT_CSS_HASH } from '../../core/export/report-style'
import type { CaseDb } from '../../core/store/case-db'
import { createFixtureCase, FIXTURE_CHAIN, FIXTURE_EVENTS, FIXTURE_TRAVEL_DETAIL, fixtureReader, HOSTILE } from '../helpers/export-fixture'

describe('CSV formula neutralisation', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['＝1+1', "'＝1+1"],
    ['plain', 'plain'],
    [' =1', ' =1'],
    ['a=b', 'a=b'],
    ['', '']
  ])('%j → %j', (input, output) => expect(neutraliseCell(input)).toBe(output))

  it('quotes after neutralising and keeps numbers as numbers', () => {
    expect(csvCell('=A1,"x"')).toBe(`"'=A1,""x"""`)
    expect(csvCell(-3)).toBe('-3')
    expect(csvCell(null)).toBe('')
    expect(csvLine(['a', 'b\nc'])).toBe('a,"b\nc"\r\n')
  })
})

describe('OCSF class mapping', () => {
  it.each([
    ['authentication', 'user.session.start', 'success', 3002, 1],
    ['authentication', 'user.session.end', 'success', 3002, 2],
    ['authentication', 'UserLoggedIn', 'success', 3002, 1],
    ['account_change', 'user.mfa.factor.deactivate', 'success', 3001, 11],
    ['account_change', 'user.account.reset_password', 'success', 3001, 4],
    ['account_change', 'user.lifecycle.create', 'success', 3001, 1],
    ['admin', 'AttachUserPolicy', 'success', 3005, 1],
    ['admin', 'Add member to role.', 'success', 3005, 1],
    ['admin', 'Update security settings', 'success', 3004, 3],
    ['api_activity', 'GetObject', 'success', 6003, 2],
    ['api_activity', 'DeleteBucket', 'success', 6003, 4],
    ['data_access', 'report.export', 'success', 6001, 7],
    ['data_access', 'URI', 'success', 6004, 1],
    ['data_access', 'URI', 'failure', 6004, 2],
    ['sharing', 'change_user_access', 'success', 6001, 8],
    ['other', 'whatever', 'unknown', 0, 99]
  ])('%s %s (%s) → %i/%i', (category, action, outcome, classUid, activityId) => {
    const c = ocsfClassOf(category, action, null, outcome)
    expect([c.classUid, c.activityId]).toEqual([classUid, activityId])
  })
})

describe('exports of a case with hostile values', () => {
  let db: CaseDb
  let ctx: ExportContext
  const out = (name: string) => join(dirname(db.path), name)
  const run = (kind: ExportKind, name: string, chainId?: string) => runExport(ctx, kind, out(name), chainId)

  beforeAll(async () => {
    db = await createFixtureCase()
    ctx = {
      db,
      reader: fixtureReader(),
      version: 'test',
      caseInfo: async () => ({
        id: 'c',
        name: `Case ${HOSTILE.markup}`,
        path: db.path,
        openedAt: '2024-05-02T00:00:00.000Z',
        demo: false,
        createdAt: '2024-05-02T00:00:00.000Z',
        events: FIXTURE_EVENTS.length,
        imports: 1,
        quarantined: 0,
        sources: [{ source: 'okta', events: 2 }],
        firstEvent: FIXTURE_EVENTS[0].time,
        lastEvent: FIXTURE_EVENTS.at(-1)!.time,
        analysis: { complete: true, analysedEvents: FIXTURE_EVENTS.length }
      })
    }
  })
  afterAll(() => db.close())

  it('events as OCSF JSON Lines, one class per category, raw kept', async () => {
    const rec = await run('events-ocsf', 'events.ocsf.jsonl')
    const lines = readFileSync(rec.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(rec.rows).toBe(6)
    const byUid = Object.fromEntries(lines.map((l) => [l.metadata.uid, l]))
    expect(byUid['okta:1']).toMatchObject({
      class_uid: 3002,
      activity_id: 1,
      type_uid: 300201,
      category_uid: 3,
      status_id: 1,
      time: Date.parse('2024-05-01T08:00:00.000Z')
    })
    expect(byUid['okta:1'].src_endpoint).toEqual({ ip: '198.51.100.7', location: { country: 'US' } })
    expect(byUid['okta:1'].session).toEqual({ uid: 'okta-s1' })
    expect(byUid['okta:2']).toMatchObject({ class_uid: 3001, activity_id: 3, raw_data: FIXTURE_EVENTS[1].raw })
    expect(byUid['salesforce:3']).toMatchObject({ class_uid: 6001, activity_id: 7 })
    expect(byUid['aws:4']).toMatchObject({ class_uid: 3005, status_id: 2, actor: { user: { type_id: 3 } } })
    // Web Resources Activity defines no actor: it is kept, under unmapped.
    expect(byUid['google:5']).toMatchObject({ class_uid: 6001, activity_id: 8, unmapped: { actor: { user: { type: 'AI Agent' } } } })
    expect(byUid['github:6']).toMatchObject({ class_uid: 6003, activity_id: 1, api: { operation: 'personal_access_token.create' } })
    for (const l of lines) {
      expect(l.metadata).toMatchObject({ version: '1.5.0', product: { name: 'Afterlogin' } })
      expect(l.unmapped.provenance).toMatchObject({ import_id: 'imp-1', record_no: 1 })
      expect(Number.isInteger(l.time)).toBe(true)
      // What the OCSF 1.5 schema requires of each class, and attributes it does not define there.
      const required: Record<number, string[]> = {
        3001: ['user'],
        3002: ['user'],
        3005: ['user', 'privileges'],
        6001: ['web_resources'],
        6003: ['actor', 'api', 'src_endpoint'],
        6004: ['http_request', 'web_resources']
      }
      for (const k of required[l.class_uid] ?? []) expect(l, `${l.class_uid} needs ${k}`).toHaveProperty(k)
      if (l.class_uid === 6001 || l.class_uid === 6004) expect(l).not.toHaveProperty('actor')
      expect(l).not.toHaveProperty('device')
      expect(l).not.toHaveProperty('time_dt')
    }
    expect(createHash('sha256').update(readFileSync(rec.path)).digest('hex')).toBe(rec.sha256)
  })

  it('findings as OCSF Detection Findings linked to their evidence', async () => {
    const rec = await run('findings-ocsf', 'findings.ocsf.jsonl')
    const lines = readFileSync(rec.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines).toHaveLength(3)
    const travel = lines.find((l) => l.finding_info.uid === 'f-1')
    for (const l of lines) expect(l).not.toHaveProperty('actor')
    expect(travel).toMatchObject({
      class_uid: 2004,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200401,
      severity_id: 4,
      status_id: 1,
      risk_score: 92,
      finding_info: { types: ['impossible_travel'], attacks: [{ technique: { uid: 'T1550.004' } }], related_events: [{ uid: 'okta:1' }, { uid: 'okta:2' }] },
      resources: [{ uid: 'chain-1', type: 'session_chain' }],
      remediation: { desc: 'Recommended response: terminate-session' },
      evidences: [{ actor: { user: { name: HOSTILE.markup, type_id: 1 } } }],
      start_time: Date.parse('2024-05-01T08:00:00.000Z'),
      end_time: Date.parse('2024-05-01T08:01:00.000Z')
    })
    // The finding's evidence in words goes with it; a finding without any has no description.
    expect(travel.finding_info.desc).toBe(FIXTURE_TRAVEL_DETAIL)
    expect(lines.find((l) => l.finding_info.uid === 'f-2').finding_info).not.toHaveProperty('desc')
    expect(travel.finding_info.first_seen_time).toBe(Date.parse('2024-05-01T08:00:00.000Z'))
    expect(travel.finding_info.last_seen_time).toBe(Date.parse('2024-05-01T08:01:00.000Z'))
    expect(lines.find((l) => l.finding_info.uid === 'f-2').severity_id).toBe(5)
  })

  it('events and chains as CSV with every formula neutralised', async () => {
    const rec = await run('events-csv', 'events.csv')
    const text = readFileSync(rec.path, 'utf8')
    const rows = parseCsv(text, { columns: true, relax_quotes: false }) as Record<string, string>[]
    expect(rows).toHaveLength(6)
    for (const row of rows) for (const cell of Object.values(row)) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/)
    const aws = rows.find((r) => r.uid === 'aws:4')!
    expect(aws.actor_name).toBe(`'${HOSTILE.tab}`)
    expect(aws.src_ip).toBe(`'${HOSTILE.cr}`)
    expect(aws.target_name).toBe(`'${HOSTILE.minus}`)
    expect(rows.find((r) => r.uid === 'okta:2')!.actor_name).toBe(`'${HOSTILE.formula}`)
    expect(rows.find((r) => r.uid === 'google:5')!.actor_name).toBe(HOSTILE.quote)

    const chains = parseCsv(readFileSync((await run('chains-csv', 'chains.csv')).path, 'utf8'), { columns: true }) as Record<string, string>[]
    expect(chains).toEqual([expect.objectContaining({ id: 'chain-1', apps: 'okta;salesforce;github', risk: '92', response: 'terminate-session' })])
    expect(chains[0].finding_event_ids.split(';')).toEqual(['okta:1', 'okta:2', 'salesforce:3', 'github:6'])
  })

  it('events and chains as Parquet written by DuckDB, readable back', async () => {
    const ev = await run('events-parquet', 'events.parquet')
    const ch = await run('chains-parquet', 'chains.parquet')
    const sql = await db.connect()
    const back = (await sql.connection.runAndReadAll('SELECT uid, raw, time FROM read_parquet($p) ORDER BY time', { p: ev.path })).getRowObjectsJS()
    expect(back.map((r) => r.uid)).toEqual(FIXTURE_EVENTS.map((e) => e.uid))
    expect(back[1].raw).toBe(FIXTURE_EVENTS[1].raw)
    const chains = (await sql.connection.runAndReadAll('SELECT id, apps, risk FROM read_parquet($p)', { p: ch.path })).getRowObjectsJS()
    sql.connection.closeSync()
    expect(chains).toEqual([{ id: 'chain-1', apps: ['okta', 'salesforce', 'github'], risk: 92 }])
    expect(ev.rows).toBe(6)
    // No temporary file is left beside the exports.
    expect(readdirSync(dirname(db.path)).filter((f) => f.endsWith('.partial'))).toEqual([])
  })

  it('a printable HTML report: escaped, self-contained, every statement linked to evidence', async () => {
    const rec = await run('report-html', 'report.html')
    const page = readFileSync(rec.path, 'utf8')
    expect(page).not.toMatch(/<script|<img|<iframe|<object/i)
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)![1]
    expect(csp).toBe(`default-src 'none'; style-src '${REPORT_CSS_HASH}'; img-src data:; base-uri 'none'; form-action 'none'`)
    expect(page).toContain(`<style>${REPORT_CSS}</style>`)
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//)
    const targets = new Set([...page.matchAll(/id="(ev-\d+)"/g)].map((m) => m[1]))
    const links = [...page.matchAll(/href="#(ev-\d+)"/g)].map((m) => m[1])
    expect(links.length).toBeGreaterThan(0)
    for (const l of links) expect(targets.has(l), l).toBe(true)
    const statements = [...page.matchAll(/<ul class="statements">([\s\S]*?)<\/ul>/g)].flatMap((m) =>
      [...m[1].matchAll(/<li>([\s\S]*?)<\/li>/g)].map((x) => x[1])
    )
    expect(statements.length).toBeGreaterThanOrEqual(FIXTURE_CHAIN.findings.length + FIXTURE_CHAIN.reasons.length + 4)
    for (const s of statements) expect(s, s).toMatch(/href="#ev-\d+"/)
    // Each finding links exactly the evidence the engine gave it.
    const exported = page.match(/title="evidence event ([^"]+)"/g)!.map((t) => t.slice(22, -1))
    for (const uid of FIXTURE_CHAIN.findings.flatMap((f) => f.eventIds)) expect(exported).toContain(uid)
    expect(rec.rows).toBe(4)
  })

  it('records every export with its sha256 in the case', async () => {
    const sql = await db.connect()
    const rows = (await sql.connection.runAndReadAll('SELECT kind, path, sha256 FROM exports')).getRowObjectsJS()
    sql.connection.closeSync()
    expect(rows.length).toBeGreaterThanOrEqual(7)
    for (const r of rows)
      expect(
        createHash('sha256')
          .update(readFileSync(String(r.path)))
          .digest('hex')
      ).toBe(r.sha256)
  })
})
