import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChainPage } from '../../contract'
import { launchChromium } from '../helpers/chromium'
import { startWebMode, type WebMode } from '../helpers/web-mode'
import { AppPage } from './pages/app-page'
import { InvestigationPage } from './pages/investigation-page'

let web: WebMode
let browser: Browser
let chains: ChainPage

beforeAll(async () => {
  ;[web, browser] = await Promise.all([startWebMode(), launchChromium()])
  // The demo case fills itself on first launch; its chains exist once that import has been analysed.
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
    await inv.openChainByKeyboard('Home')
    await inv.graphReadyFor(a)
    await inv.openChainByKeyboard('End')
    await inv.graphReadyFor(b)
    expect(await app.byTestId('chain-identity').textContent()).toBe(chains.rows[chains.rows.length - 1].identity)
    await inv.openChainByKeyboard('Home')
    const reopenMs = await inv.graphReadyFor(a)
    expect(await app.byTestId('chain-identity').textContent()).toBe(chains.rows[0].identity)
    // A fresh open of A (its own open time), not B's graph left on screen.
    expect(reopenMs).toBeGreaterThan(0)
    expect(await inv.graphNodes({ kind: 'identity' }).count()).toBe(1)
    // And once more with the mouse path's twin: the same chain twice in a row keeps its graph.
    await inv.openChainByKeyboard('Home')
    await inv.graphReadyFor(a)
    expect(app.errors).toEqual([])
  })
})
