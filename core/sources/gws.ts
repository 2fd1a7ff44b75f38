import { isAiClient } from './agents'
import type { ActorType, Rec, SourceMapping } from './types'
import { at, httpOutcome, isObject, pickText } from './values'

/** The parameters of the event being mapped (`event.parameters[]` of the Reports API). */
const parameters = (r: Rec): Rec[] => {
  const params = at(r, 'event.parameters')
  return Array.isArray(params) ? params.filter(isObject) : []
}

/** The parameters a message value holds (`messageValue` / `multiMessageValue` elements: `{ parameter: [...] }`). */
const messageParameters = (message: unknown): Rec[] => (isObject(message) && Array.isArray(message.parameter) ? message.parameter.filter(isObject) : [])

/** A parameter of the event being mapped, by name. */
const param = (r: Rec, ...names: string[]): unknown => {
  const params = parameters(r)
  for (const name of names) {
    const hit = params.find((x) => x.name === name)
    if (hit) return hit.value ?? hit.intValue ?? hit.boolValue ?? hit.multiValue ?? hit.messageValue
  }
  return undefined
}

/** 'failure' when a parameter that reports how a job ended (`…_STATUS`, `status`) says it failed. */
const statusParam = (r: Rec): 'failure' | undefined =>
  parameters(r).some((x) => typeof x.name === 'string' && /(^|_)status$/i.test(x.name) && /^(failed|failure|error)$/i.test(String(x.value)))
    ? 'failure'
    : undefined

/**
 * 'failure' when a data protection rule's triggered actions (Rules audit log `triggered_actions`, one
 * `action_type` per action) stopped what the user was doing: `DRIVE_BLOCK_EXTERNAL_SHARING`,
 * `CHROME_BLOCK_FILE_UPLOAD`, a Gmail quarantine. An action that only warns, audits or alerts says nothing.
 */
const blockedByRule = (r: Rec): 'failure' | undefined => {
  const triggered = parameters(r).find((x) => x.name === 'triggered_actions')
  const blocking = (v: unknown) => /(^|_)(BLOCK|QUARANTINE|REJECT)(_|$)/i.test(String(v))
  // Each action a message with its action_type, as the Reports API documents it; some exports flatten them to a list
  // of the types (multiValue).
  if (Array.isArray(triggered?.multiValue) && triggered.multiValue.some(blocking)) return 'failure'
  const actions = triggered?.multiMessageValue
  if (!Array.isArray(actions)) return undefined
  const types = actions.flatMap(messageParameters)
  return types.some((p) => p.name === 'action_type' && blocking(p.value)) ? 'failure' : undefined
}

/**
 * How the event ended, as the Reports API writes it (`events[].status`; not every event has one): FAILED, or an
 * HTTP error code, is a failure; SUCCEEDED (with or without warnings) a success. SKIPPED and UNKNOWN_EVENT_STATUS
 * say nothing. A Gmail log event says it in `event_info.success` (a message Gmail did not send, relay or forward).
 */
const eventStatus = (r: Rec): 'failure' | 'success' | undefined => {
  const status = pickText(r, 'event.status.eventStatus')?.toUpperCase()
  if (status === 'FAILED') return 'failure'
  if (httpOutcome(at(r, 'event.status.httpStatusCode')) === 'failure') return 'failure'
  if (status === 'SUCCEEDED' || status === 'SUCCEEDED_WITH_WARNINGS') return 'success'
  const success = messageParameters(param(r, 'event_info')).find((p) => p.name === 'success')?.boolValue
  if (typeof success === 'boolean') return success ? 'success' : 'failure'
  return undefined
}

const isGemini = (r: Rec): boolean => pickText(r, 'id.applicationName') === 'gemini_in_workspace_apps'

/**
 * The AI agent that acted, as the record says it: `actor.agentAttributionInfo` names it (its name, else its id);
 * `isAgenticAction` true says an agent performed the activity, named then by the app that acted, else as an AI agent.
 * The Gemini app log (`gemini_in_workspace_apps`) records what Gemini did in Gmail, Docs or Drive at the user's
 * request: Gemini acted, for the user the record names, as Microsoft 365 Copilot does in a CopilotInteraction,
 * unless the record says no agent acted (`isAgenticAction` false: the user used a feature).
 * https://developers.google.com/workspace/admin/reports/reference/rest/v1/activities
 */
