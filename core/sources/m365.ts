import type { ActorType, Rec, SourceMapping } from './types'
import { m365Agent } from './agents'
import { isObject, pickText } from './values'

// UserType of the unified audit log: https://learn.microsoft.com/office/office-365-management-api/office-365-management-activity-api-schema#user-type
const USER_TYPES: Record<string, ActorType> = {
  '0': 'human',
  regular: 'human',
  '1': 'human',
  reserved: 'human',
  '2': 'human',
  admin: 'human',
  '3': 'human',
  dcadmin: 'human',
  '4': 'service',
  system: 'service',
  '5': 'service',
  application: 'service',
  '6': 'service',
  serviceprincipal: 'service',
  '7': 'service',
  custompolicy: 'service',
  '8': 'service',
  systempolicy: 'service'
}

const parsedAuditData = (r: Rec): Rec | null => {
  const data = r.AuditData ?? r.auditData
  if (isObject(data)) return data
  if (typeof data !== 'string') return null
  try {
    const v: unknown = JSON.parse(data)
    return isObject(v) ? v : null
  } catch {
    return null
  }
}

/**
 * The app behind SharePoint and OneDrive's `app@sharepoint` user, the name their records give an app acting with
 * app-only permissions: the client app or application it names (by name, else by id), else that user. Null for anyone else.
 */
const appOnly = (r: Rec): string | null =>
  /^app@sharepoint$/i.test(pickText(r, ['UserId', 'UserId_']) ?? '')
    ? (pickText(r, [
        'AppAccessContext.ClientAppName',
        'ClientAppName',
        'ApplicationDisplayName',
        'AppAccessContext.ClientAppId',
        'ClientAppId',
        'ApplicationId'
      ]) ?? 'app@sharepoint')
    : null

/**
 * A DLP rule match (`DlpRuleMatch`, `DLPRuleMatch`) whose matched rules' actions block (BlockAccess, BlockAccessExternal…):
 * the user's message or share did not go through. A rule that only notifies or reports says nothing of the outcome.
 */
const dlpBlocked = (r: Rec): boolean => {
  if (!/^dlpRuleMatch$/i.test(pickText(r, 'Operation') ?? '') || !Array.isArray(r.PolicyDetails)) return false
  return r.PolicyDetails.some(
    (p) =>
      isObject(p) &&
      Array.isArray(p.Rules) &&
      p.Rules.some((rule) => isObject(rule) && Array.isArray(rule.Actions) && rule.Actions.some((a) => /^Block/i.test(String(a))))
  )
}

/**
 * The name of the service principal behind an Entra record's `ServicePrincipal_<id>` user: the Actor entry of type 1
 * (an application's name, e.g. "Helpdesk-Automation"). Null for anyone else, or when the record names no such entry.
 */
const servicePrincipalName = (r: Rec): string | null => {
  if (!/^ServicePrincipal_/i.test(pickText(r, ['UserId', 'UserId_']) ?? '') || !Array.isArray(r.Actor)) return null
  const named = r.Actor.find((a) => isObject(a) && String(a.Type) === '1' && typeof a.ID === 'string' && a.ID.trim())
  return isObject(named) ? String(named.ID).trim() : null
}

/**
 * Client names Microsoft gives its own apps and services in AppAccessContext (Outlook, Teams, One Outlook Web, the
 * Office web apps, Power Automate, internal engines such as TenantWorkflowEngine or MeTA) and the placeholder Unknown.
 */
const MICROSOFT_CLIENT =
  /^(microsoft|office|outlook|one ?outlook|onedrive|onenote|sharepoint|teams|exchange|azure|power|skype|yammer|viva|bing|cortana|windows|intune|dynamics|m365|o365|substrate|loop|planner|to ?do|whiteboard|stream|forms|sway|bookings|copilot|tenant|web(excel|word|powerpoint|visio)|meta$|unknown$)/i
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The app working in a user's mailbox with the user's delegated access: an Exchange record of a call through the REST
 * API (Graph; ClientInfoString `Client=REST…`), or of a cmdlet with no client string, whose AppAccessContext names a
 * client that is not Microsoft's own (a CRM's mail sync, a mail organiser the user consented to). The app acted, for
 * the user. Outlook on the desktop (MAPI, RPC) is the user at work. Null otherwise.
 */
