import { isIP } from 'node:net'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { entryNameProblem, ratioProblem, DEFAULT_LIMITS } from '../../core/import/guards'
import { JsonScanner, type ScannedRecord } from '../../core/import/json-scanner'
import { readRecords } from '../../core/import/records'
import { detectSource, isoFromMicros, parseTime } from '../../core/sources'
import { cleanIp } from '../../core/sources/values'

const iso = (v: unknown): string | null | undefined => {
  const us = parseTime(v)
  return typeof us === 'number' ? isoFromMicros(us) : us
}

describe('time values as the exports write them', () => {
  it.each([
    ['2025-03-04T09:01:02Z', '2025-03-04T09:01:02.000000Z'],
    ['2025-03-04T09:01:02.123Z', '2025-03-04T09:01:02.123000Z'],
    ['2025-03-04T09:01:02.123456Z', '2025-03-04T09:01:02.123456Z'],
    ['2025-03-04T09:01:02.1234567Z', '2025-03-04T09:01:02.123456Z'],
    ['2025-03-04T09:01:02.123-05:00', '2025-03-04T14:01:02.123000Z'],
    ['2025-03-04T09:01:02.123+0000', '2025-03-04T09:01:02.123000Z'],
    ['2025-03-04T09:01:02+0130', '2025-03-04T07:31:02.000000Z'],
    ['2025-03-04T09:01:02', '2025-03-04T09:01:02.000000Z'],
    ['2024-05-02 18:46:21.121000000', '2024-05-02T18:46:21.121000Z'],
    ['2021-05-20 15:53:47Z', '2021-05-20T15:53:47.000000Z'],
    ['20230321171017.871', '2023-03-21T17:10:17.871000Z'],
    ['3/24/2022 2:42:35 PM', '2022-03-24T14:42:35.000000Z'],
    [1741079220, '2025-03-04T09:07:00.000000Z'],
    [1741079220123, '2025-03-04T09:07:00.123000Z'],
    ['1717764280.813000', '2024-06-07T12:44:40.813000Z'],
    ['2025-03-04', '2025-03-04T00:00:00.000000Z']
  ])('%s → %s', (input, expected) => expect(iso(input)).toBe(expected))

  it.each([[''], ['null'], [null], [undefined], ['<null>']])('%s is no value', (v) => expect(parseTime(v)).toBeUndefined())
  it.each([['yesterday'], ['2024-02-31T00:00:00Z'], ['99999999999999999999'], [{}], ['12:00']])('%s is not a time', (v) => expect(parseTime(v)).toBeNull())
})

describe('IP fields', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['203.0.113.7:51234', '203.0.113.7'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['198.51.100.1, 10.0.0.1', '198.51.100.1'],
    ['Salesforce.com IP', null],
    ['s3.amazonaws.com', null],
    ['REDACTED', null],
    ['null', null],
    ['<null>', null]
  ])('%s → %s', (input, expected) => expect(cleanIp(input)).toBe(expected))

  it("takes for an address exactly what Node's isIP takes, on addresses bent out of shape", () => {
    // The rules are written out (DuckDB's clean_ip uses the same text); Node's own isIP is the reference.
    let seed = 7
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n
    const chars = '0123456789abcdefABCDEF:.%[]g '
    const seeds = [
      '198.51.100.7',
      '::1',
      '::',
      'fe80::1%eth0',
      '2001:db8::1',
      '::ffff:192.0.2.1',
      '1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6:192.0.2.1',
      '[2001:db8::1]:443',
      '192.0.2.1:8080'
    ]
    let valid = 0
    for (let i = 0; i < 200_000; i++) {
      let s = seeds[i % seeds.length]
      for (let j = rand(4); j > 0; j--) {
        const at = rand(s.length + 1)
        s = s.slice(0, at) + chars[rand(chars.length)] + s.slice(at + rand(2))
      }
      const first = s.trim()
      const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(first)?.[1]
      const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(first)?.[1]
      const expected = isIP(first) ? first : bracketed && isIP(bracketed) ? bracketed : withPort && isIP(withPort) ? withPort : null
      if (expected) valid++
      if (cleanIp(s) !== (first ? expected : null)) expect([s, cleanIp(s)]).toEqual([s, expected])
    }
    expect(valid).toBeGreaterThan(50_000)
  })
})

describe('archive entry names', () => {
  it.each([
    ['okta/2025-03.json', null],
    ['a/b/../../c.json', /escapes/],
    ['../evil.json', /escapes/],
    ['..\\evil.json', /escapes/],
    ['/etc/passwd', /absolute/],
    ['C:\\Windows\\x.json', /absolute/],
    ['c:x.json', /absolute/],
    ['\\\\server\\share\\x', /absolute/],
    ['ok\u0000.json', /NUL/],
    ['', /empty/],
    ['..foo/bar.json', null]
  ])('%j', (name, expected) => {
    const problem = entryNameProblem(name)
    if (expected === null) expect(problem).toBeNull()
    else expect(problem).toMatch(expected)
  })

  it('calls an absurd expansion ratio a bomb, small files never', () => {
    expect(ratioProblem(1000, 1000 * 1000 * 1000, DEFAULT_LIMITS)).toMatch(/bomb/)
    expect(ratioProblem(10, 1024 * 1024, DEFAULT_LIMITS)).toBeNull()
    expect(ratioProblem(10_000_000, 100_000_000, DEFAULT_LIMITS)).toBeNull()
  })
})

