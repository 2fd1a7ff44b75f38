import { describe, expect, it } from 'vitest'
import type { ChainRow } from '../../contract/sessions'
import { importedBundle, importedChains } from '../helpers/imported-chains'
import { HOSTING, OFFICE, OFFICE_2, oktaAt, oktaChains, oktaExample, oktaSignIn, type OktaNet as Net, type OktaRec as Rec } from '../helpers/okta-networks'
import { ruleExample } from '../helpers/rule-examples'

// Okta System Log sign-ins (user.session.start), each saying its own address and AS, and whether the device is managed.
const EGRESS: Net = { ip: '192.0.2.10', asn: 7922, org: 'fabrikam egress' }
const signIn = (person: string, time: string, net: Net, session: string, managed?: boolean, failed = false): Rec =>
  oktaSignIn(person, time, net, session, { managed, failed })

/** Signs in on day 1 from the office, then again the next day, in a new session, from `net`. */
const nextDayFrom = (person: string, net: Net, managed?: boolean): Rec[] => [
  signIn(person, '2025-03-11T09:00:00.000Z', OFFICE, `idx${person.length}day1`),
  signIn(person, '2025-03-12T10:00:00.000Z', net, `idx${person.length}day2`, managed)
]

const newNetwork = async (records: Rec[]): Promise<ChainRow[]> =>
  (await oktaChains(records)).filter((c) => c.findings.some((f) => f.category === 'new_network'))

