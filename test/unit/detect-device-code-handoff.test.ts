import { describe, expect, it } from 'vitest'
import { importedChains } from '../helpers/imported-chains'

type Rec = Record<string, unknown>

// Entra ID sign-ins (Graph signIns) of one person, each naming its own address and AS. The device-code rule
// (entra/device-code-sign-in) is routine and a handoff rule: from the person's own network it is reported only when
// the same session goes on from another network within minutes.
const HOME = { ip: '47.154.23.118', asn: 20001, city: 'Torrance' }
const CLOUD = { ip: '159.203.90.17', asn: 14061, city: 'North Bergen' }
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/145.0.0.0 Safari/537.36'

let n = 0
const signIn = (time: string, net: typeof HOME, session: string, how: 'browser' | 'device code' | 'refresh'): Rec => ({
  id: `5e1c0d2a-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  createdDateTime: time,
  userDisplayName: 'Dana Whitfield',
  userPrincipalName: 'dana.whitfield@hawthorne.example',
  userId: '2346da3a-04f9-5d5d-a5b8-fc79eb16ab33',
  appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
  appDisplayName: 'Microsoft Office',
  ipAddress: net.ip,
  autonomousSystemNumber: net.asn,
  clientAppUsed: how === 'refresh' ? 'Mobile Apps and Desktop clients' : 'Browser',
  userAgent: how === 'refresh' ? 'python-requests/2.32.3' : BROWSER,
  correlationId: `0f9e5c7f-0000-4000-8000-${String(n).padStart(12, '0')}`,
  conditionalAccessStatus: 'success',
  isInteractive: how !== 'refresh',
  authenticationProtocol: how === 'device code' ? 'deviceCode' : 'none',
  originalTransferMethod: how === 'device code' ? 'deviceCodeFlow' : 'none',
  incomingTokenType: how === 'refresh' ? 'refreshToken' : 'none',
  signInEventTypes: [how === 'refresh' ? 'nonInteractiveUser' : 'interactiveUser'],
  sessionId: session,
  resourceDisplayName: 'Microsoft Graph',
  riskLevelDuringSignIn: 'none',
  riskLevelAggregated: 'none',
  riskEventTypes_v2: [],
  status: { errorCode: 0, failureReason: null },
  deviceDetail: { deviceId: '', operatingSystem: 'Windows10', browser: 'Chrome 145.0.0' },
  location: { city: net.city, state: null, countryOrRegion: 'US' }
})

/** Day 1 at home in a browser; day 2 a device code approved at home, then `after` in the same session. */
const approvedAtHome = (after: Rec[]): Rec[] => [
  signIn('2026-03-09T15:00:00Z', HOME, 'a1b2c3d4-0000-4000-8000-00000000day1', 'browser'),
  signIn('2026-03-10T16:38:12Z', HOME, 'a1b2c3d4-0000-4000-8000-00000000day2', 'device code'),
  ...after
]

/** The device-code findings and the sign-ins each names (by the record's id). */
const deviceCodeFindings = async (records: Rec[]): Promise<string[][]> => {
  const { chains } = await importedChains('entra_signins.json', { value: records })
  return chains
    .flatMap((c) => c.findings)
    .filter((f) => f.title.startsWith('Entra ID sign-in completed through the device code flow'))
    .map((f) => f.eventIds.map((id) => id.replace(/^entra:/, '')).sort())
}

describe('a device code approved here and used there (afterlogin.handoff)', () => {
  it("reports the person's own approval when the session is used from another network seconds later", async () => {
    const records = approvedAtHome([signIn('2026-03-10T16:38:47Z', CLOUD, 'a1b2c3d4-0000-4000-8000-00000000day2', 'refresh')])
    const found = await deviceCodeFindings(records)
    expect(found.flat()).toContain(records[1].id)
  })

  it('leaves it routine when the session goes on from the same network: a conference-room device, a CLI on the laptop', async () => {
    const records = approvedAtHome([signIn('2026-03-10T16:39:30Z', HOME, 'a1b2c3d4-0000-4000-8000-00000000day2', 'refresh')])
    expect(await deviceCodeFindings(records)).toEqual([])
  })

  it('leaves it routine when the other network comes more than half an hour after', async () => {
    const records = approvedAtHome([signIn('2026-03-10T17:20:00Z', CLOUD, 'a1b2c3d4-0000-4000-8000-00000000day2', 'refresh')])
    expect((await deviceCodeFindings(records)).flat()).not.toContain(records[1].id)
  })
})
