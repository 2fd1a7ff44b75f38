import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseDb } from '../../core/store/case-db'
import { launchChromium } from '../helpers/chromium'
import { testQuery } from '../helpers/test-queries'
import { CLI, ROOT, startWebMode, tempHome, type WebMode } from '../helpers/web-mode'
import { AppPage } from './pages/app-page'

// A case whose import was cut off before its analysis finished (test/crash/import-kill.test.ts does it with
// kill -9): the case home says what is missing, and "Analyse now" completes it.
let web: WebMode
let browser: Browser
let casePath: string

beforeAll(async () => {
  const home = tempHome('afterlogin-incomplete-')
  casePath = join(home, 'cut.duckdb')
  const imported = spawnSync(process.execPath, [CLI, 'import', join(ROOT, 'test', 'fixtures', 'import', 'bundle'), '--case', casePath], {
    encoding: 'utf8',
    env: { ...process.env, AFTERLOGIN_HOME: home }
  })
  expect(imported.status, imported.stderr).toBe(0)
  const db = await CaseDb.open(casePath)
  await db.exec(testQuery('sessions.test-forget-analysis'))
  db.close()
  ;[web, browser] = await Promise.all([startWebMode({ args: ['--case', casePath], home }), launchChromium()])
})
afterAll(async () => {
  await browser?.close()
  await web?.stop()
})

describe('a case whose analysis was cut off', () => {
  it('says how much is analysed and finishes the analysis on request', async () => {
    const app = new AppPage(await browser.newPage({ viewport: { width: 1440, height: 900 } }))
    await app.open(web.url)
    await expect.poll(() => app.eventCount().textContent()).toBe('15')
    await expect.poll(() => app.analysisNotice().textContent()).toMatch(/None of the 15 events has been analysed yet/)
    await app.analyseNow().click()
    await app.analysisNotice().waitFor({ state: 'detached' })
    expect(await web.call('case.info')).toMatchObject({ path: casePath, analysis: { complete: true, analysedEvents: 15 } })
    expect(app.errors).toEqual([])
  })
})
