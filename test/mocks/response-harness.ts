import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import type { ConnectorId, ResponseAction } from '../../contract'
import { PushChannel } from '../../core/emitter'
import { ResponseService } from '../../core/response/response-service'
import { EnvSecretStore } from '../../core/response/secret-store'
import { CaseDb } from '../../core/store/case-db'

/** A fresh case and a response service reading its settings from `env` only, with short timeouts. */
export const openHarness = async (env: Record<string, string>, opts: { timeoutMs?: number; dir?: string } = {}) => {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'afterlogin-response-'))
  const db = await CaseDb.open(join(dir, 'case.duckdb'))
  const push = new PushChannel()
  const events: unknown[] = []
  push.on('response.status', (e) => events.push(e))
  const service = new ResponseService({
    db: () => db,
    push,
    secrets: new EnvSecretStore(env),
    dataDir: dir,
    policy: { timeoutMs: opts.timeoutMs ?? 500, baseDelayMs: 20, maxDelayMs: 100, maxWaitMs: 5000 }
  })
  const run = (connector: ConnectorId, action: ResponseAction, identity: string, extra: { dryRun?: boolean; reason?: string; sessionId?: string } = {}) =>
    service.execute(
      {
        connectors: [connector],
        action,
        identity,
        reason: extra.reason ?? 'hijacked session from AS-evil',
        analyst: 'test-analyst',
        dryRun: extra.dryRun ?? false,
        sessionId: extra.sessionId
      },
      { wait: true }
    )
  return { dir, db, service, events, run, close: () => db.close() }
}

/** openHarness against a running provider mock; when the test finishes the harness is closed, then the mock. */
export const harnessOn = async (
  server: { close: () => Promise<void> | void },
  env: Record<string, string>,
  opts: { timeoutMs?: number; dir?: string } = {}
) => {
  onTestFinished(() => server.close())
  const h = await openHarness(env, opts)
  onTestFinished(() => h.close())
  return h
}
