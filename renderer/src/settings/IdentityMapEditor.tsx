import { useEffect, useState, type FormEvent } from 'react'
import type { IdentityMapEntry } from '../../../contract'
import { api } from '../api'
import { errorText } from '../lib/format'

/** Aliases joined to one identity across apps (e.g. GitHub login → corporate email); saving re-analyses the case. */
export const IdentityMapEditor = () => {
  const [entries, setEntries] = useState<IdentityMapEntry[] | null>(null)
  const [alias, setAlias] = useState('')
  const [identity, setIdentity] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    api('identity.map.list', {}).then(setEntries, (e: unknown) => setError(errorText(e)))
  }, [])

  const run = async (work: () => Promise<IdentityMapEntry[]>) => {
    setBusy(true)
    setError(null)
    try {
      setEntries(await work())
    } catch (e) {
      setError(errorText(e))
    } finally {
      setBusy(false)
    }
  }
  const add = (e: FormEvent) => {
    e.preventDefault()
    if (!alias.trim() || !identity.trim()) return
    void run(() => api('identity.map.set', { alias: alias.trim(), identity: identity.trim() })).then(() => {
      setAlias('')
      setIdentity('')
    })
  }

  return (
    <div className="panel" data-testid="identity-map">
      <h3>Identity map</h3>
      <p className="muted small">Aliases the logs use for one person or workload. Saving re-runs the session analysis of this case.</p>
      <form className="row" onSubmit={add}>
        <input placeholder="alias, e.g. alice-acme (GitHub login)" value={alias} onChange={(e) => setAlias(e.target.value)} />
        <span className="muted">→</span>
        <input placeholder="identity, e.g. alice@acme.example" value={identity} onChange={(e) => setIdentity(e.target.value)} />
        <button type="submit" disabled={busy || !alias.trim() || !identity.trim()}>
          {busy ? 'Re-analysing…' : 'Add'}
        </button>
      </form>
      {error && <p className="error-text">{error}</p>}
      {entries && entries.length === 0 && <p className="muted small">No aliases yet.</p>}
      {entries && entries.length > 0 && (
        <table className="grid">
          <tbody>
            {entries.map((m) => (
              <tr key={m.alias}>
                <td className="mono">{m.alias}</td>
                <td className="mono">{m.identity}</td>
                <td>
                  <button type="button" className="link" disabled={busy} onClick={() => void run(() => api('identity.map.clear', { alias: m.alias }))}>
                    remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
