import type { Rec, SourceMapping } from './types'
import { isAiClient } from './agents'
import { isObject, pickText } from './values'

const appActor = (r: Rec): string | null =>
  /^(app|bot)$/i.test(pickText(r, 'actor.type') ?? '') ? pickText(r, ['actor.app.name', 'actor.bot.name', 'actor.app.id', 'actor.bot.id']) : null

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
  outcome: (r) => (/failed|denied|blocked/.test(String(r.action)) ? 'failure' : undefined),
  actorId: ['actor.user.id', 'actor.app.id', 'actor.bot.id'],
  actorName: ['actor.user.name', 'actor.app.name', 'actor.bot.name'],
  // An app or bot actor whose name is an AI client is an agent; the user it acts for is named beside it when the
  // record says so (actor.user on an app's action).
  actorType: (r) => {
    const t = (pickText(r, 'actor.type') ?? '').toLowerCase()
    if (t === 'user') return 'human'
    if (t === 'app' || t === 'bot') return isAiClient(appActor(r)) ? 'agent' : 'service'
    return t === 'workflow' ? 'service' : 'unknown'
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
