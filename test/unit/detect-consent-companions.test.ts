import { describe, expect, it } from 'vitest'
import { importedBundle } from '../helpers/imported-chains'
import { ruleExample } from '../helpers/rule-examples'

// A user's consent to an app (Entra audit "Consent to application", which the consent rule reports), the service
// principal the consent puts in the tenant, and the user's sign-in to the app the consent prompt came with; beside them
// a sign-in to another app in the same minutes, and one to the same app an hour later.
const PERSON = 'jonas.weber@fabrikam-corp.com'
const APP = 'PDF Converter Online'

const consent = ruleExample('entra/oauth-consent-granted')
const servicePrincipal = () => {
  const r = structuredClone(ruleExample('entra/application-registered-by-person'))
  r.id = 'Directory_sp-0001'
  r.activityDisplayName = 'Add service principal'
  r.activityDateTime = '2026-11-26T14:15:06.9000000Z'
  r.initiatedBy.user.userPrincipalName = PERSON
  r.initiatedBy.user.ipAddress = '198.51.100.77'
  r.targetResources = [{ ...r.targetResources[0], displayName: APP, type: 'ServicePrincipal' }]
  return r
}
// An ordinary successful sign-in from the person's office.
const signIn = (id: string, time: string, app: string) => {
  const r = structuredClone(ruleExample('entra/device-code-sign-in', 'nomatch'))
  Object.assign(r, {
    id,
    createdDateTime: time,
    userPrincipalName: PERSON,
    appDisplayName: app,
    ipAddress: '198.51.100.77',
    authenticationProtocol: 'none',
    originalTransferMethod: 'none',
    status: { errorCode: 0, failureReason: null, additionalDetails: null },
    conditionalAccessStatus: 'success',
    riskLevelDuringSignIn: 'none',
    riskLevelAggregated: 'none',
    riskState: 'none',
    riskDetail: 'none',
    riskEventTypes: [],
    riskEventTypes_v2: []
  })
  return r
}

describe('a consent names the app’s other records of the same minutes', () => {
  it('names the sign-in to the app and its service principal, not another app’s sign-in nor a later one', async () => {
    const { chains } = await importedBundle({
      'entra_audit.json': { value: [consent, servicePrincipal()] },
      'entra_signins.json': {
        value: [
          // The day before, from the same office: the app registration rule's match there is routine.
          signIn('5c1d0000-0000-4000-8000-000000000000', '2026-11-25T09:00:00Z', 'Microsoft Teams'),
          signIn('5c1d0000-0001-4000-8000-000000000001', '2026-11-26T14:14:31Z', APP),
          signIn('5c1d0000-0002-4000-8000-000000000002', '2026-11-26T14:13:02Z', 'Microsoft Teams'),
          signIn('5c1d0000-0003-4000-8000-000000000003', '2026-11-26T15:20:00Z', APP)
        ]
      }
    })
    const grants = chains.flatMap((c) => c.findings).filter((f) => f.category === 'oauth_grant')
    expect(grants).toHaveLength(1)
    expect(grants[0].title).toMatch(/PDF Converter Online.* — with the app's Add service principal, signIn$/)
    // The service principal the consent created: the app registration rule's match, routine at the office, is the
    // consent's doing.
    expect(grants[0].eventIds.map((id) => id.split(':').slice(1).join(':')).sort()).toEqual(
      [consent.id, 'Directory_sp-0001', '5c1d0000-0001-4000-8000-000000000001'].sort()
    )
  })
})
