import type { SourceMapping } from './types'

// Any other JSON/CSV event log: the field names real SaaS audit logs use most (Box, Duo, OneLogin,
// PingOne, Workday, Snowflake, ServiceNow, 1Password, JumpCloud…), tried in order. The record is kept whole.
export const generic: SourceMapping = {
  id: 'generic',
  detect: () => true,
  nativeId: ['id', 'event_id', 'eventId', 'uuid', 'EVENT_ID', 'QUERY_ID', 'sys_id', 'txid', 'uid'],
  time: [
    'isotimestamp', 'timestamp', '@timestamp', 'created_at', 'createdAt', 'recordedAt', 'requestTime', 'eventTime', 'event_time',
    'EVENT_TIMESTAMP', 'START_TIME', 'time', 'date', 'datetime', 'published', 'ts', 'sys_created_on', 'sys_updated_on', 'CreationTime',
    'TimeGenerated', 'occurred_at', 'date_create', 'Timestamp', 'Date', 'Time'
  ],
  sourceType: ['event_type', 'eventType', 'action.type', 'action', 'EVENT_TYPE', 'activityAction', 'event_type_id', 'operation', 'event', 'QUERY_TYPE', 'type', 'Operation', 'Action'],
  action: ['action.description', 'taskDisplayName', 'action', 'event_type', 'eventType', 'EVENT_TYPE', 'operation', 'event_type_id', 'fieldname', 'QUERY_TYPE'],
  category: [
    [/login|logon|log_in|sign_?in|auth|sso|mfa|2fa|otp|session|logout/i, 'authentication'],
    [/download|export|read|view|access|query|select|copy|preview/i, 'data_access'],
    [/share|collaborat|invite|guest/i, 'sharing'],
    [/token|api|oauth|client|key/i, 'api_activity'],
    [/user|password|member|enroll|phone|credential/i, 'account_change'],
    [/admin|role|group|policy|setting|create|delete|update|config/i, 'admin']
  ],
  outcome: ['result.status', 'outcome.result', 'result', 'success', 'IS_SUCCESS', 'status', 'outcome', 'EXECUTION_STATUS'],
  actorId: ['actor.id', 'actor_id', 'actor_uuid', 'actor_user_id', 'actors.user.id', 'created_by.id', 'initiated_by.id', 'user.id', 'user_id', 'user.key', 'userId', 'USER_ID'],
  actorName: [
    'actor.email', 'actor_details.email', 'actors.user.name', 'created_by.login', 'initiated_by.email', 'actor_user_name', 'actor.name', 'actor',
    'username', 'user_name', 'USER_NAME', 'userName', 'user.name', 'user.email', 'systemAccount', 'email', 'user', 'sys_created_by', 'changed_by', 'principal'
  ],
  actorType: (r) => {
    const t = String((r.actor as { type?: unknown } | undefined)?.type ?? (r.initiated_by as { type?: unknown } | undefined)?.type ?? '').toLowerCase()
    if (/^(user|admin|person|human)$/.test(t)) return 'human'
    if (/service|app|client|bot|system|api/.test(t)) return 'service'
    return 'unknown'
  },
  identity: [
    'actor.email', 'actor_details.email', 'actors.user.name', 'created_by.login', 'initiated_by.email', 'user.email', 'email', 'username',
    'user_name', 'USER_NAME', 'userName', 'systemAccount', 'user.name', 'actor_user_name', 'user'
  ],
  app: ['app_name', 'application.name', 'application', 'service', 'integration', 'app', 'host'],
  sessionKeys: { session_id: ['session_id', 'sessionId', 'session.uuid', 'session_uuid', 'SESSION_ID', 'session'] },
  srcIp: [
    'ip', 'ip_address', 'ipAddress', 'ipaddr', 'client_ip', 'CLIENT_IP', 'clientIp', 'src_ip', 'source_ip', 'sourceIp', 'source.ipAddress',
    'access_device.ip', 'session.ip', 'client.ipAddress', 'remote_addr', 'context.ip_address'
  ],
  userAgent: ['user_agent', 'userAgent', 'useragent.name', 'client.user_agent', 'ua', 'access_device.browser'],
  deviceId: ['device_id', 'deviceId', 'session.device_uuid', 'browser_fingerprint', 'device'],
  geoCity: ['location.city', 'geoip.city', 'geo.city', 'access_device.location.city', 'client.location.city'],
  geoCountry: ['location.country', 'geoip.country_code', 'geo.country', 'access_device.location.country', 'country', 'client.location.country'],
  geoLat: ['location.latitude', 'geoip.latitude', 'geo.lat', 'location.lat'],
  geoLon: ['location.longitude', 'geoip.longitude', 'geo.lon', 'location.lon'],
  targetType: ['resources.0.type', 'source.item_type', 'object_type', 'target.type', 'resource_type_id', 'tablename', 'OBJECT_TYPE'],
  targetId: ['resources.0.id', 'source.item_id', 'object_uuid', 'target.id', 'object', 'documentkey', 'item_uuid'],
  targetName: ['resources.0.name', 'source.item_name', 'target.descriptor', 'target.name', 'object', 'tablename', 'QUERY_TEXT']
}
