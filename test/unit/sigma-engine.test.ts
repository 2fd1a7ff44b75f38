import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkRules } from '../../core/detect/sigma/check'
import { parseFiles } from '../../core/detect/sigma/load'
import { parseRuleFile } from '../../core/detect/sigma/parse-rule'
import { affordScans, candidateOf, groupStatement, matchingTypes, runSigma } from '../../core/detect/sigma/run'
import { columnGuard } from '../../core/detect/sigma/columns'
import { textFragments } from '../../core/detect/sigma/text-guard'
import { internalDomains } from '../../core/detect/sigma/placeholders'
import { typePins } from '../../core/detect/sigma/compile'
import type { DetectionRule } from '../../core/detect/sigma/types'
import { Sql } from '../../core/store/case-db'
import { mappingFor, recognise } from '../../core/sources/index'
import { normalize } from '../../core/sources/normalize'
import type { NormalizedEvent, Rec as Rec2, SourceId } from '../../core/sources/types'

// The engine end to end on DuckDB: rules are compiled and run over an events table holding the records, and
// each test reads which records matched. Examples follow the Sigma specification's own.
let instance: DuckDBInstance
const EMPTY_INDEX = { paths: new Map(), wrappers: [] }
let sql: Sql

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:')
  sql = new Sql(await instance.connect())
})
afterAll(() => {
  sql.connection.closeSync()
  instance.closeSync()
})

interface Rec {
  source?: string
  type?: string
  outcome?: string
  time?: string
  raw: unknown
}

const typeOf = (raw: unknown): string | null => {
  const r = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>
  const inner = typeof r._raw === 'string' ? (JSON.parse(r._raw) as Record<string, unknown>) : r
  const props = inner.properties as Record<string, unknown> | undefined
  const t = inner.eventType ?? inner.activityDisplayName ?? props?.activityDisplayName
  return typeof t === 'string' ? t : null
}

/** The record's normalized event, as the import maps it (null when it does not map). */
const columnsOf = (source: string, raw: string): NormalizedEvent | null => {
  let r: unknown
  try {
    r = JSON.parse(raw)
  } catch {
    return null
  }
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return null
  const id = (source === 'generic' ? 'generic' : source) as SourceId
  const { record } = recognise(r as Rec2, mappingFor(id))
  const m = normalize(mappingFor(id), record, raw)
  return m.ok ? m.event : null
}

/** Loads the records as the case's events, runs the rule files, returns each rule title's matched record numbers (1-based). */
const run = async (rules: string[], recs: Rec[], opts: { internalDomains?: string[] } = {}): Promise<Record<string, number[]>> => {
  await sql.exec('sigma.check-events')
  for (const r of recs) {
    const raw = typeof r.raw === 'string' ? r.raw : JSON.stringify(r.raw)
    const e = columnsOf(r.source ?? 'okta', raw)
    await sql.connection.run(
      `INSERT INTO events (source, source_type, outcome, time, raw, category, identity, acting_for, action, user_agent, geo_city, as_org, target_type, target_name, net_proxy, device_managed)
       VALUES ($s, $t, $o, $time::TIMESTAMPTZ, $raw, $category, $identity, $for, $action, $ua, $city, $org, $ttype, $tname, $proxy, $managed)`,
      {
        s: r.source ?? 'okta',
        // The normalized event type, as the source mappings derive it (rules pinning it filter on it first).
        t: r.type ?? typeOf(r.raw),
        o: r.outcome ?? 'success',
        time: r.time ?? '2026-12-01T10:00:00Z',
        raw,
        // The columns column guards and placeholders read, as the import fills them.
        category: e?.category ?? null,
        identity: e?.identity ?? null,
        for: e?.actingFor ?? null,
        action: e?.action ?? null,
        ua: e?.userAgent ?? null,
        city: e?.geoCity ?? null,
        org: e?.asOrg ?? null,
        ttype: e?.targetType ?? null,
        tname: e?.targetName ?? null,
        proxy: e?.netProxy ?? null,
        managed: e?.deviceManaged ?? null
      }
    )
  }
  const set = parseFiles(rules.map((text, i) => ({ path: `r${i}.yml`, text })))
  expect(set.checks.filter((c) => c.status === 'error')).toEqual([])
  const runs = await runSigma(sql, set, opts)
  const reader = await sql.connection.runAndReadAll('SELECT h.rule_no, h.eid FROM rule_hits h ORDER BY 1, 2')
  const out: Record<string, number[]> = {}
  for (const r of runs) out[r.rule.meta.title] = []
  for (const row of reader.getRowObjectsJS()) {
    const title = runs.find((r) => r.ruleNo === Number(row.rule_no))!.rule.meta.title
    out[title].push(Number(row.eid) + 1)
  }
  return out
}

/** The rule file does not load: its one check is an error whose reason matches `reason`. */
const refused = (text: string, reason: RegExp): void => {
  const file = parseRuleFile(text, 'r.yml')
  expect(file.checks[0].status, text).toBe('error')
  expect(file.checks[0].reason, text).toMatch(reason)
}

const rule = (title: string, detection: string, extra = '', logsource = 'product: okta'): string =>
  `title: ${title}\nid: ${title}\nlogsource:\n  ${logsource}\ndetection:\n${detection.replace(/^/gm, '  ')}\n${extra}`

const hits = async (detection: string, raws: unknown[], logsource?: string): Promise<number[]> =>
  (
    await run(
      [rule('t', detection, '', logsource)],
      raws.map((raw) => ({ raw, source: logsource?.includes('azure') ? 'entra' : 'okta' }))
    )
  )['t']

