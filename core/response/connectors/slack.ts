import { baseUrl, field, isEmail, jsonCall, requireSetting, str, verdictOf } from './common'
import type { Connector } from '../types'

// Slack answers most failures with HTTP 200 and {"ok":false,"error":…}: read `ok`, not the status.
const NOT_FOUND = new Set(['user_not_found', 'users_not_found', 'session_not_found', 'invalid_session'])

export const slack: Connector = {
  id: 'slack',
  label: 'Slack (Enterprise Grid)',
  settings: [
    { name: 'URL', secret: false, required: false, help: 'Web API base, default https://slack.com/api' },
    { name: 'TOKEN', secret: true, required: true, help: 'user token (xoxp) of an Org Admin or Owner; scopes per action below' }
  ],
  actions: {
    'terminate-session': {
      cuts: [
        'every web, desktop and mobile session of the user (admin.users.session.reset)',
        'one session alone when a session id is chosen (admin.users.session.invalidate)'
      ],
      doesNotCut: ['tokens of apps the user installed (xoxp user tokens)', 'incoming webhooks and bot tokens'],
      residual: 'clients are signed out within seconds; app tokens keep working until the app is uninstalled',
      permissions: ['admin.users:write (user token of an Org Admin or Owner)', 'users:read.email (resolve an email to the user id)'],
      docs: [
        'https://docs.slack.dev/reference/methods/admin.users.session.reset',
        'https://docs.slack.dev/reference/methods/admin.users.session.invalidate',
        'https://docs.slack.dev/reference/methods/users.lookupByEmail'
      ]
    },
    'revoke-tokens': {
      cuts: ['every session token of the user’s clients (session.reset)'],
      doesNotCut: ['OAuth tokens held by installed apps', 'bot tokens and webhooks'],
      residual: 'app tokens keep working until the app is uninstalled or the token revoked',
      permissions: ['admin.users:write', 'users:read.email'],
      docs: ['https://docs.slack.dev/reference/methods/admin.users.session.reset']
    },
    'step-up': {
      cuts: ['every session: the user signs in again through the org’s SSO and its MFA'],
      doesNotCut: ['app tokens'],
      residual: 'seconds for clients; app tokens unaffected',
      permissions: ['admin.users:write', 'users:read.email'],
      docs: ['https://docs.slack.dev/reference/methods/admin.users.session.reset'],
      notes: ['No API prompts a live user for MFA: a session reset sends the user back through SSO.']
    }
  },
  unsupported: { 'suspend-identity': 'Slack deactivates users through SCIM, not the Web API: suspend the identity at the IdP (Okta or Entra) instead' },
  targetOf: (t) => t.account ?? t.identity,
  requestIdHeaders: ['x-slack-req-id'],
  interpret: (reply) =>
    verdictOf(reply, {
      ok: (res, b) => res.status >= 200 && res.status < 300 && field(b, 'ok') === true,
      describe: (b) => str(field(b, 'error')),
      rateLimited: (_res, b) => field(b, 'error') === 'ratelimited',
      notFound: (_res, b) => NOT_FOUND.has(str(field(b, 'error')) ?? '')
    }),

  probe: async (cfg) =>
    jsonCall({
      method: 'POST',
      base: baseUrl(cfg, 'slack', 'https://slack.com/api'),
      path: '/auth.test',
      form: {},
      headers: () => ({ Authorization: `Bearer ${requireSetting(cfg, 'slack', 'TOKEN')}` }),
      purpose: 'check the token (read-only)',
      kind: 'lookup',
      safeToRepeat: true
    }),

  async run(t, cfg, r) {
    const base = baseUrl(cfg, 'slack', 'https://slack.com/api')
    const headers = () => ({ Authorization: `Bearer ${requireSetting(cfg, 'slack', 'TOKEN')}` })
    const who = t.account ?? t.identity
    let userId = who
    if (isEmail(who)) {
      const found = await r.call<unknown>(
        jsonCall({
          method: 'POST',
          base,
          path: '/users.lookupByEmail',
          form: { email: who },
          headers,
          purpose: 'resolve the email to the Slack user id',
          kind: 'lookup',
          safeToRepeat: true
        }),
        { ok: true, user: { id: '{userId}' } }
      )
      userId = str(field(field(found, 'user'), 'id')) ?? ''
      if (!userId) throw new Error('Slack returned no user id for the email')
    }
    const reset = () =>
      r.call(
        jsonCall({
          method: 'POST',
          base,
          path: '/admin.users.session.reset',
          form: { user_id: userId },
          headers,
          purpose: 'reset every session of the user',
          kind: 'change',
          safeToRepeat: true
        })
      )
    switch (t.action) {
      case 'terminate-session':
        if (t.sessionKey) {
          // Since 2025-01-15 the method takes user_id and session_id only (docs.slack.dev); team_id is refused.
          await r.callAllowMissing(
            jsonCall({
              method: 'POST',
              base,
              path: '/admin.users.session.invalidate',
              form: { user_id: userId, session_id: t.sessionKey },
              headers,
              purpose: 'invalidate this one session',
              kind: 'change',
              safeToRepeat: false
            })
          )
          return
        }
        await reset()
        return
      case 'revoke-tokens':
      case 'step-up':
        await reset()
        return
      case 'suspend-identity':
        throw new Error(slack.unsupported['suspend-identity'])
      default: {
        const never: never = t.action
        throw new Error(`unknown action ${String(never)}`)
      }
    }
  }
}
