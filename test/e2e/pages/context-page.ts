import type { Locator, Page } from 'playwright-core'

/** What the investigation shows of a session's context: its pivot, and the identity an agent acted for. */
export class ContextPage {
  constructor(readonly page: Page) {}

  private id(testId: string): Locator {
    return this.page.getByTestId(testId)
  }

  /** Opens the chain of one identity from the sessions list. */
  async openChainOf(identity: string): Promise<void> {
    const row = this.page.locator(`[data-testid="chain-row"][data-identity="${identity}"]`)
    await row.waitFor()
    await row.locator('button.identity').click()
  }

  pivot(): Locator {
    return this.id('chain-pivot')
  }

  pivotChange(field: string): Locator {
    return this.pivot().locator(`[data-testid="pivot-change"][data-field="${field}"]`)
  }

  timelinePivot(): Locator {
    return this.id('timeline-pivot')
  }

  /** Graph nodes on one side of the pivot. */
  nodesOnSide(side: 'before' | 'after'): Locator {
    return this.id('graph').locator(`.react-flow__node .cn[data-pivot="${side}"]`)
  }

  /** Event rows before, after, or at the pivot. */
  eventsOnSide(side: 'before' | 'after' | 'at'): Locator {
    return this.page.locator(`[data-testid="event-row"][data-pivot="${side}"]`)
  }

  findingsAfterPivot(): Locator {
    return this.id('finding-after-pivot')
  }

  actingFor(): Locator {
    return this.id('chain-acting-for')
  }

  nodeActingFor(): Locator {
    return this.id('graph').getByTestId('node-acting-for')
  }

  identityType(): Locator {
    return this.id('chain-identity-type')
  }
}