const agentOf = (r: Rec): string | null => {
  const named = pickText(r, ['actor.agentAttributionInfo.agentName', 'actor.agentAttributionInfo.agentId'])
  if (named) return named
  const agentic = r.isAgenticAction
  if (agentic === true) return appOf(r) ?? (isGemini(r) ? 'Gemini' : 'AI agent')
  return agentic !== false && isGemini(r) ? 'Gemini' : null
}

/** The application that acted (`actor.applicationInfo`): its name, else its OAuth client id. */
const appOf = (r: Rec): string | null => pickText(r, ['actor.applicationInfo.applicationName', 'actor.applicationInfo.oauthClientId'])

/**
 * The web app that made an API call with a user's OAuth token from its own servers (the token log's `activity` event
 * with `client_type` WEB: `app_name`, else `client_id`): the call is the app's, the user is the one whose access it
 * used. An installed app (NATIVE_*, a phone's mail app) is the user at work; a user granting or revoking a token
 * (`authorize`, `revoke`) acts in person.
 */
const tokenCaller = (r: Rec): string | null => {
  if (pickText(r, 'id.applicationName') !== 'token' || pickText(r, 'event.name') !== 'activity') return null
  if (String(param(r, 'client_type') ?? '').toUpperCase() !== 'WEB') return null
  const name = param(r, 'app_name', 'client_id')
  return typeof name === 'string' && name.trim() ? name.trim() : null
}

/**
 * The application as an identity of its own, acting for the user the record names. The Reports API names in
 * `actor.applicationInfo` "the application that was the actor": one impersonating the user (domain-wide delegation)
 * or working with the access the user granted it (`impersonation` false). An AI client's own account (an address
 * that names it too) is the identity itself.
 */
const appActor = (r: Rec): string | null => {
  const caller = tokenCaller(r)
  if (caller) return caller
  const name = appOf(r)
  if (!name) return null
  if (at(r, 'actor.applicationInfo.impersonation') === true) return name
  return isAiClient(name) && isAiClient((pickText(r, 'actor.email') ?? '').split('@')[0]) ? null : name
}

const actorType = (r: Rec): ActorType => {
  if (agentOf(r) || isAiClient(appOf(r)) || isAiClient(tokenCaller(r))) return 'agent'
  if (appActor(r)) return 'service'
  const caller = pickText(r, 'actor.callerType')?.toUpperCase()
  const email = pickText(r, 'actor.email') ?? ''
  if (caller === 'KEY' || /\.gserviceaccount\.com$/i.test(email)) return 'service'
  if (caller === 'USER' || email) return 'human'
  return 'unknown'
}

