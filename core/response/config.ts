import type { ConnectorId, ConnectorInfo, ResponseAction } from '../../contract'
import { RESPONSE_ACTIONS } from '../../contract'
import { CONNECTORS } from './connectors'
import type { SecretStore } from './secret-store'
import type { ConnectorConfig } from './types'

const nameOf = (id: ConnectorId, setting: string) => `${id.toUpperCase()}_${setting}`

/** Whether a stored setting name (`OKTA_TOKEN`) is a secret of its connector: secrets go to the keychain only. */
export const isSecretSetting = (name: string): boolean =>
  Object.values(CONNECTORS).some((c) => c.settings.some((s) => s.secret && nameOf(c.id, s.name) === name))

/** A provider on this machine's loopback is the demo's simulated provider (or a test double), never a real tenant. */
export const isSimulated = (url: string | null): boolean => {
  if (!url) return false
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)
  } catch {
    return false
  }
}

/** A connector's settings as read from the store; secrets are listed so records can be scrubbed of them. */
export const connectorConfig = (id: ConnectorId, store: SecretStore, dataDir: string, preview = false): ConnectorConfig => {
  const c = CONNECTORS[id]
  const get = (setting: string) => store.get(nameOf(id, setting))?.value
  const secrets = c.settings
    .filter((s) => s.secret)
    .map((s) => get(s.name))
    .filter((v): v is string => !!v)
  // The AWS SDK reads its standard variables itself; they must never be recorded either.
  if (id === 'aws') for (const v of [process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN]) if (v) secrets.push(v)
  return { get, secrets, dataDir, preview }
}

export const missingSettings = (id: ConnectorId, cfg: ConnectorConfig): string[] => {
  const c = CONNECTORS[id]
  const generic = c.settings.filter((s) => s.required && !cfg.get(s.name)).map((s) => `AFTERLOGIN_${nameOf(id, s.name)}`)
  return [...generic, ...(c.missing?.(cfg) ?? [])]
}

export const connectorInfo = (id: ConnectorId, store: SecretStore, dataDir: string): ConnectorInfo => {
  const c = CONNECTORS[id]
  const cfg = connectorConfig(id, store, dataDir)
  const missing = missingSettings(id, cfg)
  const origins = c.settings.map((s) => store.get(nameOf(id, s.name))?.origin).filter(Boolean)
  let url: string | null = null
  try {
    url = cfg.get('URL') ?? null
  } catch {
    url = null
  }
  return {
    id,
    label: c.label,
    configured: missing.length === 0,
    missing,
    origin: origins.includes('settings') ? 'settings' : origins.length ? 'env' : 'none',
    url,
    actions: RESPONSE_ACTIONS.filter((a): a is ResponseAction => !!c.actions[a]),
    settings: c.settings.map((s) => ({ name: s.name, secret: s.secret, set: !!cfg.get(s.name), help: s.help })),
    writable: store.writable,
    secretStorage: store.storage,
    storageNote: store.storageNote,
    permissions: RESPONSE_ACTIONS.flatMap((a) => {
      const doc = c.actions[a]
      return doc ? [{ action: a, permissions: doc.permissions }] : []
    }),
    simulated: isSimulated(url)
  }
}
