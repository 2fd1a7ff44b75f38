import { memo } from 'react'
import type { MiniMapNodeProps } from '@xyflow/react'

/**
 * The minimap repaints on every pan frame; resources (often most of a big view) are left out of it so that
 * repaint stays small. Sessions and aggregates are what one navigates by anyway.
 */
const MiniMapNodeView = ({ id, x, y, width, height, color }: MiniMapNodeProps) =>
  id.startsWith('r:') ? null : <rect x={x} y={y} width={width} height={height} fill={color} />

export const MiniMapNode = memo(MiniMapNodeView)
