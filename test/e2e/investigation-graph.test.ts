import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChainPage } from '../../contract'
import { launchChromium } from '../helpers/chromium'
import { startWebMode, type WebMode } from '../helpers/web-mode'
import { AppPage } from './pages/app-page'
import { InvestigationPage } from './pages/investigation-page'
import { expectWholeAndReadable, inside } from './pages/readable-graph'

let web: WebMode
let browser: Browser
let chains: ChainPage

beforeAll(async () => {
  ;[web, browser] = await Promise.all([startWebMode(), launchChromium()])
  // The demo case (what a first launch opens) fills itself; its chains exist once that import has been analysed.
  await web.call('case.openDemo')
  const until = Date.now() + 50_000
  do {
    chains = await web.call<ChainPage>('chains.list', { limit: 500 })
    if (chains.total > 1) break
    await new Promise((r) => setTimeout(r, 250))
  } while (Date.now() < until)
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await web?.stop()
})

describe('the investigation graph on the demo case', () => {
  it('opens chain A, chain B, then chain A again from the sessions list by keyboard', async () => {
    expect(chains.total, 'the demo case has at least two chains').toBeGreaterThan(1)
    const a = chains.rows[0].id
    const b = chains.rows[chains.rows.length - 1].id
    expect(a).not.toBe(b)
    const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 } }))
    await app.open(web.url)
    const inv = new InvestigationPage(app.page)

    // Each Enter follows the jump at once, without waiting for the list's rows: an analyst does not wait either.
    // Going back to the list refetches its rows, so whether Enter lands before them is a race: a few rounds of
    // A → B → A make a lost keypress show up.
    await inv.openChainByKeyboard('Home')
    await inv.graphReadyFor(a)
    for (let round = 0; round < 3; round++) {
      await inv.openChainByKeyboard('End')
      await inv.graphReadyFor(b, 15_000)
      expect(await app.byTestId('chain-identity').textContent()).toBe(chains.rows[chains.rows.length - 1].identity)
      await inv.openChainByKeyboard('Home')
      const reopenMs = await inv.graphReadyFor(a, 15_000)
      expect(await app.byTestId('chain-identity').textContent()).toBe(chains.rows[0].identity)
      // A fresh open of A (its own open time), not B's graph left on screen.
      expect(reopenMs).toBeGreaterThan(0)
      expect(await inv.graphNodes({ kind: 'identity' }).count()).toBe(1)
    }
    // Back on the list the cursor stays where the analyst left it, also once the filter box has settled (250 ms).
    await inv.openChainByKeyboard('End')
    await inv.graphReadyFor(b, 15_000)
    await inv.goto('sessions')
    await app.page.waitForTimeout(600)
    expect(await app.page.locator('.chain-row.active').getAttribute('data-chain')).toBe(b)
    // And once more with the mouse path's twin: the same chain twice in a row keeps its graph.
    await inv.openChainByKeyboard('Home')
    await inv.graphReadyFor(a)
    expect(app.errors).toEqual([])
  }, 120_000)
})

describe('event times', () => {
  it('carry the date on a chain that spans days, and only the time of day on one within a day', async () => {
    const day = (iso: string) => iso.slice(0, 10)
    const multi = chains.rows.find((r) => day(r.start) !== day(r.end))
    const single = chains.rows.find((r) => day(r.start) === day(r.end))
    expect(multi, 'the demo has a chain spanning days').toBeDefined()
    expect(single).toBeDefined()
    const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 } }))
    await app.open(web.url)
    const inv = new InvestigationPage(app.page)
    await inv.openChainRow(multi!.id)
    await inv.graphReadyFor(multi!.id)
    // The rows may paint before the chain's span is known; what the analyst is left with carries the date.
    await expect.poll(() => inv.eventTimes().first().textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/)
    await inv.openChainRow(single!.id)
    await inv.graphReadyFor(single!.id)
    await expect.poll(() => inv.eventTimes().first().textContent()).toMatch(/^\d\d:\d\d:\d\dZ$/)
    expect(app.errors).toEqual([])
  })
})

describe('the top chain at first paint (1440×900)', () => {
  it('shows the whole chain with readable, unclipped, non-overlapping labels, anomaly edges in view, and plays it in time order', async () => {
    const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 } }))
    await app.open(web.url)
    const inv = new InvestigationPage(app.page)
    await inv.openChainByKeyboard('Home')
    await inv.graphReadyFor(chains.rows[0].id)
    await app.page.mouse.move(2, 2)

    const m = await inv.settledLabelMetrics()
    const count = Number(await inv.graph().getAttribute('data-nodes'))
    // Whole and readable, with one label per node.
    expect(count).toBeGreaterThan(10)
    expect(m.labels).toHaveLength(count)
    expectWholeAndReadable(m, count)
    // The hijack's anomalies are red edges in view at first paint.
    expect(m.anomalyEdges.length).toBeGreaterThan(0)
    for (const e of m.anomalyEdges) expect(inside(e, m.pane)).toBe(true)
    // Full names on hover: each node carries its whole label in its tooltip.
    const session = inv.graphNodes({ kind: 'session' }).first()
    expect(await session.getAttribute('title')).toContain((await session.locator('.cn-label').textContent())!)
    await app.screenshot('investigation-graph')

    // Playback: each step is the next action in time order, selected in the graph and marked on the timeline.
    const seen: number[] = []
    const heads: number[] = []
    for (let i = 0; i < 4; i++) {
      await app.byTestId('play-next').click()
      await expect.poll(() => inv.playback().getAttribute('data-step')).toBe(String(i))
      seen.push(Date.parse((await inv.playback().getAttribute('data-at'))!))
      await app.byTestId('node-details').waitFor()
      expect(await app.page.locator('.cn.cn-selected').count()).toBe(1)
      heads.push(Number(await app.byTestId('timeline-playhead').getAttribute('x1')))
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(seen)
    // The timeline's playhead moves with the steps.
    expect([...heads].sort((a, b) => a - b)).toEqual(heads)
    expect(heads[heads.length - 1]).toBeGreaterThan(heads[0])
    expect(seen[seen.length - 1]).toBeGreaterThan(seen[0])
    expect(await app.page.locator('.cn.cn-future').count()).toBeGreaterThan(0)
    await app.byTestId('play-prev').click()
    await expect.poll(() => inv.playback().getAttribute('data-step')).toBe('2')
    await app.byTestId('play-toggle').click()
    await expect.poll(() => inv.playback().getAttribute('data-step'), { timeout: 5_000 }).toBe('3')
    await app.byTestId('play-toggle').click()
    expect(await inv.playback().getAttribute('data-playing')).toBe('false')
    await app.screenshot('investigation-playback')
    await app.byTestId('play-stop').click()
    expect(await app.page.locator('.cn.cn-future').count()).toBe(0)
    expect(app.errors).toEqual([])
  }, 90_000)
})
