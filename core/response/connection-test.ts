import type { ConnectionCheck, ConnectorId } from '../../contract'
import { connectorConfig, missingSettings } from './config'
import { CONNECTORS } from './connectors'
import { redactor } from './redact'
import type { SecretStore } from './secret-store'

const TIMEOUT_MS = 15_000

/** What an HTTP status means for the analyst configuring the connector. */
const meaning = (status: number, permissions: string[]): string => {
  if (status === 401) return 'the provider rejected the credential (wrong, expired or revoked): enter it again'
  if (status === 403) return `the credential was accepted but lacks a permission; the actions need: ${permissions.join('; ')}`
  if (status === 404) return 'the address answered but does not know this resource: check the base URL (and the organization, for GitHub)'
  if (status === 429) return 'the provider is throttling this client: the settings may be right, try again in a minute'
  if (status >= 500) return 'the provider is failing right now: the settings may be right, try again later'
  return 'the provider refused the request'
}

/** Makes the connector's read-only call with its current settings and says in words what came back. */
export const testConnection = async (id: ConnectorId, store: SecretStore, dataDir: string): Promise<ConnectionCheck> => {
  const c = CONNECTORS[id]
  const cfg = connectorConfig(id, store, dataDir)
  const redact = redactor(cfg.secrets)
  const permissions = [...new Set(Object.values(c.actions).flatMap((a) => a?.permissions ?? []))]
  const missing = missingSettings(id, cfg)
  if (missing.length) return { ok: false, call: '', httpStatus: null, message: `${c.label} is not configured: set ${missing.join(', ')}` }
  let call = ''
  try {
    const pending = c.probe(cfg)
    if (!pending)
      return {
        ok: false,
        call: '',
        httpStatus: null,
        message: `${c.label} has no read-only call to test: the receiver only accepts events, so the first real action is the test`
      }
    const spec = await pending
    call = redact(`${spec.method} ${spec.url}`)
    const reply = await spec.send(AbortSignal.timeout(TIMEOUT_MS))
    const verdict = c.interpret(reply)
    if (verdict.ok)
      return { ok: true, call, httpStatus: reply.status, message: `${c.label} answered HTTP ${reply.status}: the address and the credential work` }
    return { ok: false, call, httpStatus: reply.status, message: redact(`${c.label}: ${meaning(reply.status, permissions)} (${verdict.error})`) }
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } }
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : e.cause?.code
          ? `${e.cause.code}: the address cannot be reached`
          : `${e.message}${e.cause?.message ? ` (${e.cause.message})` : ''}`
    return { ok: false, call, httpStatus: null, message: redact(`${c.label}: ${why}`) }
  }
}
