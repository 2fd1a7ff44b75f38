import type { responseCalls } from '../../contract/response'
import type { Handlers, Workbench } from '../workbench'
import { auditPage, verifyAudit } from './audit'
import { auditCsv, auditJson } from './audit-export'
import { actionDetail, listActions } from './outbox'
import { EnvSecretStore } from './secret-store'
import { ResponseService } from './response-service'
import { jwksOf, loadSigningKey } from './ssf-keys'
import { CONNECTORS } from './connectors'
import { testConnection } from './connection-test'

/** The response service of a workbench: one per workbench, so runs in flight are known across calls. */
const services = new WeakMap<Workbench, ResponseService>()

export const responseService = (wb: Workbench): ResponseService => {
  let s = services.get(wb)
  if (!s) {
    s = new ResponseService({
      db: () => wb.requireCase().db,
      push: wb.push,
      secrets: wb.options.secrets ?? new EnvSecretStore(),
      dataDir: wb.options.dataDir,
      track: (run) => wb.track(run),
      chainSessions: async (id) => {
        // The sessions domain owns chains; without it (or without the chain) the action simply has no chain keys.
        const get = wb.handlers['chains.get'] as Handlers['chains.get'] | undefined
        return get ? (await get({ id })).sessions : []
      }
    })
    services.set(wb, s)
  }
  return s
}

export const responseHandlers = (wb: Workbench): Pick<Handlers, keyof typeof responseCalls> => {
  const svc = () => responseService(wb)
  const db = () => wb.requireCase().db
  const store = () => wb.options.secrets ?? new EnvSecretStore()
  return {
    'response.connectors': async () => svc().connectors(),
    'response.configure': async ({ connector, values }) => {
      const known = new Set(CONNECTORS[connector].settings.map((s) => s.name))
      for (const name of Object.keys(values)) if (!known.has(name)) throw new Error(`${connector} has no setting ${name}`)
      // A stored credential never follows a changed URL on its own: a new address needs its secret re-entered.
      const key = (name: string) => `${connector.toUpperCase()}_${name}`
      const current = store().get(key('URL'))?.value
      if (values.URL !== undefined && values.URL !== current) {
        const secrets = CONNECTORS[connector].settings.filter((s) => s.secret && store().get(key(s.name))?.origin === 'settings')
        const missing = secrets.filter((s) => !values[s.name])
        if (missing.length) throw new Error(`changing the URL of ${connector} needs ${missing.map((s) => s.name).join(', ')} entered again`)
      }
      for (const [name, value] of Object.entries(values)) await store().set(`${connector.toUpperCase()}_${name}`, value)
      return svc().connectors()
    },
    'response.test': async ({ connector }) => testConnection(connector, store(), wb.options.dataDir),
    'response.preview': async (input) => svc().preview(input),
    'response.execute': async (input) => svc().execute(input, { wait: false }),
    'response.actions': async ({ chainId, limit }) => {
      await svc().recover(db())
      return listActions(db(), chainId ?? null, limit)
    },
    'response.action': async ({ id }) => {
      await svc().recover(db())
      return actionDetail(db(), id)
    },
    'response.resume': async ({ id, reason, analyst, resendUnsafe }) => svc().resume(id, reason, analyst, resendUnsafe, { wait: false }),
    'response.settle': async ({ id, outcome, reason, analyst }) => svc().settle(id, outcome, reason, analyst),
    'audit.list': async ({ offset, limit }) => auditPage(db(), offset, limit),
    'audit.verify': async () => verifyAudit(db()),
    'audit.export': async ({ format }) => ({ format, text: format === 'csv' ? await auditCsv(db()) : await auditJson(db()) }),
    'response.ssf.jwks': async () => jwksOf(await loadSigningKey(wb.options.dataDir, store().get('SSF_SIGNING_KEY')?.value)) as { keys: Record<string, unknown>[] }
  }
}
