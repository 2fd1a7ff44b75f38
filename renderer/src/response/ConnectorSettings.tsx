import { useEffect, useState } from 'react'
import type { ConnectorInfo } from '../../../contract'
import { api } from '../api'
import { errorText } from '../lib/format'
import './response.css'

const envName = (c: ConnectorInfo, setting: string) => `AFTERLOGIN_${c.id.toUpperCase()}_${setting}`

/** One connector's settings: secret values are write-only (the core never sends them back). */
const ConnectorForm = ({ info, onSaved }: { info: ConnectorInfo; onSaved: (list: ConnectorInfo[]) => void }) => {
  const [values, setValues] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const save = async () => {
    try {
      setError(null)
      const entries = Object.entries(values).filter(([, v]) => v !== '')
      onSaved(await api('response.configure', { connector: info.id, values: Object.fromEntries(entries) }))
      setValues({})
    } catch (err) {
      setError(errorText(err))
    }
  }
  const clear = async (name: string) => {
    try {
      onSaved(await api('response.configure', { connector: info.id, values: { [name]: '' } }))
    } catch (err) {
      setError(errorText(err))
    }
  }
  return (
    <div className="rsp-settings-form">
      {info.settings.map((s) => (
        <label key={s.name}>
          <code>{envName(info, s.name)}</code>
          <input
            type={s.secret ? 'password' : 'text'}
            autoComplete="off"
            value={values[s.name] ?? ''}
            placeholder={s.set ? (s.secret ? 'stored (hidden)' : 'set') : ''}
            onChange={(e) => setValues({ ...values, [s.name]: e.target.value })}
            data-testid={`connector-setting-${info.id}-${s.name}`}
          />
          {s.set && info.origin === 'settings' && (
            <button type="button" onClick={() => void clear(s.name)}>
              Clear
            </button>
          )}
        </label>
      ))}
      <button onClick={() => void save()} disabled={Object.values(values).every((v) => v === '')} data-testid={`connector-save-${info.id}`}>
        Save (encrypted with the OS keychain)
      </button>
      {error && <p className="rsp-error">{error}</p>}
    </div>
  )
}

/**
 * Response connectors and whether each is configured. In the desktop app settings are stored encrypted
 * (Electron safeStorage); in web mode and the CLI they come from AFTERLOGIN_* environment variables only.
 */
export const ConnectorSettings = () => {
  const [list, setList] = useState<ConnectorInfo[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [editing, setEditing] = useState<string | null>(null)
  useEffect(() => {
    api('response.connectors', {}).then(setList, (err: unknown) => setError(errorText(err)))
  }, [])
  if (error) return <p className="rsp-error">{error}</p>
  if (!list) return <p className="rsp-muted">Loading connectors…</p>
  return (
    <section className="rsp-settings" data-testid="connector-settings">
      <table className="rsp-table">
        <thead>
          <tr>
            <th>Connector</th>
            <th>State</th>
            <th>Base URL</th>
            <th>Actions</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id} data-testid={`connector-row-${c.id}`} data-configured={String(c.configured)}>
              <td>{c.label}</td>
              <td>
                {c.configured ? <span className="rsp-ok">configured ({c.origin === 'settings' ? 'settings' : 'environment'})</span> : <span className="rsp-warn">missing {c.missing.join(', ')}</span>}
              </td>
              <td>
                <code>{c.url ?? '—'}</code>
              </td>
              <td>{c.actions.join(', ')}</td>
              <td>
                {c.writable && (
                  <button onClick={() => setEditing(editing === c.id ? null : c.id)} data-testid={`connector-edit-${c.id}`}>
                    {editing === c.id ? 'Close' : 'Edit'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && list.find((c) => c.id === editing) && <ConnectorForm info={list.find((c) => c.id === editing)!} onSaved={setList} />}
      {!list.some((c) => c.writable) && <p className="rsp-muted">Settings come from the environment here: set AFTERLOGIN_&lt;CONNECTOR&gt;_URL and _TOKEN (and the extras listed) before starting Afterlogin.</p>}
    </section>
  )
}
