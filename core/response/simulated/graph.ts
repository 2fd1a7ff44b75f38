import { bearer, form, requestId, startMock, type Provider, type Reply, type Seen } from './server'

export interface GraphUser {
  id: string
  upn: string
  accountEnabled: boolean
  revoked: number
  risk: 'none' | 'high'
}

// Graph's envelope: {"error":{"code","message","innerError":{date, request-id, client-request-id}}}.
const error = (status: number, code: string, message: string, headers: Record<string, string> = {}): Reply => {
  const id = requestId()
  return {
    status,
    headers: { 'request-id': id, ...headers },
    body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': id, 'client-request-id': id } } }
  }
}

export const graphProvider = (users: GraphUser[], client?: { id: string; secret: string; token: string }): Provider => {
  const find = (key: string) => users.find((u) => u.id === key || u.upn.toLowerCase() === key.toLowerCase())
  return {
    name: 'graph',
    authorized: (req, token) => req.path.endsWith('/oauth2/v2.0/token') || bearer(req, token) || (!!client && bearer(req, client.token)),
    common: () => ({ 'request-id': requestId() }),
    fault: (kind) => {
      switch (kind) {
        case 'unauthorized':
          return error(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.')
        case 'not-found':
          return error(404, 'Request_ResourceNotFound', "Resource 'x' does not exist or one of its queried reference-property objects are not present.")
        case 'rate-limit':
          return error(429, 'TooManyRequests', 'Too many requests', { 'retry-after': '1' })
        case 'server-error':
          return error(503, 'ServiceUnavailable', 'The service is temporarily unavailable.')
      }
    },
    handle: (req: Seen): Reply => {
      if (req.path.endsWith('/oauth2/v2.0/token')) {
        const f = form(req)
        if (!client || f.get('client_id') !== client.id || f.get('client_secret') !== client.secret || f.get('grant_type') !== 'client_credentials')
          return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } }
        return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, access_token: client.token } }
      }
      const p = req.path.split('/').map(decodeURIComponent)
      if (p[1] !== 'v1.0') return error(400, 'BadRequest', 'Invalid version')
      if (p[2] === 'identityProtection' && req.method === 'POST') {
        const ids = (JSON.parse(req.body || '{}') as { userIds?: string[] }).userIds ?? []
        for (const id of ids) {
          const u = find(id)
          if (!u) return error(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist`)
          u.risk = 'high'
        }
        return { status: 204 }
      }
      if (p[2] !== 'users') return error(400, 'BadRequest', 'Unsupported segment')
      if (req.method === 'GET' && !p[3])
        return { status: 200, body: { value: users.slice(0, Number(req.query.get('$top') ?? 100)).map((x) => ({ id: x.id })) } }
      const u = find(p[3] ?? '')
      if (!u)
        return error(404, 'Request_ResourceNotFound', `Resource '${p[3]}' does not exist or one of its queried reference-property objects are not present.`)
      if (req.method === 'POST' && p[4] === 'revokeSignInSessions') {
        u.revoked += 1
        return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean', value: true } }
      }
      if (req.method === 'PATCH' && !p[4]) {
        const body = JSON.parse(req.body || '{}') as { accountEnabled?: boolean }
        if (typeof body.accountEnabled === 'boolean') u.accountEnabled = body.accountEnabled
        return { status: 204 }
      }
      if (req.method === 'GET' && !p[4]) return { status: 200, body: { id: u.id, userPrincipalName: u.upn } }
      return error(405, 'Request_BadRequest', 'Unsupported method')
    }
  }
}

export const startGraphMock = (
  users: GraphUser[],
  opts?: { token?: string; slowMs?: number; contract?: (req: Seen) => string[]; client?: { id: string; secret: string; token: string } }
) => startMock(graphProvider(users, opts?.client), opts)
