import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateHijackBundle, type PlantedBundle } from '../../core/demo/bundle-generator'
import { launchChromium } from '../helpers/chromium'
import { startWebMode, type WebMode } from '../helpers/web-mode'
import { AppPage } from './pages/app-page'
import { ImportPanelPage } from './pages/import-panel'
import { InvestigationPage } from './pages/investigation-page'

let web: WebMode
let browser: Browser
let bundle: PlantedBundle

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'afterlogin-bundle-'))
  ;[web, browser, bundle] = await Promise.all([startWebMode(), launchChromium(), generateHijackBundle(dir, { seed: 7 })])
  await web.call('case.create', { name: 'INC-2291 session hijack' })
})
afterAll(async () => {
  await browser?.close()
  await web?.stop()
})

describe('investigating a hijacked session in the web UI', () => {
  it('imports a multi-app bundle, opens the hijacked chain first and walks graph, evidence, timeline and raw record', async () => {
    const app = new AppPage(await browser.newPage({ viewport: { width: 1600, height: 1000 } }))
    await app.open(web.url)
    await expect.poll(() => app.caseName().textContent()).toContain('INC-2291')

    // Import through the drop zone's file input, the way "Choose files…" delivers them.
    const panel = new ImportPanelPage(app.page)
    await panel.chooseFiles(bundle.files.map((f) => ({ name: basename(f), mimeType: 'application/octet-stream', buffer: readFileSync(f) })))
    const card = await panel.finishedCard()
    expect(await card.getAttribute('data-status')).toBe('done')
    await expect.poll(async () => Number((await app.eventCount().textContent())!.replace(/,/g, ''))).toBeGreaterThan(1000)
    await app.byTestId('coverage').waitFor()
    await app.screenshot('investigation-case-home')

    // Sessions: the hijacked identity is first; the keyboard opens it.
    const inv = new InvestigationPage(app.page)
    await inv.goto('sessions')
    expect(await inv.chainIdentity(0)).toBe(bundle.hijacked.identity)
    await app.screenshot('investigation-sessions')
    await inv.chainList().focus()
    await inv.chainList().press('ArrowDown')
    await inv.chainList().press('ArrowUp')
    await inv.chainList().press('Enter')

    // The graph: one node per app of the hijacked chain, the identity, and stitch edges between sessions.
    await inv.graphReady()
    expect(await app.byTestId('chain-identity').textContent()).toBe(bundle.hijacked.identity)
    expect(await inv.graphNodes({ kind: 'identity' }).count()).toBe(1)
    await app.screenshot('investigation-graph-opened')

    // The story heads the view: who, the pivot (the attacker's address among its changes), and what followed,
    // naming what the hijacker's actions touched.
    const story = await inv.readStory()
    expect(story.startsWith(bundle.hijacked.identity)).toBe(true)
    expect(await inv.story('pivot').innerText()).toMatch(new RegExp(`context changed.*→ ${bundle.hijacked.attackerIp.replace(/\./g, '\\.')}`))
    expect(await inv.story('after').innerText()).toMatch(/After the pivot, in \S.*“[^”]+”/)
    const response = await inv.story('response').innerText()
    expect(response).toMatch(/terminating the session/)
    // The scorer's reasons in words: no category or response ids.
    expect(response).not.toMatch(/\b[a-z]+_[a-z]+\b|terminate-session/)
    await app.screenshot('investigation-story')
    await app.byTestId('story-toggle').click()
    await inv.fitView()
    for (const appId of bundle.hijacked.apps) expect(await inv.graphNodes({ app: appId, kind: 'session' }).count(), appId).toBeGreaterThan(0)
    expect(await inv.graphNodes().count()).toBeLessThanOrEqual(1500)
    const stitches = inv.stitchEdges()
    expect(await stitches.count()).toBeGreaterThan(0)

    // Hovering a stitch shows why the sessions were joined; clicking pins it in the details panel.
    await inv.hoverEdge(stitches.first())
    await inv.edgeTooltip().getByTestId('stitch-evidence').waitFor()
    await inv.clickEdge(stitches.first())
    const evidence = inv.edgeDetails().getByTestId('stitch-evidence')
    await evidence.waitFor()
    expect(await evidence.textContent()).toMatch(/rule/)
    await app.screenshot('investigation-stitch-evidence')

    // Brushing the last part of the timeline filters the graph and the events.
    const allEvents = await inv.eventListHead().textContent()
    await inv.brushTimeline(0.55, 0.99)
    await inv.timelineRange().waitFor()
    await inv.graphReady()
    await expect.poll(() => inv.eventListHead().textContent()).toMatch(/in range/)
    expect(await inv.eventListHead().textContent()).not.toBe(allEvents)

    // A raw record, pretty-printed, next to its normalized fields; Escape closes it.
    await inv.eventRows().first().click()
    await inv.rawRecord().waitFor()
    expect((await inv.rawRecord().textContent())!.length).toBeGreaterThan(20)
    await inv.eventFields().waitFor()
    await app.screenshot('investigation-raw-record')
    await app.page.keyboard.press('Escape')
    await inv.rawRecord().waitFor({ state: 'detached' })

    // The identity's context menu opens the response drawer for this chain.
    await app.byTestId('timeline-clear').click()
    await inv.graphReady()
    await inv.rightClickNode(inv.graphNodes({ kind: 'identity' }))
    await inv.menuRespond().click()
    await inv.responseDrawer().waitFor()
    await app.byTestId('response-close').click()

    await app.page.mouse.move(5, 5)
    await app.screenshot('investigation-graph')
    expect(app.errors).toEqual([])
  })

  it('shows designed empty states', async () => {
    const app = new AppPage(await browser.newPage({ viewport: { width: 1280, height: 800 } }))
    await app.open(web.url)
    const inv = new InvestigationPage(app.page)
    await inv.goto('investigation')
    await app.byTestId('investigation-empty').waitFor()
    await inv.goto('sessions')
    await app.byTestId('filter-text').fill('no-such-identity-anywhere')
    await app.byTestId('sessions-empty').waitFor()
    await inv.goto('audit')
    await app.byTestId('audit-screen').waitFor()
    await inv.goto('settings')
    await app.byTestId('catalog').waitFor()
    await app.byTestId('sigma-rule').first().waitFor()
    await expect.poll(() => app.byTestId('catalog-origin').textContent()).toContain('Built-in default')
    await app.byTestId('identity-map').waitFor()
    await app.byTestId('theme-light').click()
    expect(await app.page.locator('html').getAttribute('data-theme')).toBe('light')
    await app.screenshot('investigation-settings-light')
    await app.byTestId('theme-dark').click()
    expect(app.errors).toEqual([])
  })
})
