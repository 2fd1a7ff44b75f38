import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectorId } from '../../contract'
import { actionDetail } from '../../core/response/outbox'
import { jwksOf, loadSigningKey } from '../../core/response/ssf-keys'
import { startProvider, type MockedProvider } from '../mocks/providers'
import { openHarness } from '../mocks/response-harness'

const IDS: ConnectorId[] = ['okta', 'entra', 'google', 'slack', 'github', 'salesforce', 'aws', 'ssf']

let cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

const setup = async (id: ConnectorId, envOverride: Record<string, string> = {}) => {
  let dataDir = ''
  const provider: MockedProvider = await startProvider(id, { slowMs: 2500, jwks: async () => jwksOf(await loadSigningKey(dataDir)) as never })
  const h = await openHarness({ ...provider.env, ...envOverride })
  dataDir = h.dir
  cleanup.push(
    () => provider.server.close(),
    () => h.close()
  )
  return { provider, h }
}

describe.each(IDS)('%s connector against its loopback mock', (id) => {
  it('succeeds and records every call', async () => {
    const { provider, h } = await setup(id)
    const [action] = await h.run(id, provider.action, provider.identity)
    expect(action.status).toBe('done')
    expect(provider.server.count(provider.effectRoute)).toBeGreaterThanOrEqual(1)
    const detail = await actionDetail(h.db, action.id)
    expect(detail.calls.every((c) => c.status === 'done' && c.attempts === 1)).toBe(true)
    expect(detail.executedAt).not.toBeNull()
  })

  it('fails on a rejected credential with the provider’s own error, never the credential', async () => {
    const wrong = id === 'aws' ? 'AKIAWRONGKEY0000000' : 'wrong-credential-0123456789'
    const { provider, h } = await setup(id, { [provider_tokenVar(id)]: wrong })
    const [action] = await h.run(id, provider.action, provider.identity)
    expect(action.status).toBe('failed')
    expect(action.error).toMatch(provider.unauthorizedText)
    const detail = await actionDetail(h.db, action.id)
    expect(JSON.stringify(detail)).not.toContain(wrong)
  })

  it('fails clearly on an unknown user', async () => {
    const { provider, h } = await setup(id)
    if (!provider.unknownIdentity) return // an SSF receiver takes events for any subject
    const [action] = await h.run(id, provider.action, provider.unknownIdentity)
    expect(action.status).toBe('failed')
    expect(action.error ?? '').toMatch(/404|not_found|not found|NoSuchEntity|no user/i)
  })

  it('waits out a 429 (or the provider’s throttle) and succeeds', async () => {
    const { provider, h } = await setup(id)
    provider.server.inject(provider.safeRoute, 'rate-limit')
    const started = Date.now()
    const [action] = await h.run(id, provider.action, provider.identity)
    expect(action.status).toBe('done')
    const detail = await actionDetail(h.db, action.id)
    const throttled = detail.attempts.find((a) => a.error !== null)
    expect(throttled?.httpStatus).toBeGreaterThanOrEqual(400)
    expect(detail.attempts.length).toBeGreaterThan(detail.calls.length)
    // Retry-After / X-Rate-Limit-Reset of ~1 s were honoured rather than hammering the API.
    if (['okta', 'entra', 'slack', 'github', 'ssf'].includes(id)) expect(Date.now() - started).toBeGreaterThanOrEqual(400)
  })

  it('backs off after a 5xx and succeeds', async () => {
    const { provider, h } = await setup(id)
    provider.server.inject(provider.safeRoute, 'server-error')
    const [action] = await h.run(id, provider.action, provider.identity)
    expect(action.status).toBe('done')
    const detail = await actionDetail(h.db, action.id)
    expect(detail.attempts.some((a) => (a.httpStatus ?? 0) >= 500)).toBe(true)
  })

  it('retries a safe call after a timeout', async () => {
    const { provider, h } = await setup(id)
    provider.server.inject(provider.safeRoute, 'timeout')
    const [action] = await h.run(id, provider.action, provider.identity)
    expect(action.status).toBe('done')
    const detail = await actionDetail(h.db, action.id)
    expect(detail.attempts.some((a) => /timeout/.test(a.error ?? ''))).toBe(true)
  })
})

// The credential variable of each mock, kept apart so the table above stays readable.
const provider_tokenVar = (id: ConnectorId): string =>
  ({
    okta: 'AFTERLOGIN_OKTA_TOKEN',
    entra: 'AFTERLOGIN_ENTRA_TOKEN',
    google: 'AFTERLOGIN_GOOGLE_TOKEN',
    slack: 'AFTERLOGIN_SLACK_TOKEN',
    github: 'AFTERLOGIN_GITHUB_TOKEN',
    salesforce: 'AFTERLOGIN_SALESFORCE_TOKEN',
    aws: 'AFTERLOGIN_AWS_ACCESS_KEY_ID',
    ssf: 'AFTERLOGIN_SSF_TOKEN'
  })[id]
