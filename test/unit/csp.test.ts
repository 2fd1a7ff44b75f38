import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { WEB_CSP } from '../../cli/web/server'
import { ROOT } from '../helpers/web-mode'

const directives = (csp: string) =>
  Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([k, ...v]) => [k, v])
  )

describe('production CSP', () => {
  for (const [where, html] of [
    ['source', join(ROOT, 'renderer/index.html')],
    ['built', join(ROOT, 'out/renderer/index.html')]
  ]) {
    it(`is strict in the ${where} renderer html`, () => {
      const text = readFileSync(html, 'utf8')
      const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(text)?.[1]
      expect(csp).toBeDefined()
      const d = directives(csp!)
      expect(d['default-src']).toEqual(["'self'"])
      expect(d['script-src']).toEqual(["'self'"])
      expect(d['object-src']).toEqual(["'none'"])
      expect(d['base-uri']).toEqual(["'none'"])
      expect(d['connect-src']).toEqual(["'self'"])
      expect(csp).not.toMatch(/unsafe-eval|unsafe-inline'[^;]*script|https?:|\*/)
      // No inline scripts in the page itself.
      expect(text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    })
  }

  it('is sent by the web mode with frame-ancestors none', () => {
    const d = directives(WEB_CSP)
    expect(d['script-src']).toEqual(["'self'"])
    expect(d['frame-ancestors']).toEqual(["'none'"])
    expect(WEB_CSP).not.toMatch(/unsafe-eval/)
  })
})
