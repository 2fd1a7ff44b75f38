import { describe, expect, it } from 'vitest'
import { principalOf } from '../../core/response/connectors/aws'
import { soqlString } from '../../core/response/connectors/salesforce'
import { checkBaseUrl, joinUrl, seg } from '../../core/response/http'
import { backoffMs, DEFAULT_POLICY, resetEpochMs, retryAfterMs, waitFromHeaders } from '../../core/response/rate-limit'
import { redactor } from '../../core/response/redact'

describe('rate-limit signals', () => {
  const now = Date.parse('2026-11-27T12:00:00Z')
  it.each([
    ['3', 3000],
    ['0', 0],
    ['Fri, 27 Nov 2026 12:00:05 GMT', 5000],
    ['Fri, 27 Nov 2026 11:00:00 GMT', 0],
    ['soon', null],
    [undefined, null]
  ])('Retry-After %j → %j ms', (v, ms) => expect(retryAfterMs(v, now)).toBe(ms))

  it('reads Okta/GitHub reset epochs and prefers Retry-After', () => {
    expect(resetEpochMs(String(now / 1000 + 7), now)).toBe(7000)
    expect(waitFromHeaders({ 'x-rate-limit-reset': String(now / 1000 + 9) }, now)).toBe(9000)
    expect(waitFromHeaders({ 'x-ratelimit-reset': String(now / 1000 + 4) }, now)).toBe(4000)
    expect(waitFromHeaders({ 'retry-after': '2', 'x-rate-limit-reset': String(now / 1000 + 9) }, now)).toBe(2000)
  })

  it('caps exponential backoff', () => {
    for (let attempt = 1; attempt < 20; attempt++) expect(backoffMs(attempt, DEFAULT_POLICY, () => 1)).toBeLessThanOrEqual(DEFAULT_POLICY.maxDelayMs)
    expect(backoffMs(1, DEFAULT_POLICY, () => 0)).toBe(DEFAULT_POLICY.baseDelayMs / 2)
  })
})

describe('hostile input never widens a call', () => {
  it.each([
    ['https://acme.okta.com', true],
    ['http://127.0.0.1:8080', true],
    ['http://acme.okta.com', false],
    ['https://user:pw@acme.okta.com', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false]
  ])('base URL %s allowed: %s', (url, ok) => {
    if (ok) expect(() => checkBaseUrl(url, 'X')).not.toThrow()
    else expect(() => checkBaseUrl(url, 'X')).toThrow()
  })

  it('encodes path segments so a login cannot walk the URL', () => {
    expect(joinUrl('https://h/api/', '/v1/users/' + seg('../../admin?x=1#'))).toBe('https://h/api/v1/users/..%2F..%2Fadmin%3Fx%3D1%23')
  })

  it('escapes SOQL literals', () => {
    expect(soqlString("a' OR Username != '")).toBe("'a\\' OR Username != \\''")
    expect(soqlString('back\\slash')).toBe("'back\\\\slash'")
  })

  it.each([
    ['arn:aws:iam::123456789012:role/ci-deployer', { kind: 'role', name: 'ci-deployer' }],
    ['arn:aws:iam::123456789012:role/service-role/path/ci', { kind: 'role', name: 'ci' }],
    ['arn:aws:sts::123456789012:assumed-role/ci-deployer/i-0abc', { kind: 'role', name: 'ci-deployer' }],
    ['arn:aws:iam::123456789012:user/alice', { kind: 'user', name: 'alice' }],
    ['user/alice', { kind: 'user', name: 'alice' }],
    ['alice', { kind: 'user', name: 'alice' }]
  ])('AWS principal of %s', (who, p) => expect(principalOf(who)).toEqual(p))

  it('rejects what is no IAM name', () => expect(() => principalOf('alice; rm -rf /')).toThrow(/not an IAM/))
})

describe('redaction', () => {
  it('removes configured secrets and bearer credentials', () => {
    const r = redactor(['s3cr3t-token-value', 'abc'])
    expect(r('failed with s3cr3t-token-value in body')).toBe('failed with [redacted] in body')
    expect(r('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y')).toBe('Authorization: Bearer [redacted]')
    expect(r('SSWS 00abcdefghijklmnop')).toBe('SSWS [redacted]')
    // Too short to redact safely without mangling ordinary words.
    expect(r('abc')).toBe('abc')
  })
})
