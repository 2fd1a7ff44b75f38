import type { EventRecord } from './event-record'
import { fitToClass } from './ocsf-classes'
import { OCSF_VERSION, ocsfProduct } from './ocsf-common'

/**
 * Maps a normalized event to its OCSF class (schema 1.5): the class from the events table's category, the
 * activity from the action's verb. Fields the class has no place for go under `unmapped`; the record itself
 * stays in `raw_data`, so nothing the log said is lost on the way out.
 */
export interface OcsfClass {
  categoryUid: number
  categoryName: string
  classUid: number
  className: string
  activityId: number
  activityName: string
}

const IAM = { categoryUid: 3, categoryName: 'Identity & Access Management' }
const APP = { categoryUid: 6, categoryName: 'Application Activity' }

const has = (text: string, pattern: RegExp): boolean => pattern.test(text)

const authentication = (verb: string): OcsfClass => {
  const base = { ...IAM, classUid: 3002, className: 'Authentication' }
  if (has(verb, /log_?out|logoff|sign_?out|session\.end|session_?end/)) return { ...base, activityId: 2, activityName: 'Logoff' }
  if (has(verb, /token|ticket|grant/)) return { ...base, activityId: 3, activityName: 'Authentication Ticket' }
  return { ...base, activityId: 1, activityName: 'Logon' }
}

const accountChange = (verb: string): OcsfClass => {
  const base = { ...IAM, classUid: 3001, className: 'Account Change' }
  const pick = (activityId: number, activityName: string): OcsfClass => ({ ...base, activityId, activityName })
  if (has(verb, /mfa|factor|2fa|two_?step|authenticator/))
    return has(verb, /remov|delet|deactiv|disabl|reset|unenrol/) ? pick(11, 'MFA Factor Disable') : pick(10, 'MFA Factor Enable')
  if (has(verb, /password.*reset|reset.*password/)) return pick(4, 'Password Reset')
  if (has(verb, /password/)) return pick(3, 'Password Change')
  if (has(verb, /detach|policy.*(remov|delet)/)) return pick(8, 'Detach Policy')
  if (has(verb, /attach|policy/)) return pick(7, 'Attach Policy')
  if (has(verb, /lock/)) return pick(9, 'Lock')
  if (has(verb, /suspend|disabl|deactivat|block/)) return pick(5, 'Disable')
  if (has(verb, /unsuspend|enabl|activat|unblock/)) return pick(2, 'Enable')
  if (has(verb, /delet|remov/)) return pick(6, 'Delete')
  if (has(verb, /creat|add|invit|provision/)) return pick(1, 'Create')
  return pick(99, 'Other')
}

const crud = (verb: string): [number, string] => {
  if (has(verb, /creat|add|insert|new|upload|put/)) return [1, 'Create']
  if (has(verb, /delet|remov|destroy|purge/)) return [4, 'Delete']
  if (has(verb, /updat|chang|modif|set|edit|patch|rename|move/)) return [3, 'Update']
  if (has(verb, /read|get|list|view|describe|search|query|download|access|open|preview/)) return [2, 'Read']
  return [99, 'Other']
}

const userAccess = (verb: string): OcsfClass | null => {
  if (!has(verb, /role|privilege|permission|admin|member|polic/)) return null
  const base = { ...IAM, classUid: 3005, className: 'User Access Management' }
  if (has(verb, /revok|remov|delet|unassign|detach/)) return { ...base, activityId: 2, activityName: 'Revoke Privileges' }
  if (has(verb, /grant|assign|add|attach|promot|elevat/)) return { ...base, activityId: 1, activityName: 'Assign Privileges' }
  return null
}

export const ocsfClassOf = (category: string, action: string | null, sourceType: string | null, outcome: string): OcsfClass => {
  const verb = `${action ?? ''} ${sourceType ?? ''}`.toLowerCase()
  switch (category) {
    case 'authentication':
      return authentication(verb)
    case 'account_change':
      return accountChange(verb)
    case 'admin': {
      const access = userAccess(verb)
      if (access) return access
      const [activityId, activityName] = crud(verb)
      return { ...IAM, classUid: 3004, className: 'Entity Management', activityId, activityName }
    }
    case 'api_activity': {
      const [activityId, activityName] = crud(verb)
      return { ...APP, classUid: 6003, className: 'API Activity', activityId, activityName }
    }
    case 'data_access': {
      if (has(verb, /export|download|report/)) return { ...APP, classUid: 6001, className: 'Web Resources Activity', activityId: 7, activityName: 'Export' }
      const [activityId, activityName] = outcome === 'failure' ? [2, 'Access Deny'] : outcome === 'success' ? [1, 'Access Grant'] : [99, 'Other']
      return { ...APP, classUid: 6004, className: 'Web Resource Access Activity', activityId, activityName }
    }
    case 'sharing':
      return { ...APP, classUid: 6001, className: 'Web Resources Activity', activityId: 8, activityName: 'Share' }
    default:
      return { categoryUid: 0, categoryName: 'Uncategorized', classUid: 0, className: 'Base Event', activityId: 99, activityName: 'Other' }
  }
}

