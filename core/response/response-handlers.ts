import type { responseCalls } from '../../contract/response'
import type { AuditCallName } from '../audit/audit-handlers'
import type { CaseHost, Handlers } from '../host'
import { actionDetail, listActions } from './outbox'
import { EnvSecretStore, type SecretStore } from './secret-store'
import { SimulatedOverlay, startDemoProviders, type DemoProviders } from './simulated/demo-providers'
import { ResponseService } from './response-service'
import { jwksOf, loadSigningKey } from './ssf-keys'
import { saveConnectorSettings } from './save-settings'
import { testConnection } from './connection-test'

/** The response service of a workbench: one per workbench, so runs in flight are known across calls. */
const services = new WeakMap<CaseHost, ResponseService>()

/** The demo case's simulated providers, started when its response features are first used, per case file. */
const simulations = new WeakMap<CaseHost, { path: string; providers: Promise<DemoProviders>; settings: Map<string, string> | null }>()

/** Starts the simulated providers when the open case is the demo (once per case); none for any other case. */
const ensureSimulated = async (wb: CaseHost): Promise<void> => {
  const open = wb.openCase
  const current = simulations.get(wb)
  if (!open?.summary.demo) return
  if (current?.path === open.summary.path) {
    await current.providers
    return
  }
  if (current)
    void current.providers.then(
      (p) => p.close(),
      () => undefined
    )
  const entry: { path: string; providers: Promise<DemoProviders>; settings: Map<string, string> | null } = {
    path: open.summary.path,
    providers: startDemoProviders(open.db, wb.options.dataDir),
    settings: null
  }
  simulations.set(wb, entry)
  const providers = await entry.providers
  for (const server of providers.servers) server.unref()
  entry.settings = providers.settings
}

/** The analyst's settings, with the demo's simulated providers behind them while the demo case is open. */
const settingsOf = (wb: CaseHost): SecretStore =>
  new SimulatedOverlay(wb.options.secrets ?? new EnvSecretStore(), () => {
    const sim = simulations.get(wb)
    return sim && wb.openCase?.summary.demo && sim.path === wb.openCase.summary.path ? sim.settings : null
  })

export const responseService = (wb: CaseHost): ResponseService => {
  let s = services.get(wb)
  if (!s) {
    s = new ResponseService({
      db: () => wb.requireCase().db,
      push: wb.push,
      secrets: settingsOf(wb),
      dataDir: wb.options.dataDir,
      track: (run) => wb.track(run)
    })
    services.set(wb, s)
  }
  return s
}

export const responseHandlers = (wb: CaseHost): Pick<Handlers, Exclude<keyof typeof responseCalls, AuditCallName>> => {
  const svc = () => responseService(wb)
  const db = () => wb.requireCase().db
  const base = () => wb.options.secrets ?? new EnvSecretStore()
  const store = () => settingsOf(wb)
  return {
    'response.connectors': async () => {
      await ensureSimulated(wb)
      return svc().connectors()
    },
    'response.configure': async ({ connector, values }) => {
      await saveConnectorSettings(base(), connector, values)
      return svc().connectors()
    },
    'response.test': async ({ connector }) => {
      await ensureSimulated(wb)
      return testConnection(connector, store(), wb.options.dataDir)
    },
    'response.preview': async (input) => {
      await ensureSimulated(wb)
      return svc().preview(input)
    },
    'response.execute': async (input) => {
      await ensureSimulated(wb)
      return svc().execute(input, { wait: false })
    },
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
    'response.ssf.jwks': async () =>
      jwksOf(await loadSigningKey(wb.options.dataDir, base().get('SSF_SIGNING_KEY')?.value)) as { keys: Record<string, unknown>[] }
  }
}
