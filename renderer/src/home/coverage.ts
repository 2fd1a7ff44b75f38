import type { ChainRow, SourceCount } from '../../../contract'

export interface CoverageRow {
  identity: string
  identityType: string
  risk: number
  apps: Set<string>
}

export interface Coverage {
  sources: string[]
  rows: CoverageRow[]
  blindSpots: string[]
}

const IDPS = ['okta', 'entra']

/**
 * Which apps each involved identity shows up in, against every source the case holds, plus the gaps an analyst
 * must keep in mind (a missing IdP means no stitching; a missing app log means its sessions are invisible).
 */
export const buildCoverage = (sources: SourceCount[], chains: ChainRow[], maxRows = 12): Coverage => {
  const present = sources.filter((s) => s.events > 0).map((s) => s.source)
  const byIdentity = new Map<string, CoverageRow>()
  for (const c of chains) {
    const row = byIdentity.get(c.identity) ?? { identity: c.identity, identityType: c.identityType, risk: 0, apps: new Set<string>() }
    byIdentity.set(c.identity, row)
    row.risk = Math.max(row.risk, c.risk)
    for (const a of c.apps) row.apps.add(a)
  }
  const rows = [...byIdentity.values()].sort((a, b) => b.risk - a.risk || a.identity.localeCompare(b.identity)).slice(0, maxRows)

  const blindSpots: string[] = []
  if (present.length > 0 && !present.some((s) => IDPS.includes(s)))
    blindSpots.push('No identity-provider logs (Okta or Entra ID): app sessions cannot be stitched to the sign-in that opened them.')
  if (present.includes('entra') && !present.includes('m365'))
    blindSpots.push('Entra ID sign-ins without Microsoft 365 audit logs: mailbox rules, shares and downloads are invisible.')
  if (present.includes('m365') && !present.includes('entra') && !present.includes('okta'))
    blindSpots.push('Microsoft 365 activity without Entra ID sign-ins: sessions start without their login context.')
  // Service accounts and agents often live in one system on purpose; a person seen in one app only is the odd one.
  const risky = rows.filter((r) => r.risk > 0 && r.identityType === 'human')
  for (const r of risky) {
    const missing = present.filter((s) => !r.apps.has(s) && s !== 'generic')
    if (missing.length && r.apps.size === 1)
      blindSpots.push(`${r.identity} appears only in ${[...r.apps][0]}: no activity in ${missing.join(', ')} — absent there, or not logged?`)
  }
  return { sources: present, rows, blindSpots }
}
