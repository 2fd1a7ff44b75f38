import { expect } from 'vitest'
import type { ChainRow } from '../../contract/sessions'
import { importedChains } from './imported-chains'
import { ruleExample } from './rule-examples'

/** An Okta System Log record as the detection tests build them: any shape, changed field by field. */
export type OktaRec = Record<string, any>

/** A network as an Okta record states it: the address in `client.ipAddress`, the AS in `securityContext`. */
export interface OktaNet {
  ip: string
  asn: number
  org: string
}

// The networks the detection tests sign people in from. Two addresses of one AS are one network.
export const OFFICE: OktaNet = { ip: '198.51.100.23', asn: 12345, org: 'example telecom' }
export const OFFICE_2: OktaNet = { ip: '198.51.100.24', asn: 12345, org: 'example telecom' }
export const HOSTING: OktaNet = { ip: '203.0.113.66', asn: 64511, org: 'hosting relay bv' }

/** The first matching example of a shipped Okta rule (policies/sigma/okta/NAME.examples.json). */
export const oktaExample = (name: string): OktaRec => ruleExample(`okta/${name}`)

/**
 * Places an Okta record (changed in place, and returned) at `net` in native session `session`: the address in
 * `client.ipAddress` and the request's first hop, the AS in `securityContext` (a proxy when asked), the session id.
 */
export const oktaAt = (r: OktaRec, net: OktaNet, session: string, proxy = false): OktaRec => {
  r.client = { ...r.client, ipAddress: net.ip }
  if (r.request?.ipChain?.[0]) r.request.ipChain[0].ip = net.ip
  r.securityContext = { asNumber: net.asn, asOrg: net.org, isp: net.org, domain: 'example.net', isProxy: proxy }
  r.authenticationContext = { ...r.authenticationContext, externalSessionId: session }
  return r
}

let signIns = 0
/**
 * An Okta sign-in (user.session.start) of `person` from `net` in native session `session`: its address and AS in the
 * record, and, when asked, the device managed or not, the address a proxy, the sign-in failed, the client's user agent.
 */
export const oktaSignIn = (
  person: string,
  time: string,
  net: OktaNet,
  session: string,
  opts: { managed?: boolean; proxy?: boolean; failed?: boolean; userAgent?: string } = {}
): OktaRec => {
  const r = structuredClone(oktaExample('mfa-factor-reset-or-deactivated'))
  const n = ++signIns
  r.uuid = `7c1d2e3f-${String(n).padStart(4, '0')}-4a5b-8c9d-0e1f2a3b0001`
  r.published = time
  r.eventType = 'user.session.start'
  r.displayMessage = 'User login to Okta'
  r.target = null
  r.outcome = opts.failed ? { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' } : { result: 'SUCCESS', reason: null }
  r.actor = { ...r.actor, alternateId: person, displayName: person.split('@')[0], id: `00u${String(n).padStart(17, '0')}` }
  oktaAt(r, net, session, opts.proxy)
  if (opts.userAgent) r.client.userAgent = { rawUserAgent: opts.userAgent, os: 'Unknown', browser: 'UNKNOWN' }
  if (opts.managed !== undefined) r.device = { id: `guo${n}`, name: 'laptop', os_platform: 'WINDOWS', managed: opts.managed, registered: opts.managed }
  return r
}

/** Imports `records` as one Okta System Log file into a fresh case, checks it was read as Okta, and returns its chains. */
export const oktaChains = async (records: OktaRec[]): Promise<ChainRow[]> => {
  const { source, chains } = await importedChains('okta.json', records)
  expect(source).toBe('okta')
  return chains
}

/** The findings of one category in the chains of `records` (oktaChains). */
export const oktaFindings = async (records: OktaRec[], category: string): Promise<ChainRow['findings']> =>
  (await oktaChains(records)).flatMap((c) => c.findings).filter((f) => f.category === category)
