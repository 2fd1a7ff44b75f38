import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './web-mode'

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
export const oktaExample = (name: string): OktaRec => JSON.parse(readFileSync(join(ROOT, `policies/sigma/okta/${name}.examples.json`), 'utf8')).match[0]
