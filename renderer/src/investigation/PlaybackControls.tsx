import { useEffect } from 'react'
import { playSteps } from '../graph/playback'
import { crossesDays, fmtClock } from '../lib/format'
import { useInvestigation } from '../state/investigation-store'

/** How long each step stays on screen while playing: long enough to read the step's label and its events. */
export const STEP_MS = 1200

/**
 * Replays the chain's actions in the order they began: each step selects its node (details and events follow),
 * fades what has not happened yet and moves the timeline's playhead.
 */
export const PlaybackControls = () => {
  const steps = useInvestigation((s) => playSteps(s.graph).length)
  const playIndex = useInvestigation((s) => s.playIndex)
  const playing = useInvestigation((s) => s.playing)
  const current = useInvestigation((s) => (s.playIndex === null ? null : (playSteps(s.graph)[s.playIndex] ?? null)))
  const withDate = useInvestigation((s) => crossesDays(s.detail?.chain.start, s.detail?.chain.end))
  const stepPlayback = useInvestigation((s) => s.stepPlayback)
  const setPlaying = useInvestigation((s) => s.setPlaying)
  const stopPlayback = useInvestigation((s) => s.stopPlayback)

  useEffect(() => {
    if (!playing) return
    const timer = setInterval(() => useInvestigation.getState().stepPlayback(1), STEP_MS)
    return () => clearInterval(timer)
  }, [playing])

  if (!steps) return null
  return (
    <span className="playback" data-testid="playback" data-step={playIndex ?? ''} data-at={current?.first ?? ''} data-playing={playing ? 'true' : 'false'}>
      <button
        type="button"
        onClick={() => stepPlayback(-1)}
        disabled={playIndex === 0}
        title="Previous action"
        aria-label="Previous action"
        data-testid="play-prev"
      >
        «
      </button>
      <button
        type="button"
        onClick={() => setPlaying(!playing)}
        title={playing ? 'Pause' : 'Play the chain in time order'}
        aria-label={playing ? 'Pause' : 'Play'}
        data-testid="play-toggle"
      >
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <button
        type="button"
        onClick={() => stepPlayback(1)}
        disabled={playIndex === steps - 1}
        title="Next action"
        aria-label="Next action"
        data-testid="play-next"
      >
        »
      </button>
      {current ? (
        <span className="small play-status" data-testid="play-status" title={current.label}>
          {playIndex! + 1}/{steps} · <span className="mono">{fmtClock(current.first, withDate)}</span> · {current.label}
          <button type="button" className="ghost" onClick={stopPlayback} title="Leave playback" aria-label="Leave playback" data-testid="play-stop">
            ✕
          </button>
        </span>
      ) : (
        <span className="small muted">play {steps} actions</span>
      )}
    </span>
  )
}
