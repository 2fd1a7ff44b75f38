import { jwtVerify, type CryptoKey, type JWTPayload } from 'jose'
import { bearer, startMock, type Provider, type Reply, type Seen } from './server'

export interface GoogleUser {
  primaryEmail: string
  id: string
  suspended: boolean
  changePasswordAtNextLogin: boolean
  signOuts: number
  tokens: string[]
}

// Google's envelope: {"error":{"code","message","errors":[{"domain","reason","message"}]}}.
const error = (code: number, message: string, reason: string, status?: string): Reply => ({
  status: code,
  body: { error: { code, message, errors: [{ domain: reason === 'notFound' ? 'global' : 'usageLimits', reason, message }], ...(status ? { status } : {}) } }
})

export const googleProvider = (users: GoogleUser[]): Provider => {
  const find = (key: string) => users.find((u) => u.id === key || u.primaryEmail.toLowerCase() === key.toLowerCase())
  return {
    name: 'google',
    authorized: (req, token) => bearer(req, token),
    fault: (kind) => {
      switch (kind) {
        case 'unauthorized':
          return {
            status: 401,
            body: {
              error: {
                code: 401,
                message: 'Request had invalid authentication credentials.',
                errors: [{ domain: 'global', reason: 'authError', message: 'Invalid Credentials' }],
                status: 'UNAUTHENTICATED'
              }
            }
          }
        case 'not-found':
          return error(404, 'Resource Not Found: userKey', 'notFound')
        // Google throttles with 403 and a reason, not 429 (CONNECTORS.md); no Retry-After.
        case 'rate-limit':
          return error(403, 'Quota exceeded for quota metric ... per user', 'userRateLimitExceeded')
        case 'server-error':
          return error(500, 'Backend Error', 'backendError')
      }
    },
    handle: (req: Seen): Reply => {
      if (req.method === 'GET' && req.path === '/admin/directory/v1/users')
        return {
          status: 200,
          body: {
            kind: 'admin#directory#users',
            users: users.slice(0, Number(req.query.get('maxResults') ?? 100)).map((u) => ({ id: u.id, primaryEmail: u.primaryEmail }))
          }
        }
      const m = /^\/admin\/directory\/v1\/users\/([^/]+)(?:\/(signOut|tokens)(?:\/([^/]+))?)?$/.exec(req.path)
      if (!m) return error(404, 'Not Found', 'notFound')
      const u = find(decodeURIComponent(m[1]))
      if (!u) return error(404, 'Resource Not Found: userKey', 'notFound')
      const [, , sub, clientId] = m
      if (req.method === 'POST' && sub === 'signOut') {
        u.signOuts += 1
        return { status: 204 }
      }
      if (req.method === 'GET' && sub === 'tokens' && !clientId)
        return {
          status: 200,
          body: {
            kind: 'admin#directory#tokenList',
            items: u.tokens.map((c) => ({ kind: 'admin#directory#token', clientId: c, displayText: c, scopes: ['openid'] }))
          }
        }
      if (req.method === 'DELETE' && sub === 'tokens' && clientId) {
        const id = decodeURIComponent(clientId)
        if (!u.tokens.includes(id)) return error(404, 'Resource Not Found: clientId', 'notFound')
        u.tokens = u.tokens.filter((t) => t !== id)
        return { status: 204 }
      }
      if (req.method === 'PATCH' && !sub) {
        Object.assign(u, JSON.parse(req.body || '{}'))
        return { status: 200, body: { kind: 'admin#directory#user', id: u.id, primaryEmail: u.primaryEmail, suspended: u.suspended } }
      }
      return error(405, 'Method Not Allowed', 'badRequest')
    }
  }
}

export const startGoogleMock = (users: GoogleUser[], opts?: { token?: string; slowMs?: number; contract?: (req: Seen) => string[] }) =>
  startMock(googleProvider(users), opts)

/**
 * Google's OAuth token endpoint for a service account with domain-wide delegation: checks the JWT bearer
 * assertion's signature (the account's public key), iss, sub, aud and scope, then issues `token`.
 */
export const startGoogleTokenMock = async (o: { publicKey: CryptoKey; clientEmail: string; subject: string; token: string }) => {
  const assertions: JWTPayload[] = []
  const provider: Provider = {
    name: 'google-oauth',
    authorized: () => true,
    fault: () => ({ status: 500, body: { error: 'internal_failure' } }),
    handle: async (req) => {
      const form = new URLSearchParams(req.body)
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return { status: 400, body: { error: 'unsupported_grant_type' } }
      try {
        const { payload } = await jwtVerify(form.get('assertion') ?? '', o.publicKey, {
          issuer: o.clientEmail,
          subject: o.subject,
          audience: `${server.url}/token`
        })
        assertions.push(payload)
      } catch {
        return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } }
      }
      return { status: 200, body: { access_token: o.token, expires_in: 3599, token_type: 'Bearer' } }
    }
  }
  const server = await startMock(provider)
  return { ...server, assertions }
}