const STATUS: Record<string, [number, string]> = { success: [1, 'Success'], failure: [2, 'Failure'] }

/** OCSF user type ids: 1 User, 3 System; agents have no id of their own yet, so Other with a name. */
export const ocsfUserType = (actorType: string): { type_id: number; type: string } => {
  switch (actorType) {
    case 'human':
      return { type_id: 1, type: 'User' }
    case 'service':
      return { type_id: 3, type: 'System' }
    case 'agent':
      return { type_id: 99, type: 'AI Agent' }
    default:
      return { type_id: 0, type: 'Unknown' }
  }
}

const compact = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== null && v !== undefined && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0))
  ) as Partial<T>

const parseKeys = (text: string | null): Record<string, unknown> | null => {
  if (!text) return null
  try {
    const v = JSON.parse(text) as unknown
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}

export const toOcsfEvent = (e: EventRecord, productVersion: string): Record<string, unknown> => {
  const cls = ocsfClassOf(e.category, e.action, e.source_type, e.outcome)
  const [statusId, status] = STATUS[e.outcome] ?? [0, 'Unknown']
  const user = compact({ uid: e.actor_id, name: e.actor_name, email_addr: e.identity?.includes('@') ? e.identity : null, ...ocsfUserType(e.actor_type) })
  const session = e.session_key ? { uid: e.session_key } : null
  const location = compact({ city: e.geo_city, country: e.geo_country, lat: e.geo_lat, long: e.geo_lon })
  const srcEndpoint = compact({ ip: e.src_ip, location: Object.keys(location).length ? location : null })
  const target = compact({ uid: e.target_id, name: e.target_name, type: e.target_type })
  const actorUser = Object.keys(user).length ? user : { type_id: 0, type: 'Unknown' }
  const targetUser = e.target_id || e.target_name ? compact({ uid: e.target_id, name: e.target_name }) : null
  const resource = Object.keys(target).length ? target : null
  const label = e.action ?? e.source_type ?? 'unknown'
  const event: Record<string, unknown> = {
    class_uid: cls.classUid,
    class_name: cls.className,
    category_uid: cls.categoryUid,
    category_name: cls.categoryName,
    activity_id: cls.activityId,
    activity_name: cls.activityName,
    type_uid: cls.classUid * 100 + cls.activityId,
    type_name: `${cls.className}: ${cls.activityName}`,
    severity_id: 1,
    severity: 'Informational',
    status_id: statusId,
    status,
    // A few real records carry no time at all; OCSF then gets none rather than a made-up one.
    time: e.time ? Date.parse(e.time) : undefined,
    message: label,
    metadata: {
      version: OCSF_VERSION,
      uid: e.uid,
      product: ocsfProduct(productVersion),
      log_name: e.source,
      log_provider: e.app ?? e.source,
      event_code: e.source_type ?? undefined
    },
    actor: compact({ user: actorUser, session, app_name: e.app }),
    src_endpoint: srcEndpoint,
    http_request: e.user_agent ? { user_agent: e.user_agent } : undefined,
    raw_data: e.raw,
    unmapped: compact({
      category: e.category,
      action: e.action,
      identity: e.identity,
      device_id: e.device_id,
      session_keys: parseKeys(e.session_keys),
      provenance: { import_id: e.import_id, file_path: e.file_path, record_no: e.record_no }
    })
  }
  if (!Object.keys(srcEndpoint).length) delete event.src_endpoint
  switch (cls.classUid) {
    case 3002:
      event.user = actorUser
      event.session = session ?? undefined
      event.service = e.app ? { name: e.app } : undefined
      break
    case 3001:
      // The account changed: the target when the log names one, else the actor's own (self-service) account.
      event.user = targetUser ?? actorUser
      break
    case 3005:
      event.user = targetUser ?? actorUser
      event.privileges = [e.target_name ?? label]
      break
    case 3004:
      event.entity = resource ?? { name: label }
      break
    case 6003:
      event.api = compact({ operation: e.source_type ?? label, service: e.app ? { name: e.app } : null })
      event.resources = resource ? [resource] : undefined
      event.src_endpoint ??= {}
      break
    case 6004:
      event.http_request ??= {}
      event.web_resources = [resource ?? { name: label }]
      break
    case 6001:
      event.web_resources = [resource ?? { name: label }]
      break
  }
  return JSON.parse(JSON.stringify(fitToClass(event))) as Record<string, unknown>
}
