import type { Download, Locator, Page } from 'playwright-core'

/** The case-level controls in the top bar (Cases popover, Report & export) and the case home's states. */
export class CasePage {
  constructor(readonly page: Page) {}

  private id(testId: string): Locator {
    return this.page.getByTestId(testId)
  }

  building(): Locator {
    return this.id('case-building')
  }

  noSources(): Locator {
    return this.id('no-sources')
  }

  casesButton(): Locator {
    return this.id('switch-case')
  }

  casesPopover(): Locator {
    return this.id('cases-popover')
  }

  async openCases(): Promise<void> {
    await this.casesButton().click()
    await this.casesPopover().waitFor()
  }

  async createCase(name: string): Promise<void> {
    await this.openCases()
    await this.id('new-case-name').fill(name)
    await this.id('create-case').click()
  }

  /** Opens a case from the Recent list by its name. */
  async openRecent(name: string): Promise<void> {
    await this.openCases()
    await this.casesPopover().getByTestId('recent-case').filter({ hasText: name }).first().click()
  }

  exportButton(): Locator {
    return this.id('export-menu')
  }

  exportPopover(): Locator {
    return this.id('export-popover')
  }

  exportResult(): Locator {
    return this.id('export-result')
  }

  /** Runs one export from the menu and returns the browser download it produced (web mode). */
  async exportAndDownload(kind: string): Promise<Download> {
    if (!(await this.exportPopover().isVisible())) await this.exportButton().click()
    const [download] = await Promise.all([this.page.waitForEvent('download', { timeout: 30_000 }), this.id(`export-${kind}`).click()])
    await this.exportResult().waitFor()
    return download
  }
}
