import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runImport } from '../../core/import'
import { analyzeCase } from '../../core/sessions/analyze'
import { caseRuleDir } from '../../core/detect/sigma/load'
import { CaseDb } from '../../core/store/case-db'
import { ROOT } from '../helpers/web-mode'
import { testQuery } from '../helpers/test-queries'

// Rules that pin no event type and have no column guard test every record: the import stores what they read.
const RULES = {
  'admin-uri.yml': `title: Users API called
id: 6f1d0c1e-0a4b-4c39-9f0e-3a1b7c2d5e01
logsource: { product: okta, service: okta }
detection:
  selection:
    debugContext.debugData.requestUri|contains: '/api/v1/users'
  condition: selection
fields: [debugContext.debugData.requestUri]
level: medium
`,
  'invalid-reason.yml': `title: Invalid credentials
id: 6f1d0c1e-0a4b-4c39-9f0e-3a1b7c2d5e02
logsource: { product: okta, service: okta }
detection:
  selection:
    outcome.reason|contains: 'INVALID'
  filter:
    legacyEventType: 'core.user_auth.login_failed'
  condition: selection and not filter
level: low
`,
  'off-network-start.yml': `title: Session started off network
id: 6f1d0c1e-0a4b-4c39-9f0e-3a1b7c2d5e03
logsource: { product: okta, service: okta }
detection:
  selection:
    eventType: user.session.start
    client.zone: OFF_NETWORK
  condition: selection
level: low
`
}

