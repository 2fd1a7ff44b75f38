import { SignJWT } from 'jose'
import { sendHttp } from '../http'
import { loadSigningKey } from '../ssf-keys'
import { baseUrl, field, isEmail, str, verdictOf } from './common'
import type { CallSpec, Connector, ConnectorConfig, Target } from '../types'

const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/'
const RISC = 'https://schemas.openid.net/secevent/risc/event-type/'

type EventKind = 'session-revoked' | 'account-disabled'

/**
 * No assurance-level-change for step-up: CAEP requires its current_level, which only the IdP that authenticated the
 * user knows; the transmitter would be inventing a transition.
 */
const EVENTS: Record<Target['action'], EventKind[]> = {
  'terminate-session': ['session-revoked'],
  'revoke-tokens': ['session-revoked'],
  'step-up': ['session-revoked'],
  'suspend-identity': ['session-revoked', 'account-disabled']
}

const subjectOf = (t: Target): Record<string, unknown> => {
  const who = t.account ?? t.identity
  const user = isEmail(who) ? { format: 'email', email: who } : { format: 'opaque', id: who }
  return t.sessionKey ? { format: 'complex', user, session: { format: 'opaque', id: t.sessionKey } } : user
}

/** The SET's claims (RFC 8417 + SSF 1.0): sub_id and events, no `sub`, no `exp`. */
export const setClaims = (t: Target, cfg: ConnectorConfig, kind: EventKind, jti: string, reason: string, now: number) => {
  const subject = subjectOf(t)
  const admin = { initiating_entity: 'admin', reason_admin: { en: reason }, event_timestamp: now }
  const payload: Record<string, unknown> = kind === 'session-revoked' ? admin : { reason: 'hijacking' }
  const uri = kind === 'account-disabled' ? `${RISC}${kind}` : `${CAEP}${kind}`
  return {
    iss: cfg.get('ISSUER') ?? 'https://afterlogin.local/ssf',
    aud: cfg.get('AUDIENCE') ?? new URL(baseUrl(cfg, 'ssf', null)).origin,
    jti,
    iat: now,
    txn: t.actionId,
    sub_id: subject,
    // Receivers such as Okta still read the subject inside the event (pre-1.0 drafts), where a user is wrapped as
    // {user: …}; a complex subject already names its members (user, session) and is sent as it is.
    events: { [uri]: { subject: subject.format === 'complex' || !isEmail(t.account ?? t.identity) ? subject : { user: subject }, ...payload } }
  }
}

const reasonFor = (t: Target): string =>
  ({
    'terminate-session': 'Sessions terminated by a SOC analyst: suspected session hijack',
    'revoke-tokens': 'Tokens revoked by a SOC analyst: suspected session hijack',
    'step-up': 'Assurance lowered by a SOC analyst: re-authenticate with MFA',
    'suspend-identity': 'Account suspended by a SOC analyst: suspected compromise'
  })[t.action]

