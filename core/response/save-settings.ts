import type { ConnectorId } from '../../contract'
import { CONNECTORS } from './connectors'
import type { SecretStore } from './secret-store'

/** Saves an analyst's connector settings, refusing names the connector does not have. */
export const saveConnectorSettings = async (store: SecretStore, connector: ConnectorId, values: Record<string, string>): Promise<void> => {
  const known = new Set(CONNECTORS[connector].settings.map((s) => s.name))
  for (const name of Object.keys(values)) if (!known.has(name)) throw new Error(`${connector} has no setting ${name}`)
  // A stored credential never follows a changed URL on its own: a new address needs its secret re-entered.
  const key = (name: string) => `${connector.toUpperCase()}_${name}`
  const current = store.get(key('URL'))?.value
  if (values.URL !== undefined && values.URL !== current) {
    const secrets = CONNECTORS[connector].settings.filter((s) => s.secret && store.get(key(s.name))?.origin === 'settings')
    const missing = secrets.filter((s) => !values[s.name])
    if (missing.length) throw new Error(`changing the URL of ${connector} needs ${missing.map((s) => s.name).join(', ')} entered again`)
  }
  for (const [name, value] of Object.entries(values)) await store.set(`${connector.toUpperCase()}_${name}`, value)
}