const event = (i: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    uuid: `ev-${i}`,
    published: `2026-11-02T09:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
    eventType: i % 3 ? 'user.authentication.sso' : 'user.session.start',
    legacyEventType: 'core.user_auth.login_success',
    actor: { id: `00u${i % 4}`, type: 'User', alternateId: `user${i % 4}@example.org` },
    client: { ipAddress: '198.51.100.7', zone: 'null' },
    authenticationContext: { rootSessionId: `s-${i % 4}` },
    outcome: { result: 'SUCCESS', reason: null },
    debugContext: { debugData: { requestUri: '/idp/idx/identify' } },
    ...over
  })

const LINES = [
  ...Array.from({ length: 40 }, (_, i) => event(i)),
  event(40, { debugContext: { debugData: { requestUri: '/api/v1/users/00u1/lifecycle/suspend' } } }),
  event(41, { debugContext: { debugData: { requestUri: '/api/v1/groups' } } }),
  event(42, { outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' } }),
  event(43, { outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' }, legacyEventType: 'core.user_auth.login_failed' }),
  event(44, { outcome: { result: 'FAILURE', reason: { code: 'INVALID_SESSION', detail: 'nested' } } }),
  event(45, { debugContext: 'not an object' }),
  event(46, { debugContext: { debugData: { requestUri: 'caf\u00e9 /API/V1/USERS/"quoted"' } } }),
  event(47, { eventType: 'user.session.start', client: { ipAddress: '203.0.113.9', zone: 'OFF_NETWORK' } }),
  event(48, { debugContext: { debugData: { requestUri: 1.5 } }, outcome: { result: 'FAILURE', reason: ['INVALID', 'x'] } })
]

const HITS = [
  { uid: 'okta:ev-40', rule: '6f1d0c1e-0a4b-4c39-9f0e-3a1b7c2d5e01', ind: '/api/v1/users/00u1/lifecycle/suspend' },
  { uid: 'okta:ev-42', rule: '6f1d0c1e-0a4b-4c39-9f0e-3a1b7c2d5e02', ind: null },
  { uid: 'okta:ev-44', rule: '6f1d0c1e-0a4b-4c39-9f0e-3a1b7c2d5e02', ind: null },
  { uid: 'okta:ev-46', rule: '6f1d0c1e-0a4b-4c39-9f0e-3a1b7c2d5e01', ind: 'café /API/V1/USERS/"quoted"' },
  { uid: 'okta:ev-47', rule: '6f1d0c1e-0a4b-4c39-9f0e-3a1b7c2d5e03', ind: null },
  { uid: 'okta:ev-48', rule: '6f1d0c1e-0a4b-4c39-9f0e-3a1b7c2d5e02', ind: null }
]

const ours = <T extends { rule: string }>(rows: T[]): T[] => rows.filter((r) => r.rule.startsWith('6f1d0c1e-'))

/** A case folder with the rules above in its rule folder (and any other folder of rules copied in). */
const caseWithRules = (more?: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'afl-stored-'))
  const casePath = join(dir, 'case.duckdb')
  const rules = caseRuleDir(casePath)
  mkdirSync(rules, { recursive: true })
  for (const [name, text] of Object.entries(RULES)) writeFileSync(join(rules, name), text)
  if (more) cpSync(more, join(rules, 'more'), { recursive: true })
  return casePath
}

describe('values the rules read, stored by the import', () => {
  it('are read in the parse that maps the record, exactly as the record holds them, and tested without parsing it again', async () => {
    const casePath = caseWithRules()
    const dir = join(casePath, '..')
    writeFileSync(join(dir, 'big.ndjson'), LINES.join('\n') + '\n')
    writeFileSync(join(dir, 'small.ndjson'), event(49, { debugContext: { debugData: { requestUri: '/api/v1/users/me' } } }) + '\n')
    const db = await CaseDb.open(casePath)
    try {
      const fast = await runImport(db, [join(dir, 'big.ndjson')], { limits: { fastPathMinBytes: 0 } })
      expect(fast.files[0]).toMatchObject({ engine: 'duckdb', events: LINES.length })
      // A file the JS reader reads stores none: its rows are parsed by the analysis, as before.
      const js = await runImport(db, [join(dir, 'small.ndjson')], { limits: { fastPathMinBytes: Number.MAX_SAFE_INTEGER } })
      expect(js.files[0]).toMatchObject({ engine: 'js', events: 1 })

      const files = await db.many<{ path: string; rule_paths: string[] | null }>(testQuery('sigma.test.stored-files'))
      expect(files.map((f) => f.path)).toEqual(['big.ndjson', 'small.ndjson'])
      // The every-record rules' tests, filter and fields; not the rule pinned to an event type.
      expect([...files[0].rule_paths!].sort()).toEqual(['$."debugContext"."debugData"."requestUri"', '$."legacyEventType"', '$."outcome"."reason"'])
      expect(files[1].rule_paths).toBeNull()
      const values = await db.one<{ n: number; differ: number }>(testQuery('sigma.test.stored-values'))
      expect(Number(values!.n)).toBe(LINES.length * 3)
      expect(Number(values!.differ)).toBe(0)

      const expected = [...HITS, { uid: 'okta:ev-49', rule: '6f1d0c1e-0a4b-4c39-9f0e-3a1b7c2d5e01', ind: '/api/v1/users/me' }]
      expect(ours(await db.many<{ uid: string; rule: string }>(testQuery('sigma.test.rule-hits')))).toEqual(expected)

      // The analysis tests the stored values: a forged one matches where the record does not…
      await db.exec(testQuery('sigma.test.forge-stored'), { uid: 'okta:ev-41', value: '/api/v1/users INVALID' })
      await analyzeCase(db)
      const forged = ours(await db.many<{ uid: string; rule: string }>(testQuery('sigma.test.rule-hits')))
      expect(forged.filter((h) => h.uid === 'okta:ev-41').map((h) => h.rule)).toEqual([
        '6f1d0c1e-0a4b-4c39-9f0e-3a1b7c2d5e01',
        '6f1d0c1e-0a4b-4c39-9f0e-3a1b7c2d5e02'
      ])
      // …and without stored values every record is parsed, with the same result as the stored ones gave.
      await db.exec(testQuery('sigma.test.forget-stored'))
      await analyzeCase(db)
      expect(ours(await db.many<{ uid: string; rule: string }>(testQuery('sigma.test.rule-hits')))).toEqual(expected)
    } finally {
      db.close()
    }
  })

  const SAMPLES = join(ROOT, '..', 'shared', 'samples')
  const SIGMAHQ = join(ROOT, '..', 'shared', 'sigma', 'rules')
  it.skipIf(!existsSync(SAMPLES) || !existsSync(SIGMAHQ))(
    'on the shared samples with the SigmaHQ rules: every stored value is the record’s own, and the rules match the same events as on the records (skipped without ../shared)',
    async () => {
      const db = await CaseDb.open(caseWithRules(SIGMAHQ))
      try {
        const summary = await runImport(db, [SAMPLES], { limits: { fastPathMinBytes: 0 } })
        const fast = summary.files.filter((f) => f.engine === 'duckdb').map((f) => f.path)
        expect(fast).toContain('samples/okta_system_log/sekoia_okta_system_log.ndjson')
        const files = await db.many<{ path: string; rule_paths: string[] | null }>(testQuery('sigma.test.stored-files'))
        // SigmaHQ's Okta rules include some that test every record: each file DuckDB read stored their values.
        expect(files.filter((f) => f.rule_paths?.length).map((f) => f.path)).toEqual(fast)
        const values = await db.one<{ n: number; differ: number }>(testQuery('sigma.test.stored-values'))
        expect(Number(values!.n)).toBeGreaterThan(0)
        expect(Number(values!.differ)).toBe(0)
        const stored = await db.many(testQuery('sigma.test.rule-hits'))
        expect(stored.length).toBeGreaterThan(0)
        await db.exec(testQuery('sigma.test.forget-stored'))
        await analyzeCase(db)
        expect(await db.many(testQuery('sigma.test.rule-hits'))).toEqual(stored)
      } finally {
        db.close()
      }
    },
    240_000
  )
})
