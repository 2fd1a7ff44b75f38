import { describe, expect, it } from 'vitest'
import { eventUid, eventViewOf } from '../../core/sources/normalize'
import { refusalOf } from '../../core/sources/refusal'

// Why a failed record says it failed, per source, in the vendors' documented fields. Records follow the vendors'
// documented shapes (CloudTrail record contents, Graph signIn and directoryAudit, the Office 365 Management Activity
// schema, the Admin SDK Reports API login activity, Salesforce LoginHistory).
const j = (r: unknown) => JSON.stringify(r)

describe('the refusal a record states', () => {
  it('CloudTrail: the errorCode with the permission it lacked, else the errorMessage', () => {
    const call = {
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ana', accountId: '111122223333', userName: 'ana' },
      eventTime: '2026-11-10T08:00:00Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'PutBucketPolicy',
      sourceIPAddress: '203.0.113.9',
      errorCode: 'AccessDenied',
      errorMessage: 'User: arn:aws:iam::111122223333:user/ana is not authorized to perform: s3:PutBucketPolicy',
      eventID: 'b1'
    }
    // The permission the message names as missing, and the policy that denied it explicitly, after the code.
    expect(refusalOf('aws', j(call))).toBe('AccessDenied: not authorized to perform s3:PutBucketPolicy')
    const scp = {
      ...call,
      errorMessage:
        'User: arn:aws:iam::111122223333:user/ana is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/x with an explicit deny in a service control policy'
    }
    expect(refusalOf('aws', j(scp))).toBe('AccessDenied: not authorized to perform iam:CreateUser (explicit deny in a service control policy)')
    expect(refusalOf('aws', j({ ...call, errorMessage: 'Access Denied' }))).toBe('AccessDenied')
    const { errorCode: _, ...messageOnly } = call
    expect(refusalOf('aws', j(messageOnly))).toBe('User: arn:aws:iam::111122223333:user/ana is not authorized to perform: s3:PutBucketPolicy')
    const long = { ...messageOnly, errorMessage: `Policy   rejected:\n${'x'.repeat(400)}` }
    const cut = refusalOf('aws', j(long))!
    expect(cut).toHaveLength(160)
    expect(cut).toMatch(/^Policy rejected: x+…$/)
  })

  it("Entra: a sign-in's error code and failureReason (Graph and diagnostic settings) with its additional details, else its code; an audit record's resultReason", () => {
    const signIn = {
      id: 's1',
      createdDateTime: '2026-11-10T08:00:00Z',
      userPrincipalName: 'ana@contoso.com',
      appDisplayName: 'Azure Portal',
      ipAddress: '203.0.113.9',
      status: { errorCode: 50126, failureReason: 'Error validating credentials due to invalid username or password.', additionalDetails: null }
    }
    expect(refusalOf('entra', j(signIn))).toBe('50126: Error validating credentials due to invalid username or password.')
    expect(refusalOf('entra', j({ ...signIn, status: { errorCode: 53003, failureReason: null } }))).toBe('53003')
    // The additional details say what the failure reason does not: who declined the MFA prompt.
    const declined = {
      errorCode: 500121,
      failureReason: 'Authentication failed during strong authentication request.',
      additionalDetails: 'MFA denied; user declined the authentication'
    }
    expect(refusalOf('entra', j({ ...signIn, status: declined }))).toBe(
      '500121: Authentication failed during strong authentication request. (MFA denied; user declined the authentication)'
    )
    const diag = { time: '2026-11-10T08:00:00Z', operationName: 'Sign-in activity', category: 'SignInLogs', resultType: '53003', properties: signIn }
    expect(refusalOf('entra', j(diag))).toBe('50126: Error validating credentials due to invalid username or password.')
    const audit = {
      id: 'Directory_1',
      category: 'RoleManagement',
      activityDateTime: '2026-11-10T08:00:00Z',
      activityDisplayName: 'Add member to role',
      result: 'failure',
      resultReason: 'Microsoft.Online.DirectoryServices.AuthorizationException',
      initiatedBy: { user: { userPrincipalName: 'ana@contoso.com', ipAddress: '203.0.113.9' } },
      targetResources: [{ type: 'Role', displayName: 'Global Administrator' }]
    }
    expect(refusalOf('entra', j(audit))).toBe('Microsoft.Online.DirectoryServices.AuthorizationException')
    // A Graph activity log record (diagnostic settings): the call's HTTP status.
    const graph = {
      time: '2026-11-10T08:00:00Z',
      operationName: 'Microsoft Graph Activity',
      category: 'MicrosoftGraphActivityLogs',
      resultSignature: '403',
      properties: {
        requestId: 'g1',
        requestMethod: 'POST',
        requestUri: 'https://graph.microsoft.com/v1.0/users/u1/authentication/phoneMethods',
        responseStatusCode: 403,
        appId: 'a1',
        ipAddress: '203.0.113.9'
      }
    }
    expect(refusalOf('entra', j(graph))).toBe('403')
  })

  it("Microsoft 365: a failed sign-in's LogonError", () => {
    const rec = {
      CreationTime: '2026-11-10T08:00:00',
      Id: 'm1',
      Operation: 'UserLoginFailed',
      RecordType: 15,
      ResultStatus: 'Failed',
      UserId: 'ana@contoso.com',
      Workload: 'AzureActiveDirectory',
      ClientIP: '203.0.113.9',
      LogonError: 'InvalidUserNameOrPassword',
      ErrorNumber: '50126'
    }
    expect(refusalOf('m365', j(rec))).toBe('InvalidUserNameOrPassword')
  })

  it("Google Workspace: a failed login's login_failure_type parameter", () => {
    const rec = {
      kind: 'admin#reports#activity',
      id: { time: '2026-11-10T08:00:00.000Z', uniqueQualifier: '-1', applicationName: 'login', customerId: 'C01' },
      actor: { callerType: 'USER', email: 'ana@example.com', profileId: '1' },
      ipAddress: '203.0.113.9',
      events: [
        {
          type: 'login',
          name: 'login_failure',
          parameters: [
            { name: 'login_type', value: 'google_password' },
            { name: 'login_failure_type', value: 'login_failure_invalid_password' }
          ]
        }
      ]
    }
    expect(refusalOf('google_workspace', j(rec))).toBe('login_failure_invalid_password')
    // An activity with several events: each event's own reason, by its number.
    const two = {
      ...rec,
      events: [
        { type: 'login', name: 'login_failure', parameters: [{ name: 'login_failure_type', value: 'login_failure_invalid_password' }] },
        { type: 'login', name: 'login_failure', parameters: [{ name: 'login_failure_type', value: 'login_failure_account_disabled' }] }
      ]
    }
    expect(refusalOf('google_workspace', j(two), 2)).toBe('login_failure_account_disabled')
    expect(refusalOf('google_workspace', j(two), 1)).toBe('login_failure_invalid_password')
  })

  it("Salesforce: a LoginHistory row's Status", () => {
    const rec = {
      attributes: { type: 'LoginHistory', url: '/services/data/v62.0/sobjects/LoginHistory/0Ya1' },
      Id: '0Ya1',
      UserId: '0051',
      LoginTime: '2026-11-10T08:00:00.000+0000',
      LoginType: 'Application',
      SourceIp: '203.0.113.9',
      Status: 'Invalid Password'
    }
    expect(refusalOf('salesforce', j(rec))).toBe('Invalid Password')
    // A Bulk API job that says only that it failed names no reason.
    const job = { EVENT_TYPE: 'BulkApi2', TIMESTAMP_DERIVED: '2026-11-10T08:00:00.000Z', REQUEST_ID: 'TID1', JOB_STATUS: 'Failed', ENTITY_NAME: 'Account' }
    expect(refusalOf('salesforce', j(job))).toBeNull()
    // A transaction security policy's own outcome names how it refused (Block, TwoFAFailedInvalidCode).
    const blocked = {
      ...rec,
      Status: undefined,
      attributes: { type: 'ReportEvent', url: '/services/data/v62.0/sobjects/ReportEvent/0Yq1' },
      EventIdentifier: 'e1',
      EventDate: '2026-11-10T08:00:00.000+0000',
      PolicyOutcome: 'Block'
    }
    expect(refusalOf('salesforce', j(blocked))).toBe('Block')
  })

  it("reads back which of a record's events a uid names, as eventUid writes it", () => {
    expect(eventViewOf(eventUid('google_workspace', 'login:2026-11-10T08:00:00.000Z:-1', '{}', 2))).toBe(2)
    expect(eventViewOf(eventUid('google_workspace', 'login:2026-11-10T08:00:00.000Z:-1', '{}', 0))).toBeUndefined()
    // A digest hides the event's number; no uid at all names none.
    expect(eventViewOf(eventUid('google_workspace', null, '{}', 2))).toBeUndefined()
    expect(eventViewOf(null)).toBeUndefined()
  })

  it('nothing when the record names no reason, is no record, or is not of the source named', () => {
    expect(
      refusalOf('aws', j({ eventVersion: '1.09', eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', eventTime: '2026-11-10T08:00:00Z' }))
    ).toBeNull()
    expect(refusalOf('aws', 'not json')).toBeNull()
    expect(refusalOf('aws', '[1]')).toBeNull()
    expect(refusalOf('okta', j({ errorCode: 'AccessDenied' }))).toBeNull()
    expect(refusalOf('generic', j({ errorCode: 'AccessDenied' }))).toBeNull()
  })
})
