import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/chromium'
import { startWebMode, type WebMode } from '../helpers/web-mode'
import { AppPage } from './pages/app-page'

let web: WebMode
let browser: Browser

beforeAll(async () => {
  ;[web, browser] = await Promise.all([startWebMode(), launchChromium()])
})
afterAll(async () => {
  await browser?.close()
  await web?.stop()
})

describe('first launch in web mode', () => {
  it('opens the demo case and shows its counts from DuckDB', async () => {
    const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 } }))
    await app.open(web.url)
    await expect.poll(() => app.caseName().textContent()).toContain('Demo')
    await app.byTestId('case-home').waitFor()
    // The demo fills itself on first open: the case shows at once, its counts follow when the import lands.
    await app.page.locator('[data-testid="shell"][data-ready="true"]').waitFor()
    const info = await web.call<{ events: number; sources: unknown[] }>('case.info')
    expect(info.events).toBeGreaterThan(0)
    expect(info.sources.length).toBeGreaterThanOrEqual(8)
    await expect.poll(async () => Number((await app.eventCount().textContent())!.replace(/,/g, ''))).toBe(info.events)
    // The token leaves the address bar once read.
    expect(app.page.url()).not.toContain('token=')
    await app.screenshot('demo-case-home')
    expect(app.errors).toEqual([])
  })

  it('shows a clear page without the token', async () => {
    const page = await browser.newPage()
    await page.goto(web.origin + '/')
    await page.getByTestId('no-transport').waitFor()
    await page.close()
  })
})
