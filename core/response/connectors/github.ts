import { seg } from '../http'
import { baseUrl, field, isEmail, jsonCall, requireSetting, str, verdictOf } from './common'
import type { Connector, Target } from '../types'

const loginOf = (t: Target): string => {
  const login = t.account ?? t.identity
  if (isEmail(login)) throw new Error(`no GitHub login is known for ${t.identity}: map it in the identity map (e.g. alice-acme ↔ ${t.identity})`)
  return login
}

export const github: Connector = {
  id: 'github',
  label: 'GitHub (Enterprise Cloud org)',
  settings: [
    { name: 'URL', secret: false, required: false, help: 'REST base, default https://api.github.com' },
    { name: 'TOKEN', secret: true, required: true, help: 'classic token of an org owner with admin:org' },
    { name: 'ORG', secret: false, required: true, help: 'the organization (SAML SSO enforced) the user belongs to' }
  ],
  actions: {
    'revoke-tokens': {
      cuts: ['every PAT and SSH key the user authorized for the org through SAML SSO (credential authorizations)'],
      doesNotCut: [
        'the user’s github.com web session',
        'fine-grained PATs (GitHub App only)',
        'OAuth and GitHub App user tokens',
        'access to repositories outside the org'
      ],
      residual:
        'the credentials still work on public and personal repositories; the user can re-authorize them for the org while their SAML SSO session is active',
      permissions: ['admin:org (classic token of an org owner)'],
      docs: [
        'https://docs.github.com/en/enterprise-cloud@latest/rest/orgs/orgs#list-saml-sso-authorizations-for-an-organization',
        'https://docs.github.com/en/enterprise-cloud@latest/rest/orgs/orgs#remove-a-saml-sso-authorization-for-an-organization'
      ]
    },
    'terminate-session': {
      cuts: ['every SAML SSO credential authorization of the user in the org: each token must be re-authorized before it reaches the org again'],
      doesNotCut: ['the github.com web session (no API ends it)', 'the user’s active SAML SSO session for the org', 'fine-grained PATs', 'OAuth app tokens'],
      residual: 'the web session stays until the org’s SAML SSO session expires (default 24 h); meanwhile re-authorizing a credential passes silently',
      permissions: ['admin:org (classic token of an org owner)'],
      docs: [
        'https://docs.github.com/en/enterprise-cloud@latest/rest/orgs/orgs#remove-a-saml-sso-authorization-for-an-organization',
        'https://docs.github.com/en/enterprise-cloud@latest/authentication/authenticating-with-saml-single-sign-on/about-authentication-with-saml-single-sign-on'
      ],
      notes: ['GitHub has no API to end a user’s web session: this removes the credentials the session authorized.']
    },
    'step-up': {
      cuts: ['SAML SSO credential authorizations: each token must be re-authorized for the org before it works there again'],
      doesNotCut: [
        'the github.com web session',
        'the active SAML SSO session: while it lasts, re-authorizing passes silently without a new IdP sign-in or MFA',
        'fine-grained PATs'
      ],
      residual: 'the org’s SAML SSO session lifetime (default 24 h); end the user’s IdP session too (Okta or Entra step-up) so the next SSO demands MFA',
      permissions: ['admin:org (classic token of an org owner)'],
      docs: [
        'https://docs.github.com/en/enterprise-cloud@latest/rest/orgs/orgs#remove-a-saml-sso-authorization-for-an-organization',
        'https://docs.github.com/en/enterprise-cloud@latest/authentication/authenticating-with-saml-single-sign-on/about-authentication-with-saml-single-sign-on'
      ],
      notes: ['No API prompts a live user for MFA on GitHub.']
    },
    'suspend-identity': {
      cuts: ['the user’s membership of the org, and with it access to the org’s repositories and teams'],
      doesNotCut: [
        'the user’s github.com account and personal repositories',
        'enterprise team membership and other organizations of the enterprise',
        'outside-collaborator access granted per repository',
        'forks of private repositories already taken'
      ],
      residual: 'access through the enterprise’s other orgs and enterprise teams; re-inviting restores membership (forks of private repositories are deleted)',
      permissions: ['admin:org (classic token of an org owner)'],
      docs: ['https://docs.github.com/en/enterprise-cloud@latest/rest/orgs/members#remove-an-organization-member'],
      notes: ['Not reversible without a re-invite: review before confirming.']
    }
  },
  unsupported: {},
  targetOf: (t) => t.account ?? t.identity,
  requestIdHeaders: ['x-github-request-id'],
  interpret: (reply) =>
    verdictOf(reply, {
      describe: (b) => str(field(b, 'message')),
      // Primary limits: 403/429 with x-ratelimit-remaining 0; secondary limits carry retry-after.
      rateLimited: (res) => (res.status === 403 || res.status === 429) && (res.headers['x-ratelimit-remaining'] === '0' || !!res.headers['retry-after'])
    }),

  probe: async (cfg) =>
    jsonCall({
      method: 'GET',
      base: baseUrl(cfg, 'github', 'https://api.github.com'),
      path: `/orgs/${seg(requireSetting(cfg, 'github', 'ORG'))}`,
      headers: () => ({ Authorization: `Bearer ${requireSetting(cfg, 'github', 'TOKEN')}`, 'X-GitHub-Api-Version': '2022-11-28' }),
      purpose: 'read the organization (read-only)',
      kind: 'lookup',
      safeToRepeat: true
    }),

  async run(t, cfg, r) {
    const base = baseUrl(cfg, 'github', 'https://api.github.com')
    const org = cfg.get('ORG') ?? (cfg.preview ? '{AFTERLOGIN_GITHUB_ORG}' : requireSetting(cfg, 'github', 'ORG'))
    const login = cfg.preview && !t.account && isEmail(t.identity) ? '{github login}' : loginOf(t)
    const headers = () => ({
      Authorization: `Bearer ${requireSetting(cfg, 'github', 'TOKEN')}`,
      'X-GitHub-Api-Version': '2022-11-28'
    })
    const orgPath = `/orgs/${seg(org)}`
    // 204 member, 404 not one: an unknown login fails here instead of quietly revoking nothing.
    await r.call(
      jsonCall({
        method: 'GET',
        base,
        path: `${orgPath}/members/${seg(login)}`,
        headers,
        purpose: 'check the login is a member of the org',
        kind: 'lookup',
        safeToRepeat: true
      })
    )
    switch (t.action) {
      case 'revoke-tokens':
      case 'terminate-session':
      case 'step-up': {
        const list = await r.call<unknown>(
          jsonCall({
            method: 'GET',
            base,
            path: `${orgPath}/credential-authorizations?login=${seg(login)}&per_page=100`,
            headers,
            purpose: 'list the user’s SAML SSO credential authorizations',
            kind: 'lookup',
            safeToRepeat: true
          }),
          [{ credential_id: '{credentialId}', login }]
        )
        for (const c of Array.isArray(list) ? list : []) {
          // The filter is applied again here: an API that ignored ?login= must not widen the blast radius.
          if (str(field(c, 'login'))?.toLowerCase() !== login.toLowerCase()) continue
          const id = field(c, 'credential_id')
          if (typeof id !== 'number' && typeof id !== 'string') continue
          await r.callAllowMissing(
            jsonCall({
              method: 'DELETE',
              base,
              path: `${orgPath}/credential-authorizations/${seg(String(id))}`,
              headers,
              purpose: 'remove the credential’s SSO authorization',
              kind: 'change',
              safeToRepeat: false,
              repeat: 'each credential'
            })
          )
        }
        return
      }
      case 'suspend-identity':
        await r.call(
          jsonCall({
            method: 'DELETE',
            base,
            path: `${orgPath}/members/${seg(login)}`,
            headers,
            purpose: 'remove the user from the org',
            kind: 'change',
            safeToRepeat: false
          })
        )
        return
      default: {
        const never: never = t.action
        throw new Error(`unknown action ${String(never)}`)
      }
    }
  }
}
