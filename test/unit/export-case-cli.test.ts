import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { generateHijackBundle, type PlantedBundle } from '../../core/demo/bundle-generator'
import { runCli } from '../helpers/cli-in-process'
import { dispatch } from '../../core/dispatch'
import { CaseDb } from '../../core/store/case-db'
import { Workbench } from '../../core/workbench'
import { launchChromium } from '../helpers/chromium'
import { tempHome } from '../helpers/web-mode'

// Exports of a real case: the project's hijack bundle imported and analysed by the product itself,
// then exported through the CLI's own entry point, in process (paths the user chose), and the contract
// call (the case folder).
let dir: string
let casePath: string
let planted: PlantedBundle
const home = tempHome('afterlogin-export-home-')

const run = async (...args: string[]) => {
  const r = await runCli(args, home)
  return { ...r, json: () => JSON.parse(r.out.trim().split('\n').at(-1)!) }
}
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))

beforeAll(async () => {
  dir = tempHome('afterlogin-export-cli-')
  mkdirSync(join(dir, 'bundle'))
  planted = await generateHijackBundle(join(dir, 'bundle'), { seed: 3 })
  casePath = join(dir, 'case', 'case.duckdb')
  const imported = await run('import', join(dir, 'bundle'), '--case', casePath)
  expect(imported.code, imported.err).toBe(0)
}, 90_000)

