import { bearer, startMock, type Provider, type Reply, type Seen } from './server'

export interface SfUser {
  id: string
  username: string
  loginId: string
  frozen: boolean
  sessions: string[]
  /** Connected-app OAuth tokens (OauthToken rows), each revoked through /services/oauth2/revoke with its DeleteToken. */
  oauthTokens?: { id: string; app: string; deleteToken: string }[]
}

// Salesforce errors are a JSON array of {message, errorCode, fields}; Sforce-Limit-Info on every reply.
const error = (status: number, errorCode: string, message: string): Reply => ({ status, body: [{ message, errorCode, fields: [] }] })

/** Only the three SOQL shapes the connector sends, with the literal unescaped the way Salesforce would. */
const literal = (soql: string, field: string): string | null => {
  const m = new RegExp(`(?:^|\\s)${field} = '((?:\\\\.|[^'\\\\])*)'`).exec(soql)
  return m ? m[1].replace(/\\(.)/g, '$1') : null
}

export const salesforceProvider = (users: SfUser[]): Provider => {
  let used = 12
  return {
    name: 'salesforce',
    authorized: (req, token) => bearer(req, token),
    common: () => ({ 'sforce-limit-info': `api-usage=${used++}/15000` }),
    fault: (kind) => {
      switch (kind) {
        case 'unauthorized':
          return error(401, 'INVALID_SESSION_ID', 'Session expired or invalid')
        case 'not-found':
          return error(404, 'NOT_FOUND', 'The requested resource does not exist')
        case 'rate-limit':
          return error(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')
        case 'server-error':
          return error(503, 'SERVER_UNAVAILABLE', 'Server unavailable')
      }
    },
    handle: (req: Seen): Reply => {
      if (req.method === 'POST' && req.path === '/services/oauth2/revoke') {
        const token = new URLSearchParams(req.body).get('token')
        const owner = users.find((u) => u.oauthTokens?.some((t) => t.deleteToken === token))
        if (!owner) return { status: 400, body: { error: 'invalid_token', error_description: 'invalid token' } }
        owner.oauthTokens = owner.oauthTokens!.filter((t) => t.deleteToken !== token)
        return { status: 200, raw: '' }
      }
      const m = /^\/services\/data\/v\d+\.\d+(\/.*)$/.exec(req.path)
      if (!m) return error(404, 'NOT_FOUND', 'The requested resource does not exist')
      const path = m[1]
      if (req.method === 'GET' && path === '/query') {
        const q = req.query.get('q') ?? ''
        const rows = (ids: string[], type: string) => ({
          status: 200,
          body: { totalSize: ids.length, done: true, records: ids.map((Id) => ({ attributes: { type }, Id })) }
        })
        if (/^SELECT Id FROM User LIMIT 1$/.test(q))
          return rows(
            users.slice(0, 1).map((u) => u.id),
            'User'
          )
        if (/FROM OauthToken WHERE/.test(q)) {
          const u = users.find((x) => x.id === literal(q, 'UserId'))
          const records = (u?.oauthTokens ?? []).map((t) => ({ attributes: { type: 'OauthToken' }, Id: t.id, AppName: t.app, DeleteToken: t.deleteToken }))
          return { status: 200, body: { totalSize: records.length, done: true, records } }
        }
        if (/FROM User WHERE/.test(q)) {
          const name = literal(q, 'Username')
          return rows(
            users.filter((u) => u.username === name).map((u) => u.id),
            'User'
          )
        }
        if (/FROM AuthSession WHERE/.test(q)) {
          const u = users.find((x) => x.id === literal(q, 'UsersId'))
          const only = literal(q, 'Id')
          return rows(
            (u?.sessions ?? []).filter((s) => !only || s === only),
            'AuthSession'
          )
        }
        if (/FROM UserLogin WHERE/.test(q)) {
          const u = users.find((x) => x.id === literal(q, 'UserId'))
          return rows(u ? [u.loginId] : [], 'UserLogin')
        }
        return error(400, 'MALFORMED_QUERY', 'unexpected query')
      }
      const s = /^\/sobjects\/AuthSession\/([^/]+)$/.exec(path)
      if (req.method === 'DELETE' && s) {
        const owner = users.find((u) => u.sessions.includes(s[1]))
        if (!owner) return error(404, 'NOT_FOUND', 'The requested resource does not exist')
        owner.sessions = owner.sessions.filter((x) => x !== s[1])
        return { status: 204 }
      }
      const l = /^\/sobjects\/UserLogin\/([^/]+)$/.exec(path)
      if (req.method === 'PATCH' && l) {
        const u = users.find((x) => x.loginId === l[1])
        if (!u) return error(404, 'NOT_FOUND', 'The requested resource does not exist')
        u.frozen = (JSON.parse(req.body || '{}') as { IsFrozen?: boolean }).IsFrozen ?? u.frozen
        return { status: 204 }
      }
      return error(404, 'NOT_FOUND', 'The requested resource does not exist')
    }
  }
}

export const startSalesforceMock = (users: SfUser[], opts?: { token?: string; slowMs?: number; contract?: (req: Seen) => string[] }) =>
  startMock(salesforceProvider(users), opts)
