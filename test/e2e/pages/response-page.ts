import type { Page } from 'playwright-core'

/** The response drawer and audit tab as an analyst uses them, reached from the investigation graph. */
export class ResponsePage {
  constructor(readonly page: Page) {}

  private id(testId: string) {
    return this.page.getByTestId(testId)
  }

  /** Sessions list → top chain → graph drawn. */
  async openTopChain(): Promise<void> {
    await this.id('nav-sessions').click()
    await this.id('chain-row').first().locator('button.identity').click()
    await this.page.locator('[data-testid="graph"][data-ready="true"]').waitFor()
  }

  /** Right-click the identity node of the graph and choose "Respond…". */
  async respondFromIdentityNode(): Promise<void> {
    await this.page.locator('.react-flow__node:has([data-kind="identity"])').first().click({ button: 'right' })
    await this.id('menu-respond').click()
    await this.page.locator('[data-testid="response-panel"][data-phase="ready"]').waitFor()
  }

  /** Settings → Connectors, once the list has loaded. */
  async openConnectorSettings(): Promise<void> {
    await this.id('nav-settings').click()
    await this.id('connector-settings').waitFor()
  }

  connectorRow(id: string) {
    return this.id(`connector-row-${id}`)
  }

  /** Clicks "Test connection" and returns whether it worked ("true"/"false"). */
  async testConnection(id: string): Promise<string | null> {
    await this.id(`connector-test-${id}`).click()
    const result = this.id(`connector-test-result-${id}`)
    await result.waitFor({ timeout: 30_000 })
    return result.getAttribute('data-ok')
  }

  async connectorPermissions(id: string): Promise<string> {
    await this.id(`connector-edit-${id}`).click()
    return (await this.id(`connector-permissions-${id}`).textContent()) ?? ''
  }

  async dryRun(on: boolean): Promise<void> {
    await this.id('response-dry-run').setChecked(on)
  }

  async permissions(connector: string): Promise<string> {
    return (await this.id(`response-permissions-${connector}`).textContent()) ?? ''
  }

  liveStatus(connector: string) {
    return this.id(`response-status-${connector}`)
  }

  async close(): Promise<void> {
    await this.id('response-close').click()
    await this.id('response-drawer').waitFor({ state: 'detached' })
  }

  connector(id: string) {
    return this.id(`response-connector-${id}`)
  }

  action(id: string) {
    return this.id(`response-action-${id}`)
  }

  async preview(): Promise<void> {
    await this.id('response-preview').click()
    await this.page.locator('[data-testid="response-panel"][data-phase="preview"]').waitFor()
  }

  plan(connector: string) {
    return this.id(`response-plan-${connector}`)
  }

  async confirm(reason: string, analyst: string): Promise<void> {
    await this.id('response-reason').fill(reason)
    await this.id('response-analyst').fill(analyst)
    await this.id('response-confirm').click()
    await this.page.locator('[data-testid="response-panel"][data-phase="sent"]').waitFor()
  }

  /** Waits until the connector's live status is final and returns it. */
  async finalStatus(connector: string): Promise<string> {
    const row = this.page.locator(`[data-testid="response-status-${connector}"]:not([data-status="running"]):not([data-status="pending"])`)
    await row.waitFor({ timeout: 30_000 })
    return (await row.getAttribute('data-status')) ?? ''
  }

  async openAuditTab(): Promise<void> {
    await this.id('response-tab-audit').click()
    await this.id('audit-tab').waitFor()
  }

  auditActions() {
    return this.id('audit-action')
  }

  async verify(): Promise<string | null> {
    await this.id('audit-verify').click()
    return this.id('audit-verified').getAttribute('data-ok')
  }
}