// Google Workspace Admin SDK Reports API activities: https://developers.google.com/admin-sdk/reports/reference/rest/v1/activities
// One row per event: an activity's `events[]` (API), a single `event` (per-event collectors) or
// `events` as one object (Elastic) all map through the same declaration.
export const googleWorkspace: SourceMapping = {
  id: 'google_workspace',
  detect: (r) =>
    r.kind === 'admin#reports#activity' ||
    (isObject(r.id) && 'applicationName' in r.id && isObject(r.actor) && ('email' in r.actor || 'callerType' in r.actor || 'profileId' in r.actor)),
  views: (r) => {
    const events = r.events ?? r.event
    if (Array.isArray(events) && events.length) return events.map((event) => ({ ...r, event }))
    if (isObject(events)) return [{ ...r, event: events }]
    return [{ ...r, event: {} }]
  },
  nativeId: (r) => {
    const id = r.id
    if (!isObject(id)) return undefined
    return `${String(id.applicationName ?? '')}:${String(id.time ?? '')}:${String(id.uniqueQualifier ?? id.uniqQualifier ?? '')}`
  },
  time: 'id.time',
  sourceType: (r) => {
    const app = pickText(r, 'id.applicationName')
    const name = pickText(r, 'event.name')
    return app && name ? `${app}:${name}` : (name ?? app)
  },
  action: 'event.name',
  category: [
    [/^(login|saml|context_aware_access):/, 'authentication'],
    [/^token:|oauth|authorize/i, 'api_activity'],
    [/change_user_access|share|acl|visibility|add_event_guest/i, 'sharing'],
    [/^drive:(download|view|copy|print|preview)|export|takeout/i, 'data_access'],
    [/^(user_accounts|admin):.*(PASSWORD|2SV|TWO_STEP|RECOVERY|SECURITY_KEY|USER_|SUSPEND|ENROLL)|password|2sv/i, 'account_change'],
    [/^(admin|groups_enterprise|mobile|rules|gcp):/, 'admin'],
    [/^(drive|calendar|chat|meet|gmail):/, 'data_access']
  ],
  outcome: (r) => {
    const status = eventStatus(r)
    const name = pickText(r, 'event.name') ?? ''
    // A name that says a change (ADD_TO_BLOCKED_OAUTH2_APPS, REMOVE_FROM_DENIED_…) names what an admin changed, not a
    // refusal: only other names say by theirs that the action failed or was stopped.
    const change = /^(ADD|REMOVE|CREATE|DELETE|CHANGE|UPDATE|SET|ENABLE|DISABLE|TOGGLE)_/i.test(name)
    // A context-aware access policy in monitor mode logs what it would have refused and lets the access through.
    const monitored = /^MONITOR_MODE_/i.test(name)
    if (status === 'failure' || (!change && !monitored && /failure|fail|denied|blocked|reject|(^|_)deny(_|$)/i.test(name))) return 'failure'
    if (status || /success/i.test(name)) return 'success'
    if (param(r, 'login_failure_type')) return 'failure'
    // Chrome's own verdict on a transfer it inspected (EVENT_RESULT_BLOCKED; …_ALLOWED, …_DETECTED say nothing).
    if (/BLOCKED$/i.test(String(param(r, 'EVENT_RESULT') ?? ''))) return 'failure'
    // Jobs that report how they ended (TAKEOUT_STATUS, …): a failed one did not happen.
    return statusParam(r) ?? blockedByRule(r)
  },
  actorId: 'actor.profileId',
  // The app that acted as the user (impersonation, a web app's call with the user's token) is the actor named.
  actorName: (r) => appActor(r) ?? pickText(r, ['actor.email', 'actor.key']),
  actorType,
  // An agent or an impersonating app is an identity of its own; the person it acts for is named beside it (the
  // agent's owner, else the user the record names).
  identity: (r) => agentOf(r) ?? appActor(r) ?? pickText(r, 'actor.email'),
  actingFor: (r) =>
    agentOf(r) ? pickText(r, ['actor.agentAttributionInfo.agentOwner.email', 'actor.email']) : appActor(r) ? pickText(r, 'actor.email') : null,
  app: (r) => `Google ${pickText(r, 'id.applicationName') ?? 'Workspace'}`,
  // Meet records the participant's address and country as parameters of the call event.
  // Rules events (DLP) name the address of whoever triggered the rule in actor_ip_address.
  srcIp: (r) => pickText(r, 'ipAddress') ?? param(r, 'ip_address', 'actor_ip_address'),
  // Reports API networkInfo: the region and AS Google itself resolved for the address.
  geoCountry: (r) => pickText(r, 'networkInfo.regionCode') ?? param(r, 'location_country'),
  asNumber: 'networkInfo.ipAsn.0',
  deviceId: (r) => param(r, 'device_id'),
  // A sign-in whose challenge was the user's security key or passkey.
  vouches: (r) => {
    const methods = param(r, 'login_challenge_method')
    return (Array.isArray(methods) ? methods : [methods]).some((x) => x === 'security_key' || x === 'passkey')
  },
  targetType: (r) => (param(r, 'doc_type') ? 'document' : param(r, 'USER_EMAIL', 'affected_email_address', 'TARGET_ENTITY_TYPE') ? 'user' : undefined),
  // An app an admin trusted or gave domain-wide delegation names its client id (OAUTH2_APP_ID; API_CLIENT_NAME, which
  // holds the id) and its name (OAUTH2_APP_NAME).
  targetId: (r) =>
    param(r, 'doc_id', 'USER_EMAIL', 'affected_email_address', 'GROUP_EMAIL', 'client_id', 'OAUTH2_APP_ID', 'API_CLIENT_NAME', 'TARGET_ENTITY_NAME'),
  targetName: (r) =>
    param(
      r,
      'doc_title',
      'USER_EMAIL',
      'affected_email_address',
      'GROUP_EMAIL',
      'app_name',
      'OAUTH2_APP_NAME',
      'API_CLIENT_NAME',
      'TARGET_ENTITY_NAME',
      'APPLICATION_NAME'
    ),
  // A failed login's login_failure_type, Chrome's verdict on a transfer it blocked.
  refusal: (r) => param(r, 'login_failure_type', 'EVENT_RESULT')
}
