import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { log } from '../log'
import { IDENTITY_TYPES, RESPONSES } from '../../contract/sessions'
import riskyActionsDefault from '../../policies/risky-actions.json'
import classificationDefault from '../../policies/identity-classification.json'
import responseDefault from '../../policies/response-policy.json'
import { vpnAsnsDefault, vpnAsnsSchema, type VpnAsns } from './vpn-asns'
import { policyFile } from './policy-file'

export const CATEGORIES = [
  'data_export',
  'external_share',
  'mail_forwarding',
  'credential_created',
  'oauth_grant',
  'privilege_change',
  'admin_change',
  'mfa_change',
  'mass_access',
  // A rule without an Afterlogin category (third-party Sigma) and a failed attempt at a risky action.
  'rule_match',
  'attempt'
] as const
export const ANOMALIES = ['ip_change', 'impossible_travel', 'device_change', 'new_network', 'flagged_network', 'scripted_sign_in', 'unusual_admin', 'post_revocation', 'mass_access', 'interactive_login', 'reported_network_activity', 'recovery_before_takeover', 'consented_app_activity', 'personal_exfiltration', 'created_credential_use', 'rented_network', 'agent_around_action', 'forwarded_mail'] as const
export type Anomaly = (typeof ANOMALIES)[number]

const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const
const severity = z.enum(SEVERITIES)

/** A regular expression written by an analyst: it must compile, in JS and (same syntax subset) in DuckDB's RE2. */
const regex = z
  .string()
  .min(1)
  .max(2000)
  .refine((s) => {
    try {
      new RegExp(s, 'i')
      return !/\(\?[<=!]/.test(s)
    } catch {
      return false
    }
  }, 'not a valid regular expression (look-around is not supported)')

const sourceId = z.enum(['okta', 'entra', 'm365', 'google_workspace', 'slack', 'github', 'salesforce', 'aws', 'generic'])
const attack = z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'MITRE ATT&CK technique id like T1098 or T1550.004')).min(1)
const nhi = z.string().regex(/^NHI(10|[1-9]):2025$/, 'OWASP NHI Top 10 id like NHI7:2025')

const anomalyMeta = z.object({ severity, title: z.string().min(1), attack, owaspNhi: nhi.nullable() }).passthrough()

export const riskyActionsSchema = policyFile('risky-actions', {
  // Case copies written before detections became Sigma rules still carry the regex catalog: it is read past (the
  // rules now live in policies/sigma and the case's rules/ folder) so that such a case keeps its other settings.
  rules: z.array(z.unknown()).optional(),
  reads: z.array(z.object({ source: sourceId, types: regex }).strict()),
  massAccess: z.object({
    windowMinutes: z.number().int().min(1).max(1440),
    multiplier: z.number().min(1).max(1000),
    minimum: z.object({ human: z.number().int().min(1), service: z.number().int().min(1), agent: z.number().int().min(1), unknown: z.number().int().min(1) })
  }),
  // A network (address, AS, or country where the AS is unknown) is an identity's own once a session of it used the
  // network this many hours before: routine rules and first admin actions from it are not reported. The attacker's own
  // sign-ins minutes before do not make a network familiar.
  familiarNetworkHours: z.number().min(0).default(12),
  // An address block (an IPv4 /24, else the address) from which at least this many other people signed in is the
  // organisation's own network for routine rules, from the first day of a case.
  familiarNetworkColleagues: z.number().int().min(1).default(3),
  // A rule marked `afterlogin.corroborated` (a new user) is reported only when another finding names the same identity
  // within this many hours of it.
  corroborationHours: z.number().min(0).default(2),
  anomalies: z.object({
    // A new network in the same country after this long without events is the session moving (home, a hotel).
    ip_change: anomalyMeta.extend({ sameCountryPauseMinutes: z.number().min(0).default(60) }),
    impossible_travel: anomalyMeta.extend({
      speedKmh: z.number().positive(),
      minDistanceKm: z.number().min(0),
      // Travel and network-change findings are one per hop; a session past this many hops reports its first ones.
      maxHopsPerSession: z.number().int().min(1).max(1000).default(25)
    }),
    device_change: anomalyMeta,
    // A service's networks are its hosts': one is known after this many hours of the service's own history (a person's
    // after familiarNetworkHours, since people move between home, office and phone on their first day).
    new_network: anomalyMeta.extend({ serviceBaselineHours: z.number().min(0).default(1) }),
    flagged_network: anomalyMeta,
    scripted_sign_in: anomalyMeta.extend({ clients: regex }),
    unusual_admin: anomalyMeta.extend({ baselineHours: z.number().min(0) }),
    post_revocation: anomalyMeta,
    mass_access: anomalyMeta,
    interactive_login: anomalyMeta,
    reported_network_activity: anomalyMeta,
    recovery_before_takeover: anomalyMeta,
    consented_app_activity: anomalyMeta,
    created_credential_use: anomalyMeta,
    rented_network: anomalyMeta,
    forwarded_mail: anomalyMeta,
    // What an AI agent did within windowMinutes of its own high-severity action; the same minutes keep its routine
    // matches there reported (detect.routine-familiar).
    agent_around_action: anomalyMeta.extend({ windowMinutes: z.number().min(0) }),
    // What a person took around sending data to a personal address: the rules' ATT&CK techniques that send data out
    // (a technique names its sub-techniques too), and how many hours either side of the sending.
    personal_exfiltration: anomalyMeta.extend({ techniques: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/)).min(1), windowHours: z.number().min(0) })
  })
})

/** A mail domain (contoso.com, mail.contoso.co.uk): what `internalDomains` declares and the case's own are read as. */
export const MAIL_DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i

