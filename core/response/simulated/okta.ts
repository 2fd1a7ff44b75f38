import { bearer, requestId, resetSoon, startMock, type Provider, type Reply, type Seen } from './server'

export interface OktaUser {
  id: string
  status: 'ACTIVE' | 'SUSPENDED' | 'LOCKED_OUT' | 'PASSWORD_EXPIRED' | 'DEPROVISIONED'
  login: string
  clients: string[]
  sessions: string[]
}

// Okta's envelope: errorCode / errorSummary / errorLink / errorId / errorCauses (CONNECTORS.md).
const error = (status: number, code: string, summary: string, extra: Record<string, string> = {}): Reply => ({
  status,
  headers: extra,
  body: { errorCode: code, errorSummary: summary, errorLink: code, errorId: `oae${requestId()}`, errorCauses: [] }
})

export const oktaProvider = (users: OktaUser[]): Provider => {
  const byKey = (key: string) => users.find((u) => u.id === key || u.login.toLowerCase() === key.toLowerCase())
  return {
    name: 'okta',
    authorized: (req, token) => bearer(req, token, 'SSWS') || bearer(req, token),
    common: () => ({ 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '599', 'x-rate-limit-reset': resetSoon(), 'x-okta-request-id': requestId() }),
    fault: (kind) => {
      switch (kind) {
        case 'unauthorized':
          return error(401, 'E0000011', 'Invalid token provided')
        case 'not-found':
          return error(404, 'E0000007', 'Not found: Resource not found: me (User)')
        case 'rate-limit':
          return error(429, 'E0000047', 'API call exceeded rate limit due to too many requests.', {
            'x-rate-limit-remaining': '0',
            'x-rate-limit-reset': resetSoon()
          })
        case 'server-error':
          return error(500, 'E0000009', 'Internal Server Error')
      }
    },
    handle: (req: Seen): Reply => {
      const p = req.path.split('/').map(decodeURIComponent)
      // ['', 'api', 'v1', 'users', key, ...rest]
      if (p[1] === 'api' && p[2] === 'v1' && p[3] === 'sessions' && req.method === 'DELETE') {
        const owner = users.find((u) => u.sessions.includes(p[4]))
        if (!owner) return error(404, 'E0000007', `Not found: Resource not found: ${p[4]} (Session)`)
        owner.sessions = owner.sessions.filter((s) => s !== p[4])
        return { status: 204 }
      }
      if (p[1] === 'api' && p[2] === 'v1' && p[3] === 'users' && !p[4] && req.method === 'GET') {
        const limit = Number(req.query.get('limit') ?? 200)
        return { status: 200, body: users.slice(0, limit).map((u) => ({ id: u.id, status: u.status, profile: { login: u.login } })) }
      }
      if (p[1] !== 'api' || p[2] !== 'v1' || p[3] !== 'users') return error(404, 'E0000022', 'The endpoint does not support the provided HTTP method')
      const user = byKey(p[4] ?? '')
      if (!user) return error(404, 'E0000007', `Not found: Resource not found: ${p[4]} (User)`)
      const rest = p.slice(5).join('/')
      const route = `${req.method} ${rest}`
      if (route === 'GET ') return { status: 200, body: { id: user.id, status: user.status, profile: { login: user.login, email: user.login } } }
      if (route === 'DELETE sessions') {
        user.sessions = []
        return { status: 204 }
      }
      if (route === 'GET clients') return { status: 200, body: user.clients.map((c) => ({ client_id: c, client_name: c })) }
      if (/^DELETE clients\/[^/]+\/tokens$/.test(route)) return { status: 204 }
      if (route === 'DELETE grants') return { status: 204 }
      if (route === 'PUT risk') return { status: 200, body: JSON.parse(req.body || '{}') }
      if (route === 'POST lifecycle/suspend') {
        if (user.status !== 'ACTIVE') return error(400, 'E0000001', 'Api validation failed: Cannot suspend a user that is not active')
        user.status = 'SUSPENDED'
        return { status: 200, raw: '' }
      }
      return error(404, 'E0000022', 'The endpoint does not support the provided HTTP method')
    }
  }
}

export const startOktaMock = (users: OktaUser[], opts?: { token?: string; slowMs?: number; contract?: (req: Seen) => string[] }) =>
  startMock(oktaProvider(users), opts)
