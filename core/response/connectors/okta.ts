import { field, jsonCall, baseUrl, requireSetting, str, verdictOf } from './common'
import { isObject, seg } from '../http'
import type { Connector, ConnectorConfig, Target } from '../types'

const auth = (cfg: ConnectorConfig) => () => {
  const token = requireSetting(cfg, 'okta', 'TOKEN')
  // An OAuth access token is a JWT; anything else is an SSWS API token.
  const scheme = (cfg.get('AUTH') ?? (token.startsWith('eyJ') ? 'bearer' : 'ssws')).toLowerCase() === 'bearer' ? 'Bearer' : 'SSWS'
  return { Authorization: `${scheme} ${token}` }
}

const login = (t: Target) => t.account ?? t.identity

export const okta: Connector = {
  id: 'okta',
  label: 'Okta',
  settings: [
    { name: 'URL', secret: false, required: true, help: 'Okta org URL, e.g. https://acme.okta.com' },
    { name: 'TOKEN', secret: true, required: true, help: 'SSWS API token or OAuth access token (okta.users.manage)' },
    { name: 'AUTH', secret: false, required: false, help: 'ssws or bearer (default: bearer for JWTs, else ssws)' },
    { name: 'ITP', secret: false, required: false, help: '1 when Identity Threat Protection is licensed: step-up also raises user risk' }
  ],
  actions: {
    'terminate-session': {
      cuts: ['every Okta session of the user (all devices)', 'OIDC/OAuth access and refresh tokens Okta issued (oauthTokens=true)'],
      doesNotCut: ['sessions the downstream apps created themselves (their own cookies)', 'SSWS API tokens the user created'],
      residual: 'app sessions live until the app’s own timeout (often 2–12 h) unless the app honours Universal Logout'
    },
    'revoke-tokens': {
      cuts: ['refresh and access tokens of every OAuth client the user used', 'the user’s consent grants'],
      doesNotCut: ['the Okta browser session itself', 'app-created sessions', 'SSWS API tokens'],
      residual: 'already-issued JWT access tokens stay valid until they expire (default 1 h) for resource servers that validate locally'
    },
    'suspend-identity': {
      cuts: ['all sign-ins (the user is SUSPENDED; reversible with unsuspend)', 'every Okta session and OAuth token'],
      doesNotCut: ['app-created sessions', 'credentials kept directly in downstream apps (local passwords, API keys)'],
      residual: 'app sessions until their own timeout; JWT access tokens until expiry (≤ 1 h)',
      notes: ['Suspend works on ACTIVE users only; Okta answers 400 otherwise.']
    },
    'step-up': {
      cuts: ['every Okta session, remembered devices (forgetDevices=true) and OAuth tokens: the next sign-in runs full MFA'],
      doesNotCut: ['app-created sessions'],
      residual: 'app sessions until their own timeout',
      notes: ['No API prompts a live user for MFA: step-up ends the sessions and forgets devices so the sign-in policy asks again.', 'With ITP configured it also raises the user risk to HIGH for the entity risk policy.']
    }
  },
  unsupported: {},
  targetOf: (t) => login(t),
  requestIdHeaders: ['x-okta-request-id'],
  interpret: (reply) =>
    verdictOf(reply, {
      describe: (b) => (isObject(b) ? [str(b.errorCode), str(b.errorSummary)].filter(Boolean).join(' ') || null : null)
    }),

  async run(t, cfg, r) {
    const base = baseUrl(cfg, 'okta', null)
    const headers = auth(cfg)
    const user = await r.call<unknown>(
      jsonCall({ method: 'GET', base, path: `/api/v1/users/${seg(login(t))}`, headers, purpose: 'resolve the login to the Okta user id', kind: 'lookup', safeToRepeat: true }),
      { id: '{userId}' }
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
            jsonCall({ method: 'DELETE', base, path: `/api/v1/sessions/${seg(t.sessionKey)}`, headers, purpose: 'end this one Okta session', kind: 'change', safeToRepeat: false })
          )
          return
        }
        await clearSessions(false)
        return
      case 'revoke-tokens': {
        const clients = await r.call<unknown>(
          jsonCall({ method: 'GET', base, path: `${users}/clients`, headers, purpose: 'list the OAuth clients holding the user’s tokens', kind: 'lookup', safeToRepeat: true }),
          [{ client_id: '{clientId}' }]
        )
        for (const c of Array.isArray(clients) ? clients : []) {
          const clientId = str(field(c, 'client_id'))
          if (!clientId) continue
          await r.call(
            jsonCall({ method: 'DELETE', base, path: `${users}/clients/${seg(clientId)}/tokens`, headers, purpose: 'revoke the client’s refresh and access tokens', kind: 'change', safeToRepeat: true, repeat: 'each OAuth client' })
          )
        }
        await r.call(jsonCall({ method: 'DELETE', base, path: `${users}/grants`, headers, purpose: 'revoke the user’s consent grants', kind: 'change', safeToRepeat: true }))
        return
      }
      case 'suspend-identity':
        await r.call(jsonCall({ method: 'POST', base, path: `${users}/lifecycle/suspend`, headers, purpose: 'suspend the user', kind: 'change', safeToRepeat: false }))
        await clearSessions(false)
        return
      case 'step-up':
        if (cfg.get('ITP') === '1') {
          await r.call(
            jsonCall({ method: 'PUT', base, path: `${users}/risk`, body: { riskLevel: 'HIGH', riskReason: 'Afterlogin: session hijack under investigation' }, headers, purpose: 'raise the ITP user risk so the entity risk policy acts', kind: 'change', safeToRepeat: true })
          )
        }
        await clearSessions(true)
        return
      default: {
        const never: never = t.action
        throw new Error(`unknown action ${String(never)}`)
      }
    }
  }
}
