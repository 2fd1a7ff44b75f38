import type { ActorType, Rec, SourceMapping } from './types'
import { isAiClient } from './agents'
import { at, decoded, httpOutcome, isObject, pick, pickText } from './values'

// Diagnostic-settings categories of Entra ID (Azure Monitor → Event Hub / storage).
const CATEGORIES = new Set(
  [
    'SignInLogs',
    'NonInteractiveUserSignInLogs',
    'ServicePrincipalSignInLogs',
    'ManagedIdentitySignInLogs',
    'AuditLogs',
    'ProvisioningLogs',
    'ADFSSignInLogs',
    'RiskyUsers',
    'UserRiskEvents',
    'RiskyServicePrincipals',
    'ServicePrincipalRiskEvents',
    'MicrosoftGraphActivityLogs',
    'NetworkAccessTrafficLogs',
    'EnrichedOffice365AuditLogs',
    'ApplicationManagement',
    'DirectoryManagement',
    'Policy',
    'UserManagement',
    'GroupManagement',
    'RoleManagement',
    'B2CRequestLogs',
    'MicrosoftServicePrincipalSignInLogs'
  ].map((c) => c.toLowerCase())
)
const LOG_ANALYTICS = new Set([
  'signinlogs',
  'aadnoninteractiveusersigninlogs',
  'aadserviceprincipalsigninlogs',
  'aadmanagedidentitysigninlogs',
  'auditlogs',
  'aaduserriskevents',
  'microsoftgraphactivitylogs'
])

/** The Entra record itself: diagnostic settings wrap it in `properties`, Graph and Log Analytics do not. */
const p = (...paths: string[]): string[] => paths.flatMap((x) => [`properties.${x}`, x])

const REFUSAL = p(
  'status.failureReason',
  'Status.failureReason',
  'resultReason',
  'ResultReason',
  'resultDescription',
  'status.errorCode',
  'Status.errorCode',
  'ResultType',
  'responseStatusCode'
)
const REFUSAL_DETAIL = p('status.additionalDetails', 'Status.additionalDetails')
/** A sign-in's error code (AADSTS50126, 53003 …), what an analyst searches Microsoft's documentation and the logs by. */
const ERROR_CODE = p('status.errorCode', 'Status.errorCode')

/**
 * A sign-in that vouches for the hands behind it: a phishing-resistant method bound to the user's hardware succeeded
 * (authenticationDetails, as Graph and the portal name the methods), or the device is joined to the organisation's
 * directory (deviceDetail.trustType: the portal's "… joined", Graph's AzureAd and ServerAd; not a registered personal
 * device, Workplace).
 */
const BOUND_METHOD = /^(?:FIDO2 security key|Passkey\b.*|Windows Hello for Business|X\.509 Certificate|Certificate-based authentication)$/i
const JOINED = /^(?:(?:Hybrid )?Azure AD joined|Microsoft Entra (?:hybrid )?joined|AzureAd|ServerAd)$/i
const vouches = (r: Rec): boolean => {
  const details = decoded(pick(r, p('authenticationDetails', 'AuthenticationDetails')))
  const bound =
    Array.isArray(details) &&
    details.some((d) => isObject(d) && BOUND_METHOD.test(String(d.authenticationMethod ?? '').trim()) && (d.succeeded === true || d.succeeded === 'true'))
  return bound || JOINED.test(pickText(r, p('deviceDetail.trustType', 'DeviceDetail.trustType')) ?? '')
}

const category = (r: Rec): string => String(r.category ?? r.Category ?? r.Type ?? '').toLowerCase()

/**
 * The agent a sign-in is for: an Entra agent identity (`agent.agentType` other than notAgentic), or a service
 * principal / managed identity sign-in whose app is an AI client. Its name, or null.
 */
const agentOf = (r: Rec): string | null => {
  const kind = pickText(r, p('agent.agentType', 'AgentType', 'Agent.agentType'))
  const name = pickText(r, p('servicePrincipalName', 'ServicePrincipalName', 'appDisplayName', 'AppDisplayName'))
  if (kind && !/^notagentic$/i.test(kind)) return name ?? pickText(r, p('agent.agentObjectId', 'servicePrincipalId', 'appId')) ?? 'entra agent'
  if (/serviceprincipal|managedidentity/.test(category(r)) && isAiClient(name)) return name
  return null
}

