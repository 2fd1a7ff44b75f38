import { vpnAsnsDefault, vpnAsnsSchema, type VpnAsns } from '../policies/vpn-asns'

/**
 * The AS numbers of a VPN list whose addresses say little about where the person is (a case's own copy is loaded with
 * the other policies, core/policies/policies.ts): VPN, VPN-hosting and secure-access networks. A hop to or from one is
 * not impossible travel. A server host's address is where the server is.
 */
export const vpnAsnSet = (list: VpnAsns): ReadonlySet<number> => new Set(list.asns.filter((a) => a.kind !== 'hosting').map((a) => a.asn))

/**
 * The AS numbers of a VPN list whose addresses anyone can rent by the hour, with their kind: VPN, VPN-hosting and hosting
 * networks, not an organisation's secure-access gateway (detect.rented-addresses, detect.rented-network).
 */
export const rentedAsns = (list: VpnAsns): { asn: number; kind: string }[] =>
  list.asns.filter((a) => a.kind !== 'secure-access').map((a) => ({ asn: a.asn, kind: a.kind }))

/** The shipped list of VPN, VPN-hosting and secure-access networks, as a set of AS numbers. */
export const DEFAULT_VPN_ASNS: ReadonlySet<number> = vpnAsnSet(vpnAsnsSchema.parse(vpnAsnsDefault))
