import type { Rec, SourceMapping } from './types'
import { SERVICE_NAME, isAiClient } from './agents'
import { at, isObject, pickText } from './values'

const USER_NAMES = ['USER_NAME', 'Username', 'sfdc_created_by_name', 'CreatedBy.Name', 'USER']
const USER_LOGINS = ['USER_NAME', 'Username', 'sfdc_created_by_username', 'CreatedBy.Username', 'USER']
/** The connected app or API client a row names. */
const APP_NAMES = ['Application', 'APP_NAME', 'CLIENT_NAME']

/**
 * The connected app a user's API call came through, when its name is an AI client's (an AI assistant, Agentforce, a
 * ChatGPT or Claude connector): the agent acted, on the user's token, for the user. A sign-in to such an app is the
 * person's own (LoginEvent, LoginHistory, the Login event log).
 */
const aiApp = (r: Rec): string | null => {
  if (/^Login/i.test(pickText(r, ['EVENT_TYPE', 'attributes.type']) ?? '') || pickText(r, ['LoginType', 'LOGIN_TYPE'])) return null
  // A Setup Audit Trail row made by Einstein through cloud-to-cloud services says so in CreatedByContext ("Einstein"):
  // the change is the agent's, in the Setup session of the user the row names.
  // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_setupaudittrail.htm
  const context = pickText(r, 'CreatedByContext')
  if (context && isAiClient(context)) return context
  const app = pickText(r, APP_NAMES)
  return app && isAiClient(app) ? app : null
}

/** The user Salesforce creates for an Agentforce or Einstein service agent (agentforce_service_agent@<org>.ext). */
const AGENT_USER = /^[^@]*(agentforce|einstein[-_. ]?(service[-_. ]?)?agent)/i

const ELF_HINTS = ['TIMESTAMP', 'TIMESTAMP_DERIVED', 'LOGIN_KEY', 'SESSION_KEY', 'ORGANIZATION_ID', 'USER_ID', 'REQUEST_ID']

const UPPER_SNAKE = /^[A-Z][A-Z0-9_]*$/
// EventLogFile columns are all UPPER_SNAKE; Snowflake's LOGIN_HISTORY is too, but carries EVENT_ID/EVENT_TIMESTAMP.
const isElf = (r: Rec): boolean =>
  typeof r.EVENT_TYPE === 'string' &&
  r.EVENT_ID === undefined &&
  r.EVENT_TIMESTAMP === undefined &&
  (ELF_HINTS.some((k) => r[k] !== undefined) || Object.keys(r).every((k) => UPPER_SNAKE.test(k)))
const isStream = (r: Rec): boolean =>
  (typeof r.channel === 'string' && r.channel.startsWith('/event/')) || (r.EventIdentifier !== undefined && r.EventDate !== undefined)
// Records as the REST API's SOQL queries return them (LoginHistory, the *EventLog objects, SetupAuditTrail…): each
// carries `attributes` {type, url: /services/data/vNN.N/sobjects/Type/Id}, a shape only Salesforce writes.
const SOBJECT_URL = /^\/services\/data\/v\d+(\.\d+)?\/sobjects\//
const sobjectType = (r: Rec): string | undefined => {
  const a = r.attributes
  return isObject(a) && typeof a.type === 'string' && typeof a.url === 'string' && SOBJECT_URL.test(a.url) ? a.type : undefined
}
const isSetupAudit = (r: Rec): boolean =>
  (r.Section !== undefined || r.section !== undefined) &&
  (r.Display !== undefined || r.display !== undefined) &&
  (r.CreatedDate !== undefined || r.sfdc_created_date !== undefined)

/** Real-time event objects: the streaming message's payload, or the object as queried (same field names). */
const streamPayload = (r: Rec): Rec => {
  const payload = at(r, 'data.payload')
  return isObject(payload) ? { ...payload, channel: r.channel } : r
}

