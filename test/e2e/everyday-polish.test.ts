import { readFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANOMALIES, CATEGORIES } from '../../core/policies/policies'
import { launchChromium } from '../helpers/chromium'
import { startWebMode, tempHome, type WebMode } from '../helpers/web-mode'
import { AppPage } from './pages/app-page'
import { CasePage } from './pages/case-page'
import { InvestigationPage } from './pages/investigation-page'

// The analyst's everyday path in web mode: the demo builds with a visible progress state, popovers close as
// expected, filters stay with their case, the last case reopens on the next launch, and the report and
// exports come out of the UI as downloads.
const home = tempHome('afterlogin-polish-')
let web: WebMode
let browser: Browser

beforeAll(async () => {
  ;[web, browser] = await Promise.all([startWebMode({ home }), launchChromium()])
})
afterAll(async () => {
  await browser?.close()
  await web?.stop()
})

const shellReady = (app: AppPage) => app.page.locator('[data-testid="shell"][data-ready="true"]').waitFor({ timeout: 60_000 })

describe('everyday polish', () => {
  it('shows the demo being built, never an empty case, then its counts', async () => {
    const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 } }))
    const cases = new CasePage(app.page)
    // Record, from the first paint on, whether the empty-case message ever showed while the demo was built.
    await app.page.addInitScript(() => {
      const g = globalThis as unknown as {
        __sawEmpty: boolean
        document: { querySelector(s: string): unknown }
        MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void }
      }
      g.__sawEmpty = false
      new g.MutationObserver(() => {
        if (g.document.querySelector('[data-testid="no-sources"]')) g.__sawEmpty = true
      }).observe(g.document, { childList: true, subtree: true })
    })
    await app.page.goto(web.url)
    await cases.building().waitFor({ timeout: 30_000 })
    expect(await cases.building().textContent()).toMatch(/Building the demo case/)
    await shellReady(app)
    await expect.poll(async () => Number((await app.eventCount().textContent())!.replace(/,/g, ''))).toBeGreaterThan(1000)
    expect(await app.page.evaluate(() => (globalThis as unknown as { __sawEmpty: boolean }).__sawEmpty)).toBe(false)
    expect(await cases.building().count()).toBe(0)
    expect(app.errors).toEqual([])
    await app.page.close()
  })

  it('closes the Cases popover on Escape, an outside press, and after creating a case', async () => {
    const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 } }))
    const cases = new CasePage(app.page)
    await app.open(web.url)
    await cases.openCases()
    await app.page.keyboard.press('Escape')
    await cases.casesPopover().waitFor({ state: 'detached' })
    await cases.openCases()
    await app.byTestId('case-home').click({ position: { x: 20, y: 300 } })
    await cases.casesPopover().waitFor({ state: 'detached' })
    // The toggle button still toggles.
    await cases.openCases()
    await cases.casesButton().click()
    await cases.casesPopover().waitFor({ state: 'detached' })
    await cases.createCase('Second case')
    await cases.casesPopover().waitFor({ state: 'detached' })
    await expect.poll(() => app.caseName().textContent()).toContain('Second case')
    await cases.openRecent('Demo')
    await cases.casesPopover().waitFor({ state: 'detached' })
    await expect.poll(() => app.caseName().textContent()).toContain('Demo')
    expect(app.errors).toEqual([])
    await app.page.close()
  })

  it('keeps a filter with its case: it never applies in the next case and is back on return', async () => {
    const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 } }))
    const cases = new CasePage(app.page)
    const inv = new InvestigationPage(app.page)
    await app.open(web.url)
    await expect.poll(() => app.caseName().textContent()).toContain('Demo')
    await inv.goto('sessions')
    await app.byTestId('filter-text').fill('maria')
    await expect.poll(() => app.byTestId('sessions-count').textContent()).toMatch(/^2 chains/)
    // Human labels in the list: responses and reasons in words, no snake_case ids.
    const row = inv.chainRows().first()
    expect(await row.getByTestId('response').textContent()).toBe('Terminate session')
    // The product's own ids never show; the indicators quoted from the records stay as the records wrote them.
    const reasons = (await row.locator('.cr-reasons').textContent()) ?? ''
    for (const id of [...CATEGORIES, ...ANOMALIES]) expect(reasons).not.toMatch(new RegExp(`\\b${id}\\b`))
    await cases.openRecent('Second case')
    await expect.poll(() => app.caseName().textContent()).toContain('Second case')
    await inv.goto('sessions')
    expect(await app.byTestId('filter-text').inputValue()).toBe('')
    await cases.openRecent('Demo')
    await expect.poll(() => app.caseName().textContent()).toContain('Demo')
    await inv.goto('sessions')
    expect(await app.byTestId('filter-text').inputValue()).toBe('maria')
    await expect.poll(() => app.byTestId('sessions-count').textContent()).toMatch(/^2 chains/)
    expect(app.errors).toEqual([])
    await app.page.close()
  })

  it('writes the report and an export from the UI as downloads', async () => {
    const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true }))
    const cases = new CasePage(app.page)
    await app.open(web.url)
    await expect.poll(() => app.caseName().textContent()).toContain('Demo')
    const report = await cases.exportAndDownload('report-html')
    expect(report.suggestedFilename()).toMatch(/^report-html-\d{8}T\d{6}Z(-\d+)?\.html$/)
    const html = readFileSync((await report.path())!, 'utf8')
    expect(html).toContain('<h2>Summary</h2>')
    expect(html).toContain('<h2>Response actions and audit trail</h2>')
    expect(await cases.exportResult().getAttribute('data-kind')).toBe('report-html')
    const csv = await cases.exportAndDownload('chains-csv')
    expect(readFileSync((await csv.path())!, 'utf8').split('\n')[0]).toMatch(/^id,identity,identity_type/)
    await app.screenshot('export-menu')
    await app.page.keyboard.press('Escape')
    await cases.exportPopover().waitFor({ state: 'detached' })
    // The download route serves only exports the case recorded, and only with the token.
    const list = await web.call<{ id: string }[]>('export.list')
    expect(list.length).toBeGreaterThanOrEqual(2)
    expect((await fetch(`${web.origin}/api/export/download?id=${list[0].id}`)).status).toBe(401)
    const auth = { Authorization: `Bearer ${web.token}` }
    expect((await fetch(`${web.origin}/api/export/download?id=../../recent.json`, { headers: auth })).status).toBe(404)
    const ok = await fetch(`${web.origin}/api/export/download?id=${list[0].id}`, { headers: auth })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-disposition')).toMatch(/^attachment; filename="/)
    expect(app.errors).toEqual([])
    await app.page.close()
  })

  it('reopens the last case on the next launch instead of the case picker', async () => {
    await web.stop()
    web = await startWebMode({ home })
    const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 } }))
    await app.open(web.url)
    await expect.poll(() => app.caseName().textContent()).toContain('Demo')
    expect(await app.byTestId('case-picker').count()).toBe(0)
    expect(await app.page.getByTestId('shell').getAttribute('data-screen')).toBe('home')
    expect(app.errors).toEqual([])
    await app.page.close()
  })
})
