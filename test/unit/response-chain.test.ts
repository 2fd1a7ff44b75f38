import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActionDetail, ActionSummary, ChainDetail, ChainPage, ResponsePreview } from '../../contract'
import { dispatch } from '../../core/dispatch'
import { EnvSecretStore } from '../../core/response/secret-store'
import { Workbench } from '../../core/workbench'
import { tempHome } from '../helpers/web-mode'

// The demo case is the project's generated hijack bundle: the top chain is maria.chen's.
let wb: Workbench
let chain: ChainDetail

const value = async <T>(p: Promise<{ ok: boolean; value?: unknown; error?: string }>): Promise<T> => {
  const out = await p
  if (!out.ok) throw new Error(out.error)
  return out.value as T
}

beforeAll(async () => {
  wb = new Workbench({ dataDir: tempHome(), transport: 'web', version: 'test', secrets: new EnvSecretStore({}) })
  await value(dispatch(wb, 'case.openDemo', {}))
  const page = await value<ChainPage>(dispatch(wb, 'chains.list', { limit: 1 }))
  chain = await value<ChainDetail>(dispatch(wb, 'chains.get', { id: page.rows[0].id }))
}, 120_000)
afterAll(() => wb?.close())

describe('responding to a chain of the case', () => {
  it('targets each provider by the name its own logs use', async () => {
    const p = await value<ResponsePreview>(
      dispatch(wb, 'response.preview', {
        identity: chain.chain.identity,
        action: 'terminate-session',
        connectors: ['okta', 'github', 'slack'],
        chainId: chain.chain.id
      })
    )
    const target = Object.fromEntries(p.plans.map((x) => [x.connector, x.target]))
    expect(target.okta).toBe(chain.chain.identity)
    expect(target.github).not.toContain('@')
    expect(target.slack).toMatch(/^U[A-Z0-9]+$/)
  })

  it('records the session keys each action cuts, for post_revocation', async () => {
    const okta = chain.sessions.find((s) => s.source === 'okta')!
    const google = chain.sessions.filter((s) => s.source === 'google_workspace')
    const actions = await value<ActionSummary[]>(
      dispatch(wb, 'response.execute', {
        identity: chain.chain.identity,
        action: 'terminate-session',
        connectors: ['okta', 'google', 'ssf'],
        chainId: chain.chain.id,
        reason: 'rehearsal',
        dryRun: true
      })
    )
    const keys = Object.fromEntries(actions.map((a) => [a.connector, a.sessionKeys]))
    expect(keys.okta).toContain(okta.sessionKey)
    // Google logs carry no session id: the case's own session ids stand in.
    for (const s of google) expect(keys.google).toContain(s.sessionKey ?? s.id)
    expect(keys.ssf.length).toBeGreaterThanOrEqual(chain.sessions.length - 1)

    const [one] = await value<ActionSummary[]>(
      dispatch(wb, 'response.execute', {
        identity: chain.chain.identity,
        action: 'terminate-session',
        connectors: ['okta'],
        chainId: chain.chain.id,
        sessionId: okta.id,
        reason: 'only the replayed session',
        dryRun: true
      })
    )
    expect(one.sessionKeys).toEqual([okta.sessionKey])
    const detail = await value<ActionDetail>(dispatch(wb, 'response.action', { id: one.id }))
    expect(detail.plan.sessionKey).toBe(okta.sessionKey)
    expect(detail.plan.calls.at(-1)).toMatchObject({
      method: 'DELETE',
      url: expect.stringContaining(`/api/v1/sessions/${okta.sessionKey}`),
      safeToRepeat: false
    })
  })
})
