import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateHijackBundle } from '../../core/demo/bundle-generator'

const dirs: string[] = []
const temp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'afterlogin-bundle-'))
  dirs.push(d)
  return d
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

describe('hijack bundle generator', () => {
  it('writes every source in its vendor shape under neutral names, deterministically', async () => {
    const a = await generateHijackBundle(await temp(), { seed: 7 })
    const b = await generateHijackBundle(await temp(), { seed: 7 })
    expect(a.files.map((f) => f.split('/').pop())).toEqual(b.files.map((f) => f.split('/').pop()))
    for (let i = 0; i < a.files.length; i++) expect(await readFile(a.files[i], 'utf8')).toBe(await readFile(b.files[i], 'utf8'))
    for (const f of a.files) expect(f).toMatch(/part-\d{3}\.(json|ndjson|csv)$/)
    for (const [source, n] of Object.entries(a.events)) expect(n, source).toBeGreaterThan(0)

    const okta = JSON.parse(await readFile(a.files[0], 'utf8')) as Array<{
      eventType: string
      client: { ipAddress: string }
      authenticationContext: { externalSessionId: string }
    }>
    const replayed = okta.filter((e) => e.authenticationContext.externalSessionId === a.hijacked.oktaSession)
    expect(new Set(replayed.map((e) => e.client.ipAddress))).toEqual(new Set([a.hijacked.homeIp, a.hijacked.attackerIp]))
    expect(JSON.parse(await readFile(a.files[4], 'utf8')).entries.length).toBe(a.events.slack)
    expect(JSON.parse(await readFile(a.files[10], 'utf8')).Records.some((r: { eventName: string }) => r.eventName === 'AttachUserPolicy')).toBe(true)
    expect((await readFile(a.files[7], 'utf8')).split('\n')[0]).toContain('"EVENT_TYPE","TIMESTAMP"')
  })

  it('scales the hijacked session for performance work', async () => {
    const small = await generateHijackBundle(await temp(), { scale: 1 })
    const big = await generateHijackBundle(await temp(), { scale: 20 })
    const total = (x: typeof small) => Object.values(x.events).reduce((s, n) => s + n, 0)
    expect(total(big) - total(small)).toBeGreaterThan(19 * 480)
  })
})
