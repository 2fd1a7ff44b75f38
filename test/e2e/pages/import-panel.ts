import type { Locator, Page } from 'playwright-core'

/** The import panel on the case home, as a user works it. */
export class ImportPanelPage {
  constructor(readonly page: Page) {}

  dropzone(): Locator {
    return this.page.getByTestId('import-dropzone')
  }

  async chooseFiles(files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
    await this.page.getByTestId('import-file-input').setInputFiles(files)
  }

  /** Drops files onto the zone the way a browser delivers a drop (a DataTransfer carrying File objects). */
  async drop(files: { name: string; text: string }[]): Promise<void> {
    const dt = await this.page.evaluateHandle((list) => {
      // Runs in the page; the test's own tsconfig has no DOM types.
      const page = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } }
        File: new (parts: string[], name: string, options: { type: string }) => unknown
      }
      const d = new page.DataTransfer()
      for (const f of list) d.items.add(new page.File([f.text], f.name, { type: 'application/json' }))
      return d
    }, files)
    await this.dropzone().dispatchEvent('drop', { dataTransfer: dt })
  }

  cards(): Locator {
    return this.page.getByTestId('import-card')
  }

  /** Waits until the newest import shows its finished state, then returns its card. */
  async finishedCard(nth = 0): Promise<Locator> {
    const card = this.cards().nth(nth)
    await card.locator('[data-testid="import-progress"][data-phase="finished"]').waitFor({ timeout: 30_000 })
    return card
  }

  rows(card: Locator): Locator {
    return card.getByTestId('import-result-row')
  }

  async row(card: Locator, path: string): Promise<Record<string, string>> {
    const row = card.locator(`[data-testid="import-result-row"][data-path="${path}"]`)
    const cell = async (col: string) => ((await row.locator(`[data-col="${col}"]`).textContent()) ?? '').trim()
    return { source: await cell('source'), events: await cell('events'), new: await cell('new'), rejected: await cell('rejected'), error: await cell('error') }
  }
}
