import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { ChainRow } from '../../contract'
import { APPENDIX_LIMIT } from '../../core/export/report-model'
import { Workbench } from '../../core/workbench'
import { launchChromium } from '../helpers/chromium'
import { tempHome } from '../helpers/web-mode'

// The report of the demo case, made through the export.run call the UI uses, after a dry-run response on the
// top chain: it must open with the summary and the response/audit section, stay printable in a few pages,
// and keep evidence to a capped appendix.
let wb: Workbench
let browser: Browser
let top: ChainRow

beforeAll(async () => {
  wb = new Workbench({ dataDir: tempHome('afterlogin-report-demo-'), transport: 'web', version: 'test' })
  await wb.handlers['case.openDemo']({})
  top = (await wb.handlers['chains.list']({ offset: 0, limit: 1, sort: 'risk', filter: {} })).rows[0]
  await wb.handlers['response.execute']({
    identity: top.identity,
    action: 'terminate-session',
    connectors: ['okta'],
    chainId: top.id,
    reason: 'hijacked session from BR',
    analyst: 'dana',
    dryRun: true
  })
  browser = await launchChromium()
}, 180_000)
afterAll(async () => {
  await browser?.close()
  wb?.close()
})

/** Pages in a PDF: one `/Type /Page` object each (the `/Pages` tree nodes excluded). */
const pdfPages = (pdf: Buffer): number => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length

describe('the demo case report', () => {
  it('opens with a summary and the response actions and audit trail, and prints on at most 15 A4 pages', async () => {
    const rec = await wb.handlers['export.run']({ kind: 'report-html' })
    const text = readFileSync(rec.path, 'utf8')
    const page = await browser.newPage({ javaScriptEnabled: false })
    await page.goto(`file://${rec.path}`)
    expect(await page.locator('h2').allTextContents()).toEqual([
      'Summary',
      'Response actions and audit trail',
      'Flagged chains',
      'Chains without findings',
      'Appendix: evidence'
    ])
    const response = page.locator('#response')
    expect(await response.locator('tbody tr').first().textContent()).toMatch(
      /Terminate session[\s\S]*okta[\s\S]*dry run \(nothing sent\)[\s\S]*dana[\s\S]*hijacked session from BR/
    )
    expect(await response.innerText()).toMatch(/\d+ records?, hash chain verified intact/)
    expect(await page.locator('section').first().innerText()).toMatch(/1 response action recorded \(1 dry run \(nothing sent\)\)/)
    // The summary names the top chain with its recommended response, in words.
    expect(await page.locator('section').first().locator('tbody tr').first().textContent()).toMatch(
      new RegExp(`${top.identity}[\\s\\S]*100[\\s\\S]*Terminate session`)
    )
    // Human labels, not ids, in what the reader reads.
    const prose = await page.locator('article.chain').first().textContent()
    expect(prose).toContain('context anomaly: new device')
    expect(prose).not.toMatch(/\b(data_export|device_change|ip_change|credential_created)\b/)
    // Every statement still links at least one evidence event, and every link lands in the appendix.
    const statements = page.locator('ul.statements > li')
    const n = await statements.count()
    for (let i = 0; i < n; i++) expect(await statements.nth(i).locator('a.ev').count(), (await statements.nth(i).textContent()) ?? '').toBeGreaterThan(0)
    const targets = new Set([...text.matchAll(/id="(ev-\d+)"/g)].map((m) => m[1]))
    expect(targets.size).toBeLessThanOrEqual(APPENDIX_LIMIT)
    expect(rec.rows).toBe(targets.size)
    for (const m of text.matchAll(/href="#(ev-\d+)"/g)) expect(targets.has(m[1]), m[1]).toBe(true)
    const pdf = await page.pdf({ format: 'A4' })
    const pages = pdfPages(pdf)
    if (process.env.AFTERLOGIN_REPORT_OUT) await page.screenshot({ path: process.env.AFTERLOGIN_REPORT_OUT, fullPage: true })
    console.info(`demo report: ${pages} A4 pages, ${targets.size} appendix events, ${text.length} characters`)
    expect(pages).toBeGreaterThan(1)
    expect(pages).toBeLessThanOrEqual(15)
    await page.close()
  }, 120_000)

  it('renders a chain’s story first when the chain carries one', async () => {
    const { buildReportModel } = await import('../../core/export/report-model')
    const { renderReport } = await import('../../core/export/report-html')
    const story = 'maria.chen signed in from Berlin, then the session moved to São Paulo and exported 20 reports.'
    const reader = {
      chains: async () => ({ rows: [top], total: 1, offset: 0 }),
      chain: async () => ({ chain: top, sessions: [], links: [], story, storyParts: [] }),
      chainEvents: (id: string, offset: number, limit: number) => wb.handlers['chains.events']({ id, offset, limit }),
      findings: async () => top.findings
    }
    const none = {
      actions: async () => [],
      auditPage: async () => ({ rows: [], total: 0 }),
      verify: async () => ({ ok: true, records: 0, head: null, brokenAt: null, problem: null })
    }
    const model = await buildReportModel(reader, none, await wb.info(), 'test', async () => [])
    expect(model.chains[0].story).toBe(story)
    const out = renderReport(model)
    expect(out.indexOf(story)).toBeGreaterThan(out.indexOf('<h2>Summary</h2>'))
    expect(out.indexOf(story)).toBeLessThan(out.indexOf('<h2>Response actions and audit trail</h2>'))
    expect(out.match(new RegExp(story.replace(/[.]/g, '\\.'), 'g'))!.length).toBe(2)
    expect(out).toContain('No response action has been previewed, dry-run or sent from this case.')
  })
})
