import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import vpnAsnsDefault from '../../policies/vpn-asns.json'

export const vpnAsnsSchema = z
  .object({
    version: z.number().int().min(1),
    kind: z.literal('vpn-asns'),
    description: z.string().optional(),
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
  .strict()

export type VpnAsns = z.infer<typeof vpnAsnsSchema>

/** The shipped list of VPN, VPN-hosting and secure-access networks, as a set of AS numbers. */
export const DEFAULT_VPN_ASNS: ReadonlySet<number> = new Set(vpnAsnsSchema.parse(vpnAsnsDefault).asns.map((a) => a.asn))

/**
 * A case's own `vpn-asns.json` (in its policy folder) replaces the shipped list; without one, the shipped list
 * applies. A file that does not parse is an error naming the file, never a silent fallback.
 */
export const loadVpnAsns = async (policyDir: string | null): Promise<ReadonlySet<number>> => {
  if (!policyDir) return DEFAULT_VPN_ASNS
  const path = join(policyDir, 'vpn-asns.json')
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_VPN_ASNS
    throw new Error(`cannot read ${path}: ${(err as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`)
  }
  const parsed = vpnAsnsSchema.safeParse(json)
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`)
  return new Set(parsed.data.asns.map((a) => a.asn))
}
