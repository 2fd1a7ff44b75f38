import { z } from 'zod'
import vpnAsnsDefaultJson from '../../policies/vpn-asns.json'
import { policyFile } from './policy-file'

/** The VPN networks policy file: AS numbers of VPN, VPN-hosting, secure-access and server-hosting networks. */
export const vpnAsnsSchema = policyFile('vpn-asns', {
  asns: z
    .array(
      z
        .object({
          asn: z.number().int().min(1).max(0xffffffff),
          name: z.string().min(1).max(200),
          kind: z.enum(['vpn', 'vpn-hosting', 'secure-access', 'hosting'])
        })
        .strict()
    )
    .max(10_000)
})

export type VpnAsns = z.infer<typeof vpnAsnsSchema>

export const vpnAsnsDefault: unknown = vpnAsnsDefaultJson
