import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { ROOT } from '../../helpers/web-mode'

/** The workbench as a user sees it; tests speak through this, never through raw selectors. */
export class AppPage {
  readonly errors: string[] = []

  constructor(readonly page: Page) {
    page.on('pageerror', (e) => this.errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') this.errors.push(m.text())
    })
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url)
    await this.page.locator('[data-testid="shell"][data-ready="true"]').waitFor()
  }

  byTestId(id: string) {
    return this.page.getByTestId(id)
  }

  caseName() {
    return this.byTestId('case-name')
  }

  eventCount() {
    return this.byTestId('count-events').locator('.value')
  }

  /** The case home's notice that the analysis does not cover every event, and its button. */
  analysisNotice() {
    return this.byTestId('analysis-incomplete')
  }

  analyseNow() {
    return this.byTestId('analyze-now')
  }

  async screenshot(name: string): Promise<string> {
    const dir = join(ROOT, 'test-results')
    mkdirSync(dir, { recursive: true })
    const path = join(dir, `${name}.png`)
    await this.page.screenshot({ path, fullPage: false })
    return path
  }
}
