import { field, jsonCall, baseUrl, requireSetting, str, verdictOf } from './common'
import { isObject, seg } from '../http'
import type { Connector, ConnectorConfig, Target } from '../types'

const auth = (cfg: ConnectorConfig) => () => {
  const token = requireSetting(cfg, 'okta', 'TOKEN')
  // An OAuth access token is a JWT; anything else is an SSWS API token.
  const scheme = (cfg.get('AUTH') ?? (token.startsWith('eyJ') ? 'bearer' : 'ssws')).toLowerCase() === 'bearer' ? 'Bearer' : 'SSWS'
  return { Authorization: `${scheme} ${token}` }
}

/** Okta's UserRiskRequest allows only ^[a-zA-Z0-9\s\-,.]*$ (no colon, no apostrophe) in riskReason. */
export const OKTA_RISK_REASON = 'Session hijack under investigation by the SOC, set by Afterlogin'

const login = (t: Target) => t.account ?? t.identity

export const okta: Connector = {
  id: 'okta',
  label: 'Okta',
  settings: [
    { name: 'URL', secret: false, required: true, help: 'Okta org URL, e.g. https://acme.okta.com' },
    { name: 'TOKEN', secret: true, required: true, help: 'SSWS API token or OAuth access token (scopes per action below)' },
    { name: 'AUTH', secret: false, required: false, help: 'ssws or bearer (default: bearer for JWTs, else ssws)' },
    { name: 'ITP', secret: false, required: false, help: '1 when Identity Threat Protection is licensed: step-up also raises user risk' }
  ],
  actions: {
    'terminate-session': {
      cuts: ['every Okta session of the user (all devices)', 'OIDC/OAuth refresh tokens Okta issued through those sessions (oauthTokens=true)'],
      doesNotCut: [
        'sessions the downstream apps created themselves (their own cookies)',
        'SSWS API tokens the user created',
        'JWT access tokens already issued'
      ],
      residual:
        'app sessions live until the app’s own timeout (often 2–12 h) unless the app honours Universal Logout; access tokens until they expire (default 1 h)',
      permissions: [
        'okta.users.read (resolve the login)',
        'okta.users.manage (DELETE /api/v1/users/{id}/sessions)',
        'okta.sessions.manage (DELETE /api/v1/sessions/{id}, one chosen session)',
        'an admin role over the user, e.g. Help Desk Administrator, for an OAuth service app'
      ],
      docs: [
        'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserSessions/',
        'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Session/'
      ]
    },
    'revoke-tokens': {
      cuts: ['refresh tokens of every OAuth client the user used (one DELETE per client)', 'the user’s consent grants'],
      doesNotCut: [
        'JWT access tokens already issued: Okta cannot recall them, they stay valid until they expire',
        'the Okta browser session itself',
        'app-created sessions',
        'SSWS API tokens'
      ],
      residual: 'already-issued access tokens stay valid until they expire (default 1 h) for resource servers that validate them locally',
      permissions: ['okta.users.read', 'okta.users.manage (user OAuth clients and tokens, user grants)'],
      docs: [
        'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/',
        'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserGrant/'
      ]
    },
    'suspend-identity': {
      cuts: [
        'all sign-ins of an ACTIVE user (the user becomes SUSPENDED; reversible with unsuspend)',
        'every Okta session and the OAuth refresh tokens it issued'
      ],
      doesNotCut: ['app-created sessions', 'credentials kept directly in downstream apps (local passwords, API keys)', 'JWT access tokens already issued'],
      residual: 'app sessions until their own timeout; access tokens until expiry (default 1 h)',
      permissions: ['okta.users.read', 'okta.users.manage (lifecycle/suspend, user sessions)'],
      docs: [
        'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserLifecycle/#tag/UserLifecycle/operation/suspendUser',
        'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserSessions/'
      ],
      notes: [
        'Okta suspends ACTIVE users only: a user in another status (already SUSPENDED, LOCKED_OUT, PASSWORD_EXPIRED, …) is not suspended again, and its sessions and tokens are still cleared.'
      ]
    },
    'step-up': {
      cuts: [
        'every Okta session, remembered devices (forgetDevices=true) and the OAuth refresh tokens they issued: the next sign-in meets the sign-on policy’s MFA'
      ],
      doesNotCut: ['app-created sessions', 'access tokens already issued'],
      residual: 'app sessions until their own timeout',
      permissions: ['okta.users.read', 'okta.users.manage (user sessions)', 'okta.userRisk.manage (only with ITP=1: PUT /api/v1/users/{id}/risk)'],
      docs: [
        'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserSessions/',
        'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserRisk/'
      ],
      notes: [
        'No API prompts a live user for MFA: step-up ends the sessions and forgets devices so the sign-on policy asks again.',
        'With ITP=1 (Identity Threat Protection licensed) it then raises the user risk to HIGH so an entity risk policy acts; the sessions are cleared first, so a refused risk call never leaves them alive.'
      ]
    }
  },
  unsupported: {},
  targetOf: (t) => login(t),
  requestIdHeaders: ['x-okta-request-id'],
  interpret: (reply) =>
    verdictOf(reply, {
      describe: (b) => (isObject(b) ? [str(b.errorCode), str(b.errorSummary)].filter(Boolean).join(' ') || null : null)
    }),

  probe: async (cfg) =>
    jsonCall({
      method: 'GET',
      base: baseUrl(cfg, 'okta', null),
      path: '/api/v1/users?limit=1',
      headers: auth(cfg),
      purpose: 'list one user (read-only)',
      kind: 'lookup',
      safeToRepeat: true
    }),

  async run(t, cfg, r) {
    const base = baseUrl(cfg, 'okta', null)
    const headers = auth(cfg)
    const user = await r.call<unknown>(
      jsonCall({
        method: 'GET',
        base,
        path: `/api/v1/users/${seg(login(t))}`,
        headers,
        purpose: 'resolve the login to the Okta user id',
        kind: 'lookup',
        safeToRepeat: true
      }),
      { id: '{userId}', status: 'ACTIVE' }
    )
    const id = str(field(user, 'id'))
    if (!id) throw new Error('Okta returned a user without an id')
    const users = `/api/v1/users/${seg(id)}`
    const clearSessions = (forgetDevices: boolean) =>
      r.call(
        jsonCall({
          method: 'DELETE',
          base,
          path: `${users}/sessions?oauthTokens=true&forgetDevices=${forgetDevices}`,
          headers,
          purpose: 'end every Okta session and the OAuth tokens it issued',
          kind: 'change',
          safeToRepeat: true
        })
      )
    switch (t.action) {
      case 'terminate-session':
        if (t.sessionKey) {
          // Ending one session is not idempotent: a second DELETE answers 404, which means it is gone.
          await r.callAllowMissing(
            jsonCall({
              method: 'DELETE',
              base,
              path: `/api/v1/sessions/${seg(t.sessionKey)}`,
              headers,
              purpose: 'end this one Okta session',
              kind: 'change',
              safeToRepeat: false
            })
          )
          return
        }
        await clearSessions(false)
        return
      case 'revoke-tokens': {
        const clients = await r.call<unknown>(
          jsonCall({
            method: 'GET',
            base,
            path: `${users}/clients`,
            headers,
            purpose: 'list the OAuth clients holding the user’s tokens',
            kind: 'lookup',
            safeToRepeat: true
          }),
          [{ client_id: '{clientId}' }]
        )
        for (const c of Array.isArray(clients) ? clients : []) {
          const clientId = str(field(c, 'client_id'))
          if (!clientId) continue
          await r.call(
            jsonCall({
              method: 'DELETE',
              base,
              path: `${users}/clients/${seg(clientId)}/tokens`,
              headers,
              purpose: 'revoke the client’s refresh and access tokens',
              kind: 'change',
              safeToRepeat: true,
              repeat: 'each OAuth client'
            })
          )
        }
        await r.call(
          jsonCall({
            method: 'DELETE',
            base,
            path: `${users}/grants`,
            headers,
            purpose: 'revoke the user’s consent grants',
            kind: 'change',
            safeToRepeat: true
          })
        )
        return
      }
      case 'suspend-identity':
        // Okta answers 400 to suspending a user that is not ACTIVE; the status is already known from the lookup.
        if (field(user, 'status') === 'ACTIVE') {
          await r.call(
            jsonCall({ method: 'POST', base, path: `${users}/lifecycle/suspend`, headers, purpose: 'suspend the user', kind: 'change', safeToRepeat: false })
          )
        }
        await clearSessions(false)
        return
      case 'step-up':
        // Sessions first: a refused risk update must not leave the hijacked session alive.
        await clearSessions(true)
        if (cfg.get('ITP') === '1') {
          await r.call(
            jsonCall({
              method: 'PUT',
              base,
              path: `${users}/risk`,
              body: { riskLevel: 'HIGH', riskReason: OKTA_RISK_REASON },
              headers,
              purpose: 'raise the ITP user risk so the entity risk policy acts',
              kind: 'change',
              safeToRepeat: true
            })
          )
        }
        return
      default: {
        const never: never = t.action
        throw new Error(`unknown action ${String(never)}`)
      }
    }
  }
}
