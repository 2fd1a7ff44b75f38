import { readFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChainDetail, ChainPage, EventPage } from '../../contract'
import { launchChromium } from '../helpers/chromium'
import { startWebMode, tempHome, type WebMode } from '../helpers/web-mode'
import { AppPage } from './pages/app-page'
import { CasePage } from './pages/case-page'
import { ContextPage } from './pages/context-page'
import { InvestigationPage } from './pages/investigation-page'
import { expectWholeAndReadable } from './pages/readable-graph'
import { ResponsePage } from './pages/response-page'

// The newcomer's first hour on the demo, as `npm start` / `afterlogin web` opens it with a fresh data folder and no
// connector variables: the top chain's story, its pivot in graph and timeline, playback, a terminate-session
// previewed, dry-run and sent through the simulated providers, the audit trail verified, the report downloaded.
// Each step's screen is what the README shows (docs/screenshots/, 1440×900).
let web: WebMode
let browser: Browser
let top: ChainDetail
const CONNECTORS = ['okta', 'entra', 'google', 'slack', 'github', 'salesforce', 'ssf']

beforeAll(async () => {
  const clean = Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => k.startsWith('AFTERLOGIN_') && k !== 'AFTERLOGIN_HOME')
      .map((k) => [k, ''])
  )
  ;[web, browser] = await Promise.all([startWebMode({ home: tempHome('afterlogin-newcomer-'), env: clean }), launchChromium()])
}, 90_000)
afterAll(async () => {
  await browser?.close()
  await web?.stop()
})

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')