// Salesforce Event Monitoring: EventLogFile CSV rows (upper-case columns, TIMESTAMP yyyyMMddHHmmss.SSS),
// real-time event monitoring objects (LoginEventStream, ApiEventStream… with SessionKey/LoginKey), and
// the Setup Audit Trail (raw SOQL fields or the snake_case form some collectors write).
export const salesforce: SourceMapping = {
  id: 'salesforce',
  detect: (r) => isElf(r) || isStream(r) || isSetupAudit(r) || sobjectType(r) !== undefined,
  views: (r) => [isStream(r) ? streamPayload(r) : r],
  nativeId: ['EventIdentifier', 'REQUEST_ID', 'Id', 'record_id'],
  time: ['TIMESTAMP_DERIVED', 'TIMESTAMP', 'EventDate', 'CreatedDate', 'sfdc_created_date', 'LOGIN_TIME', 'LoginTime', 'Timestamp', 'PAGE_START_TIME'],
  sourceType: (r) => {
    const channel = pickText(r, 'channel')
    if (channel) return channel.replace(/^\/event\//, '')
    // An event log object is typed as the event log file it stores (ContentDistributionEventLog rows are
    // ContentDistribution rows; their Action is the action); a Setup Audit Trail row by its Action; other objects by
    // their own type (LoginHistory).
    const object = sobjectType(r)
    if (object && /.EventLog$/.test(object)) return object.replace(/EventLog$/, '')
    return pickText(r, ['EVENT_TYPE', 'Action', 'action']) ?? object
  },
  action: ['Operation', 'EventType', 'EVENT_TYPE', 'Action', 'action', 'ACTION', 'API_METHOD', 'METHOD_NAME', 'URI'],
  category: [
    [/Login|Logout|IdentityVerification|AuthSession|Authentication/i, 'authentication'],
    [/Report|Export|ListView|BulkApi|Search|Query|Document|Download|Dashboard/i, 'data_access'],
    [/Api|Apex|Rest|Aura|Callout|Uri|Lightning/i, 'api_activity'],
    [/user|password|email|authenticator|TwoFactor|PermSet.*User|frozen|deactivated|Membership/i, 'account_change'],
    [/Sharing|share/i, 'sharing'],
    [/Perm|Profile|Group|Setup|Connected|tenantSecret|Audit Trail|Section/i, 'admin']
  ],
  outcome: (r) => {
    const status = pickText(r, ['LoginStatus', 'LOGIN_STATUS', 'Status', 'REQUEST_STATUS', 'SUCCESS', 'PolicyOutcome', 'JOB_STATUS', 'JobStatus'])
    // A LoginHistory row's Status is "Success" or why the login failed ("Invalid Password", "User is frozen"…).
    if (status && sobjectType(r) === 'LoginHistory') return /^Success/i.test(status) ? 'success' : 'failure'
    // An API call that raised an exception, or a Bulk API batch that failed without processing a row, failed.
    if (!status) {
      if (pickText(r, ['EXCEPTION_MESSAGE', 'ExceptionMessage'])) return 'failure'
      const failures = Number(pickText(r, 'NUMBER_FAILURES') ?? 0)
      return failures > 0 && Number(pickText(r, 'ROWS_PROCESSED') ?? 1) === 0 ? 'failure' : undefined
    }
    // A Bulk API 2.0 job (JOB_STATUS) is JobComplete, Failed or Aborted once it ends.
    if (/^(LOGIN_NO_ERROR|Success|S|1|true|JobComplete)$/i.test(status) || /^LOGIN_OAUTH|NO_ERROR$/.test(status)) return 'success'
    // Event log REQUEST_STATUS: F failure, A authorization error, N not found (R redirect and U undefined say nothing).
    if (/^LOGIN_|fail|error|^[FAN]$|^0$|Block/i.test(status)) return 'failure'
    return status
  },
  actorId: ['USER_ID_DERIVED', 'USER_ID', 'UserId', 'UserIdentifier', 'sfdc_created_by_id', 'CreatedById'],
  actorName: (r) => aiApp(r) ?? pickText(r, USER_NAMES),
  actorType: (r) => {
    if (aiApp(r)) return 'agent'
    const login = pickText(r, USER_LOGINS)
    // The user an Agentforce (formerly Einstein) service agent runs as, which Salesforce creates for it.
    if (AGENT_USER.test(login ?? '')) return 'agent'
    // The OAuth client credentials flow signs in an app, as the integration user it runs as: no person is there.
    if (/clientcredential/i.test(pickText(r, ['LOGIN_SUB_TYPE', 'LoginSubType']) ?? '')) return 'service'
    // An event log row that names no user, only the API client it came through: a sync, integration or connector
    // client's name (the shipped classification's service names) is its integration user's.
    if (!login && SERVICE_NAME.test(pickText(r, 'CLIENT_NAME') ?? '')) return 'service'
    const t = pickText(r, ['USER_TYPE', 'UserType'])
    // Login-As rows (DELEGATED_USER_NAME) name the admin who signed in as the user: a person, through the setup pages.
    // Event log rows that give only the user's id (USER_ID: ReportExport, DocumentAttachmentDownloads) name a user
    // too, except a Login-As row, whose USER_ID is the user signed in as, not who did it; so do the records SOQL
    // returns with an id alone (LoginHistory UserId, Setup Audit Trail CreatedById).
    if (!t) {
      const named = login ?? pickText(r, 'DELEGATED_USER_NAME')
      const byId = !/^LoginAs$/i.test(pickText(r, 'EVENT_TYPE') ?? '') && pickText(r, ['USER_ID_DERIVED', 'USER_ID', 'UserId', 'CreatedById'])
      return named || byId ? 'human' : 'unknown'
    }
    return /^(Standard|S|PowerPartner|CspLitePortal|CustomerSuccess|PowerCustomerSuccess|CsnOnly|admin)$/i.test(t)
      ? 'human'
      : /Automated|Guest|Integration/i.test(t)
        ? 'service'
        : 'unknown'
  },
  identity: (r) => aiApp(r) ?? pickText(r, USER_LOGINS),
  actingFor: (r) => (aiApp(r) ? pickText(r, USER_LOGINS) : null),
  app: (r) => {
    const app = pickText(r, APP_NAMES)
    return app && !/^N\/A$/i.test(app) ? `Salesforce ${app}` : 'Salesforce'
  },
  sessionKeys: {
    SESSION_KEY: ['SESSION_KEY', 'SessionKey', 'SESSION_ID'],
    LOGIN_KEY: ['LOGIN_KEY', 'LoginKey'],
    LoginHistoryId: ['LoginHistoryId']
  },
  srcIp: ['SOURCE_IP', 'CLIENT_IP', 'SourceIp', 'ClientIp', 'IP_ADDRESS'],
  userAgent: ['BROWSER_TYPE', 'BrowserType', 'UserAgent', 'USER_AGENT', 'Browser'],
  deviceId: ['DEVICE_ID', 'DeviceId'],
  geoCity: ['City', 'LoginGeo.City'],
  geoCountry: ['CountryIso', 'Country', 'LoginGeo.CountryIso', 'LoginGeo.Country', 'CLIENT_GEO'],
  geoLat: ['LoginLatitude', 'Latitude', 'LoginGeo.Latitude'],
  geoLon: ['LoginLongitude', 'Longitude', 'LoginGeo.Longitude'],
  targetType: ['ENTITY_NAME', 'QueriedEntities', 'ENTITY_TYPE', 'OBJECT_TYPE', 'section', 'Section'],
  targetId: ['URI_ID_DERIVED', 'OBJECT_ID', 'ReportId', 'record_id', 'DASHBOARD_ID'],
  targetName: ['Display', 'display', 'REPORT_NAME', 'RECORD_NAME', 'URI', 'URL'],
  // A login's status (LOGIN_ERROR_INVALID_PASSWORD, "Invalid Password"), a policy's outcome, an API call's exception.
  refusal: ['LoginStatus', 'LOGIN_STATUS', 'Status', 'PolicyOutcome', 'EXCEPTION_MESSAGE', 'ExceptionMessage', 'JOB_STATUS', 'JobStatus', 'STATUS_CODE']
}