export const classificationSchema = policyFile('identity-classification', {
  identities: z.record(z.string().min(1), z.enum(IDENTITY_TYPES)),
  agent: z.object({ patterns: z.array(regex) }).strict(),
  service: z.object({ patterns: z.array(regex) }).strict(),
  defaultHuman: regex,
  knownVpnAsOrgs: z.array(z.string().min(1)),
  // The organisation's own mail domains, as the analyst knows them: added to those the case's sign-ins show (the
  // Sigma placeholder %internal_domains%). A copy written before the key existed declares none.
  internalDomains: z
    .array(
      z
        .string()
        .regex(MAIL_DOMAIN, 'a mail domain like contoso.com')
        .transform((d) => d.toLowerCase())
    )
    .default([])
})

const response = z.enum(RESPONSES)
export const responsePolicySchema = policyFile('response-policy', {
  weights: z.object({ critical: z.number(), high: z.number(), medium: z.number(), low: z.number(), info: z.number() }),
  volumeBonus: z.object({ per10x: z.number().min(0), max: z.number().min(0) }),
  identityFactor: z.object({ human: z.number().positive(), service: z.number().positive(), agent: z.number().positive(), unknown: z.number().positive() }),
  // A finding at or after the chain's pivot (its context changed: new country, network, device) weighs this much more.
  afterPivotFactor: z.number().min(1).max(10).default(1.5),
  contextAnomalies: z.array(z.enum(ANOMALIES)),
  breakGlass: z.array(z.enum(CATEGORIES)),
  breakGlassMinSeverity: severity,
  breakGlassWithAnomaly: response,
  always: z.partialRecord(z.enum(ANOMALIES), response),
  thresholds: z.array(z.object({ min: z.number().min(0).max(100), response }).strict()),
  byIdentityType: z.partialRecord(z.enum(IDENTITY_TYPES), z.partialRecord(response, response))
})

export type RiskyActions = z.infer<typeof riskyActionsSchema>
export type Classification = z.infer<typeof classificationSchema>
export type ResponsePolicy = z.infer<typeof responsePolicySchema>
export type SeverityName = (typeof SEVERITIES)[number]
export const severityRank = (s: SeverityName): number => SEVERITIES.indexOf(s)

export interface Policies {
  riskyActions: RiskyActions
  classification: Classification
  response: ResponsePolicy
  /**
   * Known VPN, VPN-hosting, secure-access and server-hosting networks: hops to or from the first three are not
   * impossible travel; addresses on all but secure-access are rented (detect.rented-network).
   */
  vpnAsns: VpnAsns
  /** Where each policy came from: `default` or the case's own file. */
  origin: Record<'riskyActions' | 'classification' | 'response' | 'vpnAsns', string>
}

const FILES = {
  riskyActions: ['risky-actions.json', riskyActionsSchema, riskyActionsDefault],
  classification: ['identity-classification.json', classificationSchema, classificationDefault],
  response: ['response-policy.json', responsePolicySchema, responseDefault],
  vpnAsns: ['vpn-asns.json', vpnAsnsSchema, vpnAsnsDefault]
} as const

/** The folder a case keeps its own edited policies in: `<case folder>/policies/`. */
export const casePolicyDir = (casePath: string): string => join(dirname(casePath), 'policies')

/**
 * A case copy of the risky-actions file written by an earlier version names the anomalies of its day: the ones it
 * does not name come from the shipped file (an anomaly it names stays as written, checked as a whole).
 */
const withShippedAnomalies = (json: unknown, fallback: unknown): unknown => {
  const shipped = (fallback as { anomalies?: Record<string, unknown> }).anomalies
  if (!shipped || typeof json !== 'object' || json === null || Array.isArray(json)) return json
  const own = (json as { anomalies?: unknown }).anomalies
  if (typeof own !== 'object' || own === null || Array.isArray(own)) return json
  return { ...json, anomalies: { ...shipped, ...own } }
}

const loadOne = async <S extends z.ZodType>(dir: string | null, file: string, schema: S, fallback: unknown): Promise<{ value: z.infer<S>; origin: string }> => {
  if (dir) {
    const path = join(dir, file)
    let text: string | null = null
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${path}: ${(err as Error).message}`)
    }
    if (text !== null) {
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch (err) {
        throw new Error(`${path} is not valid JSON: ${(err as Error).message}`)
      }
      const parsed = schema.safeParse(withShippedAnomalies(json, fallback))
      if (!parsed.success) throw new Error(`${path} is not a valid policy: ${z.prettifyError(parsed.error)}`)
      return { value: parsed.data, origin: path }
    }
  }
  return { value: schema.parse(fallback), origin: 'default' }
}

const withoutLegacyRules = (p: RiskyActions, origin: string): RiskyActions => {
  if (!p.rules) return p
  log.warn(`${origin}: its ${p.rules.length} regex rules are not read; detections are Sigma rules (policies/sigma, the case's rules/ folder)`)
  const { rules: _legacy, ...rest } = p
  return rest
}

/** The shipped policies, overridden file by file by the case's own copies; an invalid copy is a clear error. */
export const loadPolicies = async (casePath: string | null): Promise<Policies> => {
  const dir = casePath ? casePolicyDir(casePath) : null
  const [a, c, r, v] = await Promise.all([
    loadOne(dir, ...FILES.riskyActions),
    loadOne(dir, ...FILES.classification),
    loadOne(dir, ...FILES.response),
    loadOne(dir, ...FILES.vpnAsns)
  ])
  return {
    riskyActions: withoutLegacyRules(a.value as RiskyActions, a.origin),
    classification: c.value as Classification,
    response: r.value as ResponsePolicy,
    vpnAsns: v.value as VpnAsns,
    origin: { riskyActions: a.origin, classification: c.origin, response: r.origin, vpnAsns: v.origin }
  }
}
