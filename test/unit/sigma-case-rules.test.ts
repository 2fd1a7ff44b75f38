import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli-in-process'
import type { Finding, RuleInfo } from '../../contract'
import { caseRuleDir } from '../../core/detect/sigma/load'
import { runImport } from '../../core/import/index'
import { analyzeCase } from '../../core/sessions/analyze'
import { Workbench } from '../../core/workbench'

// An analyst's own rules: dropped into the case's rules/ folder, edited, broken, and checked from the CLI.
let dir: string
let wb: Workbench
const prevHome = process.env.AFTERLOGIN_HOME

// Okta System Log records as the API returns them (developer.okta.com/docs/reference/api/system-log/).
const okta = (uuid: string, eventType: string, target: string, result = 'SUCCESS') => ({
  uuid,
  published: '2026-11-30T09:15:00.000Z',
  eventType,
  version: '0',
  severity: 'INFO',
  displayMessage: 'Add user to group membership',
  actor: { id: '00u1admin', type: 'User', alternateId: 'admin@example.com', displayName: 'Admin' },
  client: { ipAddress: '198.51.100.7', userAgent: { rawUserAgent: 'Mozilla/5.0' } },
  outcome: { result },
  target: [{ id: '00g1', type: 'UserGroup', alternateId: target, displayName: target }],
  authenticationContext: { externalSessionId: 'idx1' }
})

const rule = (title: string, group: string) => `title: ${title}
id: 6c0d1d5e-1a47-4d7b-9d3e-0f1f2a3b4c5d
status: experimental
description: A member added to a watched group
author: Analyst
logsource:
  product: okta
  service: okta
detection:
  selection:
    eventtype: group.user_membership.add
    target.displayName: ${group}
  condition: selection
fields:
  - target.displayName
level: high
tags:
  - attack.t1098
`

const findings = async (): Promise<Finding[]> => wb.handlers['findings.list']({})
const ruleFindings = async () => (await findings()).filter((f) => f.rule?.id === '6c0d1d5e-1a47-4d7b-9d3e-0f1f2a3b4c5d')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'afterlogin-case-rules-'))
  process.env.AFTERLOGIN_HOME = join(dir, 'home')
  wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
  await wb.open(join(dir, 'case', 'case.duckdb'))
  const file = join(dir, 'okta.ndjson')
  await writeFile(
    file,
    [okta('e1', 'group.user_membership.add', 'Domain Admins'), okta('e2', 'group.user_membership.add', 'Sales')].map((r) => JSON.stringify(r)).join('\n') + '\n'
  )
  const summary = await runImport(wb.requireCase().db, [file])
  expect(summary.files.filter((f) => f.error)).toEqual([])
}, 120_000)

afterAll(async () => {
  wb?.close()
  if (prevHome === undefined) delete process.env.AFTERLOGIN_HOME
  else process.env.AFTERLOGIN_HOME = prevHome
  await rm(dir, { recursive: true, force: true })
})

