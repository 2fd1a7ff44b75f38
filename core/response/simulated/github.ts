import { bearer, requestId, resetSoon, startMock, type Provider, type Reply, type Seen } from './server'

export interface GithubOrg {
  name: string
  members: string[]
  credentials: { credential_id: number; login: string; credential_type: string; token_last_eight: string }[]
}

// GitHub's envelope: {"message","documentation_url"}; primary rate limits are 403/429 with x-ratelimit-remaining 0.
const error = (status: number, message: string, headers: Record<string, string> = {}): Reply => ({
  status,
  headers,
  body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) }
})

export const githubProvider = (org: GithubOrg): Provider => ({
  name: 'github',
  authorized: (req, token) => bearer(req, token),
  common: () => ({ 'x-github-request-id': requestId(), 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': resetSoon() }),
  fault: (kind) => {
    switch (kind) {
      case 'unauthorized':
        return error(401, 'Bad credentials')
      case 'not-found':
        return error(404, 'Not Found')
      case 'rate-limit':
        return error(403, 'API rate limit exceeded for user ID 1.', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetSoon() })
      case 'server-error':
        return error(502, 'Server Error')
    }
  },
  handle: (req: Seen): Reply => {
    const p = req.path.split('/').map(decodeURIComponent)
    if (p[1] !== 'orgs' || p[2] !== org.name) return error(404, 'Not Found')
    if (req.method === 'GET' && p.length === 3) return { status: 200, body: { login: org.name, id: 9919, two_factor_requirement_enabled: true } }
    if (req.method === 'GET' && p[3] === 'credential-authorizations' && !p[4]) {
      const login = req.query.get('login')
      return { status: 200, body: org.credentials.filter((c) => !login || c.login === login) }
    }
    if (req.method === 'DELETE' && p[3] === 'credential-authorizations' && p[4]) {
      const before = org.credentials.length
      org.credentials = org.credentials.filter((c) => String(c.credential_id) !== p[4])
      return org.credentials.length < before ? { status: 204 } : error(404, 'Not Found')
    }
    if (req.method === 'GET' && p[3] === 'members' && p[4]) return org.members.includes(p[4]) ? { status: 204 } : error(404, 'Not Found')
    if (req.method === 'DELETE' && p[3] === 'members' && p[4]) {
      if (!org.members.includes(p[4])) return error(404, 'Not Found')
      org.members = org.members.filter((m) => m !== p[4])
      return { status: 204 }
    }
    return error(404, 'Not Found')
  }
})

export const startGithubMock = (org: GithubOrg, opts?: { token?: string; slowMs?: number; contract?: (req: Seen) => string[] }) =>
  startMock(githubProvider(org), opts)