export const ssf: Connector = {
  id: 'ssf',
  label: 'Shared Signals (CAEP transmitter)',
  settings: [
    { name: 'URL', secret: false, required: true, help: 'the receiver’s push endpoint, e.g. https://acme.okta.com/security/api/v1/security-events' },
    { name: 'TOKEN', secret: true, required: false, help: 'the receiver’s authorization_header, sent exactly as given (e.g. "Bearer abc…" or "SSWS abc…")' },
    { name: 'ISSUER', secret: false, required: false, help: 'iss of the SETs, as registered at the receiver (default https://afterlogin.local/ssf)' },
    { name: 'AUDIENCE', secret: false, required: false, help: 'aud of the SETs (default the receiver’s origin)' },
    { name: 'SIGNING_KEY', secret: true, required: false, help: 'PKCS#8 PEM RS256 key; default a key kept in the data folder (ssf/signing-key.pem)' }
  ],
  actions: {
    'terminate-session': {
      cuts: [
        'whatever the receiver does on CAEP session-revoked; Okta ends the user’s sessions only when an Identity Threat Protection entity risk or session protection policy acts on shared signals'
      ],
      doesNotCut: ['anything at a receiver that ignores the event: a SET informs, it does not command'],
      residual: 'depends on the receiver’s policy for the event',
      permissions: ['the receiver’s authorization_header for its push endpoint; the transmitter’s issuer and JWKS registered at the receiver'],
      docs: [
        'https://openid.net/specs/openid-caep-1_0-final.html#name-session-revoked',
        'https://openid.net/specs/openid-sharedsignals-framework-1_0-final.html',
        'https://www.rfc-editor.org/rfc/rfc8935'
      ]
    },
    'revoke-tokens': {
      cuts: ['whatever the receiver does on CAEP session-revoked'],
      doesNotCut: ['tokens at a receiver that does not act on the event'],
      residual: 'depends on the receiver’s policy',
      permissions: ['the receiver’s authorization_header; issuer and JWKS registered at the receiver'],
      docs: [
        'https://openid.net/specs/openid-caep-1_0-final.html#name-session-revoked',
        'https://openid.net/specs/openid-sharedsignals-framework-1_0-final.html'
      ]
    },
    'step-up': {
      cuts: ['whatever the receiver does on CAEP session-revoked (a receiver may re-authenticate the user with MFA)'],
      doesNotCut: ['no assurance-level-change is sent: its current_level is the IdP’s knowledge, not the transmitter’s'],
      residual: 'depends on the receiver’s policy',
      permissions: ['the receiver’s authorization_header; issuer and JWKS registered at the receiver'],
      docs: [
        'https://openid.net/specs/openid-caep-1_0-final.html#name-session-revoked',
        'https://openid.net/specs/openid-caep-1_0-final.html#name-assurance-level-change'
      ]
    },
    'suspend-identity': {
      cuts: ['sessions (CAEP session-revoked) and RISC account-disabled for receivers that act on it'],
      doesNotCut: ['the account itself at receivers that only log the event'],
      residual: 'depends on the receiver’s policy',
      permissions: ['the receiver’s authorization_header; issuer and JWKS registered at the receiver'],
      docs: [
        'https://openid.net/specs/openid-caep-1_0-final.html#name-session-revoked',
        'https://openid.net/specs/openid-risc-1_0-final.html#name-account-disabled'
      ]
    }
  },
  unsupported: {},
  targetOf: (t) => t.account ?? t.identity,
  requestIdHeaders: ['x-request-id', 'x-okta-request-id'],
  interpret: (reply) => verdictOf(reply, { describe: (b) => [str(field(b, 'err')), str(field(b, 'description'))].filter(Boolean).join(' ') || null }),

  // RFC 8935 defines no read-only request on a push endpoint: anything sent there is an event.
  probe: () => null,

  async run(t, cfg, r) {
    const endpoint = baseUrl(cfg, 'ssf', null)
    const kinds = EVENTS[t.action]
    // Loaded (or generated, which takes a while) before any request, so it never eats a call's timeout.
    const key = cfg.preview ? null : await loadSigningKey(cfg.dataDir, cfg.get('SIGNING_KEY'))
    for (const [n, kind] of kinds.entries()) {
      const jti = `${t.actionId}.${n + 1}`
      const reason = reasonFor(t)
      const shown = cfg.preview
        ? setClaims(t, { ...cfg, get: (k) => cfg.get(k) ?? (k === 'URL' ? 'https://receiver.invalid' : undefined) }, kind, jti, reason, 0)
        : null
      const spec: CallSpec = {
        // The jti stays the same on a retry, so a receiver de-duplicates a SET it already accepted.
        key: `ssf:${jti}`,
        method: 'POST',
        url: endpoint,
        body: shown ?? { jti, event: kind },
        purpose: `push a signed ${kind} SET (RFC 8935)`,
        kind: 'change',
        safeToRepeat: true,
        send: async (signal) => {
          if (!key) throw new Error('no signing key in preview')
          const claims = setClaims(t, cfg, kind, jti, reason, Math.floor(Date.now() / 1000))
          const jws = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'secevent+jwt', kid: key.kid }).sign(key.privateKey)
          const token = cfg.get('TOKEN')
          const headers: Record<string, string> = { 'Content-Type': 'application/secevent+jwt', Accept: 'application/json' }
          // SSF 1.0 §8.1.1: the receiver's authorization_header is sent exactly as it gave it.
          if (token) headers.Authorization = token
          return sendHttp({ method: 'POST', url: endpoint, headers, body: jws }, signal)
        }
      }
      await r.call(spec)
    }
  }
}
