import { describe, expect, it } from 'vitest'
import { hostAllowed, originAllowed, staticFile, tokenAllowed } from '../../cli/web/guards'

describe('web mode guards', () => {
  it.each([
    ['127.0.0.1:5000', true],
    ['localhost:5000', true],
    ['127.0.0.1:5001', false],
    ['127.0.0.1', false],
    ['evil.example:5000', false],
    ['127.0.0.1.nip.io:5000', false],
    ['localhost.evil:5000', false],
    ['user@127.0.0.1:5000', false],
    ['127.0.0.1:5000/x', false],
    ['[::1]:5000', false],
    ['', false],
    [undefined, false]
  ])('Host %s → %s', (host, ok) => expect(hostAllowed(host, 5000)).toBe(ok))

  it.each([
    [undefined, true],
    ['http://127.0.0.1:5000', true],
    ['http://localhost:5000', true],
    ['https://127.0.0.1:5000', false],
    ['http://127.0.0.1:5001', false],
    ['http://evil.example', false],
    ['null', false],
    ['http://127.0.0.1:5000.evil.example', false],
    ['http://127.0.0.1:5000/path', false]
  ])('Origin %s → %s', (origin, ok) => expect(originAllowed(origin, 5000)).toBe(ok))

  it('checks the bearer token exactly', () => {
    expect(tokenAllowed('Bearer abc_DEF-1', 'abc_DEF-1')).toBe(true)
    expect(tokenAllowed('Bearer abc_DEF-2', 'abc_DEF-1')).toBe(false)
    expect(tokenAllowed('Bearer abc_DEF-1x', 'abc_DEF-1')).toBe(false)
    expect(tokenAllowed('bearer abc_DEF-1', 'abc_DEF-1')).toBe(false)
    expect(tokenAllowed('abc_DEF-1', 'abc_DEF-1')).toBe(false)
    expect(tokenAllowed(undefined, 'abc_DEF-1')).toBe(false)
  })

  it.each([
    ['/', '/srv/r/index.html'],
    ['/assets/a.js', '/srv/r/assets/a.js'],
    ['/../etc/passwd', '/srv/r/etc/passwd'],
    ['/%2e%2e/%2e%2e/etc/passwd', '/srv/r/etc/passwd'],
    ['/..%2f..%2fetc/passwd', null],
    ['/a%00.js', null],
    ['/%E0%A4%A', null]
  ])('static %s → %s', (path, expected) => expect(staticFile('/srv/r', path)).toBe(expected))
})