describe('sign-in from a network new to the person (new_network)', () => {
  it('names the apps Okta handed the person to, not Okta', async () => {
    // The session's sign-in, then Okta's single sign-on to Slack and to AWS, each naming the app as its target.
    const sso = (time: string, app: string, id: string): Rec => {
      const r = signIn('dana.ops@fabrikam.example', time, HOSTING, 'idx25day2')
      Object.assign(r, {
        eventType: 'user.authentication.sso',
        displayMessage: 'User single sign on to app',
        target: [{ id, type: 'AppInstance', alternateId: app, displayName: app, detailEntry: { signOnModeType: 'SAML_2_0' } }]
      })
      return r
    }
    const [chain] = await newNetwork([
      ...nextDayFrom('dana.ops@fabrikam.example', HOSTING),
      sso('2025-03-12T10:01:00.000Z', 'Slack', '0oa1slack'),
      sso('2025-03-12T10:02:00.000Z', 'AWS IAM Identity Center', '0oa1aws')
    ])
    expect(chain.findings.find((x) => x.category === 'new_network')!.title).toBe(
      'Sign-in from a network new to this person (dana.ops@fabrikam.example): PT 203.0.113.66 (hosting relay bv) to AWS IAM Identity Center, Okta, Slack (3 sign-ins)'
    )
  })

  it('is reported from a network none of the person’s earlier sessions used, not from theirs', async () => {
    const flagged = await newNetwork([
      ...nextDayFrom('dana.ops@fabrikam.example', HOSTING),
      ...nextDayFrom('lee.sales@fabrikam.example', OFFICE),
      // Another address of the office's AS is the same network.
      ...nextDayFrom('kim.hr@fabrikam.example', OFFICE_2)
    ])
    expect(flagged.map((c) => c.identity)).toEqual(['dana.ops@fabrikam.example'])
    const f = flagged[0].findings.find((x) => x.category === 'new_network')!
    // The country is the record's own (client.geographicalContext), the AS its securityContext's.
    expect(f.title).toBe('Sign-in from a network new to this person (dana.ops@fabrikam.example): PT 203.0.113.66 (hosting relay bv) to Okta')
    expect(f.detail).toMatch(/^signed in from 203\.0\.113\.66, .*AS64511 hosting relay bv; earlier from PT 198\.51\.100\.23$/)
  })

  it('is not reported on the person’s first day in the case: there is nothing to compare with', async () => {
    const records = nextDayFrom('sam.it@fabrikam.example', HOSTING).slice(1)
    expect(await newNetwork(records)).toEqual([])
  })

  it('is not reported from the organisation’s own egress, which three colleagues signed in from', async () => {
    const colleagues = ['a', 'b', 'c'].map((x, i) =>
      signIn(`${x}.staff@fabrikam.example`, '2025-03-11T08:30:00.000Z', { ...EGRESS, ip: `192.0.2.${20 + i}` }, `idxcol${x}`)
    )
    const two = colleagues.slice(0, 2)
    const person = nextDayFrom('rui.finance@fabrikam.example', EGRESS)
    expect(await newNetwork([...colleagues, ...person])).toEqual([])
    // Two colleagues are not the organisation.
    expect((await newNetwork([...two, ...person])).map((c) => c.identity)).toEqual(['rui.finance@fabrikam.example'])
  })

  it('says a session whose sign-ins from the new network all failed failed, one severity lower', async () => {
    const person = 'noor.legal@fabrikam.example'
    const tries = [
      signIn(person, '2025-03-11T09:00:00.000Z', OFFICE, 'idxnoor1'),
      signIn(person, '2025-03-12T22:00:00.000Z', HOSTING, 'idxnoor2', undefined, true),
      signIn(person, '2025-03-12T22:01:00.000Z', HOSTING, 'idxnoor2', undefined, true)
    ]
    const [chain] = await newNetwork(tries)
    const f = chain.findings.find((x) => x.category === 'new_network')!
    // Why the tries failed, as their records say it (Okta's outcome.reason), after the title as an attempt's.
    expect(f.title).toBe(
      `Failed sign-in from a network new to this person (${person}): PT 203.0.113.66 (hosting relay bv) to Okta (2 tries) — refused: INVALID_CREDENTIALS`
    )
    expect(f.detail).toMatch(/; refused: INVALID_CREDENTIALS$/)
    expect(f.severity).toBe('low')
    // A wrong password typed at the office is not a new network.
    expect(await newNetwork([tries[0], signIn(person, '2025-03-12T10:00:00.000Z', OFFICE, 'idxnoor3', undefined, true)])).toEqual([])
  })

  it('takes a push Okta sent for a sign-in as a try, which the person’s answer decides', async () => {
    const person = 'ivo.payroll@fabrikam.example'
    // The push's record says SUCCESS: the message went out, nothing more.
    const push = (time: string, session: string): Rec => {
      const r = signIn(person, time, HOSTING, session)
      r.eventType = 'system.push.send_factor_verify_push'
      r.displayMessage = 'Push notification sent for verification'
      return r
    }
    const denied = (time: string, session: string): Rec => {
      const r = signIn(person, time, HOSTING, session, undefined, true)
      r.eventType = 'user.mfa.okta_verify.deny_push'
      r.displayMessage = 'User rejected Okta push verify'
      r.outcome = { result: 'FAILURE', reason: 'User rejected Okta push verify' }
      return r
    }
    const office = signIn(person, '2025-03-11T09:00:00.000Z', OFFICE, 'idxivo1')
    const [chain] = await newNetwork([office, push('2025-03-12T23:15:00.000Z', 'idxivo2'), denied('2025-03-12T23:15:30.000Z', 'idxivo2')])
    const f = chain.findings.find((x) => x.category === 'new_network')!
    expect(f.title).toBe(
      `Failed sign-in from a network new to this person (${person}): PT 203.0.113.66 (hosting relay bv) to Okta (2 tries) — refused: User rejected Okta push verify`
    )
    expect(f.severity).toBe('low')
    // Approved, the sign-in that follows is the finding's, not the push.
    const [approved] = await newNetwork([office, push('2025-03-12T23:15:00.000Z', 'idxivo3'), signIn(person, '2025-03-12T23:15:40.000Z', HOSTING, 'idxivo3')])
    const g = approved.findings.find((x) => x.category === 'new_network')!
    expect(g.title).toBe(`Sign-in from a network new to this person (${person}): PT 203.0.113.66 (hosting relay bv) to Okta`)
    expect(g.severity).not.toBe('low')
  })

  it('is not reported when the record says the device is one the organisation manages', async () => {
    expect(await newNetwork(nextDayFrom('ana.travel@fabrikam.example', HOSTING, true))).toEqual([])
    expect((await newNetwork(nextDayFrom('ana.travel@fabrikam.example', HOSTING, false))).length).toBe(1)
  })

  it('is not reported from a network the person signed in from on a device or with a factor the record vouches for', async () => {
    // Okta's behaviour detection already knew the device (New Device=NEGATIVE) and did not rate the sign-in high risk:
    // the owner's laptop on a trip. Rated high, it is reported (the verdict's rule reports the sign-in itself too).
    const known = (risk: string, proxy = false, velocity = 'NEGATIVE'): Rec[] => {
      const [day1, day2] = nextDayFrom('ben.marketing@fabrikam.example', HOSTING)
      day2.debugContext.debugData.behaviors = `{New Geo-Location=POSITIVE, New Device=NEGATIVE, New IP=POSITIVE, New Country=POSITIVE, Velocity=${velocity}}`
      day2.debugContext.debugData.risk = `{reasons=New Country, level=${risk}}`
      day2.securityContext.isProxy = proxy
      return [day1, day2]
    }
    expect(await newNetwork(known('MEDIUM'))).toEqual([])
    expect((await newNetwork(known('HIGH'))).length).toBe(1)
    // Through an address Okta calls an anonymizing proxy, the device it knew vouches for nothing.
    expect((await newNetwork(known('MEDIUM', true))).length).toBe(1)
    // Nor from a place Okta found no one could have reached in time: a phishing proxy relaying the owner's own browser,
    // device cookie and all, from the other side of the continent.
    expect((await newNetwork(known('MEDIUM', false, 'POSITIVE'))).length).toBe(1)
  })

  it('takes a network as the person’s own in every app once a sign-in from it used their security key', async () => {
    // Entra ID sign-ins (Graph signIns) of the same person: the office on day 1, a hotel abroad on day 2 with a FIDO2
    // key or with a password alone; beside them, the Okta sign-ins from the same two places.
    const person = 'helena.voss@fabrikam.example'
    const entra = (id: string, time: string, ip: string, method: string) => {
      const r = ruleExample('entra/device-code-sign-in', 'nomatch')
      Object.assign(r, {
        id,
        createdDateTime: time,
        userPrincipalName: person,
        ipAddress: ip,
        authenticationProtocol: 'none',
        riskEventTypes_v2: [],
        status: { errorCode: 0, failureReason: null, additionalDetails: null }
      })
      delete r.originalTransferMethod
      r.authenticationDetails = [
        {
          authenticationStepDateTime: time,
          authenticationMethod: method,
          authenticationMethodDetail: null,
          succeeded: true,
          authenticationStepResultDetail: 'MFA successfully completed'
        }
      ]
      return r
    }
    const hotel = (method: string) =>
      importedBundle({
        'entra_signins.json': {
          value: [
            entra('5b0e7c1a-0001-4d2e-9f3a-000000000001', '2025-03-11T08:55:00Z', OFFICE.ip, 'FIDO2 security key'),
            entra('5b0e7c1a-0002-4d2e-9f3a-000000000002', '2025-03-12T09:55:00Z', HOSTING.ip, method)
          ]
        },
        'okta.json': nextDayFrom(person, HOSTING)
      })
    const flagged = async (method: string) =>
      (await hotel(method)).chains
        .flatMap((c) => c.findings)
        .filter((f) => f.category === 'new_network')
        .map((f) => f.title)
    expect(await flagged('FIDO2 security key')).toEqual([])
    expect((await flagged('Password')).length).toBeGreaterThan(0)
  })

  it('reports a service’s access key used from a new host, against the key’s own earlier use in the same long session', async () => {
    // CloudTrail records of an IAM user's long-term key: one session from the key, the data centre's address (no AS or
    // country in the record or the databases), then the thief's host 14 hours later.
    const call = (time: string, ip: string, name: string, id: string) => ({
      eventVersion: '1.09',
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDAXJ4KQ7M2RPTETL9Z',
        arn: 'arn:aws:iam::483920175562:user/svc-reporting-etl',
        accountId: '483920175562',
        accessKeyId: 'AKIAXJ4KQ7M2P5RTL3QA',
        userName: 'svc-reporting-etl'
      },
      eventTime: time,
      eventSource: 's3.amazonaws.com',
      eventName: name,
      awsRegion: 'us-east-1',
      sourceIPAddress: ip,
      userAgent: 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8',
      requestParameters: { bucketName: 'member-reports-prod', key: 'exports/2025-03/members.csv.gz' },
      responseElements: null,
      requestID: `${id}-req`,
      eventID: `0c3b8f2e-${id}-4d1a-9b7e-1f2a3b4c5d6e`,
      readOnly: true,
      eventType: 'AwsApiCall',
      managementEvent: false,
      recipientAccountId: '483920175562',
      eventCategory: 'Data'
    })
    const { chains } = await importedChains('cloudtrail.json', {
      Records: [
        call('2025-03-12T06:15:02Z', '198.51.100.200', 'GetObject', '0001'),
        call('2025-03-12T06:22:40Z', '198.51.100.200', 'PutObject', '0002'),
        call('2025-03-12T20:05:11Z', '103.75.190.22', 'GetObject', '0003'),
        call('2025-03-12T20:09:30Z', '103.75.190.22', 'GetObject', '0004'),
        { ...call('2025-03-12T20:10:02Z', '103.75.190.22', 'ListSecrets', '0005'), errorCode: 'AccessDenied', errorMessage: 'not authorized' }
      ]
    })
    const found = chains.flatMap((c) => c.findings).filter((f) => f.category === 'new_network')
    // What it did from there, most frequent first, and how many of its calls were refused, in the title.
    expect(found.map((f) => f.title)).toEqual([
      expect.stringMatching(
        /^Service used from a network new to it \(svc-reporting-etl\): (\w+ )?103\.75\.190\.22.*: GetObject ×2, ListSecrets → member-reports-prod with key AKIAXJ4KQ7M2P5RTL3QA \(3 events, 1 refused\)$/
      )
    ])
    expect(found[0].detail).toMatch(/; earlier from 198\.51\.100\.200$/)

    // A service's hosts do not move as people do: an hour of its own history is enough to know them (serviceBaselineHours),
    // so the thief's host three hours after the key's first use is reported, one within that hour is not.
    const serviceChains = async (later: string) =>
      (
        await importedChains('cloudtrail.json', {
          Records: [call('2025-03-12T06:15:02Z', '198.51.100.200', 'GetObject', '0001'), call(later, '103.75.190.22', 'GetObject', '0003')]
        })
      ).chains
        .flatMap((c) => c.findings)
        .filter((f) => f.category === 'new_network')
    expect(await serviceChains('2025-03-12T09:20:00Z')).toHaveLength(1)
    expect(await serviceChains('2025-03-12T06:50:00Z')).toEqual([])
  })

  it('counts as a context anomaly: a break-glass action in the session recommends ending it', async () => {
    const token = oktaExample('api-token-created')
    const person = 'dana.ops@fabrikam.example'
    const [day1, day2] = nextDayFrom(person, HOSTING)
    const created = structuredClone(token)
    created.uuid = '7c1d2e3f-9999-4a5b-8c9d-0e1f2a3b0001'
    created.published = '2025-03-12T10:05:00.000Z'
    created.actor = { ...created.actor, ...day2.actor }
    oktaAt(created, HOSTING, day2.authenticationContext.externalSessionId)
    const [chain] = await newNetwork([day1, day2, created])
    expect(chain.findings.map((f) => f.category).sort()).toEqual(['credential_created', 'new_network'])
    expect(chain.response).toBe('terminate-session')
  })
})