describe('afterlogin export / report on an imported case', () => {
  it('events as OCSF: one line per event, every class a known OCSF class', async () => {
    const r = await run('export', '--case', casePath, '--what', 'events', '--format', 'ocsf', '--out', join(dir, 'out', 'events.ocsf.jsonl'))
    expect(r.code, r.err).toBe(0)
    const rec = r.json()
    const events = lines(rec.path)
    expect(events.length).toBe(rec.rows)
    expect(events.length).toBe(Object.values(planted.events).reduce((a, b) => a + b, 0))
    const classes = new Set(events.map((e) => e.class_uid))
    for (const c of classes) expect([0, 3001, 3002, 3004, 3005, 6001, 6003, 6004]).toContain(c)
    expect(classes).toContain(3002)
    for (const e of events) expect(e.type_uid).toBe(e.class_uid * 100 + e.activity_id)
    // An existing file is never replaced silently.
    const again = await run('export', '--case', casePath, '--what', 'events', '--format', 'ocsf', '--out', rec.path)
    expect(again.code).toBe(2)
    expect(again.err).toMatch(/exists; pass --force/)
  })

  it('findings as OCSF Detection Findings whose evidence uids are exported events', async () => {
    const ev = await run('export', '--case', casePath, '--what', 'events', '--format', 'csv', '--out', join(dir, 'out', 'events.csv'))
    expect(ev.code, ev.err).toBe(0)
    const uids = new Set((parseCsv(readFileSync(ev.json().path, 'utf8'), { columns: true }) as { uid: string }[]).map((r) => r.uid))
    const r = await run('export', '--case', casePath, '--what', 'findings', '--out', join(dir, 'out', 'findings.ocsf.jsonl'))
    expect(r.code, r.err).toBe(0)
    const findings = lines(r.json().path)
    expect(findings.length).toBeGreaterThan(0)
    const types = new Set(findings.flatMap((f) => f.finding_info.types))
    for (const t of ['impossible_travel', 'data_export', 'mail_forwarding', 'credential_created']) expect(types, t).toContain(t)
    for (const f of findings) {
      expect(f).toMatchObject({ class_uid: 2004, type_uid: 200401 })
      expect(f.finding_info.related_events.length).toBeGreaterThan(0)
      for (const e of f.finding_info.related_events) expect(uids.has(e.uid), e.uid).toBe(true)
    }
  })

  it('chains as CSV and Parquet, highest risk first', async () => {
    const csv = await run('export', '--case', casePath, '--what', 'chains', '--format', 'csv', '--out', join(dir, 'out', 'chains.csv'))
    expect(csv.code, csv.err).toBe(0)
    const rows = parseCsv(readFileSync(csv.json().path, 'utf8'), { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => r.identity)).toContain(planted.hijacked.identity)
    const risks = rows.map((r) => Number(r.risk))
    expect(risks).toEqual([...risks].sort((a, b) => b - a))
    const pq = await run('export', '--case', casePath, '--what', 'chains', '--format', 'parquet', '--out', join(dir, 'out', 'chains.parquet'))
    expect(pq.code, pq.err).toBe(0)
    const db = await CaseDb.open(join(dir, 'scratch.duckdb'))
    const sql = await db.connect()
    const back = (
      await sql.connection.runAndReadAll('SELECT id, identity, risk FROM read_parquet($p) ORDER BY risk DESC, id', { p: pq.json().path })
    ).getRowObjectsJS()
    sql.connection.closeSync()
    db.close()
    expect(back.length).toBe(rows.length)
    expect(back[0].risk).toBe(Number(rows[0].risk))
    expect((await run('export', '--case', casePath, '--what', 'findings', '--format', 'csv', '--out', join(dir, 'x.csv'))).code).toBe(2)
  })

  describe('the report in a browser', () => {
    let browser: Browser
    beforeAll(async () => {
      browser = await launchChromium()
    })
    afterAll(async () => browser?.close())

    it('renders with its own stylesheet under its CSP, links every statement, and prints', async () => {
      const r = await run('report', '--case', casePath, '--out', join(dir, 'out', 'report.html'))
      expect(r.code, r.err).toBe(0)
      const page = await browser.newPage({ javaScriptEnabled: false })
      const violations: string[] = []
      page.on('console', (m) => violations.push(m.text()))
      await page.goto(`file://${r.json().path}`)
      // The inline stylesheet is allowed by its hash: headings get their rule, nothing was refused.
      // (The callback runs in the page; node's type config has no DOM lib, hence the structural type.)
      const borderOf = (h: unknown) =>
        (globalThis as unknown as { getComputedStyle: (e: unknown) => { borderBottomStyle: string } }).getComputedStyle(h).borderBottomStyle
      expect(await page.locator('h2').first().evaluate(borderOf)).toBe('solid')
      expect(violations.filter((v) => /Content Security Policy/i.test(v))).toEqual([])
      expect(await page.locator('article.chain h3').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(planted.hijacked.identity)]))
      const statements = page.locator('ul.statements > li')
      const n = await statements.count()
      expect(n).toBeGreaterThan(5)
      for (let i = 0; i < n; i++) expect(await statements.nth(i).locator('a.ev').count(), (await statements.nth(i).textContent()) ?? '').toBeGreaterThan(0)
      // Following an evidence link lands on that event's entry.
      const first = statements.first().locator('a.ev').first()
      const target = (await first.getAttribute('href'))!
      await first.click()
      expect(new URL(page.url()).hash).toBe(target)
      expect(await page.locator(`${target} pre`).textContent()).toBeTruthy()
      const pdf = await page.pdf({ format: 'A4' })
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
      await page.close()
    })
  })

  it('the export.run call writes into the case folder’s exports/ and lists it', async () => {
    const wb = new Workbench({ dataDir: home, transport: 'web', version: 'test' })
    await wb.open(casePath)
    try {
      const res = await dispatch(wb, 'export.run', { kind: 'events-parquet' })
      expect(res.ok, JSON.stringify(res)).toBe(true)
      const rec = (res as { value: { path: string; rows: number } }).value
      expect(rec.path.startsWith(join(dir, 'case', 'exports'))).toBe(true)
      expect(rec.rows).toBeGreaterThan(0)
      expect(await dispatch(wb, 'export.run', { kind: 'events-parquet', path: '/tmp/x' })).toMatchObject({ ok: false })
      const list = await dispatch(wb, 'export.list', {})
      expect((list as { value: { path: string }[] }).value.map((x) => x.path)).toContain(rec.path)
    } finally {
      wb.close()
    }
  })
})
