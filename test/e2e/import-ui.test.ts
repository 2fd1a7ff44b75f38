import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { zipOf } from '../fixtures/import/zip-of'
import { launchChromium } from '../helpers/chromium'
import { ROOT, startWebMode, type WebMode } from '../helpers/web-mode'
import { AppPage } from './pages/app-page'
import { ImportPanelPage } from './pages/import-panel'

const FIX = join(ROOT, 'test', 'fixtures', 'import', 'bundle')

let web: WebMode
let browser: Browser

beforeAll(async () => {
  ;[web, browser] = await Promise.all([startWebMode(), launchChromium()])
  await web.call('case.create', { name: 'Import e2e' })
})
afterAll(async () => {
  await browser?.close()
  await web?.stop()
})

describe('importing through the UI (web mode)', () => {
  it('uploads a bundle, shows progress to the end and the per-file results, and refreshes the counts', async () => {
    const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 } }))
    await app.open(web.url)
    await expect.poll(() => app.caseName().textContent()).toContain('Import e2e')
    const panel = new ImportPanelPage(app.page)
    const bundle = await zipOf([
      ['x/01', readFileSync(join(FIX, 'a.json'))],
      ['x/02', readFileSync(join(FIX, 'h.json'))],
      ['x/03', Buffer.from('[{"broken":')]
    ])
    await panel.chooseFiles([{ name: 'bundle.zip', mimeType: 'application/zip', buffer: bundle }])
    const card = await panel.finishedCard()
    expect(await card.getAttribute('data-status')).toBe('partial')
    expect(await panel.rows(card).count()).toBe(3)
    expect(await panel.row(card, 'bundle.zip!x/01')).toMatchObject({ source: 'okta', events: '2', new: '2', rejected: '0', error: '' })
    expect(await panel.row(card, 'bundle.zip!x/02')).toMatchObject({ source: 'aws', events: '1', new: '1' })
    expect((await panel.row(card, 'bundle.zip!x/03')).error).toMatch(/truncated JSON/)
    await expect.poll(() => app.eventCount().textContent()).toBe('3')

    // A second file dropped onto the zone imports as its own card.
    await panel.drop([{ name: 'box.ndjson', text: readFileSync(join(FIX, 'i.ndjson'), 'utf8') }])
    await expect.poll(() => panel.cards().count()).toBe(2)
    const second = await panel.finishedCard(0)
    expect(await panel.row(second, 'box.ndjson')).toMatchObject({ source: 'generic', new: '1' })
    await expect.poll(() => app.eventCount().textContent()).toBe('4')
    await app.screenshot('import-results')
    expect(app.errors).toEqual([])

    // The staged uploads are gone once imported; the past imports are listed with their files.
    const list = (await web.call('import.list', { limit: 5 })) as { files: unknown[] }[]
    expect(list.map((l) => l.files.length)).toEqual([1, 3])
  })

  it('refuses server paths from a web page', async () => {
    await expect(web.call('import.start', { paths: ['/etc/passwd'] })).rejects.toThrow(/uploaded files only/)
    await expect(web.call('import.start', { uploads: ['../../etc/passwd'] })).rejects.toThrow(/upload id/)
    await expect(web.call('import.start', { uploads: ['AAAAAAAAAAAAAAAAAAAAAA'] })).rejects.toThrow(/no staged upload/)
  })
})
