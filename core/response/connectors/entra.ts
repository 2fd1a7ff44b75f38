import { checkBaseUrl, isObject, parseJson, seg, sendHttp } from '../http'
import { baseUrl, field, jsonCall, requireSetting, str, verdictOf } from './common'
import type { Connector, ConnectorConfig } from '../types'

/** Graph's base is https://graph.microsoft.com; accept it with or without the version segment. */
const graphBase = (cfg: ConnectorConfig): string => {
  const base = baseUrl(cfg, 'entra', 'https://graph.microsoft.com')
  return /\/v1\.0$/.test(base) ? base : `${base}/v1.0`
}

interface CachedToken {
  token: string
  expires: number
}
const tokenCache = new Map<string, CachedToken>()

/** Client-credentials flow (token URL configurable, e.g. a sovereign cloud or a test double). */
const clientToken = async (cfg: ConnectorConfig): Promise<string> => {
  const clientId = requireSetting(cfg, 'entra', 'CLIENT_ID')
  const secret = requireSetting(cfg, 'entra', 'CLIENT_SECRET')
  const tenant = cfg.get('TENANT') ?? ''
  const tokenUrl = cfg.get('TOKEN_URL') ?? (tenant ? `https://login.microsoftonline.com/${seg(tenant)}/oauth2/v2.0/token` : '')
  if (!tokenUrl) throw new Error('AFTERLOGIN_ENTRA_TENANT or AFTERLOGIN_ENTRA_TOKEN_URL is needed for the client-credentials flow')
  checkBaseUrl(tokenUrl, 'AFTERLOGIN_ENTRA_TOKEN_URL')
  const cacheKey = `${tokenUrl} ${clientId}`
  const cached = tokenCache.get(cacheKey)
  if (cached && cached.expires > Date.now() + 60_000) return cached.token
  const scope = `${graphBase(cfg).replace(/\/v1\.0$/, '')}/.default`
  const reply = await sendHttp(
    {
      method: 'POST',
      url: tokenUrl,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope }).toString()
    },
    AbortSignal.timeout(20_000)
  )
  const body = parseJson(reply.text)
  const token = str(field(body, 'access_token'))
  if (reply.status !== 200 || !token) {
    // Report the OAuth error code only: the description can echo request parameters.
    throw new Error(`Entra token endpoint answered HTTP ${reply.status} ${str(field(body, 'error')) ?? ''}`.trim())
  }
  const ttl = Number(field(body, 'expires_in')) || 3600
  tokenCache.set(cacheKey, { token, expires: Date.now() + ttl * 1000 })
  return token
}

