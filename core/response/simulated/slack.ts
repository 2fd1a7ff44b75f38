import { bearer, form, requestId, startMock, type Provider, type Reply, type Seen } from './server'

export interface SlackUser {
  id: string
  email: string
  resets: number
  sessions: string[]
}

// Slack reports errors with HTTP 200 and {"ok":false,"error":…}; only throttling is a 429 (with Retry-After).
const fail = (error: string, status = 200, headers: Record<string, string> = {}): Reply => ({ status, headers, body: { ok: false, error } })

export const slackProvider = (users: SlackUser[]): Provider => ({
  name: 'slack',
  authorized: (req, token) => bearer(req, token),
  common: () => ({ 'x-slack-req-id': requestId() }),
  fault: (kind) => {
    switch (kind) {
      case 'unauthorized':
        return fail('invalid_auth')
      case 'not-found':
        return fail('user_not_found')
      case 'rate-limit':
        return fail('ratelimited', 429, { 'retry-after': '1' })
      case 'server-error':
        return { status: 503, raw: 'upstream unavailable' }
    }
  },
  handle: (req: Seen): Reply => {
    if (req.method !== 'POST') return fail('method_not_supported_for_channel_type')
    const f = form(req)
    const byId = (id: string | null) => users.find((u) => u.id === id)
    switch (req.path) {
      case '/api/auth.test':
        return {
          status: 200,
          body: { ok: true, url: 'https://acme.enterprise.slack.com/', team: 'Acme', user: 'secops', team_id: 'E0ACME', user_id: 'U0SECOPS' }
        }
      case '/api/users.lookupByEmail': {
        const u = users.find((x) => x.email.toLowerCase() === (f.get('email') ?? '').toLowerCase())
        return u ? { status: 200, body: { ok: true, user: { id: u.id, profile: { email: u.email } } } } : fail('users_not_found')
      }
      case '/api/admin.users.session.reset': {
        const u = byId(f.get('user_id'))
        if (!u) return fail('user_not_found')
        u.resets += 1
        u.sessions = []
        return { status: 200, body: { ok: true } }
      }
      case '/api/admin.users.session.invalidate': {
        // Since 2025-01-15 the method takes user_id and session_id only.
        if (f.has('team_id')) return fail('invalid_arguments')
        const u = byId(f.get('user_id'))
        const sid = f.get('session_id') ?? ''
        if (!u || !u.sessions.includes(sid)) return fail('invalid_session')
        u.sessions = u.sessions.filter((s) => s !== sid)
        return { status: 200, body: { ok: true } }
      }
      default:
        return fail('unknown_method')
    }
  }
})

export const startSlackMock = (users: SlackUser[], opts?: { token?: string; slowMs?: number; contract?: (req: Seen) => string[] }) =>
  startMock(slackProvider(users), opts)
