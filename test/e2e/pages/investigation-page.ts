import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'
import { ROOT } from '../../helpers/web-mode'
import { inside } from './readable-graph'

/** The SVG geometry calls used in the page (the Node-side tsconfig has no DOM types). */
interface SvgPath {
  getTotalLength(): number
  getPointAtLength(d: number): { x: number; y: number }
  getScreenCTM(): { a: number; b: number; c: number; d: number; e: number; f: number } | null
}

interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** What an analyst sees of each node's text: its size on screen, its box, and whether it was cut. */
export interface LabelMetrics {
  zoom: number
  pane: Box
  drawnNodes: number
  texts: Array<{ text: string; kind: string; label: boolean; screenPx: number; box: Box; cut: boolean }>
  labels: Array<{ text: string; box: Box }>
  nodes: Box[]
  anomalyEdges: Box[]
  minimap: Box | null
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

  /** Waits until the graph of that chain is drawn (the marker names the chain, so an earlier chain's graph never passes). */
  async graphReadyFor(chainId: string, timeout = 30_000): Promise<number> {
    await this.page.locator(`[data-testid="graph"][data-ready="true"][data-chain="${chainId}"]`).waitFor({ timeout })
    return Number(await this.graph().getAttribute('data-open-ms'))
  }

  /** Sessions list by keyboard, as fast as an analyst types: go there, jump with Home/End, open with Enter. */
  async openChainByKeyboard(jump: 'Home' | 'End'): Promise<void> {
    await this.goto('sessions')
    await this.chainList().focus()
    await this.chainList().press(jump)
    await this.chainList().press('Enter')
  }

  /**
   * The label metrics once the view has settled. The panels around the graph fill in after it is first drawn, and
   * the graph is refitted to the pane they leave (GraphView's ResizeObserver): measuring in between sees nodes fitted
   * to the pane as it was a frame before.
   */
  async settledLabelMetrics(): Promise<LabelMetrics> {
    let m = await this.labelMetrics()
    await expect
      .poll(async () => {
        m = await this.labelMetrics()
        return m.nodes.every((n) => inside(n, m.pane))
      })
      .toBe(true)
    return m
  }

  /** Measures every node text on screen (font size × zoom, boxes, clipping) in one pass in the page. */
  async labelMetrics(): Promise<LabelMetrics> {
    return this.graph().evaluate((root) => {
      type El = {
        getBoundingClientRect(): { x: number; y: number; width: number; height: number }
        textContent: string | null
        scrollWidth: number
        clientWidth: number
        scrollHeight: number
        clientHeight: number
        closest(s: string): El | null
        getAttribute(n: string): string | null
      }
      const doc = root as unknown as { querySelector(s: string): El | null; querySelectorAll(s: string): Iterable<El> } & El
      const win = globalThis as unknown as { getComputedStyle(e: El): { fontSize: string; display: string; visibility: string } }
      const box = (e: El) => {
        const r = e.getBoundingClientRect()
        return { x: r.x, y: r.y, w: r.width, h: r.height }
      }
      const vp = doc.querySelector('.react-flow__viewport') as unknown as { style: { transform: string } }
      const zoom = Number(/scale\(([\d.]+)\)/.exec(vp.style.transform)?.[1] ?? '1')
      const shown = (e: El) => {
        const cs = win.getComputedStyle(e)
        const r = e.getBoundingClientRect()
        return cs.display !== 'none' && cs.visibility !== 'hidden' && r.width > 0 && r.height > 0
      }
      const texts = [...doc.querySelectorAll('.cn-label, .cn-meta')].filter(shown).map((e) => ({
        text: e.textContent ?? '',
        kind: e.closest('.cn')?.getAttribute('data-kind') ?? '',
        label: e.getAttribute('class')?.split(' ').includes('cn-label') ?? false,
        screenPx: parseFloat(win.getComputedStyle(e).fontSize) * zoom,
        box: box(e),
        cut: e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1
      }))
      const minimap = doc.querySelector('[data-testid="graph-minimap"]')
      return {
        zoom,
        pane: box(doc),
        drawnNodes: [...doc.querySelectorAll('.react-flow__node')].length,
        texts,
        labels: texts.filter((t) => t.label).map((t) => ({ text: t.text, box: t.box })),
        nodes: [...doc.querySelectorAll('.react-flow__node')].map(box),
        anomalyEdges: [...doc.querySelectorAll('.react-flow__edge.edge-anomaly path.react-flow__edge-path')].map(box),
        minimap: minimap ? box(minimap) : null
      }
    })
  }

  /** Saves a screenshot where the README takes its pictures from. */
  async docScreenshot(name: string): Promise<string> {
    const dir = join(ROOT, 'docs', 'screenshots')
    mkdirSync(dir, { recursive: true })
    const path = join(dir, `${name}.png`)
    await this.page.screenshot({ path, fullPage: false })
    return path
  }

  playback(): Locator {
    return this.id('playback')
  }

  /** Opens a chain from the sessions list with a double-click on its row. */
  async openChainRow(chainId: string): Promise<void> {
    await this.goto('sessions')
    await this.page.locator(`[data-testid="chain-row"][data-chain="${chainId}"]`).dblclick()
  }

  eventTimes(): Locator {
    return this.id('event-time')
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