describe("the newcomer's path on the demo", () => {
  it(
    'opens the top chain, reads its story and pivot, plays it, previews, dry-runs and sends a terminate-session through the simulated providers, verifies the audit trail and downloads the report',
    { timeout: 240_000 },
    async () => {
      const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true }))
      const inv = new InvestigationPage(app.page)
      const ctx = new ContextPage(app.page)
      const rsp = new ResponsePage(app.page)
      const cases = new CasePage(app.page)

      // First launch: the demo builds while the page shows it, then the case home.
      await app.page.goto(web.url)
      await app.page.locator('[data-testid="shell"][data-ready="true"]').waitFor({ timeout: 90_000 })
      await expect.poll(() => app.caseName().textContent(), { timeout: 30_000 }).toContain('Demo')
      await expect.poll(async () => Number((await app.eventCount().textContent())!.replace(/,/g, '')), { timeout: 60_000 }).toBeGreaterThan(1000)
      await inv.docScreenshot('case-home')

      // The facts the UI must show, from the case itself (what `sessions --json` prints), never written here.
      const chains = await web.call<ChainPage>('chains.list', { limit: 5 })
      top = await web.call<ChainDetail>('chains.get', { id: chains.rows[0].id })
      expect(top.chain.response).toBe('terminate-session')
      expect(top.chain.pivot, 'the top chain has a pivot').not.toBeNull()
      const events = await web.call<EventPage>('chains.events', { id: top.chain.id, limit: 1000 })
      const indicators = [...new Set(events.rows.filter((e) => e.findings.length && e.targetName).map((e) => e.targetName!))]
      expect(indicators.length).toBeGreaterThan(0)

      // Sessions: the top chain heads the list in words; opening it draws the whole chain.
      await inv.goto('sessions')
      expect(await inv.chainIdentity(0)).toBe(top.chain.identity)
      expect(await inv.chainRows().first().getByTestId('response').textContent()).toBe('Terminate session')
      await inv.docScreenshot('sessions')
      await inv.chainRows().first().locator('button.identity').click()
      await inv.graphReadyFor(top.chain.id)
      await app.page.mouse.move(2, 2)
      const nodes = Number(await inv.graph().getAttribute('data-nodes'))
      expect(nodes).toBeGreaterThan(10)
      expectWholeAndReadable(await inv.settledLabelMetrics(), nodes)

      // The pivot: in the header strip, on the timeline at its time, and in the graph as nodes before and after it.
      await ctx.pivot().waitFor()
      expect(await ctx.pivot().getAttribute('data-event')).toBe(top.chain.pivot!.eventId)
      expect(await ctx.pivotChange(top.chain.pivot!.changes[0].field).count()).toBe(1)
      expect(await ctx.timelinePivot().getAttribute('data-time')).toBe(top.chain.pivot!.time)
      expect(await ctx.nodesOnSide('before').count()).toBeGreaterThan(0)
      expect(await ctx.nodesOnSide('after').count()).toBeGreaterThan(0)
      expect(await inv.graph().locator('.react-flow__edge.edge-anomaly').count()).toBeGreaterThan(0)
      await inv.docScreenshot('investigation-graph')

      // The story names the identity, the pivot and what was done after it, with its indicators.
      const story = await inv.readStory()
      expect(story).toContain(top.chain.identity)
      expect(await inv.story('pivot').count()).toBe(1)
      const pivotPart = top.storyParts.find((p) => p.kind === 'pivot')!.text
      expect(story).toContain(pivotPart)
      for (const c of top.chain.pivot!.changes.filter((c) => c.field === 'country')) expect(pivotPart).toContain(c.to)
      expect(
        indicators.filter((i) => story.includes(i)),
        `the story names one of ${indicators.join(', ')}`
      ).not.toEqual([])
      await inv.docScreenshot('investigation-story')
      // Folded again, the story gives the graph back its room: the whole chain, readable, as at first paint.
      await app.byTestId('story-toggle').click()
      await app.page.mouse.move(2, 2)
      await expect.poll(async () => (await inv.labelMetrics()).pane.h).toBeGreaterThan(400)
      expectWholeAndReadable(await inv.settledLabelMetrics(), nodes)

      // Playback steps through the chain's actions in time order; step on until it has passed the pivot.
      const pivotAt = Date.parse(top.chain.pivot!.time)
      const at: number[] = []
      for (let i = 0; i < 40 && !(at.length && at[at.length - 1] >= pivotAt); i++) {
        await app.byTestId('play-next').click()
        await expect.poll(() => inv.playback().getAttribute('data-step')).toBe(String(i))
        at.push(Date.parse((await inv.playback().getAttribute('data-at'))!))
      }
      expect(at.length).toBeGreaterThan(1)
      expect([...at].sort((a, b) => a - b)).toEqual(at)
      expect(at[at.length - 1]).toBeGreaterThanOrEqual(pivotAt)
      expect(await app.page.locator('.cn.cn-selected').count()).toBe(1)
      expect(await app.page.locator('.cn.cn-future').count()).toBeGreaterThan(0)
      await expect.poll(() => inv.eventListHead().textContent()).toMatch(/of the selected node/)
      // The step's node in words: its app's name (not the source id) and its count, in the singular for one.
      const nodeLine = (await app.byTestId('node-details').locator('p.small').first().textContent()) ?? ''
      expect(nodeLine).toMatch(/^[A-Z][\w ]* · ([\d,]+ events|1 event) · /)
      expect(nodeLine).not.toMatch(/\b[a-z0-9]+_[a-z_]+\b/)
      await app.page.mouse.move(2, 2)
      expectWholeAndReadable(await inv.settledLabelMetrics(), nodes)
      await inv.docScreenshot('investigation-playback')
      await app.byTestId('play-stop').click()
      expect(await app.page.locator('.cn.cn-future').count()).toBe(0)

      // Settings → Connectors: every provider of the demo is simulated on loopback and configured, nothing to set up.
      await rsp.openConnectorSettings()
      for (const id of CONNECTORS) {
        await expect.poll(() => rsp.connectorRow(id).getAttribute('data-simulated'), { timeout: 30_000 }).toBe('true')
        expect(await rsp.connectorRow(id).getAttribute('data-configured'), id).toBe('true')
      }
      expect(await rsp.connectorRow('okta').textContent()).toContain('Terminate session')
      // Kept out of the README: its keyring notice depends on the machine the test runs on.
      await app.screenshot('newcomer-connector-settings')
      await inv.goto('investigation')
      await inv.graphReadyFor(top.chain.id)

      // Response, dry run first: the preview lists the calls each simulated provider would receive.
      await rsp.respondFromIdentityNode()
      expect(await app.page.locator('.rsp-target').textContent()).toContain('recommended: Terminate session')
      await rsp.dryRun(true)
      await rsp.preview()
      for (const id of CONNECTORS) expect(await rsp.plan(id).getAttribute('data-simulated'), id).toBe('true')
      const okta = rsp.plan('okta')
      expect(await okta.textContent()).toContain('simulated')
      expect(await okta.locator('.rsp-calls li').count()).toBeGreaterThan(0)
      expect(await okta.locator('.rsp-calls code').first().textContent()).toMatch(/^(GET|POST|PUT|PATCH|DELETE) http:\/\/127\.0\.0\.1:\d+\//)
      await inv.docScreenshot('response-preview')
      const dryReason = 'first look at what would be sent'
      await rsp.confirm(dryReason, 'dana')
      for (const id of CONNECTORS) expect(await rsp.finalStatus(id), id).toBe('dry-run')
      await rsp.close()

      // Then for real: every simulated provider done, Okta's 429 retried.
      await rsp.respondFromIdentityNode()
      await rsp.dryRun(false)
      await rsp.preview()
      const reason = 'Okta session replayed from another country; exports and a forwarding rule followed'
      await rsp.confirm(reason, 'dana')
      for (const id of CONNECTORS) expect(await rsp.finalStatus(id), id).toBe('done')
      expect(await rsp.liveStatus('okta').textContent()).toMatch(/2 attempts/)
      await inv.docScreenshot('response-sent')
      await rsp.close()

      // The Audit screen: both actions per provider, and the hash chain verifies.
      await inv.goto('audit')
      await rsp.auditActions().first().waitFor()
      await expect.poll(() => rsp.auditActions().count()).toBe(CONNECTORS.length * 2)
      expect(await app.page.locator('[data-testid="audit-action"][data-status="dry-run"]').count()).toBe(CONNECTORS.length)
      expect(await app.page.locator('[data-testid="audit-action"][data-status="done"]').count()).toBe(CONNECTORS.length)
      // In words, as everywhere in the UI: the action's label, not its id.
      expect(await rsp.auditActions().first().textContent()).toContain('Terminate session')
      expect(await rsp.auditActions().last().textContent()).toContain('Terminate session (dry run)')
      expect(await rsp.verify()).toBe('true')
      await inv.docScreenshot('audit')

      // Report & export: an HTML download that opens with the story and holds the response actions.
      const download = await cases.exportAndDownload('report-html')
      expect(download.suggestedFilename()).toMatch(/\.html$/)
      const report = text(readFileSync((await download.path())!, 'utf8'))
      expect(report).toContain(top.story.split('\n\n')[0])
      expect(report).toContain(pivotPart)
      expect(report).toContain('Response actions and audit trail')
      expect(report).toContain(reason)
      expect(report).toContain(dryReason)
      expect(report).toContain('dry run (nothing sent)')
      expect(report).toMatch(/hash chain verified intact/)
      await inv.docScreenshot('report-export')
      expect(app.errors).toEqual([])
    }
  )
})
