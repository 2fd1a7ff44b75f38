import type { ConnectorId, ConnectorPlan, ResponseAction } from '../../contract'
import { connectorConfig, missingSettings } from './config'
import { CONNECTORS } from './connectors'
import { PreviewRunner } from './preview-runner'
import type { SecretStore } from './secret-store'
import type { Target } from './types'

/** What one connector will send for the action — nothing is sent to build it. */
export const planFor = async (id: ConnectorId, action: ResponseAction, target: Target, store: SecretStore, dataDir: string): Promise<ConnectorPlan> => {
  const c = CONNECTORS[id]
  const cfg = connectorConfig(id, store, dataDir, true)
  const missing = missingSettings(id, cfg)
  const doc = c.actions[action]
  const base = { connector: id, label: c.label, action, configured: missing.length === 0, missing }
  if (!doc) {
    return {
      ...base,
      supported: false,
      target: target.identity,
      sessionKey: null,
      calls: [],
      cuts: [],
      doesNotCut: [],
      residual: '',
      permissions: [],
      docs: [],
      notes: [c.unsupported[action] ?? 'not supported by this connector']
    }
  }
  const runner = new PreviewRunner()
  const notes = [...(doc.notes ?? [])]
  let targetName = target.identity
  try {
    targetName = c.targetOf(target, cfg)
    await c.run(target, cfg, runner)
  } catch (err) {
    notes.push(`cannot run yet: ${(err as Error).message}`)
  }
  const key = target.sessionKey
  const single = !!key && runner.calls.some((call) => call.url.includes(encodeURIComponent(key)) || JSON.stringify(call.body ?? '').includes(key))
  if (key && !single) notes.push('this API cannot cut one session alone: the action applies to every session of the account')
  return {
    ...base,
    supported: true,
    target: targetName,
    sessionKey: single ? key : null,
    calls: runner.calls,
    cuts: doc.cuts,
    doesNotCut: doc.doesNotCut,
    residual: doc.residual,
    permissions: doc.permissions,
    docs: doc.docs,
    notes
  }
}
