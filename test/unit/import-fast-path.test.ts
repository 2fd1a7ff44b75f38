import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runImport } from '../../core/import'
import { compileProjection } from '../../core/sources/sql-projection'
import { MAPPINGS } from '../../core/sources'
import { ENCODED_JSON_TEXT } from '../../core/sources/values'
import { CaseDb } from '../../core/store/case-db'
import { openCaseDb } from '../../core/case/open-case-db'
import { ROOT } from '../helpers/web-mode'
import { zipOf } from '../fixtures/import/zip-of'
import { testQuery } from '../helpers/test-queries'

const EDGE = join(ROOT, 'test', 'fixtures', 'import', 'okta-edge.ndjson')
const SAMPLE = join(ROOT, '..', 'shared', 'samples', 'okta_system_log', 'sekoia_okta_system_log.ndjson')

/** Stored rows in uid order, so the two paths' results compare row for row. */
const strip = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => String(a.uid).localeCompare(String(b.uid)))

/** Imports one file with the fast path forced on or off; returns the stored events and the summary. */
const importWith = async (file: string, fast: boolean) => {
  const dir = mkdtempSync(join(tmpdir(), `afl-fast-${fast}-`))
  const copy = join(dir, 'log.ndjson')
  copyFileSync(file, copy)
  const db = await CaseDb.open(join(dir, 'case.duckdb'))
  try {
    const summary = await runImport(db, [copy], { limits: { fastPathMinBytes: fast ? 0 : Number.MAX_SAFE_INTEGER } })
    const rows = await db.many<Record<string, unknown>>(testQuery('import.test.events'))
    const quarantined = await db.many<Record<string, unknown>>(testQuery('import.test.quarantine'), { file_path: 'log.ndjson' })
    return { summary, rows, quarantined, dir }
  } finally {
    db.close()
  }
}

/** Writes NDJSON lines to a file and imports it with the JS path and with the fast path. */
const onBothPaths = (lines: string[]) => {
  const file = join(mkdtempSync(join(tmpdir(), 'afl-fast-lines-')), 'lines.ndjson')
  writeFileSync(file, lines.join('\n') + '\n')
  return Promise.all([importWith(file, false), importWith(file, true)])
}

