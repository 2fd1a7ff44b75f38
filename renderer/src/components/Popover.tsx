import { useEffect, useRef, type ReactNode, type RefObject } from 'react'

interface PopoverProps {
  onClose(): void
  /** The button that toggles the popover: a press on it is its own toggle, not an outside click. */
  anchor: RefObject<HTMLElement | null>
  className?: string
  testId?: string
  label: string
  children: ReactNode
}

/**
 * A panel over the page that closes the way people expect: a press anywhere outside it, or Escape (which hands
 * focus back to the button that opened it). Rendered only while open; the owner decides what else closes it.
 */
export const Popover = ({ onClose, anchor, className, testId, label, children }: PopoverProps) => {
  const box = useRef<HTMLDivElement>(null)
  const close = useRef(onClose)
  close.current = onClose

  useEffect(() => {
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node | null
      if (!target || box.current?.contains(target) || anchor.current?.contains(target)) return
      close.current()
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      e.stopPropagation()
      close.current()
      anchor.current?.focus()
    }
    // Capture phase: a press on a graph canvas or list that stops propagation still closes the popover.
    document.addEventListener('pointerdown', onPointer, true)
    document.addEventListener('keydown', onKey, true)
    return () => {
      document.removeEventListener('pointerdown', onPointer, true)
      document.removeEventListener('keydown', onKey, true)
    }
  }, [anchor])

  return (
    <div ref={box} className={`popover ${className ?? ''}`} role="dialog" aria-label={label} data-testid={testId}>
      {children}
    </div>
  )
}
