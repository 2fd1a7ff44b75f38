import { z } from 'zod'
import vpnAsnsDefaultJson from '../../policies/vpn-asns.json'
import { policyFile } from '../detect/policy-file'

export const vpnAsnsSchema = policyFile('vpn-asns', {
  asns: z
    .array(
      z
        .object({
          asn: z.number().int().min(1).max(0xffffffff),
          name: z.string().min(1).max(200),
          kind: z.enum(['vpn', 'vpn-hosting', 'secure-access'])
        })
        .strict()
    )
    .max(10_000)
})

export type VpnAsns = z.infer<typeof vpnAsnsSchema>

export const vpnAsnsDefault: unknown = vpnAsnsDefaultJson

/** The AS numbers of a VPN list (a case's own copy is loaded with the other policies, core/detect/policies.ts). */
export const vpnAsnSet = (list: VpnAsns): ReadonlySet<number> => new Set(list.asns.map((a) => a.asn))

/** The shipped list of VPN, VPN-hosting and secure-access networks, as a set of AS numbers. */
export const DEFAULT_VPN_ASNS: ReadonlySet<number> = vpnAsnSet(vpnAsnsSchema.parse(vpnAsnsDefault))
