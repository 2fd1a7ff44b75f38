import { useEffect, useState } from 'react'
import type { ConnectionCheck, ConnectorInfo } from '../../../contract'
import { responseLabel } from '../../../contract/labels'
import { api } from '../api'
import { errorText } from '../lib/format'
import './response.css'

const envName = (c: ConnectorInfo, setting: string) => `AFTERLOGIN_${c.id.toUpperCase()}_${setting}`

/** What each action needs from the credential, from the connector's facts table. */
const Permissions = ({ info }: { info: ConnectorInfo }) => (
  <dl className="rsp-effects" data-testid={`connector-permissions-${info.id}`}>
    {info.permissions.map((p) => (
      <div key={p.action} style={{ display: 'contents' }}>
        <dt>{p.action}</dt>
        <dd>{p.permissions.join('; ')}</dd>
      </div>
    ))}
  </dl>
)

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
  const where = info.secretStorage === 'keychain' ? 'secrets go to the OS keychain' : 'secrets are kept in memory for this session only'
  return (
    <div className="rsp-settings-form" data-testid={`connector-form-${info.id}`}>
      <h4>{info.label}</h4>
      {info.settings.map((s) => (
        <label key={s.name}>
          <span>
            <code>{envName(info, s.name)}</code>
            <span className="rsp-muted rsp-help">{s.help}</span>
          </span>
          <input
            type={s.secret ? 'password' : 'text'}
            autoComplete="off"
            value={values[s.name] ?? ''}
            placeholder={s.set ? (s.secret ? 'stored (hidden)' : 'set') : ''}
            onChange={(e) => setValues({ ...values, [s.name]: e.target.value })}
            data-testid={`connector-setting-${info.id}-${s.name}`}
          />
          {s.set && info.origin === 'settings' ? (
            <button type="button" onClick={() => void clear(s.name)}>
              Clear
            </button>
          ) : (
            <span />
          )}
        </label>
      ))}
      <button onClick={() => void save()} disabled={Object.values(values).every((v) => v === '')} data-testid={`connector-save-${info.id}`}>
        Save ({where})
      </button>
      <h4>Permissions each action needs</h4>
      <Permissions info={info} />
      {error && <p className="rsp-error">{error}</p>}
    </div>
  )
}

/** "Test connection": one read-only call with the saved settings, reported in words. */
const TestButton = ({ info }: { info: ConnectorInfo }) => {
  const [check, setCheck] = useState<ConnectionCheck | null>(null)
  const [busy, setBusy] = useState(false)
  const run = async () => {
    setBusy(true)
    try {
      setCheck(await api('response.test', { connector: info.id }))
    } catch (err) {
      setCheck({ ok: false, call: '', httpStatus: null, message: errorText(err) })
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <button onClick={() => void run()} disabled={busy || !info.configured} data-testid={`connector-test-${info.id}`}>
        {busy ? 'Testing…' : 'Test connection'}
      </button>
      {check && (
        <p className={check.ok ? 'rsp-ok' : 'rsp-error'} data-testid={`connector-test-result-${info.id}`} data-ok={String(check.ok)}>
          {check.message}
          {check.call && <code className="rsp-body">{check.call}</code>}
        </p>
      )}
    </>
  )
}

/**
 * Settings → Connectors: every provider, whether it is configured and from where, its base URL, the permissions each
 * action needs, and a read-only connection test. Secrets go to the OS keychain (Electron safeStorage on the desktop,
 * the OS keyring in web mode); when none is available the screen says so and keeps them in memory for the session.
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
  const note = list.find((c) => c.storageNote)?.storageNote
  const memory = list.some((c) => c.secretStorage === 'memory')
  const chosen = list.find((c) => c.id === editing)
  return (
    <section className="panel rsp-settings" data-testid="connector-settings">
      <h3>Connectors</h3>
      {note && (
        <p className={memory ? 'rsp-warn' : 'rsp-muted'} data-testid="connector-storage-note" data-storage={memory ? 'memory' : list[0]?.secretStorage}>
          {note}
        </p>
      )}
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
            <tr key={c.id} data-testid={`connector-row-${c.id}`} data-configured={String(c.configured)} data-simulated={String(c.simulated)}>
              <td>
                {c.label}
                {c.simulated && (
                  <span className="rsp-badge rsp-simulated" title="a provider simulated on this machine (loopback): no real tenant is touched">
                    simulated
                  </span>
                )}
              </td>
              <td>
                {c.configured ? (
                  <span className="rsp-ok">
                    configured ({c.simulated && c.origin !== 'settings' ? 'simulated provider' : c.origin === 'settings' ? 'settings' : 'environment'})
                  </span>
                ) : (
                  <span className="rsp-warn">missing {c.missing.join(', ')}</span>
                )}
              </td>
              <td>
                <code>{c.url ?? '—'}</code>
              </td>
              <td>{c.actions.map(responseLabel).join(', ')}</td>
              <td className="rsp-row-buttons">
                {c.writable && (
                  <button onClick={() => setEditing(editing === c.id ? null : c.id)} data-testid={`connector-edit-${c.id}`}>
                    {editing === c.id ? 'Close' : 'Edit'}
                  </button>
                )}
                <TestButton info={c} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {chosen && <ConnectorForm info={chosen} onSaved={setList} />}
      {!list.some((c) => c.writable) && (
        <p className="rsp-muted">
          Settings come from the environment here: set AFTERLOGIN_&lt;CONNECTOR&gt;_URL and _TOKEN (and the extras listed) before starting Afterlogin.
        </p>
      )}
    </section>
  )
}
