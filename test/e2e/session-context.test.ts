import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../helpers/chromium'
import { ROOT, startWebMode, type WebMode } from '../helpers/web-mode'
import { AppPage } from './pages/app-page'
import { ContextPage } from './pages/context-page'
import { ImportPanelPage } from './pages/import-panel'
import { InvestigationPage } from './pages/investigation-page'

const FIXTURES = join(ROOT, 'test', 'fixtures', 'context')
const filesOf = (...bundles: string[]) =>
  bundles.flatMap((b) =>
    readdirSync(join(FIXTURES, b)).map((name) => ({
      name: `${b}-${name}`,
      mimeType: 'application/octet-stream',
      buffer: readFileSync(join(FIXTURES, b, name))
    }))
  )

let web: WebMode
let browser: Browser

beforeAll(async () => {
  ;[web, browser] = await Promise.all([startWebMode(), launchChromium()])
  await web.call('case.create', { name: 'INC-3107 token replay and agents' })
})
afterAll(async () => {
  await browser?.close()
  await web?.stop()
})

describe('the context a session gives about itself, in the web UI', () => {
  it('shows where a replayed session changed hands, and the identity an agent acted for', async () => {
    const app = new AppPage(await browser.newPage({ viewport: { width: 1600, height: 1000 } }))
    await app.open(web.url)
    const panel = new ImportPanelPage(app.page)
    await panel.chooseFiles(filesOf('hijack-record-geo', 'agents'))
    expect(await (await panel.finishedCard()).getAttribute('data-status')).toBe('done')

    const inv = new InvestigationPage(app.page)
    const ctx = new ContextPage(app.page)
    await inv.goto('sessions')
    expect(await inv.chainIdentity(0)).toBe('alice.nguyen@acme.example')
    await ctx.openChainOf('alice.nguyen@acme.example')
    await inv.graphReady()

    // The pivot: its time, and what changed, with the country names beside the codes.
    await ctx.pivot().waitFor()
    expect(await ctx.pivot().getAttribute('data-event')).toBe('okta:b7e1c0d2-0005-11ef-9a1b-0242ac120002')
    expect(await app.byTestId('pivot-time').textContent()).toBe('2026-03-04 16:20:00Z')
    expect(await ctx.pivotChange('country').textContent()).toMatch(/US\s*→\s*SG/)
    expect(await ctx.pivotChange('network').textContent()).toMatch(/AS19165 .*→\s*AS9506/)
    expect(await app.byTestId('chain-header').textContent()).toContain('SG (Singapore), US (United States)')

    // Timeline, graph and events on both sides of it.
    expect(await ctx.timelinePivot().getAttribute('data-time')).toBe('2026-03-04T16:20:00.123Z')
    await inv.fitView()
    expect(await ctx.nodesOnSide('after').count()).toBeGreaterThan(0)
    expect(await ctx.nodesOnSide('before').count()).toBeGreaterThan(0)
    await ctx.eventsOnSide('at').waitFor()
    expect(await ctx.eventsOnSide('before').count()).toBe(4)
    expect(await ctx.eventsOnSide('after').count()).toBe(3)
    expect(await ctx.findingsAfterPivot().count()).toBeGreaterThanOrEqual(2)
    await expect.poll(() => app.byTestId('findings').textContent()).toMatch(/Impossible travel: San Francisco, US → Singapore, SG/)
    await app.screenshot('context-pivot')

    // An agent's chain: typed agent, acting for the person whose access it used; no pivot of its own.
    await inv.goto('sessions')
    await ctx.openChainOf('microsoft 365 copilot')
    await inv.graphReady()
    expect(await ctx.identityType().getAttribute('data-type')).toBe('agent')
    expect(await ctx.actingFor().textContent()).toMatch(/acting for\s*dana\.hr@acme\.example/)
    await inv.fitView()
    expect(await ctx.nodeActingFor().textContent()).toBe('agent acting for dana.hr@acme.example')
    expect(await ctx.pivot().count()).toBe(0)
    expect(await ctx.eventsOnSide('after').count()).toBe(0)
    await app.screenshot('context-agent')
    expect(app.errors).toEqual([])
  })
})
