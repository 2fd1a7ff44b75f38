import { useState } from 'react'
import type { StoryPart } from '../../../contract'
import { useInvestigation } from '../state/investigation-store'
import './story.css'

/** Paragraph leads: the reader finds the pivot and the response without reading the whole story. */
const LEADS: Record<StoryPart['kind'], string | null> = {
  who: null,
  start: null,
  pivot: 'Pivot',
  before: 'Before',
  after: 'After',
  actions: 'Flagged',
  response: 'Response'
}

/**
 * The chain's story heads the investigation: who, where it started, the pivot, what was done and why the
 * response, in the words core wrote (the CLI and the report print the same text). Collapsed to its first lines
 * so that the graph keeps the screen; one click shows it all.
 */
export const ChainStory = () => {
  const parts = useInvestigation((s) => s.detail?.storyParts ?? null)
  const chainId = useInvestigation((s) => s.detail?.chain.id ?? null)
  const [open, setOpen] = useState<string | null>(null)
  if (!parts || !parts.length) return null
  const expanded = open === chainId
  return (
    <section className={`chain-story${expanded ? ' expanded' : ''}`} data-testid="chain-story" aria-label="The chain's story">
      <div className="story-text">
        {parts.map((p, i) => (
          <p key={`${p.kind}-${i}`} data-part={p.kind} data-testid={`story-${p.kind}`}>
            {LEADS[p.kind] && <span className="story-lead">{LEADS[p.kind]}</span>}
            {p.text}
          </p>
        ))}
      </div>
      <button
        type="button"
        className="link small story-toggle"
        data-testid="story-toggle"
        aria-expanded={expanded}
        onClick={() => setOpen(expanded ? null : chainId)}
      >
        {expanded ? 'Less' : 'Read all'}
      </button>
    </section>
  )
}
