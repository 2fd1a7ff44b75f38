import { isObject, seg } from '../http'
import { baseUrl, field, jsonCall, requireSetting, str, verdictOf } from './common'
import type { Connector, ConnectorConfig } from '../types'

/** SOQL string literal: backslash and quote escaped, so a hostile login cannot widen the query. */
export const soqlString = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

const dataBase = (cfg: ConnectorConfig): string => {
  const base = baseUrl(cfg, 'salesforce', null)
  if (/\/services\/data\/v\d+\.\d+$/.test(base)) return base
  return `${base}/services/data/${cfg.get('API_VERSION') ?? 'v62.0'}`
}

const records = (body: unknown): unknown[] => {
  const r = field(body, 'records')
  return Array.isArray(r) ? r : []
}

// Salesforce errors are a JSON array: [{"message","errorCode","fields"}].
const firstError = (b: unknown): Record<string, unknown> | null => (Array.isArray(b) && isObject(b[0]) ? b[0] : null)

export const salesforce: Connector = {
  id: 'salesforce',
  label: 'Salesforce',
  settings: [
    { name: 'URL', secret: false, required: true, help: 'My Domain URL, e.g. https://acme.my.salesforce.com' },
    { name: 'TOKEN', secret: true, required: true, help: 'OAuth access token of an admin (permissions per action below)' },
    { name: 'API_VERSION', secret: false, required: false, help: 'REST API version, default v62.0' }
  ],
  actions: {
    'terminate-session': {
      cuts: ['every AuthSession of the user: UI, API and OAuth sessions (one DELETE each)'],
      doesNotCut: ['OAuth refresh tokens of connected apps (they mint new sessions: use revoke-tokens)', 'sessions in other orgs'],
      residual: 'none for deleted sessions; a connected app holding a refresh token can open a new one until that token is revoked',
      permissions: ['Manage Users (query and delete AuthSession)', 'API Enabled'],
      docs: ['https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_authsession.htm']
    },
    'revoke-tokens': {
      cuts: [
        'every connected-app OAuth token of the user (OauthToken, revoked through /services/oauth2/revoke with its DeleteToken: the refresh token and its access tokens)',
        'every AuthSession of the user'
      ],
      doesNotCut: ['tokens of external client apps or third-party identity providers', 'sessions in other orgs'],
      residual: 'none once revoked; the user can authorize a connected app again at the next sign-in',
      permissions: ['Manage Users (AuthSession)', 'Customize Application (to see every user’s OauthToken rows)', 'API Enabled'],
      docs: [
        'https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm',
        'https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_revoke_token.htm&type=5',
        'https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_authsession.htm'
      ]
    },
    'suspend-identity': {
      cuts: ['all sign-ins (UserLogin.IsFrozen=true, reversible)', 'every AuthSession'],
      doesNotCut: ['OAuth refresh tokens (frozen users cannot use them to sign in, but review connected apps)'],
      residual: 'none once the sessions are deleted',
      permissions: ['Manage Users (UserLogin.IsFrozen, AuthSession)', 'API Enabled'],
      docs: [
        'https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_userlogin.htm',
        'https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_authsession.htm'
      ]
    },
    'step-up': {
      cuts: ['every AuthSession: the next sign-in meets the org’s MFA / high-assurance policy'],
      doesNotCut: ['OAuth refresh tokens of connected apps'],
      residual: 'refresh tokens keep minting sessions until revoked (revoke-tokens)',
      permissions: ['Manage Users (AuthSession)', 'API Enabled'],
      docs: ['https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_authsession.htm'],
      notes: ['No API prompts a live user for MFA: ending the sessions sends the user back through sign-in.']
    }
  },
  unsupported: {},
  targetOf: (t) => t.account ?? t.identity,
  requestIdHeaders: ['sforce-call-id', 'x-request-id'],
  interpret: (reply) =>
    verdictOf(reply, {
      describe: (b) => {
        const e = firstError(b)
        return e ? [str(e.errorCode), str(e.message)].filter(Boolean).join(' ') || null : null
      },
      rateLimited: (res, b) => res.status === 403 && firstError(b)?.errorCode === 'REQUEST_LIMIT_EXCEEDED'
    }),

  probe: async (cfg) =>
    jsonCall({
      method: 'GET',
      base: dataBase(cfg),
      path: `/query?q=${encodeURIComponent('SELECT Id FROM User LIMIT 1')}`,
      headers: () => ({ Authorization: `Bearer ${requireSetting(cfg, 'salesforce', 'TOKEN')}` }),
      purpose: 'read one user id (read-only)',
      kind: 'lookup',
      safeToRepeat: true
    }),

  async run(t, cfg, r) {
    const base = dataBase(cfg)
    const headers = () => ({ Authorization: `Bearer ${requireSetting(cfg, 'salesforce', 'TOKEN')}` })
    const query = (soql: string, purpose: string, placeholder: unknown) =>
      r.call<unknown>(
        jsonCall({ method: 'GET', base, path: `/query?q=${encodeURIComponent(soql)}`, headers, purpose, kind: 'lookup', safeToRepeat: true }),
        placeholder
      )
    const username = t.account ?? t.identity
    const users = await query(`SELECT Id FROM User WHERE Username = ${soqlString(username)}`, 'resolve the username to the user id', {
      records: [{ Id: '{userId}' }]
    })
    const userId = str(field(records(users)[0], 'Id'))
    if (!userId) throw new Error(`Salesforce has no user with username ${username}`)

    const endSessions = async () => {
      const single = t.sessionKey && /^0Ak[A-Za-z0-9]{12,15}$/.test(t.sessionKey) ? t.sessionKey : null
      const where = single ? `Id = ${soqlString(single)} AND UsersId = ${soqlString(userId)}` : `UsersId = ${soqlString(userId)}`
      const sessions = await query(`SELECT Id FROM AuthSession WHERE ${where}`, 'list the user’s sessions', { records: [{ Id: '{authSessionId}' }] })
      for (const s of records(sessions)) {
        const id = str(field(s, 'Id'))
        if (!id) continue
        // A second DELETE of a session answers 404 (it is gone): that is the outcome wanted.
        await r.callAllowMissing(
          jsonCall({
            method: 'DELETE',
            base,
            path: `/sobjects/AuthSession/${seg(id)}`,
            headers,
            purpose: 'delete the session',
            kind: 'change',
            safeToRepeat: false,
            repeat: 'each session'
          })
        )
      }
    }
    const revokeOauthTokens = async () => {
      const tokens = await query(
        `SELECT Id, AppName, DeleteToken FROM OauthToken WHERE UserId = ${soqlString(userId)}`,
        'list the user’s connected-app OAuth tokens',
        { records: [{ Id: '{oauthTokenId}', AppName: '{app}', DeleteToken: '{DeleteToken}' }] }
      )
      const origin = base.replace(/\/services\/data\/v\d+\.\d+$/, '')
      for (const tok of records(tokens)) {
        const id = str(field(tok, 'Id'))
        const deleteToken = str(field(tok, 'DeleteToken'))
        if (!id || !deleteToken) continue
        // OauthToken supports query only; a token is revoked at the OAuth endpoint with its DeleteToken, which is a
        // credential: the recorded call (URL, body, key) names the row, never the token.
        const spec = jsonCall({
          key: `salesforce:revoke:${id}`,
          method: 'POST',
          base: origin,
          path: '/services/oauth2/revoke',
          form: { token: deleteToken },
          headers,
          purpose: `revoke the OAuth token of ${str(field(tok, 'AppName')) ?? 'a connected app'}`,
          kind: 'change',
          safeToRepeat: true,
          repeat: 'each OAuth token'
        })
        await r.callAllowMissing({ ...spec, body: { token: `{DeleteToken of OauthToken ${id}}` } })
      }
    }
    switch (t.action) {
      case 'revoke-tokens':
        await revokeOauthTokens()
        await endSessions()
        return
      case 'terminate-session':
      case 'step-up':
        await endSessions()
        return
      case 'suspend-identity': {
        const logins = await query(`SELECT Id FROM UserLogin WHERE UserId = ${soqlString(userId)}`, 'find the user’s UserLogin', {
          records: [{ Id: '{userLoginId}' }]
        })
        const loginId = str(field(records(logins)[0], 'Id'))
        if (!loginId) throw new Error('Salesforce returned no UserLogin for the user')
        await r.call(
          jsonCall({
            method: 'PATCH',
            base,
            path: `/sobjects/UserLogin/${seg(loginId)}`,
            body: { IsFrozen: true },
            headers,
            purpose: 'freeze the user',
            kind: 'change',
            safeToRepeat: true
          })
        )
        await endSessions()
        return
      }
      default: {
        const never: never = t.action
        throw new Error(`unknown action ${String(never)}`)
      }
    }
  }
}
