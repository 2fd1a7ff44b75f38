/**
 * Which top-level attributes each OCSF class (schema 1.5) defines. OCSF classes are closed: anything a class
 * does not define belongs under `unmapped`, so consumers that validate strictly accept every exported line.
 */
const BASE = [
  'activity_id',
  'activity_name',
  'category_name',
  'category_uid',
  'class_name',
  'class_uid',
  'count',
  'duration',
  'end_time',
  'enrichments',
  'message',
  'metadata',
  'observables',
  'raw_data',
  'raw_data_size',
  'severity',
  'severity_id',
  'start_time',
  'status',
  'status_code',
  'status_detail',
  'status_id',
  'time',
  'timezone_offset',
  'type_name',
  'type_uid',
  'unmapped'
]
const IAM = ['actor', 'http_request', 'http_response', 'src_endpoint']

const ATTRIBUTES: Record<number, readonly string[]> = {
  0: BASE,
  3001: [...BASE, ...IAM, 'policies', 'policy', 'user', 'user_result'],
  3002: [
    ...BASE,
    ...IAM,
    'auth_factors',
    'auth_protocol',
    'auth_protocol_id',
    'authentication_token',
    'certificate',
    'dst_endpoint',
    'is_cleartext',
    'is_mfa',
    'is_new_logon',
    'is_remote',
    'logon_process',
    'logon_type',
    'logon_type_id',
    'service',
    'session',
    'user'
  ],
  3004: [...BASE, ...IAM, 'access_list', 'access_mask', 'comment', 'entity', 'entity_result'],
  3005: [...BASE, ...IAM, 'privileges', 'resource', 'resources', 'user'],
  6001: [...BASE, 'dst_endpoint', 'http_request', 'http_response', 'src_endpoint', 'tls', 'web_resources', 'web_resources_result'],
  6003: [...BASE, 'actor', 'api', 'dst_endpoint', 'http_request', 'http_response', 'resources', 'src_endpoint'],
  6004: [...BASE, 'http_request', 'http_response', 'proxy', 'src_endpoint', 'tls', 'web_resources'],
  2004: [
    ...BASE,
    'comment',
    'confidence',
    'confidence_id',
    'confidence_score',
    'device',
    'finding_info',
    'vendor_attributes',
    'anomaly_analyses',
    'evidences',
    'impact',
    'impact_id',
    'impact_score',
    'is_alert',
    'malware',
    'malware_scan_info',
    'remediation',
    'resources',
    'risk_details',
    'risk_level',
    'risk_level_id',
    'risk_score',
    'vulnerabilities'
  ]
}

/** Attributes a class requires beyond the base event's (class_uid, category_uid, metadata, severity_id, time, type_uid). */
export const REQUIRED: Record<number, readonly string[]> = {
  0: [],
  3001: ['user'],
  3002: ['user'],
  3004: ['entity'],
  3005: ['privileges', 'user'],
  6001: ['web_resources'],
  6003: ['actor', 'api', 'src_endpoint'],
  6004: ['http_request', 'web_resources'],
  2004: ['finding_info']
}

export const classAttributes = (classUid: number): readonly string[] => {
  const list = ATTRIBUTES[classUid]
  if (!list) throw new Error(`no OCSF attribute list for class ${classUid}`)
  return list
}

/** Moves every attribute the class does not define into `unmapped`, keeping what was already there. */
export const fitToClass = (event: Record<string, unknown>): Record<string, unknown> => {
  const allowed = new Set(classAttributes(event.class_uid as number))
  const out: Record<string, unknown> = {}
  const extra: Record<string, unknown> = { ...((event.unmapped as Record<string, unknown> | undefined) ?? {}) }
  for (const [k, v] of Object.entries(event)) {
    if (v === undefined || k === 'unmapped') continue
    if (allowed.has(k)) out[k] = v
    else extra[k] = v
  }
  if (Object.keys(extra).length) out.unmapped = extra
  return out
}