describe('the DuckDB fast path', () => {
  it('stores exactly what the JS path stores, row for row and column for column', async () => {
    const [js, fast] = await Promise.all([importWith(EDGE, false), importWith(EDGE, true)])
    expect(js.summary.files[0]).toMatchObject({ source: 'okta', events: 6, rejected: 1, engine: 'js' })
    expect(fast.summary.files[0]).toMatchObject({ source: 'okta', events: 6, rejected: 1, engine: 'duckdb' })
    expect(strip(fast.rows)).toEqual(strip(js.rows))
    expect(fast.quarantined.map((q) => q.reason)).toEqual(js.quarantined.map((q) => q.reason))
  })

  it('trims and nulls values and searches arrays like the JS path, and numbers records in file order', async () => {
    const line = (i: number, actor: Record<string, unknown>, client: Record<string, unknown>) =>
      JSON.stringify({ uuid: `b-${i}`, published: `2025-03-04T09:00:${String(i).padStart(2, '0')}Z`, eventType: 'user.session.start', actor, client })
    const sso = (i: number, target: unknown) =>
      JSON.stringify({
        uuid: `s-${i}`,
        published: `2025-03-04T10:00:0${i}Z`,
        eventType: 'user.authentication.sso',
        actor: { id: '00u9', type: 'User', alternateId: 'sso@example.org' },
        authenticationContext: { rootSessionId: 'r-1' },
        target
      })
    const padded = [
      sso(1, [
        { type: 'User', alternateId: 'u' },
        { type: 'AppInstance', alternateId: ' Salesforce Prod ', displayName: 'Salesforce' }
      ]),
      sso(2, [null, { type: 'AppInstance', displayName: 'Slack' }]),
      sso(3, '[{"type":"AppInstance","alternateId":"in a string"}]'),
      sso(4, { 0: { type: 'AppInstance', alternateId: 'in an object' } }),
      sso(5, [{ type: 'AppInstance', alternateId: 'null', displayName: 'Box' }]),
      line(
        1,
        { id: ' 00u1 ', type: 'User', alternateId: 'ann@example.org', displayName: '\tAnn Long Display Name\n' },
        { ipAddress: ' 198.51.100.7 ', geographicalContext: { city: '\tNULL\r\n', country: ' n/a ' } }
      ),
      line(
        2,
        { id: '00u2', type: ' user ', alternateId: 'bob@example.org ', displayName: 'undefined' },
        { ipAddress: '-', userAgent: { rawUserAgent: 'Mozilla/5.0 (X11; Linux x86_64) ' } }
      ),
      JSON.stringify({
        uuid: 'k-1',
        published: '2025-03-04T11:00:00Z',
        eventType: 'user.session.start',
        actor: { id: '00u8', type: 'User', alternateId: 'k@example.org' },
        authenticationContext: { externalSessionId: 'q"uote\\back/slash é \u2028 \u0001 \t tab', rootSessionId: '\u{1F600}' }
      }),
      JSON.stringify({
        uuid: 'old-1',
        published: '1970-01-02T00:00:00Z',
        eventType: 'user.session.start',
        actor: { id: '00u7', type: 'User', alternateId: 'old@example.org' }
      }),
      JSON.stringify({
        uuid: 'h-24',
        published: '2025-03-04T24:00:00Z',
        eventType: 'user.session.start',
        actor: { id: '00u7', type: 'User', alternateId: 'old@example.org' }
      }),
      JSON.stringify({
        uuid: 'unpadded',
        published: '2025-3-4T09:00:00Z',
        eventType: 'user.session.start',
        actor: { id: '00u7', type: 'User', alternateId: 'old@example.org' }
      }),
      '',
      line(
        3,
        { id: '0123456789', type: 'User', alternateId: 'cy@example.org', displayName: '          ' },
        { geographicalContext: { city: 'São Paulo ', country: 'Brazil' } }
      )
    ]
    const [js, fast] = await onBothPaths(padded)
    expect(fast.summary.files[0]).toMatchObject({ engine: 'duckdb', events: 9, rejected: 3 })
    expect(fast.quarantined).toEqual(js.quarantined)
    expect(strip(fast.rows)).toEqual(strip(js.rows))
    expect(strip(fast.rows).map((r) => Number(r.record_no))).toEqual([6, 7, 12, 8, 1, 2, 3, 4, 5])
    expect(
      strip(fast.rows)
        .slice(4)
        .map((r) => r.session_keys && JSON.parse(String(r.session_keys)).ssoTargetApp)
    ).toEqual(['Salesforce Prod', 'Slack', undefined, undefined, undefined])
    expect(JSON.parse(String(fast.rows.find((r) => r.uid === 'okta:k-1')!.session_keys))).toEqual({
      externalSessionId: 'q"uote\\back/slash é \u2028 \u0001 \t tab',
      rootSessionId: '\u{1F600}'
    })
  })

  it('trims the blanks JavaScript trims, Unicode ones included, before looking for placeholders', async () => {
    const names = [
      '\u00a0Ann Example\u3000',
      '\ufeffnull',
      '\u2028n/a\u2029',
      'Bob\u000b',
      '\u000cCy',
      'Dee\u202f',
      '\u1680Eve Long Name\u205f',
      'Zoë Ünicode',
      '東京',
      '\u00a0'
    ]
    const lines = names.map((displayName, i) =>
      JSON.stringify({
        uuid: `u-${i}`,
        published: '2025-03-04T10:00:00Z',
        eventType: 'user.session.start',
        actor: { id: '00u1', type: 'User', alternateId: 'ann@example.org', displayName },
        client: { geographicalContext: { city: displayName } }
      })
    )
    const [js, fast] = await onBothPaths(lines)
    expect(fast.summary.files[0]).toMatchObject({ engine: 'duckdb', events: names.length })
    expect(strip(fast.rows)).toEqual(strip(js.rows))
    expect(strip(fast.rows).map((r) => r.geo_city)).toEqual(['Ann Example', null, null, 'Bob', 'Cy', 'Dee', 'Eve Long Name', 'Zoë Ünicode', '東京', null])
  })

  it("stores the record's own context as the JS path does: ISO countries, AS numbers, placeholder actors dropped", async () => {
    const base = { published: '2025-03-04T10:00:00Z', eventType: 'user.session.start' }
    const lines = [
      {
        uuid: 'c-1',
        actor: { id: '00u1', type: 'User', alternateId: 'ann@example.org', displayName: 'Ann' },
        client: { ipAddress: '192.0.2.4', geographicalContext: { city: 'San Francisco', country: 'United States', geolocation: { lat: 37.77, lon: -122.41 } } },
        securityContext: { asNumber: 19165, asOrg: 'Webpass Inc.', isProxy: false },
        device: { id: 'guo1', managed: true }
      },
      {
        uuid: 'c-2',
        actor: { id: '00000000-0000-0000-0000-000000000000', type: 'User', alternateId: 'Not Available', displayName: 'Unknown' },
        client: { geographicalContext: { country: 'sg' } },
        securityContext: { asNumber: 'AS9506', isp: 'Singtel', isProxy: 'TRUE' },
        device: { managed: 'maybe' }
      },
      {
        uuid: 'c-3',
        actor: { id: 'N/A', type: 'User', alternateId: 'bob@example.org', displayName: 'unknown user' },
        client: { geographicalContext: { country: 'Atlantis' } },
        securityContext: { asNumber: 4294967295 }
      },
      {
        uuid: 'c-4',
        actor: { id: '00u4', type: 'User', alternateId: 'cy@example.org' },
        request: {
          ipChain: [{ ip: '198.51.100.9', geographicalContext: { city: 'Singapore', country: 'Singapore', geolocation: { lat: 1.28, lon: 103.85 } } }]
        },
        securityContext: { asNumber: '  ' }
      },
      { uuid: 'c-5', actor: { id: '0oa5', type: 'PublicClientApp', alternateId: '0oa5', displayName: 'ChatGPT Enterprise connector' } },
      { uuid: 'c-6', actor: { id: '0oa6', type: 'PublicClientApp', alternateId: '0oa6', displayName: 'Jira Cloud sync' } },
      { uuid: 'c-7', actor: { id: '0oa7', type: 'PublicClientApp', alternateId: '0oa7', displayName: 'Recap AI' } },
      { uuid: 'c-8', actor: { id: '0oa8', type: 'PublicClientApp', alternateId: '0oa8', displayName: 'Otter.ai meeting notes' } },
      { uuid: 'c-9', actor: { id: '0oa9', type: 'PublicClientApp', alternateId: '0oa9', displayName: 'Mail relay' } }
    ].map((r) => JSON.stringify({ ...base, ...r }))
    const [js, fast] = await onBothPaths(lines)
    expect(fast.summary.files[0]).toMatchObject({ engine: 'duckdb', events: 9 })
    expect(strip(fast.rows)).toEqual(strip(js.rows))
    // An OAuth client named as an AI client is an agent ("AI" as a word in capitals, an .ai product); another client
    // stays a service, "ai" inside a word included.
    expect(
      strip(fast.rows)
        .slice(4)
        .map((r) => r.actor_type)
    ).toEqual(['agent', 'service', 'agent', 'agent', 'service'])
    expect(
      strip(fast.rows)
        .slice(0, 2)
        .map((r) => [r.net_proxy, r.device_managed])
    ).toEqual([
      [false, true],
      [true, null]
    ])
    expect(
      strip(fast.rows)
        .slice(0, 4)
        .map((r) => [r.identity, r.actor_id, r.actor_name, r.geo_country, r.as_number, r.as_org, r.geo_city])
    ).toEqual([
      ['ann@example.org', '00u1', 'Ann', 'US', 19165, 'Webpass Inc.', 'San Francisco'],
      [null, null, null, 'SG', 9506, 'Singtel', null],
      ['bob@example.org', null, null, null, null, null, null],
      ['cy@example.org', '00u4', 'cy@example.org', 'SG', null, null, 'Singapore']
    ])
  })

  it('tells the records that vouch for the hands behind them as the JS path does: a bound factor, a device Okta knew', async () => {
    const line = (uuid: string, debugData: Record<string, unknown>) =>
      JSON.stringify({
        uuid,
        published: '2025-03-04T10:00:00Z',
        eventType: 'user.authentication.auth_via_mfa',
        actor: { id: '00u1', type: 'User', alternateId: 'ann@example.org' },
        debugContext: { debugData }
      })
    const lines = [
      line('v-1', { factor: 'FIDO_WEBAUTHN' }),
      line('v-2', { factor: 'SIGNED_NONCE' }),
      line('v-3', { factor: 'OKTA_VERIFY_PUSH' }),
      line('v-4', { behaviors: '{New Geo-Location=NEGATIVE, New Device=NEGATIVE, Velocity=NEGATIVE}', risk: '{level=LOW}' }),
      // A phishing proxy relays the victim's own device cookie from far away, or Okta rates the sign-in high risk.
      line('v-5', { behaviors: '{New Device=NEGATIVE, Velocity=POSITIVE}' }),
      line('v-6', { behaviors: '{New Device=NEGATIVE, Velocity=NEGATIVE}', risk: '{reasons=Anomalous Device, level=HIGH}' }),
      line('v-7', { behaviors: '{New Device=POSITIVE, Velocity=NEGATIVE}' }),
      line('v-8', { factor: ' webauthn ' })
    ]
    const [js, fast] = await onBothPaths(lines)
    expect(fast.summary.files[0]).toMatchObject({ engine: 'duckdb', events: 8 })
    expect(strip(fast.rows)).toEqual(strip(js.rows))
    expect(strip(fast.rows).map((r) => [r.uid, r.vouches])).toEqual([
      ['okta:v-1', true],
      ['okta:v-2', true],
      ['okta:v-3', false],
      ['okta:v-4', true],
      ['okta:v-5', false],
      ['okta:v-6', false],
      ['okta:v-7', false],
      ['okta:v-8', false]
    ])
  })

  it('compares the value a conditional field depends on exactly, blanks included, as the declaration does', async () => {
    const target = [{ type: 'AppInstance', alternateId: 'Salesforce' }]
    const lines = [
      { uuid: 'w-1', eventType: 'user.authentication.sso', actor: { type: 'User', alternateId: 'ann@example.org' }, target },
      { uuid: 'w-2', eventType: ' user.authentication.sso ', actor: { type: ' User ', alternateId: 'bob@example.org' }, target },
      { uuid: 'w-3', eventType: 'user.authentication.sso', actor: { type: 'user', alternateId: 'cy@example.org' }, target }
    ].map((r) => JSON.stringify({ ...r, published: '2025-03-04T10:00:00Z' }))
    const [js, fast] = await onBothPaths(lines)
    expect(fast.summary.files[0]).toMatchObject({ engine: 'duckdb', events: 3 })
    expect(strip(fast.rows)).toEqual(strip(js.rows))
    expect(strip(fast.rows).map((r) => [r.identity, r.session_keys && JSON.parse(String(r.session_keys)).ssoTargetApp])).toEqual([
      ['ann@example.org', 'Salesforce'],
      [null, null],
      [null, 'Salesforce']
    ])
  })

  it('types a user account named as a service account a service, on both paths, and an AI one an agent', async () => {
    const login = (uuid: string, actor: Record<string, unknown>, ua = 'Mozilla/5.0') =>
      JSON.stringify({ uuid, published: '2025-03-04T10:00:00Z', eventType: 'user.session.start', actor, client: { userAgent: { rawUserAgent: ua } } })
    const lines = [
      login('n-1', { id: '00u1', type: 'User', alternateId: 'svc-backup@example.org', displayName: 'Backup' }),
      login('n-2', { id: '00u2', type: 'User', alternateId: 'Integration.Snowflake@example.org' }),
      login('n-3', { id: '00u3', type: 'User', alternateId: 'ann@example.org', displayName: 'Ann' }),
      login('n-4', { id: '00u4', type: 'User', alternateId: 'svc-helper@example.org' }, 'LangChain/0.3 python-httpx'),
      login('n-5', { id: '0oa5', type: 'PublicClientApp', alternateId: '0oa5', displayName: 'ci-deployer' }),
      login('n-6', { id: '00u6', type: 'Mystery', alternateId: 'deploy-bot@example.org', displayName: 'deploy.runner' })
    ]
    const [js, fast] = await onBothPaths(lines)
    expect(fast.summary.files[0]).toMatchObject({ engine: 'duckdb', events: 6 })
    expect(strip(fast.rows)).toEqual(strip(js.rows))
    expect(strip(fast.rows).map((r) => [r.uid, r.actor_type])).toEqual([
      ['okta:n-1', 'service'],
      ['okta:n-2', 'service'],
      ['okta:n-3', 'human'],
      ['okta:n-4', 'agent'],
      ['okta:n-5', 'service'],
      ['okta:n-6', 'service']
    ])
  })

  it('names the person a client acted for from its access token, on both paths, and no one for its own token', async () => {
    const grant = (uuid: string, actor: Record<string, unknown>, target: unknown) =>
      JSON.stringify({ uuid, published: '2025-03-04T10:00:00Z', eventType: 'app.oauth2.as.token.grant.access_token', actor, target })
    const agent = { id: '0oaAgent1', type: 'PublicClientApp', alternateId: '0oaAgent1', displayName: 'Ops Assistant' }
    const token = (subject: unknown) => ({ id: 'AT.1', type: 'access_token', detailEntry: { subject } })
    const lines = [
      // Token exchange: the agent's token for a person.
      grant('t-1', agent, [{ id: 'aus1', type: 'AuthorizationServer', alternateId: 'ops' }, token('Nadia.Haddad@example.org')]),
      // Client credentials: the client's own token names the client.
      grant('t-2', agent, [token('0oaAgent1')]),
      // A user's own token, and a grant without a token target or with a null subject.
      grant('t-3', { id: '00u1', type: 'User', alternateId: 'ann@example.org' }, [token('ann@example.org')]),
      grant('t-4', { ...agent, type: ' PublicClientApp' }, [{ id: 'aus1', type: 'AuthorizationServer' }]),
      grant('t-5', agent, [{ type: 'access_token', detailEntry: null }, token('bob@example.org')]),
      // The org authorization server's tokens name the person by id, not by login: no login to name.
      grant('t-6', agent, [token('00u1abcd')])
    ]
    const [js, fast] = await onBothPaths(lines)
    expect(fast.summary.files[0]).toMatchObject({ engine: 'duckdb', events: 6 })
    expect(strip(fast.rows)).toEqual(strip(js.rows))
    expect(strip(fast.rows).map((r) => [r.uid, r.acting_for])).toEqual([
      ['okta:t-1', 'nadia.haddad@example.org'],
      ['okta:t-2', null],
      ['okta:t-3', null],
      ['okta:t-4', null],
      ['okta:t-5', null],
      ['okta:t-6', null]
    ])
  })

  it('reads IP fields with the same rules as the JS reader', async () => {
    const ips = {
      '203.0.113.7:51234': '203.0.113.7',
      '[2001:db8::1]:443': '2001:db8::1',
      '2001:db8::1:443': '2001:db8::1:443',
      'fe80::1%eth0': 'fe80::1%eth0',
      '::ffff:198.51.100.2': '::ffff:198.51.100.2',
      '10.0.0.1, 203.0.113.5': '10.0.0.1',
      ' 198.51.100.9\u00a0, 10.0.0.1': '198.51.100.9',
      '00:1a:2b:3c:4d:5e': null,
      '1:2': null,
      'abc:def': null,
      '1.2.3.04': null,
      'Salesforce.com IP': null,
      '[1.2.3.4': null,
      '1.2.3.4]': null,
      '2001:db8::1\nx': null
    }
    const lines = Object.keys(ips).map((ipAddress, i) =>
      JSON.stringify({
        uuid: `ip-${i}`,
        published: '2025-03-04T10:00:00Z',
        eventType: 'user.session.start',
        actor: { alternateId: 'ann@example.org' },
        client: { ipAddress }
      })
    )
    const [js, fast] = await onBothPaths(lines)
    expect(fast.summary.files[0]).toMatchObject({ engine: 'duckdb', events: lines.length })
    expect(strip(fast.rows)).toEqual(strip(js.rows))
    const byUid = Object.fromEntries(fast.rows.map((r) => [r.uid, r.src_ip]))
    expect(Object.values(ips)).toEqual(Object.keys(ips).map((_, i) => byUid[`okta:ip-${i}`]))
  })

  it('leaves every time DuckDB reads more liberally than the JS reader to the JS reader', async () => {
    const times = [
      '2025-03-04T10:00:00.Z',
      '2025-03-04T1:00:00Z',
      '2025-03-04T10:0:00Z',
      '2025-03-04  10:00:00',
      '2025-03-04T10:00:00+01:00:30',
      '2025-03-04T10:00:00 America/New_York',
      '2025-03-04T10:00:00.1234567Z',
      '2025-03-04T10:00:00+0530',
      '2025-03-04 10:00:00 UTC',
      '2025-03-04T10:00Z'
    ]
    const lines = times.map((published, i) =>
      JSON.stringify({ uuid: `t-${i}`, published, eventType: 'user.session.start', actor: { id: '00u1', type: 'User', alternateId: 'ann@example.org' } })
    )
    const [js, fast] = await onBothPaths(lines)
    expect(fast.summary.files[0]).toMatchObject({ engine: 'duckdb', events: 4, rejected: 6 })
    expect(strip(fast.rows)).toEqual(strip(js.rows))
    expect(fast.quarantined).toEqual(js.quarantined)
  })

  it('agrees with the JS path on objects held as JSON text and on keys flattened with dots', async () => {
    const base = (i: number) => ({
      uuid: `e-${i}`,
      published: `2025-03-04T09:00:0${i}Z`,
      eventType: 'user.session.start',
      actor: { id: `00u${i}`, type: 'User', alternateId: `u${i}@example.org` }
    })
    const plain = Array.from({ length: 40 }, (_, i) => JSON.stringify({ ...base(i % 10), uuid: `p-${i}`, client: { ipAddress: '198.51.100.1' } }))
    const odd = [
      // A collector that re-encodes nested objects (as Log Analytics tables do).
      JSON.stringify({ ...base(1), client: JSON.stringify({ ipAddress: '203.0.113.5', geographicalContext: { city: 'Lyon', country: 'France' } }) }),
      JSON.stringify({ ...base(2), actor: JSON.stringify({ id: '00u2', type: 'User', alternateId: 'enc@example.org' }), client: { ipAddress: '203.0.113.6' } }),
      JSON.stringify({ ...base(3), client: { geographicalContext: '{"city":"Kyiv","country":"Ukraine"}', ipAddress: '203.0.113.7' } }),
      // One that flattens them into dotted keys.
      JSON.stringify({ ...base(4), 'client.ipAddress': '203.0.113.8', 'client.geographicalContext.city': 'Oslo' })
    ]
    // What sends a record back: JSON text with a key or a string inside, not Okta's own bracketed strings.
    const held = (v: unknown) => ENCODED_JSON_TEXT.test(JSON.stringify({ v }))
    expect([{ a: 1 }, [{ a: 1 }], ['a'], JSON.parse('{"a":1}')].map((v) => held(JSON.stringify(v, null, 2)))).toEqual([true, true, true, true])
    expect(['{reasons=Anomalous Device, level=MEDIUM}', '[USER_PRESENCE]', '{}', '[]', 'say "{hi}"'].map(held)).toEqual([false, false, false, false, false])
    const files = {
      'encoded.ndjson': [...plain.slice(0, 20), ...odd.slice(0, 3), ...plain.slice(20)],
      'flat.ndjson': [...plain.slice(0, 20), odd[3], ...plain.slice(20)]
    }
    // e-2 (its actor held as text) is not recognised as Okta by either path; it is stored all the same.
    const fields = { 'okta:e-1': ['203.0.113.5', 'Lyon'], 'okta:e-3': ['203.0.113.7', 'Kyiv'], 'okta:e-4': ['203.0.113.8', 'Oslo'] }
    for (const [name, lines] of Object.entries(files)) {
      const [js, fast] = await onBothPaths(lines)
      expect(js.summary.files[0]).toMatchObject({ engine: 'js', events: lines.length })
      // Objects held as text go back to the JS normalizer row by row; a flattening collector's file is read by it whole.
      expect(fast.summary.files[0]).toMatchObject({ engine: name === 'flat.ndjson' ? 'js' : 'duckdb', events: lines.length })
      expect(strip(fast.rows)).toEqual(strip(js.rows))
      const odd = fast.rows.filter((r) => String(r.uid).startsWith('okta:e-'))
      expect(Object.fromEntries(odd.map((r) => [r.uid, [r.src_ip, r.geo_city]]))).toEqual(
        Object.fromEntries(Object.entries(fields).filter(([uid]) => odd.some((r) => r.uid === uid)))
      )
      expect(odd.length).toBe(name === 'flat.ndjson' ? 1 : 2)
    }
  })

  it('agrees with the JS path where an object stands in a place read as an array, however its key is written', async () => {
    const at = (i: number, rest: string) =>
      `{"uuid":"o-${i}","published":"2025-03-04T09:00:0${i}Z","eventType":"user.authentication.sso",` +
      `"actor":{"id":"00u${i}","type":"User","alternateId":"u${i}@example.org"},"client":{"ipAddress":"198.51.100.${i}"}${rest}}`
    const lines = [
      // The JS reader indexes an object by "0": these name the app; DuckDB's list read finds nothing.
      at(1, ',"target":{"0":{"type":"AppInstance","alternateId":"Payroll"}}'),
      at(2, ',"target" :\t {"0":{"type":"AppInstance","alternateId":"Wiki"}}'),
      at(3, ',"t\\u0061rget":{"0":{"type":"AppInstance","alternateId":"Escaped"}}'),
      at(4, ',"request":{"ipChain":{"0":{"ip":"203.0.113.9"}}}'),
      // Left to DuckDB: no target, a null one, an array, and a "target" object elsewhere in the record.
      at(5, ''),
      at(6, ',"target":null'),
      at(7, ',"target":[{"type":"AppInstance","alternateId":"Mail"}]'),
      at(8, ',"debugContext":{"debugData":{"target":{"0":{"alternateId":"nested"}}}}'),
      ...Array.from({ length: 30 }, (_, i) => at(9, `,"target":null,"n":${i}`).replace('"o-9"', `"p-${i}"`))
    ]
    const [js, fast] = await onBothPaths(lines)
    expect(fast.summary.files[0]).toMatchObject({ engine: 'duckdb', events: lines.length })
    expect(strip(fast.rows)).toEqual(strip(js.rows))
    const names = Object.fromEntries(fast.rows.map((r) => [r.uid, r.target_name]))
    expect([names['okta:o-1'], names['okta:o-2'], names['okta:o-3'], names['okta:o-7'], names['okta:o-8']]).toEqual([
      'Payroll',
      'Wiki',
      'Escaped',
      'Mail',
      null
    ])
  })

  it('agrees with the JS path on Windows line ends, indented lines, blank lines and no final newline', async () => {
    const src = readFileSync(EDGE, 'utf8')
    const dir = mkdtempSync(join(tmpdir(), 'afl-fast-shapes-'))
    const variants = {
      crlf: src.replace(/\n/g, '\r\n'),
      indented: src
        .split('\n')
        .map((l) => (l ? `  ${l}\t` : l))
        .join('\n'),
      blank: src.split('\n').join('\n\n'),
      unterminated: src.trimEnd()
    }
    for (const [name, text] of Object.entries(variants)) {
      const file = join(dir, `${name}.ndjson`)
      writeFileSync(file, text)
      const [js, fast] = await Promise.all([importWith(file, false), importWith(file, true)])
      expect(fast.summary.files[0], name).toMatchObject({ engine: 'duckdb', events: 6, rejected: 1 })
      expect(strip(fast.rows), name).toEqual(strip(js.rows))
    }
  })

  it('reads top-level JSON arrays too, pretty-printed or not, element by element', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afl-fast-array-'))
    // The fixture's records as array elements (its broken line left out), and a primitive element.
    const records = readFileSync(EDGE, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
    const objects = records.map((l) => JSON.parse(l) as unknown)
    const shapes = {
      compact: `[${records.map((l) => l.trim()).join(',')},42]`,
      pretty: JSON.stringify([...objects, 42], null, 2),
      spaced: `[\n  ${records.map((l) => l.trim()).join(' ,\n\n  ')} , 42 ]\n`
    }
    for (const [name, text] of Object.entries(shapes)) {
      const file = join(dir, `${name}.json`)
      writeFileSync(file, text)
      const [js, fast] = await Promise.all([importWith(file, false), importWith(file, true)])
      expect(js.summary.files[0], name).toMatchObject({ engine: 'js', format: 'json-array' })
      expect(fast.summary.files[0], name).toMatchObject({
        engine: 'duckdb',
        format: 'json-array',
        events: js.summary.files[0].events,
        rejected: js.summary.files[0].rejected
      })
      expect(strip(fast.rows), name).toEqual(strip(js.rows))
      expect(fast.quarantined, name).toEqual(js.quarantined)
    }
  })

  it('reads big NDJSON inside zips and gzip through DuckDB too, storing what the JS path stores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afl-fast-packed-'))
    const text = readFileSync(EDGE)
    const zip = join(dir, 'bundle.zip')
    writeFileSync(zip, await zipOf([['exports/okta.ndjson', text]]))
    const gz = join(dir, 'okta.ndjson.gz')
    writeFileSync(gz, gzipSync(text))
    for (const file of [zip, gz]) {
      const [js, fast] = await Promise.all([importWith(file, false), importWith(file, true)])
      expect(js.summary.files[0]).toMatchObject({ engine: 'js', events: 6, rejected: 1 })
      expect(fast.summary.files[0]).toMatchObject({ engine: 'duckdb', events: 6, rejected: 1, error: null })
      expect(strip(fast.rows)).toEqual(strip(js.rows))
      // The copy written for DuckDB is gone with the import's scratch folder.
      expect(readdirSync(fast.dir).filter((f) => f.startsWith('.import-scratch'))).toEqual([])
    }
  })

  it('stops a big gzip mid-way when cancelled, leaving no events and no scratch copy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afl-fast-cancel-'))
    const line = (i: number) =>
      JSON.stringify({
        uuid: `c-${i}`,
        published: new Date(Date.UTC(2025, 2, 4) + i * 1000).toISOString(),
        eventType: 'user.session.start',
        actor: { id: '00u1', type: 'User', alternateId: `u${i % 9}@example.org` },
        debugContext: { debugData: { pad: 'x'.repeat(200) } }
      })
    const gz = join(dir, 'big.ndjson.gz')
    writeFileSync(gz, gzipSync(Array.from({ length: 120_000 }, (_, i) => line(i)).join('\n') + '\n'))
    const db = await CaseDb.open(join(dir, 'case.duckdb'))
    try {
      const controller = new AbortController()
      const summary = await runImport(db, [gz], {
        signal: controller.signal,
        onStart: () => setTimeout(() => controller.abort(new Error('import cancelled')), 20)
      })
      expect(summary.status).toBe('cancelled')
      expect(await db.many(testQuery('import.test.events'))).toEqual([])
      expect(readdirSync(dir).filter((f) => f.startsWith('.import-scratch'))).toEqual([])
    } finally {
      db.close()
    }
  }, 60_000)

  it.skipIf(!existsSync(SAMPLE))('agrees with the JS path on a real Okta export', async () => {
    const [js, fast] = await Promise.all([importWith(SAMPLE, false), importWith(SAMPLE, true)])
    expect(fast.summary.files[0].engine).toBe('duckdb')
    expect(fast.rows.length).toBe(10)
    expect(strip(fast.rows)).toEqual(strip(js.rows))
  })

  it('dedupes like the JS path: repeated lines once, a re-import adds nothing, and falls back on lines DuckDB refuses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afl-fast-dedupe-'))
    const lines = readFileSync(EDGE, 'utf8').split('\n')
    const file = join(dir, 'dup.ndjson')
    writeFileSync(file, [lines[0], lines[1], lines[0], ''].join('\n'))
    const broken = join(dir, 'broken.ndjson')
    writeFileSync(broken, [lines[3], '{"eventType": nope', ''].join('\n'))
    const db = await CaseDb.open(join(dir, 'case.duckdb'))
    try {
      const limits = { fastPathMinBytes: 0 }
      const first = await runImport(db, [file], { limits })
      expect(first.files[0]).toMatchObject({ engine: 'duckdb', events: 3, newEvents: 2 })
      const again = await runImport(db, [file], { limits })
      expect(again.files[0]).toMatchObject({ engine: 'duckdb', events: 3, newEvents: 0 })
      const mixed = await runImport(db, [broken], { limits })
      expect(mixed.files[0]).toMatchObject({ engine: 'js', events: 1, rejected: 1, error: null })
    } finally {
      db.close()
    }
  })

  it('hands rows back to the JS normalizer a page at a time, however many there are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afl-fast-redo-'))
    const file = join(dir, 'odd.ndjson')
    // Targets given as a string instead of an array: the projection leaves every such SSO to the JS path.
    const line = (i: number, odd: boolean) =>
      JSON.stringify({
        uuid: `r-${i}`,
        published: new Date(Date.UTC(2025, 2, 4, 9) + i * 1000).toISOString(),
        eventType: 'user.authentication.sso',
        actor: { id: '00u1', type: 'User', alternateId: `u${i % 7}@example.org` },
        authenticationContext: { rootSessionId: `r-${i % 50}` },
        target: odd ? `[{"type":"AppInstance","alternateId":"App ${i % 3}"}]` : [{ type: 'AppInstance', alternateId: `App ${i % 3}` }]
      })
    writeFileSync(file, Array.from({ length: 23_000 }, (_, i) => line(i + 1, i >= 400)).join('\n') + '\n')
    const [js, fast] = await Promise.all([importWith(file, false), importWith(file, true)])
    expect(fast.summary.files[0]).toMatchObject({ engine: 'duckdb', events: 23_000, newEvents: 23_000 })
    expect(js.summary.files[0]).toMatchObject({ engine: 'js', events: 23_000, newEvents: 23_000 })
    expect(strip(fast.rows)).toEqual(strip(js.rows))
  }, 60_000)

  it('leaves nothing of a file a crash cut between its two transactions, once the case opens again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afl-fast-cut-'))
    const path = join(dir, 'case.duckdb')
    const copy = join(dir, 'log.ndjson')
    copyFileSync(EDGE, copy)
    const db = await CaseDb.open(path)
    const done = await runImport(db, [copy], { limits: { fastPathMinBytes: 0 } })
    expect(done.files[0]).toMatchObject({ engine: 'duckdb', newEvents: 6 })
    // What the first transaction of a second import leaves when the process dies before the second one:
    // its rows are committed, its file row is not, its import still reads as running.
    const sql = await db.connect()
    await sql.connection.run("INSERT INTO imports (id, started_at, status, paths) VALUES ('cut', now(), 'running', '[]')")
    await sql.connection.run(
      "INSERT INTO events SELECT * REPLACE ('cut' AS import_id, 'more.ndjson' AS file_path, 0 AS record_no, uid || ':cut' AS uid) FROM events"
    )
    sql.connection.closeSync()
    db.close()

    const reopened = await openCaseDb(path)
    try {
      const rows = await reopened.many<{ import_id: string; n: bigint }>(testQuery('import.test.events-by-import'))
      expect(rows.map((r) => [r.import_id, Number(r.n)])).toEqual([[done.id, 6]])
      const [cut] = (await reopened.many<{ id: string; status: string }>('import.list', { limit: 10 })).filter((i) => i.id === 'cut')
      expect(cut.status).toBe('interrupted')
    } finally {
      reopened.close()
    }
  })

  it('writes a big file without FSST text encoding, and puts both import settings back afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afl-fast-fsst-'))
    const file = join(dir, 'big.ndjson')
    // More than a row group (122,880 rows): DuckDB writes those straight to the file during the import.
    const lines = Array.from({ length: 130_000 }, (_, i) =>
      JSON.stringify({
        uuid: `evt-${i.toString(36)}-${(i * 7919).toString(16)}`,
        published: '2025-03-04T10:00:00Z',
        eventType: 'user.session.start',
        actor: { alternateId: `user${i % 997}@example.org` }
      })
    )
    writeFileSync(file, lines.join('\n') + '\n')
    const db = await CaseDb.open(join(dir, 'case.duckdb'))
    const sql = await db.connect()
    try {
      const setting = async (name: string) => (await sql.connection.runAndReadAll(`SELECT current_setting('${name}')::VARCHAR AS v`)).getRowObjectsJS()[0].v
      const memory = await setting('memory_limit')
      const done = await runImport(db, [file], { limits: { fastPathMinBytes: 0 } })
      expect(done.files[0]).toMatchObject({ engine: 'duckdb', newEvents: 130_000 })
      const encodings = (await sql.connection.runAndReadAll("SELECT DISTINCT compression FROM pragma_storage_info('events') WHERE column_name = 'uid'"))
        .getRowObjectsJS()
        .map((r) => r.compression)
      expect(encodings.length).toBeGreaterThan(0)
      expect(encodings).not.toContain('FSST')
      expect(await setting('disabled_compression_methods')).toBe('')
      expect(await setting('memory_limit')).toBe(memory)
    } finally {
      sql.connection.closeSync()
      db.close()
    }
  })

  it('moves the progress bar while DuckDB reads a big file, and a cancel interrupts it at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afl-fast-cancel-'))
    const file = join(dir, 'big.ndjson')
    // About 4 s of work on the build machine, so that the cancel lands while the insert runs.
    const lines = Array.from({ length: 1_000_000 }, (_, i) =>
      JSON.stringify({
        uuid: `c-${i}`,
        published: '2025-03-04T10:00:00Z',
        eventType: 'user.session.start',
        actor: { alternateId: `user${i % 997}@example.org` },
        client: { ipAddress: `198.51.100.${i % 200}` }
      })
    )
    writeFileSync(file, lines.join('\n') + '\n')
    const db = await CaseDb.open(join(dir, 'case.duckdb'))
    const cancel = new AbortController()
    let cancelledAt = 0
    const seen: number[] = []
    try {
      const run = runImport(db, [file], {
        signal: cancel.signal,
        progressMs: 0,
        limits: { fastPathMinBytes: 0 },
        onProgress: (p) => {
          seen.push(p.bytesDone)
          // Past the first megabyte (read to choose the path), the bytes come from DuckDB's own progress.
          if (!cancelledAt && p.bytesDone > 2 ** 20 && p.bytesDone < p.bytesTotal) {
            cancelledAt = performance.now()
            cancel.abort()
          }
        }
      })
      const summary = await run.catch((err: unknown) => err)
      const settled = performance.now() - cancelledAt
      expect(cancelledAt).toBeGreaterThan(0)
      expect(summary).toMatchObject({ status: 'cancelled' })
      expect(settled).toBeLessThan(1500)
      expect(await db.many(testQuery('import.test.events'))).toEqual([])
    } finally {
      db.close()
    }
  }, 60_000)

  it('compiles only sources whose every field is data or has a SQL form', () => {
    const compiled = MAPPINGS.filter((m) => compileProjection(m) !== null).map((m) => m.id)
    expect(compiled).toContain('okta')
    for (const id of compiled) expect(MAPPINGS.find((m) => m.id === id)!.fast).toBeDefined()
  })
})