describe("a case's own rules folder", () => {
  it('shows a new rule’s findings after re-analysis, quoting its fields, with the rule attributed', async () => {
    expect(await ruleFindings()).toEqual([])
    const rules = caseRuleDir(wb.requireCase().db.path)
    await mkdir(rules, { recursive: true })
    await writeFile(join(rules, 'watched-group.yml'), rule('Member added to a watched group', 'Domain Admins'))
    await analyzeCase(wb.requireCase().db)
    const [f] = await ruleFindings()
    expect(f).toBeDefined()
    expect(f.category).toBe('rule_match')
    expect(f.severity).toBe('high')
    expect(f.title).toBe('Member added to a watched group (group.user_membership.add) → Domain Admins — from 198.51.100.7')
    expect(f.attack).toEqual(['T1098'])
    expect(f.rule).toMatchObject({ title: 'Member added to a watched group', author: 'Analyst', level: 'high', path: join(rules, 'watched-group.yml') })
    expect(f.eventIds).toHaveLength(1)
    const listed = (await wb.handlers['rules.list']({})).find((r: RuleInfo) => r.id === f.rule!.id)!
    expect(listed).toMatchObject({ status: 'ok', source: 'okta', hits: 1 })
    expect((await wb.handlers['rules.yaml']({ path: f.rule!.path })).text).toContain('watched group')
    await expect(wb.handlers['rules.yaml']({ path: '/etc/passwd' })).rejects.toThrow(/no loaded rule file/)
  })

  it('shows the edited rule after re-analysis, and names a broken file while the others still run', async () => {
    const rules = caseRuleDir(wb.requireCase().db.path)
    await writeFile(join(rules, 'watched-group.yml'), rule('Member added to Sales', 'Sales'))
    await writeFile(join(rules, 'broken.yml'), 'title: broken\nlogsource:\n  product: okta\ndetection:\n  sel:\n    a|nope: 1\n  condition: sel\n')
    await analyzeCase(wb.requireCase().db)
    const [f] = await ruleFindings()
    expect(f.title).toBe('Member added to Sales (group.user_membership.add) → Sales — from 198.51.100.7')
    const broken = (await wb.handlers['rules.list']({})).find((r: RuleInfo) => r.path.endsWith('broken.yml'))!
    expect(broken).toMatchObject({ status: 'error', reason: 'line 6: unknown modifier |nope' })
  })
})

