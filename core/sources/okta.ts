import type { SourceMapping } from './types'
import { at, isObject, text } from './values'

// Okta System Log: https://developer.okta.com/docs/reference/api/system-log/
export const okta: SourceMapping = {
  id: 'okta',
  detect: (r) => r.eventType !== undefined && r.published !== undefined && isObject(r.actor) && 'alternateId' in r.actor,
  nativeId: 'uuid',
  time: 'published',
  sourceType: 'eventType',
  action: ['displayMessage', 'eventType'],
  category: [
    [
      /^user\.(session|authentication)|^policy\.evaluate_sign_on|^user\.mfa\.(okta_verify|factor\.verify)|^system\.(push|sms|voice|email)\.send_factor_verify/,
      'authentication'
    ],
    [/^user\.(lifecycle|account|mfa\.factor)|^group\.user_membership|^application\.user_membership/, 'account_change'],
    [/api_token|oauth2|^app\.oauth/, 'api_activity'],
    [/report|export|download/, 'data_access'],
    [/^(system|policy|zone|group|application|app|org|security)\./, 'admin']
  ],
  outcome: { from: 'outcome.result', map: { success: 'success', allow: 'success', failure: 'failure', deny: 'failure', challenge: 'unknown' } },
  actorId: 'actor.id',
  actorName: ['actor.displayName', 'actor.alternateId'],
  actorType: {
    from: 'actor.type',
    map: { user: 'human', publicclientapp: 'service', appinstance: 'service', systemprincipal: 'service', client: 'service' },
    otherwise: 'unknown'
  },
  identity: (r) => (at(r, 'actor.type') === 'User' ? at(r, 'actor.alternateId') : undefined),
  // A client granted an access token for a person (authorization code, token exchange): the token's subject, the
  // person's login. A client's own token (client credentials) has the client's id as its subject: no one.
  actingFor: (r) => {
    if (at(r, 'actor.type') === 'User') return undefined
    const entry = firstTarget(r, 'access_token', 'detailEntry')
    const subject = isObject(entry) ? text(entry.subject) : null
    return subject?.includes('@') ? subject : undefined
  },
  app: () => 'Okta',
  sessionKeys: {
    externalSessionId: 'authenticationContext.externalSessionId',
    rootSessionId: 'authenticationContext.rootSessionId',
    // The app a user.authentication.sso event signs into: the downstream half of the chain.
    ssoTargetApp: (r) =>
      r.eventType === 'user.authentication.sso' ? (firstTarget(r, 'AppInstance', 'alternateId') ?? firstTarget(r, 'AppInstance', 'displayName')) : undefined
  },
  srcIp: ['client.ipAddress', 'request.ipChain.0.ip'],
  userAgent: 'client.userAgent.rawUserAgent',
  deviceId: ['device.id', 'debugContext.debugData.deviceFingerprint'],
  // The client's own geo, else the first hop of the request's ipChain (which carries geo of its own).
  geoCity: ['client.geographicalContext.city', 'request.ipChain.0.geographicalContext.city'],
  geoCountry: ['client.geographicalContext.country', 'request.ipChain.0.geographicalContext.country'],
  geoLat: ['client.geographicalContext.geolocation.lat', 'request.ipChain.0.geographicalContext.geolocation.lat'],
  geoLon: ['client.geographicalContext.geolocation.lon', 'request.ipChain.0.geographicalContext.geolocation.lon'],
  asNumber: 'securityContext.asNumber',
  asOrg: ['securityContext.asOrg', 'securityContext.isp'],
  netProxy: 'securityContext.isProxy',
  deviceManaged: 'device.managed',
  // A factor bound to the user's hardware (WebAuthn, FastPass's signed nonce), or a device Okta's behaviour detection
  // already knew for the user on a record it did not rate high risk and whose velocity it found possible: a phishing
  // proxy relays the victim's own browser, device cookie and all, from the other side of the continent. The device is
  // judged only where the user signed in (the session's start, a factor or password checked, the sign-on policy): a
  // record inside a session (the admin console opened, an app reached) carries the session's device cookie, which a
  // stolen session replayed from elsewhere carries too. Okta's log-only rating (logOnlySecurityData) counts as its risk.
  vouches: [
    { all: [['debugContext.debugData.factor', /^(?:FIDO_WEBAUTHN|WEBAUTHN|SIGNED_NONCE)$/]] },
    {
      all: [
        [
          'eventType',
          /^(?:user\.session\.start|user\.authentication\.(?:auth_via_mfa|verify|authenticate|auth_via_IDP|auth_via_social)|policy\.evaluate_sign_on)$/
        ],
        ['debugContext.debugData.behaviors', /New Device=NEGATIVE/]
      ],
      none: [
        ['debugContext.debugData.behaviors', /Velocity=POSITIVE/],
        ['debugContext.debugData.risk', /level=HIGH/],
        ['debugContext.debugData.logOnlySecurityData', /"level"\s*:\s*"HIGH"/]
      ]
    }
  ],
  targetType: 'target.0.type',
  targetId: 'target.0.id',
  targetName: ['target.0.alternateId', 'target.0.displayName'],
  refusal: 'outcome.reason',
  fast: {
    signature: ['eventType', 'published', 'actor.alternateId'],
    fields: {
      identity: { path: 'actor.alternateId', when: ['actor.type', 'User'] },
      app: { const: 'Okta' },
      acting_for: { find: 'target', where: ['type', 'access_token'], take: ['detailEntry.subject'], unless: ['actor.type', 'User'], containing: '@' },
      'key:ssoTargetApp': {
        find: 'target',
        where: ['type', 'AppInstance'],
        take: ['alternateId', 'displayName'],
        when: ['eventType', 'user.authentication.sso']
      }
    }
  }
}

const firstTarget = (r: Record<string, unknown>, type: string, key: string): unknown => {
  const targets = r.target
  if (!Array.isArray(targets)) return undefined
  const t = targets.find((x) => isObject(x) && x.type === type)
  return isObject(t) ? t[key] : undefined
}
