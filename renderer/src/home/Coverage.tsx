import { useEffect, useState } from 'react'
import type { CaseInfo, ChainRow } from '../../../contract'
import { api } from '../api'
import { appColor } from '../lib/app-colors'
import { errorText } from '../lib/format'
import { useNav } from '../state/nav-store'
import { buildCoverage } from './coverage'
import { identityTypeLabel, sourceLabel } from '../../../contract/labels'

/** Identities of the riskiest chains against the sources in the case: what is seen, and what cannot be. */
export const CoveragePanel = ({ info }: { info: CaseInfo }) => {
  const [chains, setChains] = useState<ChainRow[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const openChain = useNav((s) => s.openChain)

  useEffect(() => {
    let live = true
    setError(null)
    if (info.events === 0) {
      setChains([])
      return
    }
    api('chains.list', { offset: 0, limit: 500, sort: 'risk', filter: {} }).then(
      (page) => live && setChains(page.rows),
      (e: unknown) => live && setError(errorText(e))
    )
    return () => {
      live = false
    }
  }, [info.id, info.events])

  if (error) return <div className="panel error-text">Coverage unavailable: {error}</div>
  if (!chains) return <div className="panel muted">Computing coverage…</div>
  const cov = buildCoverage(info.sources, chains)
  if (cov.rows.length === 0) return null
  return (
    <div className="panel coverage" data-testid="coverage">
      <h3>Coverage of the identities involved</h3>
      <table className="grid cov">
        <thead>
          <tr>
            <th>identity</th>
            {cov.sources.map((s) => (
              <th key={s} className="cov-col">
                <span className="app-dot" style={{ background: appColor(s) }} />
                {sourceLabel(s)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cov.rows.map((r) => (
            <tr key={r.identity}>
              <td>
                <button type="button" className="link" onClick={() => openChain(chains.find((c) => c.identity === r.identity)!.id)}>
                  {r.identity}
                </button>{' '}
                <span className="muted small">{identityTypeLabel(r.identityType)}</span>
              </td>
              {cov.sources.map((s) => (
                <td key={s} className={r.apps.has(s) ? 'cov-yes' : 'cov-no'}>
                  {r.apps.has(s) ? '●' : '·'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {cov.blindSpots.length > 0 && (
        <>
          <h3 className="gap">Blind spots</h3>
          <ul className="blind" data-testid="blind-spots">
            {cov.blindSpots.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
