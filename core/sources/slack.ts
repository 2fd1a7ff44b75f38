import type { SourceMapping } from './types'
import { isObject } from './values'

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
  actorType: { from: 'actor.type', map: { user: 'human', app: 'service', bot: 'service', workflow: 'service' }, otherwise: 'unknown' },
  identity: ['actor.user.email'],
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
