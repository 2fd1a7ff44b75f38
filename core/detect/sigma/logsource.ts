import type { SigmaSource } from './types'

export interface Logsource {
  product?: string
  service?: string
  category?: string
}

const ENTRA_SERVICES = new Set([
  'auditlogs',
  'signinlogs',
  'riskdetection',
  'pim',
  'identity_protection',
  'privileged_identity_management',
  'microsoftgraphactivitylogs'
])

/**
 * The Afterlogin source a rule's logsource reads, or null when none of the imported sources carries it
 * (Azure activity logs, Windows, OneLogin …): such a rule is "not applicable", never silently dropped.
 */
export const sourceOf = (ls: Logsource): SigmaSource | null => {
  const product = ls.product?.toLowerCase()
  const service = ls.service?.toLowerCase()
  switch (product) {
    case 'aws':
      return service === undefined || service === 'cloudtrail' ? 'aws' : null
    case 'okta':
      return 'okta'
    case 'azure':
      return service !== undefined && ENTRA_SERVICES.has(service) ? 'entra' : null
    case 'entra':
    case 'entra_id':
      return 'entra'
    case 'm365':
    case 'microsoft365':
    case 'office365':
      return 'm365'
    case 'github':
      return 'github'
    case 'gcp':
      return service?.startsWith('google_workspace') ? 'google_workspace' : null
    case 'google_workspace':
      return 'google_workspace'
    case 'slack':
      return 'slack'
    case 'salesforce':
      return 'salesforce'
    default:
      return null
  }
}

export const describeLogsource = (ls: Logsource): string =>
  Object.entries(ls)
    .filter(([k, v]) => ['product', 'service', 'category'].includes(k) && typeof v === 'string')
    .map(([k, v]) => `${k}: ${v as string}`)
    .join(', ') || 'no logsource'

/**
 * The record field each source's normalized `source_type` column comes from (core/sources), so that a rule
 * pinning it can first filter on that column instead of opening every record of the source. The column holds
 * either the value itself or `<prefix>:<value>` (CloudTrail eventSource:eventName, Entra category:operation …).
 */
export const TYPE_FIELDS: Record<SigmaSource, string[]> = {
  okta: ['eventtype'],
  aws: ['eventname'],
  entra: ['operationname', 'activitydisplayname', 'properties.activitydisplayname'],
  m365: ['operation'],
  google_workspace: [],
  slack: ['action'],
  github: ['action'],
  salesforce: [],
  generic: []
}
