import { expect } from 'vitest'
import type { LabelMetrics } from './investigation-page'

type Box = { x: number; y: number; w: number; h: number }

/** b lies inside p (1 px of rounding allowed). */
export const inside = (b: Box, p: Box) => b.x >= p.x - 1 && b.y >= p.y - 1 && b.x + b.w <= p.x + p.w + 1 && b.y + b.h <= p.y + p.h + 1
/** a and b overlap by more than half a pixel. */
export const intersect = (a: Box, b: Box) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5

/**
 * What the graph must show at first paint: every node of the view drawn inside the pane (off-screen nodes are not in
 * the DOM), every text at least 11 px on screen, uncut and in the pane, no two node labels overlapping, and the
 * minimap (if any) covering no node.
 */
export const expectWholeAndReadable = (m: LabelMetrics, nodes: number) => {
  expect(m.drawnNodes).toBe(nodes)
  for (const n of m.nodes) expect(inside(n, m.pane), JSON.stringify({ n, pane: m.pane })).toBe(true)
  for (const t of m.texts) {
    expect(t.screenPx, `${t.text} is ${t.screenPx.toFixed(1)} px on screen`).toBeGreaterThanOrEqual(11)
    expect(t.cut, `${t.text} is cut`).toBe(false)
    expect(inside(t.box, m.pane), `${t.text} leaves the pane`).toBe(true)
  }
  for (let i = 0; i < m.labels.length; i++)
    for (let j = i + 1; j < m.labels.length; j++) expect(intersect(m.labels[i].box, m.labels[j].box), `${m.labels[i].text} × ${m.labels[j].text}`).toBe(false)
  if (m.minimap) for (const n of m.nodes) expect(intersect(n, m.minimap)).toBe(false)
}