const SYNC_ACCOUNT = /^Sync_[^@\s]+@[^@\s]+\.onmicrosoft\.com$/i

const actorType = (r: Rec): ActorType => {
  if (agentOf(r)) return 'agent'
  const c = category(r)
  if (/serviceprincipal|managedidentity/.test(c)) return 'service'
  const types = at(r, 'properties.signInEventTypes') ?? r.signInEventTypes
  if (Array.isArray(types) && types.some((t) => /servicePrincipal|managedIdentity/i.test(String(t)))) return 'service'
  if (pickText(r, p('initiatedBy.app.appId', 'initiatedBy.app.displayName', 'InitiatedBy.app.appId', 'InitiatedBy.app.displayName'))) return 'service'
  // Entra Connect's directory synchronization account (Sync_<server>_<id>@<tenant>.onmicrosoft.com) writes what the
  // on-premises directory changed.
  if (
    SYNC_ACCOUNT.test(
      pickText(r, p('initiatedBy.user.userPrincipalName', 'InitiatedBy.user.userPrincipalName', 'userPrincipalName', 'UserPrincipalName')) ?? ''
    )
  )
    return 'service'
  // A Graph activity log says what its token was: app-only (idtyp app) or a user's.
  const idtyp = (pickText(r, p('C_Idtyp')) ?? '').toLowerCase()
  if (idtyp === 'app') return 'service'
  if (idtyp === 'user') return 'human'
  if (
    // A Graph activity log names the signed-in user by id only (userId: delegated access); app-only calls have none.
    pickText(
      r,
      p(
        'userPrincipalName',
        'UserPrincipalName',
        'initiatedBy.user.userPrincipalName',
        'InitiatedBy.user.userPrincipalName',
        'initiatedBy.user.id',
        'userId',
        'UserId'
      )
    )
  )
    return 'human'
  if (pickText(r, p('servicePrincipalId', 'ServicePrincipalId'))) return 'service'
  return 'unknown'
}

