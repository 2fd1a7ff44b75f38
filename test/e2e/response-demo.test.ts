import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/chromium'
import { startWebMode, tempHome, type WebMode } from '../helpers/web-mode'
import { AppPage } from './pages/app-page'
import { ResponsePage } from './pages/response-page'

// A first launch: no AFTERLOGIN_* connector variables, nothing configured. The demo case's simulated providers
// (loopback, labelled "simulated") are all a newcomer needs to preview, dry-run, respond and verify the audit trail.
let web: WebMode
let browser: Browser
const home = tempHome()
const CONNECTORS = ['okta', 'entra', 'google', 'slack', 'github', 'salesforce', 'ssf']

beforeAll(async () => {
  const clean = Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => k.startsWith('AFTERLOGIN_') && k !== 'AFTERLOGIN_HOME')
      .map((k) => [k, ''])
  )
  ;[web, browser] = await Promise.all([startWebMode({ home, env: clean }), launchChromium()])
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await web?.stop()
})

describe('response on the demo with simulated providers', () => {
  it(
    'Settings shows them as simulated and their connection works; the top chain is dry-run, then terminated through a 429, and the audit trail verifies',
    { timeout: 180_000 },
    async () => {
      const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 } }))
      const rsp = new ResponsePage(app.page)
      await app.open(web.url)

      await rsp.openConnectorSettings()
      for (const id of CONNECTORS) {
        const row = rsp.connectorRow(id)
        await expect.poll(() => row.getAttribute('data-simulated'), { timeout: 30_000 }).toBe('true')
        expect(await row.getAttribute('data-configured'), id).toBe('true')
        expect(await row.textContent()).toContain('simulated')
      }
      expect(await rsp.testConnection('okta')).toBe('true')
      expect(await rsp.connectorPermissions('okta')).toContain('okta.users.manage')
      await app.screenshot('connector-settings')

      await rsp.openTopChain()
      await rsp.respondFromIdentityNode()
      await rsp.dryRun(true)
      await rsp.preview()
      expect(await rsp.plan('okta').getAttribute('data-simulated')).toBe('true')
      expect(await rsp.permissions('okta')).toContain('okta.users')
      await rsp.confirm('first look at what would be sent', 'dana')
      for (const id of CONNECTORS) expect(await rsp.finalStatus(id), id).toBe('dry-run')
      await rsp.close()

      await rsp.respondFromIdentityNode()
      await rsp.dryRun(false)
      await rsp.preview()
      await rsp.confirm('Okta session replayed from another country; exports and a forwarding rule followed', 'dana')
      const final: Record<string, string> = {}
      for (const id of CONNECTORS) final[id] = await rsp.finalStatus(id)
      expect(final).toEqual(Object.fromEntries(CONNECTORS.map((id) => [id, 'done'])))
      // The simulated Okta answered the first session wipe with 429: the call shows its second attempt.
      expect(await rsp.liveStatus('okta').textContent()).toMatch(/2 attempts/)
      await app.screenshot('response-demo-live-status')

      await rsp.openAuditTab()
      await expect.poll(() => rsp.auditActions().count()).toBeGreaterThanOrEqual(CONNECTORS.length * 2)
      expect(await rsp.verify()).toBe('true')
      expect(app.errors).toEqual([])
    }
  )
})
