import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ConnectorId } from '../../contract'
import { responseService } from '../../core/response/response-handlers'
import { Workbench } from '../../core/workbench'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

describe('response on the demo case, through simulated providers', () => {
  it('offers every demo connector as simulated with no account, previews, retries a 429, and the audit trail verifies', async () => {
    const home = await mkdtemp(join(tmpdir(), 'afterlogin-demo-sim-'))
    dirs.push(home)
    // No AFTERLOGIN_* variables and nothing configured: a first launch.
    const wb = new Workbench({ dataDir: home, transport: 'web', version: 'test' })
    try {
      await wb.handlers['case.openDemo']({})
      const top = (await wb.handlers['chains.list']({ offset: 0, limit: 5, sort: 'risk', filter: {} })).rows[0]
      const list = await wb.handlers['response.connectors']({})
      const demo: ConnectorId[] = ['okta', 'entra', 'google', 'slack', 'github', 'salesforce', 'ssf']
      for (const id of demo)
        expect(
          list.find((c) => c.id === id),
          id
        ).toMatchObject({ configured: true, simulated: true })
      expect(list.find((c) => c.id === 'aws')).toMatchObject({ simulated: false })

      const preview = await wb.handlers['response.preview']({
        identity: top.identity,
        action: 'terminate-session',
        connectors: ['okta', 'salesforce'],
        chainId: top.id
      })
      expect(preview.plans.every((p) => p.configured && p.calls.length > 0 && p.permissions.length > 0)).toBe(true)

      const dry = await wb.handlers['response.execute']({
        identity: top.identity,
        action: 'terminate-session',
        connectors: ['okta'],
        chainId: top.id,
        reason: 'first look',
        dryRun: true
      })
      expect(dry[0].status).toBe('dry-run')

      const sent = await wb.handlers['response.execute']({
        identity: top.identity,
        action: 'terminate-session',
        connectors: ['okta', 'salesforce'],
        chainId: top.id,
        reason: 'stolen session replayed',
        dryRun: false
      })
      await responseService(wb).idle()
      const okta = await wb.handlers['response.action']({ id: sent.find((a) => a.connector === 'okta')!.id })
      expect(okta.status).toBe('done')
      // The simulated Okta throttles the first session wipe: the attempt log shows the 429 and the retry.
      expect(okta.attempts.some((a) => a.httpStatus === 429)).toBe(true)
      expect(okta.attempts.length).toBeGreaterThan(okta.calls.length)
      const sf = await wb.handlers['response.action']({ id: sent.find((a) => a.connector === 'salesforce')!.id })
      expect(sf.status).toBe('done')
      expect(await wb.handlers['audit.verify']({})).toMatchObject({ ok: true })
      const test = await wb.handlers['response.test']({ connector: 'okta' })
      expect(test).toMatchObject({ ok: true, httpStatus: 200 })
    } finally {
      wb.close()
    }
  }, 180_000)
})
