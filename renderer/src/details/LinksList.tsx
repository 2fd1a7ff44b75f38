import type { ChainDetail } from '../../../contract'
import { appColor } from '../lib/app-colors'
import { fmtDuration } from '../lib/format'
import { useInvestigation } from '../state/investigation-store'

/** Every stitch of the chain with its rule and time delta; clicking one selects its edge and shows the evidence. */
export const LinksList = ({ detail }: { detail: ChainDetail }) => {
  const select = useInvestigation((s) => s.select)
  const app = new Map(detail.sessions.map((s) => [s.id, s.app]))
  if (detail.links.length === 0) return <p className="muted small">A lone session: nothing was stitched to it.</p>
  return (
    <ul className="links small" data-testid="links">
      {detail.links.map((l) => (
        <li key={l.id} className={l.rejected ? 'rejected' : ''}>
          <button type="button" className="link" onClick={() => select({ kind: 'edge', id: `e:${l.id}` })} disabled={l.rejected}>
            <span className="app-dot" style={{ background: appColor(app.get(l.from)) }} />
            {app.get(l.from) ?? l.from} → <span className="app-dot" style={{ background: appColor(app.get(l.to)) }} />
            {app.get(l.to) ?? l.to}
          </button>
          <span className="mono muted">
            {l.evidence.rule} · {fmtDuration(l.evidence.deltaSeconds)}
            {l.rejected ? ' · rejected' : ''}
          </span>
        </li>
      ))}
    </ul>
  )
}