describe('value modifiers', () => {
  it('matches plain values case-insensitively, with * and ? wildcards and escapes', async () => {
    const recs = [{ a: 'Hello World' }, { a: 'hello world' }, { a: 'hellO-World' }, { a: 'Hello*' }, { a: 'Hellox' }]
    expect(await hits('sel:\n  a: hello world\ncondition: sel', recs)).toEqual([1, 2])
    expect(await hits('sel:\n  a: hello?world\ncondition: sel', recs)).toEqual([1, 2, 3])
    expect(await hits('sel:\n  a: hel*\ncondition: sel', recs)).toEqual([1, 2, 3, 4, 5])
    expect(await hits("sel:\n  a: 'hello\\*'\ncondition: sel", recs)).toEqual([4])
  })

  it('contains, startswith, endswith and all', async () => {
    const recs = [{ cmd: 'net user /add evil' }, { cmd: 'NET localgroup' }, { cmd: 'whoami /all' }]
    expect(await hits('sel:\n  cmd|contains: user\ncondition: sel', recs)).toEqual([1])
    expect(await hits('sel:\n  cmd|startswith: net\ncondition: sel', recs)).toEqual([1, 2])
    expect(await hits('sel:\n  cmd|endswith: /ALL\ncondition: sel', recs)).toEqual([3])
    expect(await hits('sel:\n  cmd|contains|all:\n    - net\n    - /add\ncondition: sel', recs)).toEqual([1])
    expect(await hits('sel:\n  cmd|contains:\n    - net\n    - /add\ncondition: sel', recs)).toEqual([1, 2])
  })

  it('cased makes the comparison case-sensitive', async () => {
    const recs = [{ a: 'Admin' }, { a: 'admin' }]
    expect(await hits('sel:\n  a|cased: Admin\ncondition: sel', recs)).toEqual([1])
    expect(await hits('sel:\n  a|contains|cased: dmi\ncondition: sel', recs)).toEqual([1, 2])
  })

  it('re with its i, m and s flags (case-sensitive by default)', async () => {
    const recs = [{ a: 'Foo bar' }, { a: 'foo\nbar' }]
    expect(await hits("sel:\n  a|re: '^foo'\ncondition: sel", recs)).toEqual([2])
    expect(await hits("sel:\n  a|re|i: '^foo'\ncondition: sel", recs)).toEqual([1, 2])
    expect(await hits("sel:\n  a|re|m: '^bar'\ncondition: sel", recs)).toEqual([2])
    expect(await hits("sel:\n  a|re|s: 'foo.bar'\ncondition: sel", recs)).toEqual([2])
  })

  it('cidr', async () => {
    const recs = [{ ip: '10.1.2.3' }, { ip: '192.168.1.1' }, { ip: '10.255.0.1' }, { ip: 'not an ip' }]
    expect(await hits('sel:\n  ip|cidr: 10.0.0.0/8\ncondition: sel', recs)).toEqual([1, 3])
    expect(await hits('sel:\n  ip|cidr:\n    - 192.168.0.0/16\n    - 10.1.2.0/24\ncondition: sel', recs)).toEqual([1, 2])
  })

  it('cidr with IPv6 networks: compressed, full, upper-case and zoned addresses; an IPv4 address is none of them', async () => {
    const recs = [
      { ip: '2001:db8::1' },
      { ip: '2001:0DB8:0000:0000:0000:0000:0000:00ff' },
      { ip: '2001:db9::1' },
      { ip: 'fe80::1%eth0' },
      { ip: '10.1.2.3' },
      { ip: '2001:db8:::1' },
      { ip: '::' },
      { ip: '2001:db8:8000::' }
    ]
    expect(await hits('sel:\n  ip|cidr: 2001:db8::/32\ncondition: sel', recs)).toEqual([1, 2, 8])
    expect(await hits('sel:\n  ip|cidr: 2001:db8::/33\ncondition: sel', recs)).toEqual([1, 2])
    expect(await hits('sel:\n  ip|cidr:\n    - fe80::/10\n    - 10.0.0.0/8\n    - ::/128\ncondition: sel', recs)).toEqual([4, 5, 7])
    expect(await hits('sel:\n  ip|cidr: 2001:db8::1\ncondition: sel', recs)).toEqual([1])
    expect(await hits("sel:\n  ip|cidr: '::ffff:10.0.0.0/104'\nfilter:\n  ip|cidr: 2001:db8::/32\ncondition: not sel and not filter", recs)).toEqual([
      3, 4, 5, 6, 7
    ])
    const bad = parseRuleFile(rule('b', 'sel:\n  ip|cidr: 2001:db8::/129\ncondition: sel'), 'b.yml').checks[0]
    expect(bad.reason).toMatch(/prefix length out of range/)
  })

  it('exists and null', async () => {
    const recs = [{ a: 'x' }, { b: 'y' }, { a: null }]
    expect(await hits('sel:\n  a|exists: true\ncondition: sel', recs)).toEqual([1])
    expect(await hits('sel:\n  a|exists: false\ncondition: sel', recs)).toEqual([2, 3])
    expect(await hits('sel:\n  a: null\ncondition: sel', recs)).toEqual([2, 3])
  })

  it('base64 and base64offset', async () => {
    const enc = (s: string) => Buffer.from(s).toString('base64')
    const recs = [{ a: enc('http://') }, { a: enc('xhttp://evil') }, { a: enc('xxhttp://evil') }, { a: enc('nothing') }]
    expect(await hits('sel:\n  a|base64: http://\ncondition: sel', recs)).toEqual([1])
    expect(await hits('sel:\n  a|base64offset|contains: http://\ncondition: sel', recs)).toEqual([1, 2, 3])
  })

  it('fieldref compares two fields of the record', async () => {
    const recs = [
      { a: 'Alice', b: 'alice' },
      { a: 'alice', b: 'bob' }
    ]
    expect(await hits('sel:\n  a|fieldref: b\ncondition: sel', recs)).toEqual([1])
  })

  it('gt, gte, lt, lte and neq', async () => {
    const recs = [{ n: 1 }, { n: 5 }, { n: '10' }]
    expect(await hits('sel:\n  n|gt: 1\ncondition: sel', recs)).toEqual([2, 3])
    expect(await hits('sel:\n  n|gte: 5\ncondition: sel', recs)).toEqual([2, 3])
    expect(await hits('sel:\n  n|lt: 5\ncondition: sel', recs)).toEqual([1])
    expect(await hits('sel:\n  n|lte: 5\ncondition: sel', recs)).toEqual([1, 2])
    expect(await hits('sel:\n  n|neq: 5\ncondition: sel', recs)).toEqual([1, 3])
  })

  it('a number equals the same number however the record writes it', async () => {
    const recs = [{ n: 2000 }, { n: 2000.0 }, { n: '2000.0' }, { n: 20000 }, { n: 2000.5 }, { n: '2000' }]
    expect(await hits('sel:\n  n: 2000\ncondition: sel', recs)).toEqual([1, 2, 3, 6])
    expect(await hits('sel:\n  n|neq: 2000\ncondition: sel', recs)).toEqual([4, 5])
  })

  it('windash swaps the dash characters of a flag', async () => {
    const recs = [{ c: 'tool -f' }, { c: 'tool /f' }, { c: 'tool \u2013f' }, { c: 'tool f' }]
    expect(await hits('sel:\n  c|windash|contains: " -f"\ncondition: sel', recs)).toEqual([1, 2, 3])
  })

  it("expand fills %internal_domains% with the case's own domains: those its identities signed in from or administered, never a consumer service's", async () => {
    const okta = (eventType: string, who: string, extra: Record<string, unknown> = {}, result = 'SUCCESS') => ({
      raw: {
        uuid: `${eventType}-${who}-${JSON.stringify(extra)}`,
        published: '2026-12-01T10:00:00Z',
        eventType,
        actor: { type: 'User', alternateId: who },
        outcome: { result },
        ...extra
      },
      outcome: result === 'SUCCESS' ? 'success' : 'failure'
    })
    const recs = [
      okta('user.session.start', 'alice@acme.example'),
      // A failed sign-in names a domain the organisation does not own; a personal mailbox signs in nowhere of ours.
      okta('user.session.start', 'mallory@evil.example', {}, 'FAILURE'),
      okta('user.session.start', 'alice.home@gmail.com'),
      okta('mail.forward', 'alice@acme.example', { to: 'bob@acme.example' }),
      okta('mail.forward', 'alice@acme.example', { to: 'drop@evil.example' }),
      okta('mail.forward', 'alice@acme.example', { to: 'alice.home@gmail.com' }),
      okta('mail.forward', 'alice@acme.example', { to: 'x@acme.example.evil.example' }),
      okta('mail.forward', 'alice@acme.example', { to: 'Bob@ACME.example' }),
      // An admin of the organisation's second domain changed a policy (no sign-in of that domain in the case): it is
      // the organisation's too.
      okta('policy.rule.update', 'ops@acme-holdings.example'),
      okta('mail.forward', 'alice@acme.example', { to: 'carol@acme-holdings.example' }),
      okta('mail.forward', 'alice@acme.example', { to: 'dan@acme-labs.example' })
    ].map((r): Rec => ({ ...r, type: (r.raw as { eventType: string }).eventType }))
    // An app impersonating a user of a third domain (Google domain-wide delegation): that user is the tenant's own.
    recs.push({
      source: 'google_workspace',
      type: 'drive:edit',
      raw: {
        kind: 'admin#reports#activity',
        id: { time: '2026-12-01T10:00:00Z', uniqueQualifier: '-41', applicationName: 'drive', customerId: 'C01' },
        actor: { email: 'erin@acme-labs.example', applicationInfo: { applicationName: 'Backup Pro', impersonation: true } },
        events: [{ type: 'access', name: 'edit', parameters: [{ name: 'doc_title', value: 'Plan' }] }]
      }
    })
    const outside = await run(
      [
        rule('glob', "sel:\n  eventType: mail.forward\ninternal:\n  to|endswith|expand: '@%internal_domains%'\ncondition: sel and not internal"),
        rule('regex', "sel:\n  eventType: mail.forward\ninternal:\n  to|re|i|expand: '@(%internal_domains%)$'\ncondition: sel and not internal"),
        rule('unknown', "sel:\n  eventType: mail.forward\nknown:\n  to|endswith|expand: '@%partner_domains%'\ncondition: sel and not known")
      ],
      recs
    )
    expect(outside.glob).toEqual([5, 6, 7])
    expect(outside.regex).toEqual([5, 6, 7])
    // A placeholder the case gives no value matches nothing: the filter built on it filters nothing out.
    expect(outside.unknown).toEqual([4, 5, 6, 7, 8, 10, 11])
    // Domains the identity classification policy declares count beside those the case shows.
    const declared = await run(
      [rule('glob', "sel:\n  eventType: mail.forward\ninternal:\n  to|endswith|expand: '@%internal_domains%'\ncondition: sel and not internal")],
      recs,
      {
        internalDomains: ['Evil.example']
      }
    )
    expect(declared.glob).toEqual([6, 7])
    // A placeholder of networks is a network test once filled; a broken regular expression around one is named with its line.
    expect(parseRuleFile(rule('n', "sel:\n  ip|cidr|expand: '%internal_networks%'\ncondition: sel"), 'n.yml').checks[0].status).toBe('ok')
    const broken = parseRuleFile(rule('b', "sel:\n  to|re|expand: '(%internal_domains%'\ncondition: sel"), 'b.yml').checks[0]
    expect(broken.status).toBe('error')
    expect(broken.reason).toMatch(/^line 7: invalid regular expression/)
    // Nobody signed in: the domain most identities share is the organisation's.
    const noLogins = await run(
      [rule('glob', "sel:\n  eventType: mail.forward\ninternal:\n  to|endswith|expand: '@%internal_domains%'\ncondition: sel and not internal")],
      recs.slice(3, 8)
    )
    expect(noLogins.glob).toEqual([2, 3, 4])
  })

  it("expand adds the domains the organisation's own records name as its own: a verified or federated Entra domain, an accepted domain, a Drive share Google keeps internal; not one the case shows being added", async () => {
    const forward = (to: string): Rec => ({
      type: 'mail.forward',
      raw: {
        uuid: `fwd-${to}`,
        published: '2026-12-01T10:00:00Z',
        eventType: 'mail.forward',
        actor: { type: 'User', alternateId: 'alice@acme.example' },
        outcome: { result: 'SUCCESS' },
        to
      }
    })
    const entra = (activity: string, domain: string, result = 'success', resultReason = ''): Rec => ({
      source: 'entra',
      type: `DirectoryManagement:${activity}`,
      outcome: result,
      raw: {
        id: `Directory_${activity}_${domain}_${result}`,
        category: 'DirectoryManagement',
        activityDisplayName: activity,
        activityDateTime: '2026-12-01T09:00:00Z',
        result,
        resultReason,
        initiatedBy: { user: { userPrincipalName: 'admin@acme.example' } },
        targetResources: [{ id: 'd1', displayName: domain, type: 'Domain', modifiedProperties: [] }]
      }
    })
    const drive = (target: string, visibility: string): Rec => ({
      source: 'google_workspace',
      type: 'drive:change_user_access',
      raw: {
        kind: 'admin#reports#activity',
        id: { time: '2026-12-01T09:30:00Z', uniqueQualifier: `-${target}`, applicationName: 'drive', customerId: 'C01' },
        actor: { callerType: 'USER', email: 'alice@acme.example' },
        events: [
          {
            type: 'acl_change',
            name: 'change_user_access',
            parameters: [
              { name: 'target_user', value: target },
              { name: 'doc_title', value: 'Plan' },
              { name: 'visibility', value: visibility }
            ]
          }
        ]
      }
    })
    const accepted = (operation: string, domain: string): Rec => ({
      source: 'm365',
      type: `Exchange:${operation}`,
      raw: {
        CreationTime: '2026-12-01T08:00:00',
        Id: `ad-${domain}`,
        Operation: operation,
        RecordType: 1,
        ResultStatus: 'True',
        UserId: 'admin@acme.example',
        Workload: 'Exchange',
        Parameters: [
          { Name: 'Identity', Value: domain },
          { Name: 'DomainType', Value: 'Authoritative' }
        ]
      }
    })
    const recs: Rec[] = [
      entra('Set federation settings on domain', 'acme-re.example'),
      // A domain removed, or one whose verification failed, is not the organisation's.
      entra('Remove verified domain', 'old-brand.example'),
      entra('Verify domain', 'typo-acme.example', 'failure'),
      drive('ines@acme.dev', 'shared_internally'),
      drive('x@partner.example', 'shared_externally'),
      accepted('Set-AcceptedDomain', 'acme-mail.example'),
      // Added in the case, then federated or accepted: an intruder's own domain made to look internal.
      entra('Add unverified domain', 'acme-secure-login.example'),
      entra('Set federation settings on domain', 'acme-secure-login.example'),
      accepted('New-AcceptedDomain', 'acme-journal.example'),
      forward('d@acme-re.example'),
      forward('o@old-brand.example'),
      forward('t@typo-acme.example'),
      forward('i@acme.dev'),
      forward('x@partner.example'),
      forward('m@acme-mail.example'),
      forward('s@acme-secure-login.example'),
      forward('j@acme-journal.example'),
      // Federated once Entra stopped refusing it as unverified: a domain new to the tenant, its add not in the case.
      entra('Set domain authentication', 'acme-sso.example', 'failure', 'Microsoft.Online.Workflows.DomainNotVerifiedException'),
      entra('Set domain authentication', 'acme-sso.example'),
      forward('f@acme-sso.example')
    ]
    const outside = await run(
      [rule('glob', "sel:\n  eventType: mail.forward\ninternal:\n  to|endswith|expand: '@%internal_domains%'\ncondition: sel and not internal")],
      recs
    )
    expect(outside.glob).toEqual([11, 12, 14, 16, 17, 20])
  })

  it('expand fills %internal_aws_accounts% with the accounts whose CloudTrail records the case holds', async () => {
    const share = (account: string, ...to: string[]) => ({
      source: 'aws',
      type: 'ec2.amazonaws.com:ModifySnapshotAttribute',
      raw: {
        eventSource: 'ec2.amazonaws.com',
        eventName: 'ModifySnapshotAttribute',
        recipientAccountId: account,
        requestParameters: { snapshotId: 'snap-1', createVolumePermission: { add: { items: to.map((userId) => ({ userId })) } } }
      }
    })
    const read = (account: string) => ({
      source: 'aws',
      type: 'ec2.amazonaws.com:DescribeSnapshots',
      raw: { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeSnapshots', recipientAccountId: account }
    })
    const item = '\\{\\s*"userId"\\s*:\\s*"(?:%internal_aws_accounts%)"\\s*\\}'
    const detection = [
      'sel:',
      '  eventName: ModifySnapshotAttribute',
      'own:',
      `  requestParameters.createVolumePermission.add.items|re|expand: '^\\[\\s*${item}(?:\\s*,\\s*${item})*\\s*\\]$'`,
      'condition: sel and not own'
    ].join('\n')
    const recs = [
      share('111111111111', '222222222222'),
      share('111111111111', '999999999999'),
      share('111111111111', '222222222222', '999999999999'),
      share('111111111111', '111111111111', '222222222222'),
      read('222222222222')
    ]
    const got = await run([rule('shared', detection, '', 'product: aws\n  service: cloudtrail')], recs)
    expect(got.shared).toEqual([2, 3])
    // A case without the backup account's records: it is a stranger's.
    expect((await run([rule('shared', detection, '', 'product: aws\n  service: cloudtrail')], recs.slice(0, 4))).shared).toEqual([1, 2, 3, 4])
  })

  it('expand fills %consumer_mail_domains% with the consumer mail services, whatever the case holds', async () => {
    const share = (to: string) => ({
      source: 'm365',
      type: 'SharePoint:SharingInvitationCreated',
      raw: { Operation: 'SharingInvitationCreated', UserId: 'ana@acme.example', TargetUserOrGroupName: to, TargetUserOrGroupType: 'Guest' }
    })
    const detection = [
      'sel:',
      '  Operation: SharingInvitationCreated',
      'personal:',
      "  TargetUserOrGroupName|re|i|expand: '(?:@|_)(?:%consumer_mail_domains%)(?:#ext#.*)?$'",
      'condition: sel and personal'
    ].join('\n')
    const recs = [
      share('drop.box.77@gmail.com'),
      share('k.tanaka@harmonicdrive-supply.example'),
      share('drop.box.77_proton.me#EXT#@acme.onmicrosoft.com'),
      share('urn:spo:guest#someone@Outlook.com'),
      share('someone@gmail.com.evil.example')
    ]
    const got = await run([rule('personal', detection, '', 'product: m365\n  service: audit')], recs)
    expect(got.personal).toEqual([1, 3, 4])
  })

  it("the organisation's domains: those signed in from, else the most shared; never a consumer service's or a text that is no domain", () => {
    const d = (domain: string, identities: number, signed_in: boolean) => ({ domain, identities, signed_in })
    expect(internalDomains([d('acme.example', 3, true), d('acme.onmicrosoft.com', 1, true), d('partner.example', 9, false), d('gmail.com', 4, true)])).toEqual([
      'acme.example',
      'acme.onmicrosoft.com'
    ])
    expect(internalDomains([d('acme.example', 3, false), d('sub.acme.example', 3, false), d('partner.example', 1, false), d('outlook.com', 7, false)])).toEqual(
      ['acme.example', 'sub.acme.example']
    )
    expect(internalDomains([d('', 2, true), d('localhost', 1, true), d('gmail.com', 1, true)])).toEqual([])
  })

  it('refuses UTF-16 encodings with a named reason and reports an unknown modifier as an error with its line', () => {
    const wide = parseRuleFile(rule('w', 'sel:\n  a|wide|base64: x\ncondition: sel'), 'w.yml').checks[0]
    expect(wide.status).toBe('unsupported')
    expect(wide.reason).toMatch(/utf16|UTF-16/)
    const bad = parseRuleFile(rule('b', 'sel:\n  a|bogus: x\ncondition: sel'), 'b.yml').checks[0]
    expect(bad.status).toBe('error')
    expect(bad.reason).toMatch(/^line 7: unknown modifier \|bogus/)
  })
})

describe('field resolution', () => {
  it('keys match case-insensitively, dotted paths go into objects and any element of an array', async () => {
    const recs = [
      { eventType: 'user.session.start', actor: { alternateId: 'a@x.io' } },
      { eventType: 'other', target: [{ alternateId: 'one' }, { alternateId: 'Two' }] }
    ]
    expect(await hits('sel:\n  eventtype: user.session.start\ncondition: sel', recs)).toEqual([1])
    expect(await hits('sel:\n  actor.alternateid|endswith: "@x.io"\ncondition: sel', recs)).toEqual([1])
    expect(await hits('sel:\n  target.alternateId: two\ncondition: sel', recs)).toEqual([2])
  })

  it('a field only records between the first and the last of their type hold is read through its arrays', async () => {
    // ModifySnapshotAttribute-like: most calls remove permissions, one in the middle adds an account.
    const recs = [
      { eventType: 'share', p: { remove: { items: [{ userId: '111122223333' }] } } },
      { eventType: 'share', p: { add: { items: [{ userId: '444455556666' }] } } },
      { eventType: 'share', p: { remove: { items: [{ userId: '777788889999' }] } } }
    ]
    expect(await hits("sel:\n  p.add.items.userId: '444455556666'\ncondition: sel", recs)).toEqual([2])
  })

  it('Entra: a field not at the root is read under properties', async () => {
    const recs = [
      { properties: { activityDisplayName: 'Add member to role' } },
      { activityDisplayName: 'Add member to role' },
      { activityDisplayName: 'Other' }
    ]
    expect(await hits('sel:\n  activityDisplayName: Add member to role\ncondition: sel', recs, 'product: azure\n  service: auditlogs')).toEqual([1, 2])
  })

  it('M365: a field not at the root of a Purview export row is read in its AuditData (JSON text)', async () => {
    const inner = { CreationTime: '2026-11-11T02:33:51', Operation: 'New-TransportRule', Parameters: [{ Name: 'BlindCopyTo', Value: 'in@outside.example' }] }
    const recs = [
      { RecordId: 'r1', CreationDate: '2026-11-11T02:33:51Z', Operation: 'New-TransportRule', AuditData: JSON.stringify(inner) },
      { ...inner, Id: 'r2' },
      { RecordId: 'r3', Operation: 'New-TransportRule', AuditData: JSON.stringify({ ...inner, Parameters: [{ Name: 'Priority', Value: '0' }] }) }
    ]
    const found = await run(
      [rule('t', 'sel:\n  Operation: New-TransportRule\n  Parameters.Name: BlindCopyTo\ncondition: sel', '', 'product: m365\n  service: exchange')],
      recs.map((raw) => ({ raw, source: 'm365', type: 'Exchange:New-TransportRule' }))
    )
    expect(found['t']).toEqual([1, 2])
  })

  it("CloudTrail: Sentinel's AWSCloudTrail rows are read in the columns they flatten userIdentity into", async () => {
    const plain = {
      eventVersion: '1.08',
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' }
    }
    const sentinel = (UserIdentityType: string) => ({
      Type: 'AWSCloudTrail',
      TimeGenerated: '2026-11-05T22:09:31Z',
      AwsEventId: `e-${UserIdentityType}`,
      EventSource: 'signin.amazonaws.com',
      EventName: 'ConsoleLogin',
      UserIdentityType,
      UserIdentityArn: 'arn:aws:iam::111122223333:root',
      SessionIssuerUserName: ''
    })
    const found = await run(
      [rule('t', 'sel:\n  eventName: ConsoleLogin\n  userIdentity.type: Root\ncondition: sel', '', 'product: aws\n  service: cloudtrail')],
      [plain, sentinel('Root'), sentinel('IAMUser')].map((raw) => ({ raw, source: 'aws', type: 'signin.amazonaws.com:ConsoleLogin' }))
    )
    expect(found['t']).toEqual([1, 2])
  })

  it("Entra: Log Analytics' AuditLogs rows are read in the column that renames operationType", async () => {
    const graph = { id: 'g1', activityDisplayName: 'Create a partner cross-tenant identity sync setting', operationType: 'Add' }
    const table = (AADOperationType: string) => ({
      Type: 'AuditLogs',
      Id: `Directory_${AADOperationType}`,
      OperationName: 'Create a partner cross-tenant identity sync setting',
      ActivityDisplayName: 'Create a partner cross-tenant identity sync setting',
      AADOperationType
    })
    const found = await run(
      [
        rule(
          't',
          'sel:\n  activityDisplayName|contains: identity sync setting\n  operationType: Add\ncondition: sel',
          '',
          'product: azure\n  service: auditlogs'
        )
      ],
      [graph, table('Add'), table('Delete')].map((raw) => ({ raw, source: 'entra', type: 'AuditLogs:Create a partner cross-tenant identity sync setting' }))
    )
    expect(found['t']).toEqual([1, 2])
  })

  it('a nested value a collector wrote as JSON text is read inside it, beside records that nest it', async () => {
    const base = { eventSource: 's3.amazonaws.com', eventName: 'PutBucketAcl' }
    const recs = [
      { ...base, requestParameters: JSON.stringify({ bucketName: 'evidence', AccessControlPolicy: { Grants: [{ Grantee: { URI: 'AllUsers' } }] } }) },
      { ...base, requestParameters: { bucketName: 'evidence', AccessControlPolicy: { Grants: [{ Grantee: { URI: 'AllUsers' } }] } } },
      { ...base, requestParameters: JSON.stringify({ bucketName: 'other' }) },
      { ...base, requestParameters: 'not json {' }
    ]
    const det = 'sel:\n  requestParameters.bucketName: evidence\ncondition: sel'
    const grants = 'sel:\n  requestParameters.AccessControlPolicy.Grants.Grantee.URI|endswith: AllUsers\ncondition: sel'
    const aws = 'product: aws\n  service: cloudtrail'
    const go = (d: string) =>
      run(
        [rule('t', d, '', aws)],
        recs.map((raw) => ({ raw, source: 'aws', type: 'PutBucketAcl' }))
      )
    expect((await go(det))['t']).toEqual([1, 2])
    expect((await go(grants))['t']).toEqual([1, 2])
  })

  it('rules read the CloudTrail record inside an EventBridge event (detail)', async () => {
    const trail = { eventVersion: '1.08', eventID: 'e1', eventTime: '2026-12-01T10:00:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey' }
    const recs = [{ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.iam', detail: trail }, trail, { ...trail, eventName: 'ListUsers' }]
    const found = await run(
      [rule('t', 'sel:\n  eventName: CreateAccessKey\ncondition: sel', '', 'product: aws\n  service: cloudtrail')],
      recs.map((raw) => ({ raw, source: 'aws', type: 'eventName' in raw ? raw.eventName : trail.eventName }))
    )
    expect(found['t']).toEqual([1, 2])
  })

  it('rules read the vendor record inside a collector copy (Splunk _raw)', async () => {
    const okta = { eventType: 'user.session.start', uuid: 'u1', published: '2026-12-01T10:00:00Z', actor: { alternateId: 'a@x.io' } }
    const recs = [{ _raw: JSON.stringify(okta), sourcetype: 'OktaIM2:log' }]
    expect(await hits('sel:\n  eventType: user.session.start\ncondition: sel', recs)).toEqual([1])
  })
})

describe('indicators', () => {
  it("quote each value of the rule's fields once, in the fields' order", async () => {
    const detection = 'sel:\n  eventType: user.session.start\ncondition: sel'
    const fields = 'fields:\n  - actor.alternateId\n  - client.ipAddress\n  - actor.alternateId\n  - missing.field\n'
    await run(
      [rule('ind', detection, fields)],
      [{ raw: { eventType: 'user.session.start', actor: { alternateId: 'ann@example.org' }, client: { ipAddress: '203.0.113.9' } } }]
    )
    const reader = await sql.connection.runAndReadAll('SELECT ind FROM rule_hits')
    expect(reader.getRowObjectsJS()).toEqual([{ ind: 'ann@example.org, 203.0.113.9' }])
  })

  it('quote a value on one line, and a long one cut with an ellipsis', async () => {
    const detection = 'sel:\n  eventType: role.create\ncondition: sel'
    const fields = 'fields:\n  - target.name\n  - debugContext.definition\n  - debugContext.blank\n'
    const definition = JSON.stringify({ Actions: Array.from({ length: 20 }, (_, i) => ({ ResourceType: `Type${i}`, TaskType: 'Update' })) }, null, 2)
    await run(
      [rule('ind', detection, fields)],
      [{ raw: { eventType: 'role.create', target: { name: '  Helpdesk\n  Admins ' }, debugContext: { definition, blank: ' \n ' } } }]
    )
    const reader = await sql.connection.runAndReadAll('SELECT ind FROM rule_hits')
    const [{ ind }] = reader.getRowObjectsJS() as { ind: string }[]
    const [name, quoted] = ind.split(/, (.*)/s)
    expect(name).toBe('Helpdesk Admins')
    expect(quoted).toHaveLength(200)
    expect(quoted).toMatch(/^\{ "Actions": \[ \{ "ResourceType": "Type0", "TaskType": "Update" \}, \{ .*…$/)
    expect(ind).not.toMatch(/\n|  /)
  })

  it('quote the values of a list shortest first, so a long one is what gets cut, and leave out empty ones', async () => {
    const detection = 'sel:\n  events.name: change_calendar_acls\ncondition: sel'
    const ua = `Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) ${'Version/18.1 '.repeat(10)}Safari/605.1.15`
    const parameters = [ua, '', 'read', '__public_principal__@public.calendar.google.com', 'c_9f2d7be41a0c@group.calendar.google.com'].map((value) => ({
      name: 'p',
      value
    }))
    await run([rule('ind', detection, 'fields:\n  - events.parameters.value\n')], [{ raw: { events: [{ name: 'change_calendar_acls', parameters }] } }])
    const reader = await sql.connection.runAndReadAll('SELECT ind FROM rule_hits')
    const [{ ind }] = reader.getRowObjectsJS() as { ind: string }[]
    expect(ind).toMatch(/^read, c_9f2d7be41a0c@group\.calendar\.google\.com, __public_principal__@public\.calendar\.google\.com, Mozilla\/5\.0 .*…$/)
    expect(ind).toHaveLength(200)
    expect(ind).not.toMatch(/, ,|^, |, $/)
  })

  it("quote a value of the unified audit log's name/value lists with its name, leaving out a cmdlet's plumbing", async () => {
    const detection = 'sel:\n  Operation: Set-Mailbox\ncondition: sel'
    const parameters = [
      { Name: 'Identity', Value: 'dana@contoso.example' },
      { Name: 'ForwardingSmtpAddress', Value: 'smtp:dana.archive@gmail.com' },
      { Name: 'DeliverToMailboxAndForward', Value: 'True' },
      { Name: 'Force', Value: 'False' },
      { Name: 'Confirm' }
    ]
    await run([rule('ind', detection, 'fields:\n  - Parameters.Value\n')], [{ raw: { Operation: 'Set-Mailbox', Parameters: parameters } }])
    const reader = await sql.connection.runAndReadAll('SELECT ind FROM rule_hits')
    expect(reader.getRowObjectsJS()).toEqual([
      { ind: 'Identity: dana@contoso.example, DeliverToMailboxAndForward: True, ForwardingSmtpAddress: smtp:dana.archive@gmail.com' }
    ])
  })
})

describe('column guards', () => {
  it('a rule guarded on columns matches exactly the records it matches on their text', async () => {
    const recs = [
      { eventType: 'user.account.lock', displayMessage: '  Max sign in attempts exceeded ' },
      { eventType: 'user.account.lock', displayMessage: 'Max sign in attempts exceeded' },
      // A placeholder message: the action column holds the event type instead.
      { eventType: 'max sign in attempts exceeded', displayMessage: 'null' },
      { eventType: 'user.session.start', displayMessage: 'User login to Okta', securityContext: { isProxy: true } },
      { eventType: 'user.session.start', displayMessage: 'User login to Okta', securityContext: { isProxy: 'false' } }
    ]
    const rules = [
      rule('locked', 'sel:\n  displayMessage|contains: max sign in\ncondition: sel'),
      rule('proxy', 'sel:\n  securityContext.isProxy: "true"\ncondition: sel'),
      // Not guarded (a placeholder matches it): every record is read.
      rule('none', 'sel:\n  displayMessage: "NULL"\ncondition: sel')
    ]
    expect(
      await run(
        rules,
        recs.map((raw) => ({ raw }))
      )
    ).toEqual({ locked: [1, 2], proxy: [4], none: [3] })
    // Guarded alone, only the rows the guards select are read; the matches are the same.
    expect(
      await run(
        rules.slice(0, 2),
        recs.map((raw) => ({ raw }))
      )
    ).toEqual({ locked: [1, 2], proxy: [4] })
  })

  it('one statement takes pinned, guarded and unguarded rules together (DuckDB runs it as it is)', async () => {
    const set = parseFiles(
      [
        rule('pinned', 'sel:\n  eventType: user.session.start\ncondition: sel'),
        rule('guarded', 'sel:\n  displayMessage|contains: locked\ncondition: sel'),
        rule('wide', 'sel:\n  legacyEventType: core.user_auth.login_failed\ncondition: sel')
      ].map((text, i) => ({ path: `r${i}.yml`, text }))
    )
    const group = set.rules.map((r, i) => {
      const d = (r as DetectionRule).detection
      const pins = typePins(d, 'okta')
      return {
        run: { ruleNo: i + 1, rule: r, status: 'ok' as const, reason: null },
        types: pins && ['user.session.start'],
        guard: pins ? null : columnGuard(d, 'okta', EMPTY_INDEX)
      }
    })
    await sql.exec('sigma.check-events')
    await sql.exec('sigma.hits-table')
    for (const part of [group, group.slice(0, 2)]) {
      const stmt = groupStatement('okta', EMPTY_INDEX, part, 'g')!
      expect(stmt.compiled).toHaveLength(part.length)
      await sql.execCompiled('sigma.rules (test)', stmt.sql, stmt.params)
      // Only when every rule is pinned or guarded are the rows narrowed.
      expect(stmt.sql.includes('action ILIKE')).toBe(part.length === 2)
    }
  })
})

describe('indicators', () => {
  const extracting = (extract: string) =>
    rule(
      'ext',
      'sel:\n  eventType: consent\ncondition: sel',
      `fields:\n  - actor\n  - perms\nafterlogin:\n  indicators:\n    - field: perms\n      extract: '${extract}'\n`
    )

  it('afterlogin.indicators quote what the extract finds, each match once and sorted, and the whole value when it finds nothing', async () => {
    const perms = (scopes: string[]) => scopes.map((s, i) => `[Id: ${'x'.repeat(220)}${i}, ConsentType: Principal, Scope: ${s}, CreatedDateTime: ]`).join(', ')
    const recs = [
      { eventType: 'consent', actor: 'ann', perms: perms(['Mail.Read offline_access', 'Files.Read.All', 'Mail.Read offline_access']) },
      { eventType: 'consent', actor: 'bob', perms: 'no scopes here' }
    ]
    await run(
      [extracting('Scope:\\s*([^,\\]]*[^\\s,\\]])')],
      recs.map((raw) => ({ raw }))
    )
    const reader = await sql.connection.runAndReadAll('SELECT ind FROM rule_hits ORDER BY eid')
    expect(reader.getRowObjectsJS().map((r) => r.ind)).toEqual(['ann, Files.Read.All Mail.Read offline_access', 'bob, no scopes here'])
  })

  it('refuses an extract that does not compile, has no group or uses lookaround, naming its line', () => {
    for (const [extract, reason] of [
      ['Scope: (', 'does not compile'],
      ['Scope: \\w+', 'no group'],
      ['(?<=Scope: )(\\w+)', 'lookaround']
    ])
      refused(extracting(extract), new RegExp(`^line 14: afterlogin.indicators .*${reason}`))
  })
})

describe('afterlogin keys', () => {
  const doc = (own: string) =>
    [
      'title: t',
      'id: 0c8e2f4a-1b3d-4e5f-8a7b-9c0d1e2f3a4b',
      'logsource:',
      '  product: okta',
      'detection:',
      '  sel:',
      '    eventType: x',
      '  condition: sel',
      'afterlogin:',
      own
    ].join('\n')

  it('refuses a routine mark it does not know, a withdrawal that names no rules or fields, and a narrowing without lists or with paths that are not dotted names, naming the line', () => {
    for (const [own, reason] of [
      ['  routine: sometimes', 'afterlogin.routine must be true, false, everyday or strict'],
      ['  withdraws:\n    fields: [entity.app.id]', 'afterlogin.withdraws must name the rules'],
      ['  withdraws:\n    rules: [2a92326d-f0dd-4d70-84fa-cfe3963874c9]', 'afterlogin.withdraws must name the rules'],
      ['  narrows:\n    ignore: [modifiedDateTime]', 'afterlogin.narrows must name the lists'],
      ["  narrows:\n    lists: ['conditions.users[0]']", 'afterlogin.narrows must name the lists'],
      ["  narrows:\n    lists: [conditions.users.excludeUsers]\n    ignore: ['$.modifiedDateTime']", 'afterlogin.narrows must name the lists']
    ])
      refused(doc(own), new RegExp(`^line 1[01]: ${reason}`))
    for (const own of [
      '  routine: everyday',
      '  routine: strict',
      '  routine: true',
      '  narrows:\n    lists: [conditions.users.excludeUsers]\n    ignore: [modifiedDateTime]'
    ])
      expect(parseRuleFile(doc(own), 'r.yml').checks[0].status, own).toBe('ok')
  })
})

describe('text guards', () => {
  const rules = [
    rule('legacy', 'sel:\n  legacyEventType: core.user_auth.login_failed\ncondition: sel'),
    rule('uri', "sel:\n  debugContext.debugData.requestUri|contains: '/reports/password-health/'\ncondition: sel"),
    rule('pinned', "sel:\n  eventType: user.authentication.auth_via_mfa\n  outcome.reason: 'FastPass declined phishing attempt'\ncondition: sel")
  ]
  // The same values as JSON writers spell them: compact, spaced, escaped slashes (PHP), escaped ASCII, upper case.
  const raws = [
    '{"eventType":"user.session.start","legacyEventType":"core.user_auth.login_failed"}',
    '{ "eventType" : "user.session.start", "legacyEventType" : "CORE.USER_AUTH.LOGIN_FAILED" }',
    '{"eventType":"x","debugContext":{"debugData":{"requestUri":"\\/api\\/v1\\/reports\\/password-health\\/async_csv"}}}',
    '{"eventType":"x","debugContext":{"debugData":{"requestUri":"\\u002freports\\u002fpassword-health\\u002f"}}}',
    '{"eventType":"user.authentication.auth_via_mfa","outcome":{"reason":"FastPass declined phishing attempt"}}',
    // Near misses: the value differs, or the text holds it in another field.
    '{"eventType":"user.authentication.auth_via_mfa","outcome":{"reason":"FastPass declined"}}',
    '{"eventType":"x","displayMessage":"password-health report viewed","legacyEventType":"core.user_auth.login_failed_x"}',
    '{"eventType":"user.authentication.auth_via_mfa","outcome":{"reason":"fastpass DECLINED phishing attempt"}}'
  ]

  it('rules no column narrows read only the records whose text holds their values, and match what they matched', async () => {
    expect(
      await run(
        rules,
        raws.map((raw) => ({ raw }))
      )
    ).toEqual({ legacy: [1, 2], uri: [3, 4], pinned: [5, 8] })
    const set = parseFiles(rules.map((text, i) => ({ path: `r${i}.yml`, text })))
    const types = ['user.session.start', 'user.authentication.auth_via_mfa', 'x']
    const group = set.rules.map((r, i) =>
      candidateOf({ ruleNo: i + 1, rule: r, status: 'ok', reason: null }, 'okta', EMPTY_INDEX, (pins) => matchingTypes(pins, types))
    )
    const stmt = groupStatement('okta', EMPTY_INDEX, group, 'g')!
    const from = stmt.sql.slice(stmt.sql.indexOf('FROM events'))
    // Each rule's rows: two scans of every record, and one of the pinned type's records only.
    expect(from.match(/regexp_matches\(raw/g)).toHaveLength(3)
    expect(Object.values(stmt.params)).toEqual(
      expect.arrayContaining(['core\\.user_auth\\.login_failed', 'password-health', 'FastPass declined phishing attempt'])
    )
  })

  it('past a few scans of every record, one parse of every record is taken instead', async () => {
    const many = ['alpha', 'bravo', 'charlie', 'delta', 'echoes'].map((v) => rule(v, `sel:\n  legacyEventType: ${v}.event\ncondition: sel`))
    const set = parseFiles(many.map((text, i) => ({ path: `r${i}.yml`, text })))
    const candidates = (n: number) =>
      set.rules.slice(0, n).map((r, i) => candidateOf({ ruleNo: i + 1, rule: r, status: 'ok', reason: null }, 'okta', EMPTY_INDEX, () => []))
    const four = candidates(4)
    affordScans(four)
    expect(four.map((c) => textFragments(c.guard))).toEqual([['alpha.event'], ['bravo.event'], ['charlie.event'], ['delta.event']])
    const five = candidates(5)
    affordScans(five)
    expect(five.map((c) => c.guard)).toEqual([null, null, null, null, null])
    await sql.exec('sigma.check-events')
    await sql.connection.run(
      `INSERT INTO events (source, source_type, outcome, time, raw, category) VALUES ('okta', 'x', 'success', now(), '{"legacyEventType":"Delta.Event"}', 'other')`
    )
    const runs = await runSigma(sql, set)
    const reader = await sql.connection.runAndReadAll('SELECT rule_no FROM rule_hits')
    expect(reader.getRowObjectsJS().map((r) => runs[Number(r.rule_no) - 1].rule.meta.title)).toEqual(['delta'])
  })
})

describe('conditions', () => {
  const recs = [
    { a: '1', b: '1' },
    { a: '1', b: '2' },
    { a: '2', b: '1' },
    { a: '2', b: '2' }
  ]
  const det = (cond: string) => `sel_a:\n  a: '1'\nsel_b:\n  b: '1'\n_hidden:\n  a: '2'\ncondition: ${cond}`
  it('and, or, not and parentheses', async () => {
    expect(await hits(det('sel_a and sel_b'), recs)).toEqual([1])
    expect(await hits(det('sel_a or sel_b'), recs)).toEqual([1, 2, 3])
    expect(await hits(det('sel_a and not sel_b'), recs)).toEqual([2])
    expect(await hits(det('not (sel_a or sel_b)'), recs)).toEqual([4])
    expect(await hits(det('not sel_a or sel_b and sel_a'), recs)).toEqual([1, 3, 4])
  })
  it('1 of / all of with wildcards and them (identifiers starting with _ left out)', async () => {
    expect(await hits(det('1 of sel_*'), recs)).toEqual([1, 2, 3])
    expect(await hits(det('all of sel_*'), recs)).toEqual([1])
    expect(await hits(det('1 of them'), recs)).toEqual([1, 2, 3])
    expect(await hits(det('all of them'), recs)).toEqual([1])
    expect(await hits(det('_hidden'), recs)).toEqual([3, 4])
  })
  it('lists of maps are OR, keyword lists search the whole record', async () => {
    expect(await hits("sel:\n  - a: '1'\n    b: '2'\n  - a: '2'\n    b: '1'\ncondition: sel", recs)).toEqual([2, 3])
    expect(await hits('kw:\n  - \'"b":"2"\'\ncondition: kw', recs)).toEqual([2, 4])
  })
  it('names a condition error and an undefined identifier', () => {
    const c = parseRuleFile(rule('c', "sel:\n  a: '1'\ncondition: sel and nope"), 'c.yml').checks[0]
    expect(c.status).toBe('error')
    expect(c.reason).toMatch(/line 8: .*"nope"/)
    const agg = parseRuleFile(rule('g', "sel:\n  a: '1'\ncondition: sel | count() > 5"), 'g.yml').checks[0]
    expect(agg.status).toBe('unsupported')
  })
})

describe('logsource and file handling', () => {
  it('a logsource no Afterlogin source reads is not applicable; a bad document is an error with its line while the others load', () => {
    const na = parseRuleFile(rule('n', "sel:\n  a: '1'\ncondition: sel", '', 'product: windows\n  service: security'), 'n.yml').checks[0]
    expect(na.status).toBe('not_applicable')
    expect(na.reason).toMatch(/product: windows/)
    const two = parseFiles([
      { path: 'bad.yml', text: 'title: x\ndetection: [\n' },
      { path: 'good.yml', text: rule('good', "sel:\n  a: '1'\ncondition: sel") }
    ])
    expect(two.checks.map((c) => c.status)).toEqual(['error', 'ok'])
    expect(two.checks[0].reason).toMatch(/^line \d+:/)
    expect(two.rules.map((r) => r.meta.title)).toEqual(['good'])
    const global = parseRuleFile('action: global\ntitle: g\n---\ntitle: h\n', 'g.yml').checks[0]
    expect(global.status).toBe('unsupported')
    expect(global.reason).toMatch(/action: global/)
  })
})

describe('global filters', () => {
  const recs: Rec[] = [
    { raw: { eventType: 'user.session.start', actor: { alternateId: 'ann@example.org' } } },
    { raw: { eventType: 'user.session.start', actor: { alternateId: 'svc_backup@example.org' } } },
    { raw: { eventType: 'user.session.start', actor: { alternateId: 'svc_build@example.org' } } },
    { raw: { eventType: 'system.api_token.create', actor: { alternateId: 'svc_build@example.org' } } }
  ]
  const start = (title: string, extra = '') => rule(title, 'sel:\n  eventType: user.session.start\ncondition: sel', extra)
  const filter = (rules: string, condition = 'not svc', logsource = 'product: okta') =>
    `title: Service accounts\nid: mf-svc\nlogsource:\n  ${logsource}\nfilter:\n  rules: ${rules}\n  svc:\n    actor.alternateId|startswith: svc_\n  condition: ${condition}\n`

  it('adds its condition to the rules it names, by id or name, and to no other', async () => {
    const out = await run([start('a'), start('b', 'name: b_name'), start('c'), filter('[a, b_name]')], recs)
    expect(out).toEqual({ a: [1], b: [1], c: [1, 2, 3] })
  })

  it('applies to every rule its logsource covers with `any`, and not to rules of a logsource it does not cover', async () => {
    const anyOut = await run([start('a'), rule('t', 'sel:\n  eventType: system.api_token.create\ncondition: sel'), filter('any')], recs)
    expect(anyOut).toEqual({ a: [1], t: [] })
    // The filter names a service the rules do not: it covers none of them.
    const narrower = await run([start('a'), filter('any', 'not svc', 'product: okta\n  service: okta')], recs)
    expect(narrower).toEqual({ a: [1, 2, 3] })
    // A condition without `not` keeps only what it selects (pySigma: rule and filter).
    expect(await run([start('a'), filter('[a]', 'svc')], recs)).toEqual({ a: [2, 3] })
  })

  it('is listed as a filter; one without rules or with a list of conditions is an error with its line', () => {
    const ok = parseRuleFile(filter('any'), 'mf.yml').checks[0]
    expect(ok).toMatchObject({ status: 'ok', kind: 'filter', source: 'okta', title: 'Service accounts' })
    const none = parseRuleFile('title: f\nlogsource:\n  product: okta\nfilter:\n  sel:\n    a: x\n  condition: not sel\n', 'f.yml').checks[0]
    expect(none.status).toBe('error')
    expect(none.reason).toMatch(/line 5: the filter names no rules/)
    const two = parseRuleFile('title: f\nlogsource:\n  product: okta\nfilter:\n  rules: any\n  sel:\n    a: x\n  condition:\n    - not sel\n', 'f.yml')
      .checks[0]
    expect(two.status).toBe('error')
    expect(two.reason).toMatch(/one condition/)
    const na = parseRuleFile(filter('any', 'not svc', 'product: windows'), 'w.yml').checks[0]
    expect(na.status).toBe('not_applicable')
  })

  it('rules check: a filter must name rules of its files or of the shipped catalog', async () => {
    const checks = await checkRules([
      { path: 'catalog.yml', text: filter('[5b8d2f16-3e7a-4c09-a1d4-8f6c0e2b9a37]') },
      { path: 'own.yml', text: `${start('mine')}\n---\n${filter('[mine, nope]').replace('mf-svc', 'mf-svc-2')}` }
    ])
    expect(checks.map((c) => [c.path, c.kind, c.status, c.reason])).toEqual([
      ['catalog.yml', 'filter', 'ok', null],
      ['own.yml', 'detection', 'ok', null],
      ['own.yml', 'filter', 'error', 'filter names rules that are not loaded: nope']
    ])
  })
})

describe('correlation rules', () => {
  const base = (name: string, value: string) =>
    `title: ${name}\nid: ${name}\nname: ${name}\nlogsource:\n  product: okta\ndetection:\n  sel:\n    eventType: ${value}\n  condition: sel\n`
  const corr = (title: string, body: string) => `title: ${title}\nid: ${title}\ncorrelation:\n${body.replace(/^/gm, '  ')}\n`
  const at = (min: number) => new Date(Date.parse('2026-12-01T10:00:00Z') + min * 60_000).toISOString()
  const ev = (type: string, user: string, min: number, extra: Record<string, string> = {}): Rec => ({
    raw: { eventType: type, actor: { alternateId: user }, ...extra },
    time: at(min)
  })

  it('event_count: at least N events per group within the timespan', async () => {
    const out = await run(
      [
        base('fail', 'user.session.start'),
        corr('many', 'type: event_count\nrules: [fail]\ngroup-by: [actor.alternateId]\ntimespan: 10m\ncondition:\n  gte: 3')
      ],
      [
        ev('user.session.start', 'a', 0),
        ev('user.session.start', 'a', 2),
        ev('user.session.start', 'a', 4),
        ev('user.session.start', 'b', 0),
        ev('user.session.start', 'b', 1),
        ev('user.session.start', 'a', 30)
      ]
    )
    expect(out.many).toEqual([1, 2, 3])
    expect(out.fail).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('value_count: distinct values of a field per group', async () => {
    const out = await run(
      [
        base('login', 'user.session.start'),
        corr('spray', 'type: value_count\nrules: [login]\ngroup-by: [client]\ntimespan: 1h\ncondition:\n  field: actor.alternateId\n  gte: 3')
      ],
      [
        ev('user.session.start', 'a', 0, { client: 'ip1' }),
        ev('user.session.start', 'b', 1, { client: 'ip1' }),
        ev('user.session.start', 'b', 2, { client: 'ip1' }),
        ev('user.session.start', 'c', 3, { client: 'ip1' }),
        ev('user.session.start', 'a', 0, { client: 'ip2' })
      ]
    )
    expect(out.spray).toEqual([1, 2, 3, 4])
  })

  it('value_sum and value_avg: the sum and the mean of a numeric field per group within the timespan', async () => {
    const dl = (user: string, min: number, bytes: unknown) => ev('file.download', user, min, { size: bytes as string })
    const recs = [dl('a', 0, 400), dl('a', 10, '700'), dl('a', 90, 900), dl('b', 0, 300), dl('b', 5, 'n/a'), dl('b', 6, 200)]
    const sum = corr('bulk', 'type: value_sum\nrules: [dl]\ngroup-by: [actor.alternateId]\ntimespan: 1h\ncondition:\n  field: size\n  gt: 1000')
    const avg = corr('big', 'type: value_avg\nrules: [dl]\ngroup-by: [actor.alternateId]\ntimespan: 1h\ncondition:\n  field: size\n  gte: 550')
    const out = await run([base('dl', 'file.download'), sum, avg], recs)
    // a: 400 + 700 within the hour (the 900 an hour and a half later is alone); b: 300 + 200, the text left out.
    expect(out.bulk).toEqual([1, 2])
    expect(out.big).toEqual([1, 2, 3])
    const checks = parseFiles([
      { path: 'c.yml', text: corr('p', 'type: value_percentile\nrules: [dl]\ngroup-by: [x]\ntimespan: 1h\ncondition:\n  field: size\n  lte: 1') }
    ]).checks
    expect(checks[0].status).toBe('unsupported')
    const nofield = parseFiles([{ path: 'c.yml', text: corr('s', 'type: value_sum\nrules: [dl]\ngroup-by: [x]\ntimespan: 1h\ncondition:\n  gt: 1') }]).checks
    expect(nofield[0].reason).toMatch(/value_sum needs condition.field/)
  })

  it('temporal: all rules within the timespan, any order; temporal_ordered: in the listed order', async () => {
    const recs = [ev('b.event', 'a', 0), ev('a.event', 'a', 1), ev('a.event', 'b', 0), ev('b.event', 'b', 20)]
    const out = await run(
      [
        base('ra', 'a.event'),
        base('rb', 'b.event'),
        corr('any-order', 'type: temporal\nrules: [ra, rb]\ngroup-by: [actor.alternateId]\ntimespan: 5m'),
        corr('in-order', 'type: temporal_ordered\nrules: [ra, rb]\ngroup-by: [actor.alternateId]\ntimespan: 5m'),
        corr('in-order-long', 'type: temporal_ordered\nrules: [ra, rb]\ngroup-by: [actor.alternateId]\ntimespan: 30m')
      ],
      recs
    )
    expect(out['any-order']).toEqual([1, 2])
    expect(out['in-order']).toEqual([])
    expect(out['in-order-long']).toEqual([3, 4])
  })

  it('rules a correlation names report only through it unless it says generate', async () => {
    const set = parseFiles([
      { path: 'a.yml', text: base('quiet', 'x.event') },
      { path: 'b.yml', text: corr('c', 'type: event_count\nrules: [quiet]\ngroup-by: [actor.alternateId]\ntimespan: 1m\ncondition:\n  gte: 1') }
    ])
    await sql.exec('sigma.check-events')
    await sql.connection.run(
      `INSERT INTO events (source, source_type, outcome, time, raw) VALUES ('okta', 'x.event', 'success', now(), '{"eventType":"x.event"}')`
    )
    await runSigma(sql, set)
    const reported = (await sql.connection.runAndReadAll('SELECT id, reported FROM sigma_rules ORDER BY id')).getRowObjectsJS()
    expect(reported).toEqual([
      { id: 'c', reported: true },
      { id: 'quiet', reported: false }
    ])
  })
})
