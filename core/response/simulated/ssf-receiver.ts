import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose'
import { bearer, startMock, type Provider, type Reply, type Seen } from './server'

// RFC 8935 push receiver (e.g. Okta's /security/api/v1/security-events): 202 on accept, 400 {"err","description"}.
const error = (err: string, description: string): Reply => ({ status: 400, body: { err, description } })

export interface ReceivedSet {
  header: { typ?: string; alg?: string; kid?: string }
  claims: JWTPayload
  verified: boolean
}

/** A receiver that checks typ, iss and aud at once and each SET's signature against the transmitter's JWKS. */
export const startSsfReceiver = async (o: { jwks: () => Promise<JSONWebKeySet>; issuer: string; audience: string; token?: string }) => {
  const received: ReceivedSet[] = []
  const pending: Promise<void>[] = []
  const handle = (req: Seen): Reply => {
    if (req.method !== 'POST' || req.path !== '/security/api/v1/security-events') return { status: 404, raw: '' }
    if (!String(req.headers['content-type']).startsWith('application/secevent+jwt'))
      return error('invalid_request', 'Content-Type must be application/secevent+jwt')
    const parts = req.body.split('.')
    if (parts.length !== 3) return error('invalid_request', 'not a JWS')
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString()) as ReceivedSet['header']
    if (header.typ !== 'secevent+jwt') return error('invalid_request', 'typ must be secevent+jwt')
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString()) as JWTPayload
    if (claims.iss !== o.issuer) return error('invalid_issuer', 'unknown issuer')
    if (claims.aud !== o.audience) return error('invalid_audience', 'wrong audience')
    pending.push(
      o
        .jwks()
        .then((set) => jwtVerify(req.body, createLocalJWKSet(set), { issuer: o.issuer, audience: o.audience, typ: 'secevent+jwt' }))
        .then(
          () => void received.push({ header, claims, verified: true }),
          () => void received.push({ header, claims, verified: false })
        )
    )
    return { status: 202, raw: '' }
  }
  const provider: Provider = {
    name: 'ssf',
    authorized: (req, token) => bearer(req, token),
    fault: (kind) => {
      switch (kind) {
        case 'unauthorized':
          return { status: 401, body: { err: 'authentication_failed', description: 'missing or invalid authorization' } }
        case 'not-found':
          return error('invalid_request', 'unknown subject')
        case 'rate-limit':
          return { status: 429, headers: { 'retry-after': '1' }, body: { err: 'invalid_request', description: 'slow down' } }
        case 'server-error':
          return { status: 503, raw: '' }
      }
    },
    handle
  }
  const server = await startMock(provider, { token: o.token })
  return { ...server, received, settled: () => Promise.all(pending) }
}
