import { memo, useEffect, useMemo, useRef, useState, type PointerEvent } from 'react'
import { Panel, useReactFlow, useStore } from '@xyflow/react'
import { appColor } from '../lib/app-colors'
import { useInvestigation } from '../state/investigation-store'

const W = 200
const H = 140
const PAD = 6

/**
 * Overview of the whole chain. The nodes are painted once into a canvas per drawn graph; only the viewport
 * frame moves while panning (React Flow's SVG minimap repainted every node on every frame). Click or drag
 * to move the view there.
 */
const GraphMinimapView = () => {
  const nodes = useInvestigation((s) => s.nodes)
  const canvas = useRef<HTMLCanvasElement>(null)
  const flow = useReactFlow()
  const [tx, ty, zoom] = useStore((s) => s.transform)
  const paneW = useStore((s) => s.width)
  const paneH = useStore((s) => s.height)
  // The analyst can fold the overview away to a button so it covers nothing.
  const [open, setOpen] = useState(true)

  const frame = useMemo(() => {
    if (nodes.length === 0) return null
    let x0 = Infinity
    let y0 = Infinity
    let x1 = -Infinity
    let y1 = -Infinity
    for (const n of nodes) {
      x0 = Math.min(x0, n.position.x)
      y0 = Math.min(y0, n.position.y)
      x1 = Math.max(x1, n.position.x + (n.width ?? 0))
      y1 = Math.max(y1, n.position.y + (n.height ?? 0))
    }
    const scale = Math.min((W - PAD * 2) / (x1 - x0 || 1), (H - PAD * 2) / (y1 - y0 || 1))
    return { x0, y0, x1, y1, scale, ox: (W - (x1 - x0) * scale) / 2, oy: (H - (y1 - y0) * scale) / 2 }
  }, [nodes])

  // Nothing off-screen, nothing to navigate to: the overview would only cover part of the chain.
  const vx0 = -tx / zoom
  const vy0 = -ty / zoom
  const allInView = !!frame && vx0 <= frame.x0 + 1 && vy0 <= frame.y0 + 1 && vx0 + paneW / zoom >= frame.x1 - 1 && vy0 + paneH / zoom >= frame.y1 - 1

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d')
    if (!ctx || !frame) return
    ctx.clearRect(0, 0, W, H)
    for (const n of nodes) {
      const d = n.data.node
      ctx.fillStyle = d.risky ? '#ff5d5d' : appColor(d.app)
      ctx.globalAlpha = d.kind === 'resource' ? 0.45 : 1
      ctx.fillRect(
        frame.ox + (n.position.x - frame.x0) * frame.scale,
        frame.oy + (n.position.y - frame.y0) * frame.scale,
        Math.max(1, (n.width ?? 0) * frame.scale),
        Math.max(1, (n.height ?? 0) * frame.scale)
      )
    }
    ctx.globalAlpha = 1
  }, [nodes, frame, allInView, open])

  if (!frame || allInView) return null
  const view = {
    left: frame.ox + (-tx / zoom - frame.x0) * frame.scale,
    top: frame.oy + (-ty / zoom - frame.y0) * frame.scale,
    width: (paneW / zoom) * frame.scale,
    height: (paneH / zoom) * frame.scale
  }
  const moveTo = (e: PointerEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect()
    const fx = frame.x0 + (e.clientX - box.left - frame.ox) / frame.scale
    const fy = frame.y0 + (e.clientY - box.top - frame.oy) / frame.scale
    void flow.setCenter(fx, fy, { zoom })
  }
  if (!open) {
    return (
      <Panel position="bottom-right" className="graph-minimap" data-testid="graph-minimap">
        <button type="button" className="gm-toggle" onClick={() => setOpen(true)} data-testid="minimap-show">
          Overview
        </button>
      </Panel>
    )
  }
  return (
    <Panel position="bottom-right" className="graph-minimap" data-testid="graph-minimap">
      <button
        type="button"
        className="gm-toggle gm-hide"
        onClick={() => setOpen(false)}
        title="Hide the overview"
        aria-label="Hide the overview"
        data-testid="minimap-hide"
      >
        ✕
      </button>
      <div
        className="gm-box"
        style={{ width: W, height: H }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId)
          moveTo(e)
        }}
        onPointerMove={(e) => e.buttons === 1 && moveTo(e)}
      >
        <canvas ref={canvas} width={W} height={H} />
        <div className="gm-view" style={{ transform: `translate(${view.left}px, ${view.top}px)`, width: view.width, height: view.height }} />
      </div>
    </Panel>
  )
}

export const GraphMinimap = memo(GraphMinimapView)