// Entra ID sign-in and audit logs and risk detections in Graph (`/auditLogs/signIns`, `/auditLogs/directoryAudits`,
// `/identityProtection/riskDetections`),
// diagnostic-settings (`time`, `category`, `properties`) and Log Analytics (`Type` = SigninLogs…) shapes.
export const entra: SourceMapping = {
  id: 'entra',
  detect: (r) => {
    if (isObject(r.properties) && CATEGORIES.has(category(r)) && (r.time !== undefined || r.operationName !== undefined)) return true
    if (typeof r.Type === 'string' && LOG_ANALYTICS.has(r.Type.toLowerCase())) return true
    if (r.SourceSystem === 'Azure AD' && r.TimeGenerated !== undefined) return true
    if (r.activityDateTime !== undefined && isObject(r.initiatedBy)) return true
    // ID Protection risk detections as Graph returns them (/identityProtection/riskDetections).
    if (typeof r.riskEventType === 'string' && r.detectionTimingType !== undefined && r.activityDateTime !== undefined) return true
    return r.createdDateTime !== undefined && r.appDisplayName !== undefined && isObject(r.status) && 'errorCode' in r.status
  },
  nativeId: p('id', 'Id', 'OriginalRequestId'),
  time: [...p('createdDateTime', 'activityDateTime', 'CreatedDateTime', 'ActivityDateTime', 'activityDateTime'), 'TimeGenerated', 'time'],
  sourceType: (r) => {
    const op = pickText(r, ['operationName', 'OperationName', 'properties.activityDisplayName', 'activityDisplayName', 'riskEventType'])
    const c = r.category ?? r.Type
    if (typeof c === 'string' && op) return `${c}:${op}`
    return op ?? (r.createdDateTime !== undefined ? 'signIn' : null)
  },
  action: p('activityDisplayName', 'ActivityDisplayName', 'operationName', 'OperationName', 'riskEventType'),
  category: [
    [/sign-?in|signin/i, 'authentication'],
    [
      /password|add user|delete user|update user|disable account|enable account|user risk|member to group|member from group|authentication method|security info/i,
      'account_change'
    ],
    [/consent|oauth|credential|certificate|secret|service principal|application|app role/i, 'api_activity'],
    [/graph activity/i, 'data_access'],
    [/invite|external user|sharing/i, 'sharing'],
    [/policy|role|domain|federation|directory|group|device|administrat|tenant/i, 'admin']
  ],
  outcome: (r) => {
    const code = at(r, 'properties.status.errorCode') ?? at(r, 'status.errorCode') ?? at(r, 'Status.errorCode') ?? r.ResultType
    if (code !== undefined && code !== null && code !== '') return Number(code) === 0 ? 'success' : 'failure'
    // Graph activity logs: the HTTP status of the request.
    return (
      httpOutcome(at(r, 'properties.responseStatusCode') ?? r.responseStatusCode ?? r.ResponseStatusCode) ??
      pickText(r, p('result', 'Result', 'resultType', 'ResultType', 'resultSignature'))
    )
  },
  actorId: p('userId', 'UserId', 'initiatedBy.user.id', 'InitiatedBy.user.id', 'initiatedBy.app.appId', 'servicePrincipalId', 'ServicePrincipalId', 'appId'),
  actorName: p(
    'userDisplayName',
    'UserDisplayName',
    'initiatedBy.user.displayName',
    'initiatedBy.app.displayName',
    'InitiatedBy.user.displayName',
    'servicePrincipalName',
    'ServicePrincipalName',
    'userPrincipalName',
    'appDisplayName'
  ),
  actorType,
  identity: (r) =>
    agentOf(r) ??
    pickText(
      r,
      p(
        'userPrincipalName',
        'UserPrincipalName',
        'initiatedBy.user.userPrincipalName',
        'InitiatedBy.user.userPrincipalName',
        'servicePrincipalName',
        'ServicePrincipalName'
      )
    ),
  // An agent signing in on a user's behalf names that user (agentic user sign-ins carry their UPN).
  actingFor: (r) => (agentOf(r) ? pickText(r, p('userPrincipalName', 'UserPrincipalName', 'initiatedBy.user.userPrincipalName')) : null),
  app: (r) => pickText(r, p('appDisplayName', 'AppDisplayName', 'resourceDisplayName')) ?? pickText(r, p('loggedByService', 'LoggedByService')) ?? 'Entra ID',
  sessionKeys: {
    sessionId: p('sessionId', 'SessionId'),
    uniqueTokenIdentifier: p('uniqueTokenIdentifier', 'UniqueTokenIdentifier', 'signInActivityId', 'SignInActivityId'),
    correlationId: ['properties.correlationId', 'correlationId', 'CorrelationId']
  },
  srcIp: [...p('ipAddress', 'IPAddress', 'initiatedBy.user.ipAddress', 'InitiatedBy.user.ipAddress'), 'callerIpAddress', 'CallerIpAddress'],
  userAgent: p('userAgent', 'UserAgent'),
  deviceId: p('deviceDetail.deviceId', 'DeviceDetail.deviceId'),
  geoCity: p('location.city', 'LocationDetails.city'),
  geoCountry: p('location.countryOrRegion', 'LocationDetails.countryOrRegion', 'Location'),
  geoLat: p('location.geoCoordinates.latitude', 'LocationDetails.geoCoordinates.latitude'),
  geoLon: p('location.geoCoordinates.longitude', 'LocationDetails.geoCoordinates.longitude'),
  asNumber: p('autonomousSystemNumber', 'AutonomousSystemNumber'),
  deviceManaged: p('deviceDetail.isManaged', 'DeviceDetail.isManaged', 'deviceDetail.isCompliant', 'DeviceDetail.isCompliant'),
  vouches,
  targetType: p('targetResources.0.type', 'TargetResources.0.type'),
  targetId: p('targetResources.0.id', 'TargetResources.0.id', 'resourceId', 'ResourceId'),
  targetName: p(
    'targetResources.0.userPrincipalName',
    'targetResources.0.displayName',
    'TargetResources.0.displayName',
    'resourceDisplayName',
    'ResourceDisplayName'
  ),
  // A sign-in's status.failureReason (else its error code), an audit record's resultReason, a Graph call's HTTP status;
  // with a sign-in's status.additionalDetails where it says more ("MFA denied; user declined the authentication").
  refusal: (r) => {
    const reason = pickText(r, REFUSAL)
    const detail = pickText(r, REFUSAL_DETAIL)
    const text = reason && detail && !reason.includes(detail) ? `${reason} (${detail})` : (reason ?? detail)
    // The code before the words it stands for: "50126: Error validating credentials …".
    const code = pickText(r, ERROR_CODE)
    return text && code && code !== '0' && !text.includes(code) ? `${code}: ${text}` : text
  }
}
