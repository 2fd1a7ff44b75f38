import { fmtTime } from '../lib/format'
import { timeToFraction, type TimelineModel } from '../timeline/timeline-model'

/** The pivot on the timeline: a line at its time, and the stretch after it shaded (inside the timeline's svg). */
export const TimelinePivot = ({ model, time, width, height }: { model: TimelineModel; time: string; width: number; height: number }) => {
  const x = Math.min(1, Math.max(0, timeToFraction(model, Date.parse(time)))) * width
  return (
    <g data-testid="timeline-pivot" data-time={time}>
      <rect className="tl-after-pivot" x={x} width={width - x} y={0} height={height} />
      <line className="tl-pivot" x1={x} x2={x} y1={0} y2={height}>
        <title>{`pivot ${fmtTime(time)}: the session's context changed`}</title>
      </line>
    </g>
  )
}
