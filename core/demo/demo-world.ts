/**
 * The fictional company the demo bundle is about: its domain, its people and the places they sign in from, and the
 * incident day.
 */
import type { Actor, Place } from './vendor-records'

export const DOMAIN = 'acme.example'
export const DAY = 86_400_000
export const MIN = 60_000
/** The incident day; the day before gives every identity a baseline. */
export const INCIDENT = Date.UTC(2026, 2, 10)

const place = (ip: string, city: string, country: string, countryCode: string, lat: number, lon: number, asn: number, asOrg: string): Place => ({
  ip,
  city,
  country,
  countryCode,
  lat,
  lon,
  asn,
  asOrg
})

export const FRANKFURT = place('87.123.45.67', 'Frankfurt am Main', 'Germany', 'DE', 50.1109, 8.6821, 3320, 'Deutsche Telekom AG')
export const SAO_PAULO = place('189.40.50.60', 'Sao Paulo', 'Brazil', 'BR', -23.5558, -46.6396, 26599, 'TELEFONICA BRASIL S.A')
export const OFFICES = [
  place('91.64.12.34', 'Frankfurt am Main', 'Germany', 'DE', 50.1109, 8.6821, 3209, 'Vodafone GmbH'),
  place('5.146.200.10', 'Bonn', 'Germany', 'DE', 50.7374, 7.0982, 8881, '1&1 Versatel'),
  place('62.157.140.133', 'Ulm', 'Germany', 'DE', 48.4011, 9.9876, 3320, 'Deutsche Telekom AG'),
  place('95.91.20.30', 'Frankfurt am Main', 'Germany', 'DE', 50.1109, 8.6821, 3209, 'Vodafone GmbH')
]
export const CI_IP = '3.80.10.20'
export const LAGOS_IP = '41.58.10.20'
export const AGENT_IP = '52.94.76.10'

export const person = (local: string, name: string, n: number): Actor => ({
  email: `${local}@${DOMAIN}`,
  name,
  oktaId: `00u${local.replace(/\W/g, '').padEnd(8, 'x').slice(0, 8)}${n}abc`,
  sfUserId: `0055g00000${String(1000 + n)}AbC`,
  githubLogin: `${local.split('.')[0]}-acme`,
  slackId: `U0ACME${String(100 + n)}`
})
