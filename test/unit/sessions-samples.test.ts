import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runImport } from '../../core/import/index'
import { analyzeCase } from '../../core/sessions/analyze'
import { getEvent, listChains } from '../../core/sessions/read-model'
import { CaseDb } from '../../core/store/case-db'
import { testQuery } from '../helpers/test-queries'

const SAMPLES = resolve(import.meta.dirname, '../../../shared/samples')

// Risky event types present in the real sample exports, and the category each must raise.
const EXPECTED: Array<[source: string, type: RegExp, category: string]> = [
  ['okta', /^(zone\.update|policy\.rule\.update)$/, 'admin_change'],
  ['entra', /Add service principal credentials/, 'credential_created'],
  ['entra', /Add member to role/, 'privilege_change'],
  ['entra', /conditional access policy/i, 'admin_change'],
  ['entra', /Authentication Methods Policy/, 'mfa_change'],
  ['entra', /Recover device local administrator password$/, 'data_export'],
  ['m365', /(New-InboxRule|UpdateInboxRules)$/, 'mail_forwarding'],
  ['m365', /(Add member to role\.|New-ManagementRoleAssignment)$/, 'privilege_change'],
  ['google_workspace', /^drive:change_user_access$/, 'external_share'],
  ['google_workspace', /^admin:ADD_PRIVILEGE$/, 'privilege_change'],
  ['google_workspace', /TWO_STEP_VERIFICATION|2SV|SECURITY_KEY/, 'mfa_change'],
  ['google_workspace', /^user_accounts:email_forwarding_out_of_domain$/, 'mail_forwarding'],
  ['slack', /^role_change_to_admin$/, 'privilege_change'],
  // The sample app's later scopes read files and members' addresses (files:read, users:read.email).
  ['slack', /^app_scopes_expanded$/, 'oauth_grant'],
  ['slack', /^pref\.two_factor_auth_changed$/, 'mfa_change'],
  ['github', /^integration\.create$/, 'oauth_grant'],
  ['github', /^private_repository_forking\.enable$/, 'admin_change'],
  ['salesforce', /^PermSetEnableUserPerm$/, 'privilege_change'],
  ['salesforce', /^deleteTwoFactorInfo2$/, 'mfa_change'],
  // API queries that read 100,000 and 1,000,364 Customer_Account__c rows.
  ['salesforce', /^(API|ApiEventStream)$/, 'data_export'],
  // A 20,680-row report exported, reported on its own; the Bulk API results john@example.com downloaded 108 minutes
  // later are reported beside it (afterlogin.corroborated).
  ['salesforce', /^ReportEventStream$/, 'data_export'],
  ['salesforce', /^BulkApiResultEvent$/, 'data_export'],
  ['aws', /:AttachUserPolicy$/, 'privilege_change'],
  ['aws', /:ModifySnapshotAttribute$/, 'external_share'],
  // The sample's CreateInstanceExportTask failed (errorCode Client.AuthFailure): an attempt, never the export.
  ['aws', /:CreateInstanceExportTask$/, 'attempt'],
  ['aws', /:DeleteTrail$/, 'admin_change'],
  // The sample expires its CloudTrail bucket's objects after one day (and writes the same rule once disabled).
  ['aws', /:PutBucketLifecycle$/, 'admin_change']
]

// Near-misses in the same samples: the event type of a risky action whose record says it was not one.
const NOT_RAISED: Array<[source: string, type: RegExp, category: string, why: string]> = [
  ['m365', /AddedToSecureLink$/, 'external_share', 'the sample shares a file with an internal member'],
  [
    'm365',
    /Consent to application\.$/,
    'oauth_grant',
    "the sample's consent grants openid profile email offline_access only, the sign-in scopes Microsoft classifies as low impact"
  ],
  ['aws', /:CreateInstanceExportTask$/, 'data_export', 'the sample call failed'],
  [
    'slack',
    /^app_installed$/,
    'oauth_grant',
    'the sample app was installed to list channels and unfurl its own links (channels:read, groups:read, links:read, links:write): it reads no content'
  ],
  [
    'aws',
    /:CreateVirtualMFADevice$/,
    'mfa_change',
    "a virtual MFA device created is no one's factor until it is enabled for a user (EnableMFADevice names the user)"
  ],
  ['slack', /^pref\.sso_setting_changed$/, 'admin_change', 'the sample makes SSO required for guests too'],
  ['github', /^team\.update_repository_permission$/, 'privilege_change', 'the samples lower a team from admin to maintain'],
  ['salesforce', /^tenantSecretCreated$/, 'credential_created', 'a Platform Encryption key rotation, not a credential'],
  [
    'okta',
    /^user\.account\.privilege\.grant$/,
    'privilege_change',
    "an admin role granted from the address the admin's sessions of the days before used (afterlogin.routine)"
  ],
  [
    'okta',
    /^system\.api_token\.create$/,
    'credential_created',
    "an admin's API token created from the address her sessions of the days before used (afterlogin.routine)"
  ],
  [
    'okta',
    /^user\.mfa\.factor\.deactivate$/,
    'mfa_change',
    "an admin's routine reset of a user's factor from the address her sessions of the days before used (afterlogin.routine)"
  ],
  [
    'github',
    /^repo\.create_actions_secret$/,
    'credential_created',
    "a CI secret set from the address the same person's Salesforce sessions used months before (afterlogin.routine)"
  ],
  [
    'github',
    /^repo\.download_zip$/,
    'data_export',
    "an archive AWS CodeStar Connections fetched from the address the same person's sessions used the days before (afterlogin.routine)"
  ],
  [
    'entra',
    /Invite external user/,
    'external_share',
    'a guest invitation from 1.2.3.4, the placeholder address from which the samples sign in other people too (afterlogin.routine)'
  ],
  [
    'm365',
    /FileSyncDownloadedFull$/,
    'data_export',
    'a file synced from 1.2.3.4, the placeholder address from which the samples sign in other people too (afterlogin.routine)'
  ]
]

