import { isObject, seg } from '../http'
import { baseUrl, field, jsonCall, str, verdictOf } from './common'
import { googleToken } from './google-auth'
import type { Connector, ConnectorConfig } from '../types'

// Google answers throttling with 403 and one of these reasons (429 is seen too); no Retry-After contract.
const RATE_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded'])

const reasons = (body: unknown): string[] => {
  const e = field(body, 'error')
  const list = isObject(e) && Array.isArray(e.errors) ? e.errors : []
  return list.map((x) => str(field(x, 'reason'))).filter((x): x is string => !!x)
}

const directory = (cfg: ConnectorConfig): string => {
  const base = baseUrl(cfg, 'google', 'https://admin.googleapis.com')
  return /\/admin\/directory\/v1$/.test(base) ? base : `${base}/admin/directory/v1`
}

/** What suspend-identity and step-up both call: users.patch, then signOut. */
const PATCH_AND_SIGN_OUT = {
  permissions: [
    'https://www.googleapis.com/auth/admin.directory.user (users.patch)',
    'https://www.googleapis.com/auth/admin.directory.user.security (signOut)'
  ],
  docs: [
    'https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/patch',
    'https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/signOut'
  ]
}

export const google: Connector = {
  id: 'google',
  label: 'Google Workspace',
  settings: [
    { name: 'URL', secret: false, required: false, help: 'Admin SDK base, default https://admin.googleapis.com' },
    { name: 'TOKEN', secret: true, required: false, help: 'OAuth access token of an admin; or the service-account settings below (scopes per action below)' },
    {
      name: 'SERVICE_ACCOUNT',
      secret: true,
      required: false,
      help: 'service-account key (JSON) with domain-wide delegation for the admin.directory.user(.security) scopes'
    },
    { name: 'SUBJECT', secret: false, required: false, help: 'the admin the service account acts as' },
    { name: 'TOKEN_URL', secret: false, required: false, help: 'token endpoint, default the key’s token_uri (https://oauth2.googleapis.com/token)' }
  ],
  missing: (cfg) => (cfg.get('TOKEN') || (cfg.get('SERVICE_ACCOUNT') && cfg.get('SUBJECT')) ? [] : ['AFTERLOGIN_GOOGLE_TOKEN']),
  actions: {
    'terminate-session': {
      cuts: ['the user’s web and device sessions across Google services (users.signOut)'],
      doesNotCut: ['OAuth tokens granted to third-party apps', 'app passwords', 'sessions of apps that sign in through Google but keep their own'],
      residual: 'signOut can take a few minutes to reach every service; OAuth access tokens live up to 1 h',
      permissions: ['https://www.googleapis.com/auth/admin.directory.user.security (admin with the Users › Security privilege)'],
      docs: ['https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/signOut']
    },
    'revoke-tokens': {
      cuts: ['every OAuth token the user granted to an app (one delete per client)'],
      doesNotCut: ['the user’s own browser sessions', 'app passwords'],
      residual: 'access tokens already issued live up to 1 h',
      permissions: ['https://www.googleapis.com/auth/admin.directory.user.security'],
      docs: [
        'https://developers.google.com/admin-sdk/directory/reference/rest/v1/tokens/list',
        'https://developers.google.com/admin-sdk/directory/reference/rest/v1/tokens/delete'
      ]
    },
    'suspend-identity': {
      cuts: ['all sign-ins (suspended=true, reversible)', 'web and device sessions (signOut)'],
      doesNotCut: ['OAuth tokens of third-party apps (suspension blocks their use by Google APIs, but not data already copied)'],
      residual: 'a few minutes for suspension and signOut to reach every service',
      ...PATCH_AND_SIGN_OUT
    },
    'step-up': {
      cuts: ['web and device sessions; the next sign-in demands a new password (changePasswordAtNextLogin) and 2SV where enforced'],
      doesNotCut: ['OAuth tokens of third-party apps'],
      residual: 'a few minutes; OAuth access tokens up to 1 h',
      ...PATCH_AND_SIGN_OUT,
      notes: [
        'No API prompts a live user for MFA.',
        'changePasswordAtNextLogin has no effect for users who sign in through SSO: for them only the sign-out applies.'
      ]
    }
  },
  unsupported: {},
  targetOf: (t) => t.account ?? t.identity,
  requestIdHeaders: ['x-goog-request-id', 'x-request-id'],
  interpret: (reply) =>
    verdictOf(reply, {
      describe: (b) => {
        const e = field(b, 'error')
        if (!isObject(e)) return null
        return [reasons(b)[0], str(e.message)].filter(Boolean).join(' ') || null
      },
      rateLimited: (reply, b) => reply.status === 403 && reasons(b).some((r) => RATE_REASONS.has(r))
    }),

  probe: async (cfg) => {
    const bearer = await googleToken(cfg)
    return jsonCall({
      method: 'GET',
      base: directory(cfg),
      path: '/users?customer=my_customer&maxResults=1',
      headers: () => ({ Authorization: `Bearer ${bearer}` }),
      purpose: 'list one user (read-only)',
      kind: 'lookup',
      safeToRepeat: true
    })
  },

  async run(t, cfg, r) {
    const base = directory(cfg)
    // The token is fetched (service account) before the calls; jsonCall reads headers synchronously at send time.
    const bearer = r.preview ? '' : await googleToken(cfg)
    const headers = () => ({ Authorization: `Bearer ${bearer}` })
    const user = `/users/${seg(t.account ?? t.identity)}`
    const signOut = () =>
      r.call(
        jsonCall({
          method: 'POST',
          base,
          path: `${user}/signOut`,
          headers,
          purpose: 'sign the user out of every web and device session',
          kind: 'change',
          safeToRepeat: true
        })
      )
    switch (t.action) {
      case 'terminate-session':
        await signOut()
        return
      case 'revoke-tokens': {
        const list = await r.call<unknown>(
          jsonCall({
            method: 'GET',
            base,
            path: `${user}/tokens`,
            headers,
            purpose: 'list the OAuth tokens the user granted',
            kind: 'lookup',
            safeToRepeat: true
          }),
          { items: [{ clientId: '{clientId}' }] }
        )
        const items = field(list, 'items')
        for (const item of Array.isArray(items) ? items : []) {
          const clientId = str(field(item, 'clientId'))
          if (!clientId) continue
          // A token already gone answers 404: that is the outcome wanted.
          await r.callAllowMissing(
            jsonCall({
              method: 'DELETE',
              base,
              path: `${user}/tokens/${seg(clientId)}`,
              headers,
              purpose: 'delete the client’s OAuth token',
              kind: 'change',
              safeToRepeat: false,
              repeat: 'each OAuth client'
            })
          )
        }
        return
      }
      case 'suspend-identity':
        await r.call(
          jsonCall({ method: 'PATCH', base, path: user, body: { suspended: true }, headers, purpose: 'suspend the user', kind: 'change', safeToRepeat: true })
        )
        await signOut()
        return
      case 'step-up':
        await r.call(
          jsonCall({
            method: 'PATCH',
            base,
            path: user,
            body: { changePasswordAtNextLogin: true },
            headers,
            purpose: 'demand a new password at the next sign-in',
            kind: 'change',
            safeToRepeat: true
          })
        )
        await signOut()
        return
      default: {
        const never: never = t.action
        throw new Error(`unknown action ${String(never)}`)
      }
    }
  }
}