const scan = (text: string, chunk: number): ScannedRecord[] => {
  const s = new JsonScanner(1 << 20)
  const out: ScannedRecord[] = []
  for (let i = 0; i < text.length; i += chunk) s.feed(text.slice(i, i + chunk), out)
  s.end(out)
  return out
}

describe('JSON record splitting', () => {
  const cases: [string, string, string[]][] = [
    ['array', '[ {"a":1}, {"b":"x]}"} ]', ['{"a":1}', '{"b":"x]}"}']],
    ['Graph envelope', '{"@odata.context":"x","value":[{"a":[1,2]},{"b":{"c":"\\"}"}}],"@odata.nextLink":null}', ['{"a":[1,2]}', '{"b":{"c":"\\"}"}}']],
    ['Records envelope, pretty', '{\n  "Records": [\n    {"eventName": "A"},\n    {"eventName": "B"}\n  ]\n}\n', ['{"eventName": "A"}', '{"eventName": "B"}']],
    ['concatenated objects', '{"a":1}\n  {"b":2}{"c":3}', ['{"a":1}', '{"b":2}', '{"c":3}']],
    ['single object', '{"kind":"x","data":{"payload":{}}}', ['{"kind":"x","data":{"payload":{}}}']],
    ['primitives in an array', '[1, "two", {"x":3}]', ['1', '"two"', '{"x":3}']]
  ]
  it.each(cases)('%s, at every chunk size', (_name, text, expected) => {
    for (const size of [1, 2, 3, 7, text.length]) expect(scan(text, size).map((r) => r.raw)).toEqual(expected)
  })

  it('reports a truncated document as an error, a truncated last NDJSON record as a record', () => {
    expect(() => scan('[{"a":1},{"b":', 4)).toThrow(/truncated JSON/)
    expect(scan('{"a":1}\n{"b":', 3).map((r) => [r.raw, r.truncated ?? false])).toEqual([
      ['{"a":1}', false],
      ['{"b":', true]
    ])
  })

  it('splits an NDJSON line that is an API page, and keeps whole a record that merely holds an array under such a key', async () => {
    const page = JSON.stringify({
      Records: [
        { eventSource: 's3.amazonaws.com', eventName: 'A' },
        { eventSource: 's3.amazonaws.com', eventName: 'B' }
      ]
    })
    // A Google activity without its optional keys (etag, ipAddress): four keys, one of them an `events` array.
    const activity = JSON.stringify({
      kind: 'admin#reports#activity',
      id: { time: '2026-11-30T21:40:11.000Z', uniqueQualifier: '-1', applicationName: 'gmail', customerId: 'C01' },
      actor: { callerType: 'USER', email: 'dana@acme.example' },
      events: [{ type: 'delivery_type', name: 'delivery', parameters: [] }]
    })
    const src = readRecords(Readable.from([Buffer.from(`${page}\n${activity}\n`)]), 1024 * 1024)
    const raws: string[] = []
    for await (const batch of src.records) raws.push(...batch.map((r) => r.raw))
    expect(raws).toEqual([
      JSON.stringify({ eventSource: 's3.amazonaws.com', eventName: 'A' }),
      JSON.stringify({ eventSource: 's3.amazonaws.com', eventName: 'B' }),
      activity
    ])
  })

  it('refuses a record over the limit', () => {
    const s = new JsonScanner(100)
    expect(() => s.feed(`[{"a":"${'x'.repeat(200)}"}]`, [])).toThrow(/longer than/)
  })
})

describe('source signatures', () => {
  it.each([
    [{ eventType: 'user.session.start', published: '2025-01-01T00:00:00Z', actor: { alternateId: 'a' } }, 'okta'],
    [{ time: '2025-01-01T00:00:00Z', category: 'SignInLogs', operationName: 'Sign-in activity', properties: {} }, 'entra'],
    [{ Type: 'SigninLogs', TimeGenerated: '2025-01-01T00:00:00Z' }, 'entra'],
    [{ activityDateTime: '2025-01-01T00:00:00Z', initiatedBy: {} }, 'entra'],
    [{ CreationTime: '2025-01-01T00:00:00', Operation: 'x', Workload: 'Exchange', RecordType: 1 }, 'm365'],
    [{ Type: 'OfficeActivity', TimeGenerated: '2025-01-01T00:00:00Z', Operation: 'x' }, 'm365'],
    [{ kind: 'admin#reports#activity', id: { applicationName: 'login' }, actor: {} }, 'google_workspace'],
    [{ date_create: 1, action: 'user_login', actor: {}, context: { location: {} } }, 'slack'],
    [{ action: 'org.add_member', actor: 'a', created_at: 1, org: 'o' }, 'github'],
    // A user's security log entry: no organization, the audit log's document id.
    [{ action: 'codespaces.export_environment', actor: 'a', '@timestamp': 1, _document_id: 'd', user: 'a' }, 'github'],
    [{ action: 'repo.create', actor: 'a', '@timestamp': 1 }, 'generic'],
    [{ EVENT_TYPE: 'Login', TIMESTAMP: '20250101000000.000' }, 'salesforce'],
    [{ channel: '/event/LoginEventStream', data: {} }, 'salesforce'],
    [{ eventSource: 's3.amazonaws.com', eventName: 'GetObject', userIdentity: {} }, 'aws'],
    [{ EVENT_TYPE: 'LOGIN', EVENT_ID: '1', EVENT_TIMESTAMP: '1', USER_NAME: 'x' }, 'generic'],
    [{ foo: 1 }, 'generic']
  ])('%j → %s', (record, source) => expect(detectSource(record).id).toBe(source))
})
