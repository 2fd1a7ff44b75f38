import type { layoutGraph, LayoutInput } from '../../renderer/src/graph/layout'

/** Pairs of nodes whose boxes intersect in a layout. */
export const overlaps = (input: LayoutInput, out: ReturnType<typeof layoutGraph>): string[] => {
  const bad: string[] = []
  const boxes = input.nodes.map((n) => ({ id: n.id, ...out.positions[n.id], w: n.width, h: n.height }))
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]
      const b = boxes[j]
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) bad.push(`${a.id}/${b.id}`)
    }
  return bad
}
