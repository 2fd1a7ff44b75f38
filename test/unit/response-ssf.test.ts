import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { jwksOf, loadSigningKey } from '../../core/response/ssf-keys'
import { openHarness } from '../mocks/response-harness'
import { startSsfReceiver } from '../mocks/ssf-receiver-mock'

let cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/'

describe('SSF transmitter', () => {
  it('pushes signed CAEP SETs a receiver verifies with the published JWKS', async () => {
    let dataDir = ''
    const receiver = await startSsfReceiver({
      jwks: async () => jwksOf(await loadSigningKey(dataDir)) as never,
      issuer: 'https://afterlogin.test/ssf',
      audience: 'https://receiver.test',
      token: 'receiver-auth-9f8e7d6c'
    })
    cleanup.push(() => receiver.close())
    const h = await openHarness({
      AFTERLOGIN_SSF_URL: `${receiver.url}/security/api/v1/security-events`,
      AFTERLOGIN_SSF_TOKEN: `Bearer ${receiver.token}`,
      AFTERLOGIN_SSF_ISSUER: 'https://afterlogin.test/ssf',
      AFTERLOGIN_SSF_AUDIENCE: 'https://receiver.test'
    })
    dataDir = h.dir
    cleanup.push(() => h.close())
    const [a] = await h.run('ssf', 'suspend-identity', 'alice@acme.example', { reason: 'session replayed from AS-evil' })
    expect(a.status).toBe('done')
    await receiver.settled()
    expect(receiver.received).toHaveLength(2)
    for (const set of receiver.received) {
      expect(set.verified).toBe(true)
      expect(set.header.typ).toBe('secevent+jwt')
      expect(set.header.alg).toBe('RS256')
      expect(set.claims).not.toHaveProperty('sub')
      expect(set.claims).not.toHaveProperty('exp')
      expect(set.claims).toMatchObject({
        iss: 'https://afterlogin.test/ssf',
        aud: 'https://receiver.test',
        txn: a.id,
        sub_id: { format: 'email', email: 'alice@acme.example' }
      })
    }
    const [revoked, disabled] = receiver.received.map((s) => s.claims.events as Record<string, Record<string, unknown>>)
    expect(revoked[`${CAEP}session-revoked`]).toMatchObject({ initiating_entity: 'admin', reason_admin: { en: expect.stringMatching(/.+/) } })
    expect(disabled['https://schemas.openid.net/secevent/risc/event-type/account-disabled']).toMatchObject({ reason: 'hijacking' })
    expect(new Set(receiver.received.map((s) => s.claims.jti)).size).toBe(2)
    // The key lives in the data folder, owner-only, never in the case.
    expect(statSync(join(h.dir, 'ssf', 'signing-key.pem')).mode & 0o077).toBe(0)
  })

  it('keeps one key: the JWKS is stable across loads and public only', async () => {
    const h = await openHarness({})
    cleanup.push(() => h.close())
    const a = jwksOf(await loadSigningKey(h.dir))
    const b = jwksOf(await loadSigningKey(h.dir))
    expect(a).toEqual(b)
    expect(a.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' })
    expect(a.keys[0]).not.toHaveProperty('d')
    expect(Buffer.from(a.keys[0].n!, 'base64url').length * 8).toBeGreaterThanOrEqual(2048)
  })
})