const delegatedApp = (r: Rec): string | null => {
  const client = pickText(r, 'ClientInfoString')
  if (!/^exchange$/i.test(pickText(r, ['Workload', 'OfficeWorkload']) ?? '') || (client !== null && !/^Client=REST/i.test(client))) return null
  const name = pickText(r, 'AppAccessContext.ClientAppName')
  return name && !MICROSOFT_CLIENT.test(name) && !GUID.test(name) ? name : null
}

/** The agent or app that acted with a user's delegated access: an identity of its own, acting for that user. */
const actingApp = (r: Rec): string | null => m365Agent(r) ?? delegatedApp(r)

/** Who acted: the app or agent acting for a user, an app with app-only access, a service principal, else the user. */
const actor = (r: Rec): string | null => actingApp(r) ?? appOnly(r) ?? servicePrincipalName(r) ?? pickText(r, ['UserId', 'UserId_'])

const isRecord = (r: Rec): boolean => r.CreationTime !== undefined && r.Operation !== undefined && (r.Workload !== undefined || r.RecordType !== undefined)

// Microsoft 365 unified audit log: Management Activity API records, the Purview audit search CSV
// (record JSON in AuditData), Graph's audit log query records (auditData) and Sentinel's OfficeActivity table.
export const m365: SourceMapping = {
  id: 'm365',
  // Purview's export row (AuditData as JSON text) and Graph's audit log query record (auditLogRecord: operation,
  // auditData as an object) hold the record whole, beside a summary of it.
  detect: (r) => isRecord(r) || r.Type === 'OfficeActivity' || ((r.Operation ?? r.operation) !== undefined && parsedAuditData(r) !== null),
  // The Purview CSV row's columns are a summary of AuditData; the record itself is mapped, the row kept raw.
  views: (r) => {
    if (isRecord(r) || r.Type === 'OfficeActivity') return [r]
    const inner = parsedAuditData(r)
    return [inner ? { ...r, ...inner } : r]
  },
  nativeId: ['Id', 'OfficeId', 'RecordId'],
  time: ['CreationTime', 'TimeGenerated', 'CreationDate'],
  sourceType: (r) => {
    const op = pickText(r, 'Operation')
    const wl = pickText(r, ['Workload', 'OfficeWorkload'])
    return wl && op ? `${wl}:${op}` : op
  },
  action: 'Operation',
  category: [
    [/UserLoggedIn|UserLoginFailed|MailboxLogin|SignIn|Logon|Logoff/i, 'authentication'],
    [/Sharing|AnonymousLink|SecureLink|AddedToGroup|CompanyLink|Invit/i, 'sharing'],
    [/Download|FileAccessed|FileSynced|MailItemsAccessed|Export|Search|Preview|ListViewed|PageViewed|FilePreviewed|Copy/i, 'data_access'],
    [/InboxRule|Forward|Set-Mailbox|New-TransportRule|Add-MailboxPermission|Send|MoveToDeleted|SoftDelete|HardDelete|Update$/i, 'api_activity'],
    [/user\.|password|member to role|member from role|member to group|Add user|Delete user|Disable account/i, 'account_change'],
    [/Consent|App|ServicePrincipal|OAuth/i, 'api_activity'],
    [/Role|Policy|Set-|New-|Remove-|Enable-|Disable-|Alert|Admin/i, 'admin']
  ],
  // An operation named for a refusal (SharePoint's SharingInvitationBlocked, UserLoginFailed) failed, whatever its
  // ResultStatus says: Entra's failed logons come with ResultStatus "Success" (the record was written). Power BI
  // records carry no ResultStatus: IsSuccess says whether the operation succeeded. What a DLP rule match blocked failed.
  outcome: (r) =>
    /(Blocked|Denied|Failed)$/.test(pickText(r, 'Operation') ?? '')
      ? 'failure'
      : (pickText(r, ['ResultStatus', 'ResultStatus_', 'IsSuccess']) ?? (dlpBlocked(r) ? 'failure' : undefined)),
  actorId: ['UserKey', 'UserId', 'UserId_'],
  // The app, agent or service principal that acted is named as itself; the user it acted for is acting_for.
  actorName: (r) => actor(r),
  actorType: (r) => {
    if (m365Agent(r)) return 'agent'
    if (appOnly(r) || delegatedApp(r)) return 'service'
    const t = pickText(r, 'UserType')
    // Data loss prevention logs as the system (UserType 4, UserKey its processor) what it matched of a person's own
    // action (UserId): the action, and so the event, is that person's.
    if (/^dlp/i.test(pickText(r, 'Operation') ?? '') && (pickText(r, 'UserId') ?? '').includes('@')) return 'human'
    if (t && USER_TYPES[t.toLowerCase()]) return USER_TYPES[t.toLowerCase()]
    return pickText(r, ['AppAccessContext.ClientAppId', 'AppId']) && !pickText(r, 'UserId') ? 'service' : 'unknown'
  },
  // An AI client or a third-party app acting with a user's delegated access is an identity of its own, acting for that user.
  identity: (r) => actor(r),
  actingFor: (r) => (actingApp(r) ? pickText(r, ['UserId', 'UserId_']) : null),
  app: (r) => {
    const client = pickText(r, ['AppAccessContext.ClientAppName', 'ClientAppName'])
    return client && client !== 'Unknown' ? client : pickText(r, ['Workload', 'OfficeWorkload'])
  },
  sessionKeys: {
    // The agent's or app's own work under the user's sign-in session: a session of its own, apart from the user's.
    agentSession: (r) => {
      const agent = actingApp(r)
      const key = pickText(r, ['AppAccessContext.AADSessionId', 'AADSessionId', 'AppAccessContext.UniqueTokenId', 'UniqueTokenId'])
      return agent && key ? `${agent.toLowerCase()}|${key}` : null
    },
    // The user's own keys are not the agent's: they would stitch the agent's work into the user's chain.
    AADSessionId: (r) => (actingApp(r) ? null : pickText(r, ['AppAccessContext.AADSessionId', 'AADSessionId'])),
    UniqueTokenId: (r) => (actingApp(r) ? null : pickText(r, ['AppAccessContext.UniqueTokenId', 'UniqueTokenId'])),
    SessionId: (r) => (actingApp(r) ? null : pickText(r, ['SessionId', 'AppAccessContext.SessionId', 'SharePointMetaData.SessionId']))
  },
  // A mailbox record's ClientIPAddress is the client's; its ClientIP, for what Exchange did on the client's behalf (a
  // message sent through REST), may be Exchange's own server (2603:1036:…).
  srcIp: ['ClientIPAddress', 'ClientIP', 'ActorIpAddress', 'Client_IPAddress', 'ClientIP_'],
  userAgent: (r) => pickText(r, ['UserAgent', 'ClientInfoString']) ?? entryValue(r.ExtendedProperties, 'Name', 'UserAgent'),
  deviceId: ['DeviceProperties.0.Value', 'DeviceId'],
  // Teams records carry the client's own country among their ExtraProperties (Key Country, "ca").
  geoCountry: (r) => entryValue(r.ExtraProperties, 'Key', 'Country'),
  targetType: ['ItemType', 'ObjectType'],
  targetId: ['ObjectId', 'OfficeObjectId', 'Item.Id', 'MailboxGuid'],
  targetName: ['SourceFileName', 'Item.Subject', 'MailboxOwnerUPN', 'ObjectId'],
  // A failed sign-in's LogonError (InvalidUserNameOrPassword, UserStrongAuthClientAuthNRequired…), else its error number.
  refusal: ['LogonError', 'ErrorNumber']
}

/** The Value of a list's entry named `name` in its `by` key (ExtendedProperties' Name, Teams ExtraProperties' Key). */
const entryValue = (list: unknown, by: 'Name' | 'Key', name: string): unknown => {
  if (!Array.isArray(list)) return undefined
  const hit = list.find((x) => isObject(x) && x[by] === name)
  return isObject(hit) ? hit.Value : undefined
}
