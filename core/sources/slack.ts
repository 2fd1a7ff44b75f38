import type { Rec, SourceMapping } from './types'
import { isAiClient } from './agents'
import { isObject, pickText } from './values'

/**
 * The app that acted: the actor when it is an app or bot, or the app a user's action came through (`context.app`,
 * the app whose token the user granted: Okta provisioning on an admin's token, an AI client searching for its user).
 */
const appActor = (r: Rec): string | null => {
  const type = pickText(r, 'actor.type') ?? ''
  if (/^(app|bot)$/i.test(type)) return pickText(r, ['actor.app.name', 'actor.bot.name', 'actor.app.id', 'actor.bot.id'])
  return /^user$/i.test(type) ? pickText(r, ['context.app.name', 'context.app.id']) : null
}

// Slack Enterprise Audit Logs API: https://api.slack.com/admins/audit-logs
export const slack: SourceMapping = {
  id: 'slack',
  detect: (r) => r.date_create !== undefined && typeof r.action === 'string' && isObject(r.actor) && isObject(r.context) && 'location' in r.context,
  nativeId: 'id',
  time: 'date_create',
  sourceType: 'action',
  category: [
    [/login|logout|session|sso/, 'authentication'],
    [/export|download|file_downloaded|file_shared_externally/, 'data_access'],
    [/shared|channel_.*external|share|guest_created|invite/, 'sharing'],
    [/token|app_(installed|approved|scopes)|bot|oauth|api/, 'api_activity'],
    [/user_(created|deactivated|reactivated|profile|email)|two_factor|password|role_assigned|usergroup/, 'account_change'],
    [/pref\.|role_|team_|workspace|organization|permissions|policy|ip_range|retention/, 'admin']
  ],
  outcome: (r) => (/failed|denied|declined|blocked|auto_revoked/.test(String(r.action)) ? 'failure' : undefined),
  actorId: (r) => (appActor(r) !== null ? pickText(r, ['actor.app.id', 'actor.bot.id', 'context.app.id']) : pickText(r, 'actor.user.id')),
  actorName: (r) => appActor(r) ?? pickText(r, 'actor.user.name'),
  // An app that acted is a service, an agent when its name is an AI client; the user it acts for is named beside
  // it when the record says so (actor.user on an app's action, the user whose token it used).
  actorType: (r) => {
    const app = appActor(r)
    if (app !== null) return isAiClient(app) ? 'agent' : 'service'
    const t = (pickText(r, 'actor.type') ?? '').toLowerCase()
    // Slackbot (USLACKBOT) is Slack's own system user: a guest's account expiring, a retention job.
    if (pickText(r, 'actor.user.id') === 'USLACKBOT') return 'service'
    if (t === 'user') return 'human'
    return t === 'workflow' || t === 'app' || t === 'bot' ? 'service' : 'unknown'
  },
  identity: (r) => appActor(r) ?? pickText(r, 'actor.user.email'),
  actingFor: (r) => (appActor(r) ? pickText(r, ['actor.user.email', 'details.installer.email', 'details.acting_user.email']) : null),
  app: () => 'Slack',
  sessionKeys: { session_id: 'context.session_id' },
  srcIp: 'context.ip_address',
  userAgent: 'context.ua',
  targetType: 'entity.type',
  targetId: (r) => {
    const e = r.entity
    if (!isObject(e) || typeof e.type !== 'string') return undefined
    const inner = e[e.type]
    return isObject(inner) ? inner.id : undefined
  },
  targetName: (r) => {
    const e = r.entity
    if (!isObject(e) || typeof e.type !== 'string') return undefined
    const inner = e[e.type]
    return isObject(inner) ? (inner.email ?? inner.name ?? inner.domain) : undefined
  }
}