// Risky event types the samples hold whose rule wants corroboration (afterlogin.corroborated): the rule matches the
// real record, and nothing else found for its identity within two hours keeps the finding.
const UNCORROBORATED: Array<[source: string, type: RegExp, category: string]> = [
  ['okta', /^analytics\.reports\.export\.download$/, 'data_export'],
  ['google_workspace', /^token:authorize$/, 'oauth_grant']
]

describe.skipIf(!existsSync(SAMPLES))('findings on the real sample exports', () => {
  let dir: string
  let db: CaseDb
  let fired: Array<{ category: string; kind: string; source: string; source_type: string }>
  let matched: Array<{ category: string; source: string; source_type: string }>
  let types: Array<{ source: string; source_type: string }>

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'afterlogin-samples-'))
    db = await CaseDb.open(join(dir, 'case.duckdb'))
    await runImport(db, [SAMPLES])
    await analyzeCase(db)
    fired = await db.many(testQuery('detect.finding-types'))
    matched = await db.many(testQuery('detect.rule-match-types'))
    types = await db.many(testQuery('sessions.test-source-types'))
  }, 120_000)

  afterAll(async () => {
    db?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it.each(EXPECTED)('%s %s → %s', (source, type, category) => {
    const present = types.filter((t) => t.source === source && type.test(t.source_type))
    expect(present.length, `the samples hold no ${source} ${type}`).toBeGreaterThan(0)
    const hit = fired.filter((f) => f.source === source && f.category === category && type.test(f.source_type))
    expect(hit.length, `${source} ${type} did not raise ${category}`).toBeGreaterThan(0)
  })

  it.each(UNCORROBORATED)('%s %s matches its %s rule, reported only with corroboration', (source, type, category) => {
    expect(matched.some((m) => m.source === source && m.category === category && type.test(m.source_type))).toBe(true)
    expect(fired.filter((f) => f.source === source && f.category === category && type.test(f.source_type))).toEqual([])
  })

  it.each(NOT_RAISED)('%s %s does not raise %s (%s)', (source, type, category) => {
    expect(
      types.some((t) => t.source === source && type.test(t.source_type)),
      `the samples hold no ${source} ${type}`
    ).toBe(true)
    expect(fired.filter((f) => f.source === source && f.category === category && type.test(f.source_type))).toEqual([])
  })

  it('reads the inbox rule itself: forwarding rules are high, a rule that only defers mail is not', async () => {
    const rules = await db.many<{ uid: string; raw: string }>(testQuery('sessions.test-events-of-type'), { source: 'm365', type: 'Exchange:UpdateInboxRules' })
    const forward = rules.find((r) => r.raw.includes('Forward'))!
    const defer = rules.find((r) => r.raw.includes('DeferAction') && !r.raw.includes('Forward'))!
    const [f, d] = await Promise.all([getEvent(db, forward.uid), getEvent(db, defer.uid)])
    // The catalog's Sigma rule for forwarding inbox rules (policies/sigma/m365/client-inbox-rule-forwards-mail.yml: Outlook's UpdateInboxRules).
    expect(f.fields.risk_rule).toBe('2723262a-9a7e-4fae-8441-5aa3afaf676a')
    expect(d.findings.filter((x) => x.category === 'mail_forwarding')).toEqual([])
    const forwarding = f.findings.find((x) => x.category === 'mail_forwarding')!
    expect(forwarding.attack).toEqual(['T1114.003'])
    expect(forwarding.rule?.path).toBe('policies/sigma/m365/client-inbox-rule-forwards-mail.yml')
  })

  it('builds chains for every source and keeps every event in exactly one session', async () => {
    const counts = await db.one<{ events: number; analysed: number; in_sessions: number }>(testQuery('sessions.test-coverage'))
    expect(counts!.analysed).toBe(counts!.events - (await db.one<{ n: number }>(testQuery('sessions.test-untimed')))!.n)
    expect(counts!.in_sessions).toBe(counts!.analysed)
    const page = await listChains(db, { offset: 0, limit: 500, sort: 'risk', filter: {} })
    const apps = new Set(page.rows.flatMap((c) => c.apps))
    for (const s of ['okta', 'entra', 'm365', 'google_workspace', 'slack', 'github', 'salesforce', 'aws']) expect(apps).toContain(s)
    expect(page.rows[0].risk).toBeGreaterThan(0)
    for (const c of page.rows) {
      expect(c.risk).toBeGreaterThanOrEqual(0)
      expect(c.risk).toBeLessThanOrEqual(100)
      if (c.findings.length) expect(c.reasons.length).toBeGreaterThan(0)
      for (const f of c.findings) expect(f.attack.length, f.category).toBeGreaterThan(0)
    }
  })
})