export const entra: Connector = {
  id: 'entra',
  label: 'Microsoft Entra ID (Graph)',
  settings: [
    { name: 'URL', secret: false, required: false, help: 'Graph base, default https://graph.microsoft.com' },
    { name: 'TOKEN', secret: true, required: false, help: 'static bearer token; or the client-credentials settings below (permissions per action below)' },
    { name: 'TENANT', secret: false, required: false, help: 'tenant id or domain for the client-credentials flow' },
    { name: 'CLIENT_ID', secret: false, required: false, help: 'app registration id for the client-credentials flow' },
    { name: 'CLIENT_SECRET', secret: true, required: false, help: 'its client secret' },
    { name: 'TOKEN_URL', secret: false, required: false, help: 'token endpoint, default https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token' },
    { name: 'ID_PROTECTION', secret: false, required: false, help: '1 when Entra ID P2 is licensed: step-up confirms the user compromised' }
  ],
  missing: (cfg) =>
    cfg.get('TOKEN') || (cfg.get('CLIENT_ID') && cfg.get('CLIENT_SECRET') && (cfg.get('TENANT') || cfg.get('TOKEN_URL'))) ? [] : ['AFTERLOGIN_ENTRA_TOKEN'],
  actions: {
    'terminate-session': {
      cuts: ['every refresh token and session cookie of the user, in all apps that use Entra sign-in (M365 included)'],
      doesNotCut: [
        'access tokens already issued (revocation is checked when the token is refreshed)',
        'sessions apps keep themselves',
        'a guest (B2B) user’s sessions: their home tenant issued them, revoke there'
      ],
      residual: 'up to the access-token lifetime (60–90 min; near-immediate for CAE-capable apps such as Exchange Online, SharePoint, Teams)',
      permissions: ['User.RevokeSessions.All (application)'],
      docs: [
        'https://learn.microsoft.com/en-us/graph/api/user-revokesigninsessions',
        'https://learn.microsoft.com/en-us/entra/identity/users/users-revoke-access'
      ],
      notes: ['Graph cannot end one session alone: all of the user’s sessions are revoked.']
    },
    'revoke-tokens': {
      cuts: ['every refresh token and session cookie of the user'],
      doesNotCut: [
        'access tokens already issued',
        'app passwords and certificates on service principals',
        'a guest (B2B) user’s tokens from their home tenant'
      ],
      residual: 'up to the access-token lifetime (60–90 min; sooner for CAE-capable apps)',
      permissions: ['User.RevokeSessions.All (application)'],
      docs: ['https://learn.microsoft.com/en-us/graph/api/user-revokesigninsessions']
    },
    'suspend-identity': {
      cuts: ['all new sign-ins (accountEnabled=false)', 'every refresh token and session cookie'],
      doesNotCut: ['access tokens already issued', 'a guest (B2B) user’s account at their home tenant (only access to this tenant is blocked)'],
      residual: 'up to the access-token lifetime (60–90 min; sooner for CAE-capable apps)',
      permissions: ['User.EnableDisableAccount.All and User.Read.All (application; PATCH accountEnabled)', 'User.RevokeSessions.All'],
      docs: ['https://learn.microsoft.com/en-us/graph/api/user-update', 'https://learn.microsoft.com/en-us/graph/api/user-revokesigninsessions'],
      notes: ['Disabling does not revoke tokens by itself: revokeSignInSessions follows.']
    },
    'step-up': {
      cuts: ['every refresh token and session cookie: the next sign-in meets Conditional Access again'],
      doesNotCut: ['access tokens already issued', 'a guest (B2B) user’s home-tenant sessions'],
      residual: 'up to the access-token lifetime (60–90 min)',
      permissions: ['User.RevokeSessions.All', 'IdentityRiskyUser.ReadWrite.All and User.Read.All (only with ID_PROTECTION=1: confirmCompromised)'],
      docs: [
        'https://learn.microsoft.com/en-us/graph/api/user-revokesigninsessions',
        'https://learn.microsoft.com/en-us/graph/api/riskyuser-confirmcompromised'
      ],
      notes: [
        'No API prompts a live user for MFA. With Entra ID P2 configured, the user is also confirmed compromised (risk high) so a risk-based CA policy demands MFA or a password change.'
      ]
    }
  },
  unsupported: {},
  targetOf: (t) => t.account ?? t.identity,
  requestIdHeaders: ['request-id', 'client-request-id'],
  interpret: (reply) =>
    verdictOf(reply, {
      describe: (b) => {
        const e = field(b, 'error')
        return isObject(e) ? [str(e.code), str(e.message)].filter(Boolean).join(' ') || null : null
      }
    }),

  probe: async (cfg) => {
    const bearer = { Authorization: `Bearer ${cfg.get('TOKEN') ?? (await clientToken(cfg))}` }
    return jsonCall({
      method: 'GET',
      base: graphBase(cfg),
      path: '/users?$top=1&$select=id',
      headers: () => bearer,
      purpose: 'read one user id (read-only)',
      kind: 'lookup',
      safeToRepeat: true
    })
  },

  async run(t, cfg, r) {
    const base = graphBase(cfg)
    const headers = async () => ({ Authorization: `Bearer ${cfg.get('TOKEN') ?? (await clientToken(cfg))}` })
    // jsonCall takes synchronous headers; the token is fetched just before each call.
    let bearer: Record<string, string> = {}
    const refresh = async () => {
      if (!r.preview) bearer = await headers()
    }
    const user = seg(t.account ?? t.identity)
    const revoke = async () => {
      await refresh()
      await r.call(
        jsonCall({
          method: 'POST',
          base,
          path: `/users/${user}/revokeSignInSessions`,
          headers: () => bearer,
          purpose: 'revoke every refresh token and session cookie',
          kind: 'change',
          safeToRepeat: true
        })
      )
    }
    switch (t.action) {
      case 'terminate-session':
      case 'revoke-tokens':
        await revoke()
        return
      case 'suspend-identity':
        await refresh()
        await r.call(
          jsonCall({
            method: 'PATCH',
            base,
            path: `/users/${user}`,
            body: { accountEnabled: false },
            headers: () => bearer,
            purpose: 'block sign-in',
            kind: 'change',
            safeToRepeat: true
          })
        )
        await revoke()
        return
      case 'step-up':
        if (cfg.get('ID_PROTECTION') === '1') {
          await refresh()
          const found = await r.call<unknown>(
            jsonCall({
              method: 'GET',
              base,
              path: `/users/${user}?$select=id`,
              headers: () => bearer,
              purpose: 'resolve the object id',
              kind: 'lookup',
              safeToRepeat: true
            }),
            { id: '{objectId}' }
          )
          const id = str(field(found, 'id'))
          if (!id) throw new Error('Graph returned a user without an id')
          await r.call(
            jsonCall({
              method: 'POST',
              base,
              path: '/identityProtection/riskyUsers/confirmCompromised',
              body: { userIds: [id] },
              headers: () => bearer,
              purpose: 'confirm the user compromised (risk high)',
              kind: 'change',
              safeToRepeat: true
            })
          )
        }
        await revoke()
        return
      default: {
        const never: never = t.action
        throw new Error(`unknown action ${String(never)}`)
      }
    }
  }
}
