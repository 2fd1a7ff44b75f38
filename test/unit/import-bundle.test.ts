import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runImport } from '../../core/import'
import { CaseDb } from '../../core/store/case-db'
import { zipOf } from '../fixtures/import/zip-of'
import { ROOT } from '../helpers/web-mode'
import { testQuery } from '../helpers/test-queries'

const FIX = join(ROOT, 'test', 'fixtures', 'import', 'bundle')
const fixture = (name: string): Buffer => readFileSync(join(FIX, name))

interface Row {
  uid: string
  source: string
  category: string
  action: string | null
  outcome: string
  time: string | null
  actor_type: string
  identity: string | null
  app: string | null
  session_key: string | null
  session_keys: string | null
  src_ip: string | null
  geo_city: string | null
  target_name: string | null
  file_path: string
  record_no: number
  raw: string
}

let dir: string
let db: CaseDb
let bundle: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'afl-bundle-'))
  mkdirSync(join(dir, 'case'))
  db = await CaseDb.open(join(dir, 'case', 'case.duckdb'))
  // Neutral names only: nothing but the content says which source a file is.
  const inner = await zipOf([
    ['p/03', fixture('c.json')],
    ['p/04', fixture('d.json')]
  ])
  const zip = await zipOf([
    ['x/01', fixture('a.json')],
    ['x/02', fixture('b.ndjson')],
    ['x/inner', inner],
    ['x/05', gzipSync(fixture('e.json'))],
    ['x/06', fixture('f.ndjson')],
    ['x/07', fixture('g.csv')],
    ['x/08', gzipSync(fixture('h.json'))],
    ['x/09', fixture('i.ndjson')],
    ['x/10', fixture('j.csv')]
  ])
  bundle = join(dir, 'bundle.zip')
  writeFileSync(bundle, zip)
})
afterAll(() => db?.close())

const all = (): Promise<Row[]> => db.many<Row>(testQuery('import.test.events'))

describe('a bundle with every source under neutral names', () => {
  it('detects every source from content and maps each file', async () => {
    const summary = await runImport(db, [bundle])
    expect(summary.status).toBe('done')
    const bySource = Object.fromEntries(summary.files.map((f) => [f.path, f.source]))
    expect(bySource).toEqual({
      'bundle.zip!x/01': 'okta',
      'bundle.zip!x/02': 'entra',
      'bundle.zip!x/inner!p/03': 'm365',
      'bundle.zip!x/inner!p/04': 'google_workspace',
      'bundle.zip!x/05': 'slack',
      'bundle.zip!x/06': 'github',
      'bundle.zip!x/07': 'salesforce',
      'bundle.zip!x/08': 'aws',
      'bundle.zip!x/09': 'generic',
      'bundle.zip!x/10': 'm365'
    })
    expect(summary.files.every((f) => f.error === null && f.rejected === 0)).toBe(true)
    expect(summary.events).toBe(15)
    expect(summary.newEvents).toBe(15)
    // The case folder keeps no scratch files.
    expect(readdirSync(join(dir, 'case')).filter((f) => f.startsWith('.import'))).toEqual([])
  })

  it('normalizes the fields analysts join sessions on', async () => {
    const rows = await all()
    const one = (pred: (r: Row) => boolean): Row => {
      const hit = rows.filter(pred)
      expect(hit).toHaveLength(1)
      return hit[0]
    }
    const sso = one((r) => r.action === 'User single sign on to app')
    expect(sso.identity).toBe('dana.reyes@example.org')
    expect(sso.time).toBe('2025-03-04T09:00:09.500Z')
    expect(sso.src_ip).toBeNull()
    expect(JSON.parse(sso.session_keys!)).toEqual({
      externalSessionId: 'idxFixtureSession1',
      rootSessionId: 'idxFixtureRoot1',
      ssoTargetApp: 'Salesforce Prod'
    })
    const login = one((r) => r.source === 'okta' && r.category === 'authentication' && r.action === 'User login to Okta')
    expect(login.geo_city).toBe('Lyon')

    const signin = one((r) => r.source === 'entra' && r.actor_type === 'human')
    expect(signin.time).toBe('2025-03-04T09:01:02.123Z')
    expect(signin.app).toBe('Office 365 Exchange Online')
    expect(JSON.parse(signin.session_keys!)).toMatchObject({ sessionId: 'aad-session-fixture-1', uniqueTokenIdentifier: 'uti-fixture-1' })
    expect(one((r) => r.source === 'entra' && r.actor_type === 'service').identity).toBe('backup-sync')

    const rule = one((r) => r.action === 'New-InboxRule')
    expect(rule.src_ip).toBe('2001:db8::20')
    expect(rule.time).toBe('2025-03-04T09:05:00.000Z')
    expect(rule.session_key).toBe('aad-session-fixture-1')
    expect(rule.app).toBe('Outlook Web')

    const drive = rows.filter((r) => r.source === 'google_workspace')
    expect(drive.map((r) => [r.action, r.category]).sort()).toEqual([
      ['change_user_access', 'sharing'],
      ['download', 'data_access']
    ])
    expect(new Set(drive.map((r) => r.raw)).size).toBe(1)

    const slack = one((r) => r.source === 'slack')
    expect(slack.src_ip).toBe('203.0.113.20')
    expect(slack.time).toBe('2025-03-04T09:07:00.000Z')
    expect(slack.session_key).toBe('88001')

    const gh = rows.filter((r) => r.source === 'github')
    expect(gh.map((r) => r.actor_type).sort()).toEqual(['human', 'service'])
    const download = gh.find((r) => r.action === 'repo.download_zip')!
    expect(download.time).toBe('2025-03-04T09:08:00.000Z')
    expect(download.identity).toBe('dana.reyes@example.org')
    expect(JSON.parse(download.session_keys!)).toMatchObject({ hashed_token: 'abc123hash=', token_id: '991' })

    const sf = rows.filter((r) => r.source === 'salesforce').sort((a, b) => a.record_no - b.record_no)
    expect(sf.map((r) => r.time)).toEqual(['2025-03-04T09:10:00.250Z', '2025-03-04T09:11:00.000Z'])
    expect(JSON.parse(sf[1].raw).URI).toBe('/lightning/o/Report/home\nsecond line')
    expect(sf[0].category).toBe('data_access')
    expect(JSON.parse(sf[0].session_keys!)).toEqual({ SESSION_KEY: 'sf-session-1', LOGIN_KEY: 'sf-login-1' })

    const ct = one((r) => r.source === 'aws')
    expect(ct.actor_type).toBe('human')
    expect(ct.identity).toBe('dana.reyes@example.org')
    expect(ct.session_key).toBe('ASIAFIXTURE1')
    expect(ct.category).toBe('data_access')

    expect(one((r) => r.source === 'generic').time).toBe('2025-03-04T09:13:00.000Z')
    const purview = one((r) => r.file_path.endsWith('x/10'))
    expect(purview.action).toBe('FileDownloaded')
    expect(purview.session_key).toBe('aad-session-fixture-1')
  })

  it('adds nothing on a second import of the same bundle', async () => {
    const again = await runImport(db, [bundle])
    expect(again.events).toBe(15)
    expect(again.newEvents).toBe(0)
    expect((await all()).length).toBe(15)
    const list = await db.many<{ id: string; status: string }>('import.list', { limit: 10 })
    expect(list.map((l) => l.status)).toEqual(['done', 'done'])
  })
})
