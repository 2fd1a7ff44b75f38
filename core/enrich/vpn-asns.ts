import { vpnAsnsDefault, vpnAsnsSchema, type VpnAsns } from '../policies/vpn-asns'

/** The AS numbers of a VPN list (a case's own copy is loaded with the other policies, core/policies/policies.ts). */
export const vpnAsnSet = (list: VpnAsns): ReadonlySet<number> => new Set(list.asns.map((a) => a.asn))

/** The shipped list of VPN, VPN-hosting and secure-access networks, as a set of AS numbers. */
export const DEFAULT_VPN_ASNS: ReadonlySet<number> = vpnAsnSet(vpnAsnsSchema.parse(vpnAsnsDefault))