describe('a rule marked break-glass', () => {
  it('recommends ending the session when its action comes with a context anomaly, though its category is not break-glass by policy', async () => {
    // One Okta session: signed in from San Francisco, then from Singapore (Okta's own geo) a member is added to Payroll.
    const at = (o: ReturnType<typeof okta>, time: string, city: string, country: string, lat: number, lon: number, ip: string) => ({
      ...o,
      published: time,
      client: { ...o.client, ipAddress: ip, geographicalContext: { city, country, geolocation: { lat, lon } } },
      authenticationContext: { externalSessionId: 'idx-glass' }
    })
    const file = join(dir, 'okta-glass.ndjson')
    const records = [
      at(okta('g1', 'user.session.start', 'n/a'), '2026-11-30T10:00:00.000Z', 'San Francisco', 'United States', 37.77, -122.42, '203.0.113.10'),
      at(okta('g2', 'group.user_membership.add', 'Payroll'), '2026-11-30T10:20:00.000Z', 'Singapore', 'Singapore', 1.29, 103.85, '203.0.113.200')
    ]
    await writeFile(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
    await runImport(wb.requireCase().db, [file])
    const rules = caseRuleDir(wb.requireCase().db.path)
    const glass = (breakGlass: boolean) =>
      rule('Member added to Payroll', 'Payroll').replace('id: 6c0d1d5e-1a47-4d7b-9d3e-0f1f2a3b4c5d', 'id: 0b9f3c2e-5d1a-4c6b-8e7f-1a2b3c4d5e6f') +
      `afterlogin:\n  category: admin_change\n  breakGlass: ${breakGlass}\n`
    const chain = async () => {
      const { rows } = await wb.handlers['chains.list']({ offset: 0, limit: 50, sort: 'risk', filter: {} })
      return rows.find((c) => c.findings.some((f) => f.rule?.id === '0b9f3c2e-5d1a-4c6b-8e7f-1a2b3c4d5e6f'))!
    }
    await writeFile(join(rules, 'payroll.yml'), glass(false))
    await analyzeCase(wb.requireCase().db)
    const before = await chain()
    expect(before.findings.map((f) => f.category)).toEqual(expect.arrayContaining(['admin_change', 'ip_change']))
    expect(before.reasons.join(' ')).not.toMatch(/break-glass/)
    await writeFile(join(rules, 'payroll.yml'), glass(true))
    await analyzeCase(wb.requireCase().db)
    const after = await chain()
    expect(after.response).toBe('terminate-session')
    expect(after.reasons[0]).toMatch(/^break-glass admin_change with context anomaly .*ip_change.* → terminate-session$/)
  })
})

describe('an attempt', () => {
  it('says why it failed, in the words of its own record, and says nothing when the record does not', async () => {
    const file = join(dir, 'okta-refused.ndjson')
    const refused = (uuid: string, target: string, reason?: string) => {
      const o = okta(uuid, 'group.user_membership.add', target, 'FAILURE')
      return { ...o, outcome: reason ? { result: 'FAILURE', reason } : { result: 'FAILURE' }, authenticationContext: { externalSessionId: `idx-${uuid}` } }
    }
    // The third's reason is among the values its finding quotes already: it is not said twice.
    const records = [refused('r1', 'Treasury', 'INSUFFICIENT_PERMISSIONS'), refused('r2', 'Treasury Ops'), refused('r3', 'Treasury (LOCKED)', 'LOCKED')]
    await writeFile(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
    await runImport(wb.requireCase().db, [file])
    const rules = caseRuleDir(wb.requireCase().db.path)
    await writeFile(
      join(rules, 'treasury.yml'),
      rule('Member added to Treasury', 'Treasury*').replace('id: 6c0d1d5e-1a47-4d7b-9d3e-0f1f2a3b4c5d', 'id: 4e1c2b3a-9f8e-4d7c-b6a5-112233445566') +
        'afterlogin:\n  category: privilege_change\n'
    )
    await analyzeCase(wb.requireCase().db)
    const titles = (await findings())
      .filter((f) => f.rule?.id === '4e1c2b3a-9f8e-4d7c-b6a5-112233445566')
      .map((f) => [f.category, f.title])
      .sort()
    expect(titles).toEqual([
      ['attempt', 'Attempted: Member added to Treasury (group.user_membership.add) → Treasury (LOCKED) — from 198.51.100.7'],
      ['attempt', 'Attempted: Member added to Treasury (group.user_membership.add) → Treasury Ops — from 198.51.100.7'],
      ['attempt', 'Attempted: Member added to Treasury (group.user_membership.add) → Treasury — from 198.51.100.7 — refused: INSUFFICIENT_PERMISSIONS']
    ])
    await rm(join(rules, 'treasury.yml'))
  })
})

describe('afterlogin rules check', () => {
  it('prints ok, not_applicable, unsupported and error per rule as JSON, and fails on errors', async () => {
    const folder = join(dir, 'check')
    await mkdir(folder, { recursive: true })
    await writeFile(join(folder, 'a-ok.yml'), rule('ok rule', 'x'))
    await writeFile(join(folder, 'b-windows.yml'), 'title: win\nlogsource:\n  product: windows\ndetection:\n  sel:\n    EventID: 4625\n  condition: sel\n')
    await writeFile(join(folder, 'c-wide.yml'), 'title: wide\nlogsource:\n  product: okta\ndetection:\n  sel:\n    a|wide: x\n  condition: sel\n')
    await writeFile(join(folder, 'd-bad.yml'), 'title: bad\nlogsource:\n  product: okta\ndetection:\n  sel:\n    a: x\n  condition: sel and other\n')
    const { code, out } = await runCli(['rules', 'check', folder, '--json'])
    expect(code).toBe(1)
    const rows = JSON.parse(out.trim()) as { path: string; id: string | null; title: string | null; status: string; reason: string | null }[]
    expect(rows.map((r) => [r.path.slice(dirname(r.path).length + 1), r.status])).toEqual([
      ['a-ok.yml', 'ok'],
      ['b-windows.yml', 'not_applicable'],
      ['c-wide.yml', 'unsupported'],
      ['d-bad.yml', 'error']
    ])
    expect(rows[1].reason).toMatch(/product: windows/)
    expect(rows[2].reason).toMatch(/wide/)
    expect(rows[3].reason).toMatch(/^line 7: .*"other"/)
    expect(rows[0]).toMatchObject({ id: '6c0d1d5e-1a47-4d7b-9d3e-0f1f2a3b4c5d', title: 'ok rule', reason: null })
  })
})
