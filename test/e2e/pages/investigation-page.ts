import type { Locator, Page } from 'playwright-core'

/** The SVG geometry calls used in the page (the Node-side tsconfig has no DOM types). */
interface SvgPath {
  getTotalLength(): number
  getPointAtLength(d: number): { x: number; y: number }
  getScreenCTM(): { a: number; b: number; c: number; d: number; e: number; f: number } | null
}

/** Sessions list and investigation view, as an analyst works them. */
export class InvestigationPage {
  constructor(readonly page: Page) {}

  private id(testId: string): Locator {
    return this.page.getByTestId(testId)
  }

  async goto(screen: 'home' | 'sessions' | 'investigation' | 'audit' | 'settings'): Promise<void> {
    await this.id(`nav-${screen}`).click()
  }

  chainRows(): Locator {
    return this.id('chain-row')
  }

  chainList(): Locator {
    return this.id('chain-list')
  }

  /** Identity of the n-th chain in the list once rows have arrived. */
  async chainIdentity(n: number): Promise<string> {
    const row = this.chainRows().nth(n)
    await row.waitFor()
    return (await row.getAttribute('data-identity')) ?? ''
  }

  graph(): Locator {
    return this.id('graph')
  }

  /** The chain's story heading the view; `part` narrows it to one paragraph (who, start, pivot, after, response …). */
  story(part?: string): Locator {
    return part ? this.id('chain-story').getByTestId(`story-${part}`) : this.id('chain-story')
  }

  /** Opens the whole story (it starts collapsed to its first lines) and returns its text. */
  async readStory(): Promise<string> {
    await this.story().waitFor()
    const toggle = this.id('story-toggle')
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
    return (await this.story().locator('.story-text').innerText()).trim()
  }

  /** Waits until the graph is drawn (laid out, fitted and painted) and returns its reported open time in ms. */
  async graphReady(): Promise<number> {
    await this.page.locator('[data-testid="graph"][data-ready="true"]').waitFor({ timeout: 30_000 })
    return Number(await this.graph().getAttribute('data-open-ms'))
  }

  graphNodes(filter: { app?: string; kind?: string } = {}): Locator {
    let sel = '.react-flow__node .cn'
    if (filter.app) sel += `[data-app="${filter.app}"]`
    if (filter.kind) sel += `[data-kind="${filter.kind}"]`
    return this.graph().locator(sel)
  }

  /** The "fit view" control: the whole chain on screen (off-screen nodes are not in the DOM). */
  async fitView(): Promise<void> {
    await this.graph().locator('.react-flow__controls-fitview').click()
  }

  stitchEdges(): Locator {
    return this.graph().locator('.react-flow__edge.edge-stitch')
  }

  /** The screen point halfway along an edge's path (a bounding box centre may miss a curve). */
  private async edgeMidpoint(edge: Locator): Promise<{ x: number; y: number }> {
    return edge.locator('path.react-flow__edge-path').evaluate((p) => {
      const path = p as unknown as SvgPath
      const pt = path.getPointAtLength(path.getTotalLength() / 2)
      const m = path.getScreenCTM()!
      return { x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f }
    })
  }

  async hoverEdge(edge: Locator): Promise<void> {
    const { x, y } = await this.edgeMidpoint(edge)
    await this.page.mouse.move(x, y)
  }

  async clickEdge(edge: Locator): Promise<void> {
    const { x, y } = await this.edgeMidpoint(edge)
    await this.page.mouse.click(x, y)
  }

  edgeTooltip(): Locator {
    return this.id('edge-tooltip')
  }

  edgeDetails(): Locator {
    return this.id('edge-details')
  }

  /** Drags across the timeline plot from one fraction of its width to another. */
  async brushTimeline(from: number, to: number): Promise<void> {
    const box = (await this.id('timeline-plot').boundingBox())!
    const y = box.y + box.height / 2
    await this.page.mouse.move(box.x + box.width * from, y)
    await this.page.mouse.down()
    await this.page.mouse.move(box.x + box.width * ((from + to) / 2), y, { steps: 4 })
    await this.page.mouse.move(box.x + box.width * to, y, { steps: 4 })
    await this.page.mouse.up()
  }

  timelineRange(): Locator {
    return this.id('timeline-range')
  }

  eventRows(): Locator {
    return this.id('event-row')
  }

  eventListHead(): Locator {
    return this.id('event-list').locator('.list-head')
  }

  rawRecord(): Locator {
    return this.id('raw-record')
  }

  eventFields(): Locator {
    return this.id('event-fields')
  }

  async rightClickNode(node: Locator): Promise<void> {
    await node.click({ button: 'right' })
  }

  menuRespond(): Locator {
    return this.id('menu-respond')
  }

  responseDrawer(): Locator {
    return this.id('response-drawer')
  }
}
