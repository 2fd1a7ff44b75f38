import { join } from 'node:path'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { calls } from '../../contract'
import { CALL_NAMES, callChannel, pushChannel } from '../../contract/call-names'

const ROOT = join(__dirname, '..', '..')

describe('call names for the preload', () => {
  it('lists every contract call exactly once', () => {
    expect(new Set(CALL_NAMES).size).toBe(CALL_NAMES.length)
    expect([...CALL_NAMES].sort()).toEqual(Object.keys(calls).sort())
  })

  it('names one channel per call and per push event', () => {
    expect(callChannel('chains.get')).toBe('afterlogin:chains.get')
    expect(pushChannel('case.changed')).toBe('afterlogin:push:case.changed')
  })

  it('keeps the zod schemas out of the preload bundle', async () => {
    const out = await build({
      entryPoints: [join(ROOT, 'preload', 'index.ts')],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
      logLevel: 'silent'
    })
    const text = out.outputFiles[0].text
    expect(text).toContain('chains.get')
    expect(text).not.toMatch(/ZodError|ZodObject/)
    expect(text.length).toBeLessThan(20_000)
  })
})
