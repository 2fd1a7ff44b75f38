import { describe, expect, it } from 'vitest'
import { normalize, recognise, type NormalizedEvent, type Rec } from '../../core/sources'

/** The record as the importer sees it: recognised by content, mapped by its source's declaration. */
const mapped = (r: Rec): NormalizedEvent => {
  const { mapping, record } = recognise(r)
  const views = mapping.views ? mapping.views(record) : [record]
  const out = normalize(mapping, views[0], JSON.stringify(r))
  if (!out.ok) throw new Error(out.reason)
  return out.event
}

// Each source's own context fields, in the shapes the vendors document (FORMATS.md): geo, network, ISO countries.
describe("each source's own context", () => {
  it('GitHub actor_location gives the country code', () => {
    const e = mapped({
      '@timestamp': 1741107600000,
      action: 'repo.download_zip',
      actor: 'octocat',
      actor_ip: '203.0.113.50',
      org: 'acme',
      actor_location: { country_code: 'DE' },
      _document_id: 'gh-doc-1'
    })
    expect(e).toMatchObject({ source: 'github', geoCountry: 'DE', srcIp: '203.0.113.50' })
  })

  it('GitHub: a machine user named as a bot is a service; a person whose login merely contains "bot" is not', () => {
    const as = (actor: string) =>
      mapped({ '@timestamp': 1741107600000, action: 'git.clone', actor, actor_is_bot: false, org: 'acme', repo: 'acme/api', _document_id: `gh-${actor}` })
    expect(as('acme-release-bot').actorType).toBe('service')
    expect(as('bot-deployer').actorType).toBe('service')
    expect(as('abbott').actorType).toBe('human')
    expect(as('botond-kovacs').actorType).toBe('human')
  })

  it('Salesforce login events give city, ISO country and coordinates', () => {
    const e = mapped({
      EventIdentifier: 'a1b2c3',
      EventDate: '2026-03-04T16:00:00.000Z',
      channel: '/event/LoginEventStream',
      Username: 'ann@acme.example',
      SourceIp: '198.51.100.9',
      City: 'Singapore',
      Country: 'Singapore',
      CountryIso: 'SG',
      Latitude: 1.2789,
      Longitude: 103.8536
    })
    expect(e).toMatchObject({ source: 'salesforce', geoCity: 'Singapore', geoCountry: 'SG', geoLat: 1.2789, geoLon: 103.8536 })
  })

  it('Salesforce records as SOQL returns them: LoginHistory rows and event log objects', () => {
    const login = (Status: string) =>
      mapped({
        attributes: { type: 'LoginHistory', url: '/services/data/v62.0/sobjects/LoginHistory/0Ya5g00000AbCdE' },
        Id: `0Ya5g00000AbCd${Status.length}`,
        UserId: '0055g00000Hc2VwAAJ',
        LoginTime: '2026-03-05T13:58:41.000+0000',
        LoginType: 'Application',
        SourceIp: '198.51.100.203',
        Browser: 'Edge 124',
        Platform: 'Windows 10',
        Status,
        Application: 'Browser'
      })
    expect(login('Success')).toMatchObject({
      source: 'salesforce',
      sourceType: 'LoginHistory',
      category: 'authentication',
      outcome: 'success',
      actorId: '0055g00000Hc2VwAAJ',
      // A row that names its user by id alone (LoginHistory UserId) is a person's, as an event log row's USER_ID is.
      actorType: 'human',
      srcIp: '198.51.100.203',
      timeUs: Date.parse('2026-03-05T13:58:41.000Z') * 1000
    })
    expect(login('Invalid Password').outcome).toBe('failure')
    expect(login('User is frozen').outcome).toBe('failure')
    const delivery = mapped({
      attributes: { type: 'ContentDistributionEventLog', url: '/services/data/v65.0/sobjects/ContentDistributionEventLog/0Zy8c000001AbCdE' },
      Id: '0Zy8c000001AbCdE',
      Action: 'INSERT',
      Timestamp: '2026-11-29T16:02:27.901+0000',
      UserIdentifier: '0058c00000D9pTn',
      ClientIp: '203.0.113.45'
    })
    // The action is the object's own field; the type, without "EventLog", names the event log file type.
    expect(delivery).toMatchObject({
      source: 'salesforce',
      sourceType: 'ContentDistribution',
      action: 'INSERT',
      actorId: '0058c00000D9pTn',
      srcIp: '203.0.113.45',
      timeUs: Date.parse('2026-11-29T16:02:27.901Z') * 1000
    })
    const bulk = mapped({
      attributes: { type: 'BulkApi2EventLog', url: '/services/data/v61.0/sobjects/BulkApi2EventLog/0Zy8c000001AbCdF' },
      Id: '0Zy8c000001AbCdF',
      Timestamp: '2026-11-29T16:05:00.000+0000',
      UserIdentifier: '0058c00000D9pTn'
    })
    expect(bulk.sourceType).toBe('BulkApi2')
    // Not Salesforce: an object that only looks like one.
    expect(recognise({ attributes: { type: 'LoginHistory', url: 'https://example.org/x' }, LoginTime: '2026-03-05T13:58:41Z' }).mapping.id).not.toBe(
      'salesforce'
    )
  })

  it('Google Workspace networkInfo gives the region and the AS Google resolved', () => {
    const e = mapped({
      kind: 'admin#reports#activity',
      id: { time: '2026-03-04T16:00:00.000Z', uniqueQualifier: '-42', applicationName: 'login', customerId: 'C01' },
      actor: { email: 'ann@acme.example', profileId: '1001', callerType: 'USER' },
      ipAddress: '198.51.100.30',
      networkInfo: { ipAsn: [9506], regionCode: 'SG', subdivisionCode: '' },
      events: [{ type: 'login', name: 'login_success' }]
    })
    expect(e).toMatchObject({ source: 'google_workspace', geoCountry: 'SG', asNumber: 9506 })
  })

  it('Entra sign-ins give location, ISO country and the AS number; an Okta country name becomes its code', () => {
    const entra = mapped({
      id: 'e-1',
      createdDateTime: '2026-03-04T16:00:00Z',
      appDisplayName: 'Office 365',
      userPrincipalName: 'ann@acme.example',
      ipAddress: '198.51.100.31',
      status: { errorCode: 0 },
      autonomousSystemNumber: 'AS8075',
      location: { city: 'Dublin', countryOrRegion: 'IE', geoCoordinates: { latitude: 53.35, longitude: -6.26 } }
    })
    expect(entra).toMatchObject({ source: 'entra', geoCity: 'Dublin', geoCountry: 'IE', geoLat: 53.35, asNumber: 8075 })
    // An ID Protection risk detection as Graph returns it: the user it names, where the risky activity came from, and when.
    const risk = mapped({
      id: '6e1b9d0c1f8a4c7e9b2d3a4f5e6d7c8b',
      requestId: '2f4e6d8c-1a3b-4c5d-9e7f-0a1b2c3d4e5f',
      correlationId: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
      riskEventType: 'anomalousToken',
      riskState: 'atRisk',
      riskLevel: 'high',
      source: 'IdentityProtection',
      detectionTimingType: 'offline',
      activity: 'signin',
      ipAddress: '203.0.113.71',
      location: { city: 'Amsterdam', countryOrRegion: 'NL', geoCoordinates: { latitude: 52.37, longitude: 4.89 } },
      activityDateTime: '2026-11-30T21:14:00Z',
      detectedDateTime: '2026-11-30T21:40:00Z',
      userId: '5d7c9b1a-3e2f-4a6b-8c0d-1e2f3a4b5c6d',
      userDisplayName: 'Chief Financial Officer',
      userPrincipalName: 'cfo@northwind.example'
    })
    expect(risk).toMatchObject({
      source: 'entra',
      sourceType: 'anomalousToken',
      identity: 'cfo@northwind.example',
      srcIp: '203.0.113.71',
      geoCountry: 'NL',
      timeUs: Date.parse('2026-11-30T21:14:00Z') * 1000
    })
    const okta = mapped({
      uuid: 'o-1',
      published: '2026-03-04T16:00:00Z',
      eventType: 'user.session.start',
      actor: { type: 'User', alternateId: 'ann@acme.example' },
      client: { ipAddress: '192.0.2.9', geographicalContext: { city: 'Paris', country: 'France', geolocation: { lat: 48.85, lon: 2.35 } } },
      securityContext: { asNumber: 3215, asOrg: 'Orange', isProxy: false }
    })
    expect(okta).toMatchObject({ geoCountry: 'FR', asNumber: 3215, asOrg: 'Orange', geoLat: 48.85 })
  })

  it('placeholders are no actor: all-zero GUIDs, Not Available, Unknown', () => {
    const e = mapped({
      CreationTime: '2026-03-04T16:00:00',
      Id: 'm-1',
      Operation: 'FileAccessed',
      RecordType: 6,
      Workload: 'SharePoint',
      UserId: 'Not Available',
      UserKey: '00000000-0000-0000-0000-000000000000',
      UserType: 0
    })
    expect(e).toMatchObject({ identity: null, actorId: null, actorName: null })
  })
})

// The record's own outcome: a failed risky call is reported as an attempt, so its failure must be read where the
// vendor writes it.
describe('what vouches for the hands behind a record', () => {
  const entra = (extra: Rec) => {
    const e = mapped({
      id: 'e-v',
      createdDateTime: '2026-03-04T16:00:00Z',
      appDisplayName: 'Office 365',
      userPrincipalName: 'ann@acme.example',
      ipAddress: '198.51.100.31',
      status: { errorCode: 0 },
      ...extra
    })
    expect(e.source).toBe('entra')
    return e
  }
  const method = (authenticationMethod: string, succeeded: unknown) => ({
    authenticationDetails: [
      { authenticationStepDateTime: '2026-03-04T16:00:00Z', authenticationMethod: 'Password', succeeded: true },
      { authenticationStepDateTime: '2026-03-04T16:00:01Z', authenticationMethod, authenticationMethodDetail: null, succeeded }
    ]
  })

  it('Entra: a phishing-resistant method that succeeded, or a device joined to the directory, as Graph and the portal write them', () => {
    expect(entra(method('FIDO2 security key', true)).vouches).toBe(true)
    expect(entra(method('Passkey (device-bound)', true)).vouches).toBe(true)
    expect(entra(method('Windows Hello for Business', true)).vouches).toBe(true)
    expect(entra(method('Windows Hello for Business', false)).vouches).toBe(false)
    expect(entra(method('Mobile app notification', true)).vouches).toBe(false)
    expect(entra({ deviceDetail: { trustType: 'Azure AD joined' } }).vouches).toBe(true)
    expect(entra({ deviceDetail: { trustType: 'AzureAd' } }).vouches).toBe(true)
    expect(entra({ deviceDetail: { trustType: 'ServerAd' } }).vouches).toBe(true)
    // A personal device registered to the user is not the organisation's.
    expect(entra({ deviceDetail: { trustType: 'Azure AD registered' } }).vouches).toBe(false)
    expect(entra({ deviceDetail: { trustType: 'Workplace' } }).vouches).toBe(false)
    expect(entra({}).vouches).toBe(false)
  })

  it('Entra: the same in diagnostic settings (properties) and in Log Analytics, where the details are JSON text', () => {
    const diagnostic = mapped({
      time: '2026-03-04T16:00:00Z',
      category: 'SignInLogs',
      operationName: 'Sign-in activity',
      properties: {
        id: 'e-d',
        createdDateTime: '2026-03-04T16:00:00Z',
        userPrincipalName: 'ann@acme.example',
        deviceDetail: { trustType: 'Hybrid Azure AD joined' }
      }
    })
    expect(diagnostic).toMatchObject({ source: 'entra', vouches: true })
    const analytics = mapped({
      TimeGenerated: '2026-03-04T16:00:00Z',
      Type: 'SigninLogs',
      Id: 'e-l',
      UserPrincipalName: 'ann@acme.example',
      AuthenticationDetails: JSON.stringify(method('FIDO2 security key', true).authenticationDetails)
    })
    expect(analytics).toMatchObject({ source: 'entra', vouches: true })
  })

  it("Google: only the sign-in event whose challenge was the user's security key or passkey", () => {
    const record = {
      kind: 'admin#reports#activity',
      id: { time: '2026-03-04T16:00:00.000Z', uniqueQualifier: '-4411', applicationName: 'login', customerId: 'C01' },
      actor: { email: 'ann@acme.example', profileId: '1001' },
      ipAddress: '198.51.100.4',
      events: [
        { type: 'login', name: 'login_success', parameters: [{ name: 'login_challenge_method', multiValue: ['password', 'google_authenticator'] }] },
        { type: 'login', name: 'login_success', parameters: [{ name: 'login_challenge_method', multiValue: ['password', 'security_key'] }] },
        { type: 'login', name: 'login_success', parameters: [{ name: 'login_challenge_method', multiValue: ['passkey'] }] }
      ]
    }
    const { mapping, record: r } = recognise(record)
    const views = mapping.views!(r)
    const vouches = views.map((v, i) => {
      const out = normalize(mapping, v, JSON.stringify(record), i)
      if (!out.ok) throw new Error(out.reason)
      return out.event.vouches
    })
    expect(vouches).toEqual([false, true, true])
  })

  it('Okta: a factor bound to the hardware, or a device Okta knew at a possible speed and no high risk', () => {
    const okta = (debugData: Rec) =>
      mapped({
        uuid: 'o-v',
        published: '2026-03-04T16:00:00Z',
        eventType: 'user.authentication.auth_via_mfa',
        actor: { type: 'User', alternateId: 'ann@acme.example' },
        debugContext: { debugData }
      }).vouches
    expect(okta({ factor: 'FIDO_WEBAUTHN' })).toBe(true)
    expect(okta({ factor: 'OKTA_VERIFY_PUSH' })).toBe(false)
    expect(okta({ behaviors: '{New Geo-Location=NEGATIVE, New Device=NEGATIVE, Velocity=NEGATIVE}' })).toBe(true)
    expect(okta({ behaviors: '{New Geo-Location=POSITIVE, New Device=NEGATIVE, Velocity=POSITIVE}' })).toBe(false)
    expect(okta({ behaviors: '{New Device=NEGATIVE}', risk: '{reasons=Anomalous Location, level=HIGH}' })).toBe(false)
    // Okta's log-only rating is its rating too.
    expect(okta({ behaviors: '{New Device=NEGATIVE}', logOnlySecurityData: '{"risk":{"reasons":"Anomalous Location","level":"HIGH"}}' })).toBe(false)
  })

  it('Okta: a record inside a session (the admin console opened) does not vouch by its device: a replayed session carries the cookie', () => {
    const record = (eventType: string) =>
      mapped({
        uuid: `o-${eventType}`,
        published: '2026-03-10T19:40:15.444Z',
        eventType,
        actor: { type: 'User', alternateId: 'dana@acme.example' },
        client: { ipAddress: '187.75.112.46' },
        debugContext: { debugData: { behaviors: '{New Geo-Location=NEGATIVE, New Device=NEGATIVE, New IP=NEGATIVE, Velocity=NEGATIVE}' } }
      }).vouches
    expect(record('user.session.access_admin_app')).toBe(false)
    expect(record('user.authentication.sso')).toBe(false)
    expect(record('user.session.start')).toBe(true)
    expect(record('policy.evaluate_sign_on')).toBe(true)
  })
})

describe('what an admin record was done to', () => {
  const admin = (name: string, parameters: unknown[]) => {
    const record = {
      kind: 'admin#reports#activity',
      id: { time: '2026-03-11T21:47:03.285Z', uniqueQualifier: '-71', applicationName: 'admin', customerId: 'C03qmg7xk' },
      actor: { callerType: 'USER', email: 'it-admin@acme.example', profileId: '1001' },
      ipAddress: '198.51.100.4',
      events: [{ type: 'SECURITY_SETTINGS', name, parameters }]
    }
    return mapped(record)
  }

  it('Google: the app an admin trusted or gave domain-wide delegation, by its client id and name', () => {
    expect(
      admin('ADD_TO_TRUSTED_OAUTH2_APPS', [
        { name: 'OAUTH2_APP_NAME', value: 'MailBridge Archive Connector' },
        { name: 'OAUTH2_APP_ID', value: '110398472615093847261' },
        { name: 'OAUTH2_APP_TYPE', value: 'Web application' }
      ])
    ).toMatchObject({ targetId: '110398472615093847261', targetName: 'MailBridge Archive Connector' })
    expect(admin('AUTHORIZE_API_CLIENT_ACCESS', [{ name: 'API_CLIENT_NAME', value: '110398472615093847261' }])).toMatchObject({
      targetId: '110398472615093847261',
      targetName: '110398472615093847261'
    })
  })
})

describe('what a GitHub record was done to', () => {
  it('is the repository a git event names as `repository`, as others name it `repo`', () => {
    const clone = mapped({
      '@timestamp': 1773241918464,
      _document_id: 'gh-clone-1',
      action: 'git.clone',
      actor: 'dkessler',
      actor_ip: '86.150.72.141',
      org: 'lintwood-media',
      repository: 'lintwood-media/motion-graphics-templates',
      repository_public: false,
      transport_protocol_name: 'http'
    })
    expect(clone).toMatchObject({ targetType: 'repository', targetName: 'lintwood-media/motion-graphics-templates' })
    const member = mapped({
      '@timestamp': 1773241918464,
      _document_id: 'gh-member-1',
      action: 'org.add_member',
      actor: 'it-admin',
      org: 'lintwood-media',
      user: 'new-hire'
    })
    expect(member).toMatchObject({ targetType: 'user', targetName: 'new-hire' })
  })
})

describe('what a CloudTrail call was done to', () => {
  const call = (eventSource: string, eventName: string, requestParameters: Rec) =>
    mapped({
      eventVersion: '1.09',
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLE1',
        arn: 'arn:aws:iam::731948260153:user/rmehta',
        accountId: '731948260153',
        accessKeyId: 'AKIA2W6QPZ4NXBLE7R3D',
        userName: 'rmehta'
      },
      eventTime: '2026-03-10T02:14:09Z',
      eventSource,
      eventName,
      awsRegion: 'ap-northeast-1',
      sourceIPAddress: '159.223.62.118',
      userAgent: 'Boto3/1.35.99',
      requestParameters,
      responseElements: null,
      eventID: `ct-${eventName}`,
      eventType: 'AwsApiCall',
      recipientAccountId: '731948260153'
    })

  it('is what the call named when it names no user, bucket, key or name: the model, the secret, the role, the key pair', () => {
    expect(call('bedrock.amazonaws.com', 'InvokeModel', { modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0' }).targetName).toBe(
      'anthropic.claude-3-5-sonnet-20240620-v1:0'
    )
    expect(call('secretsmanager.amazonaws.com', 'GetSecretValue', { secretId: 'prod/payments/stripe' }).targetName).toBe('prod/payments/stripe')
    expect(call('iam.amazonaws.com', 'PutRolePolicy', { roleName: 'gha-deploy', policyName: 'inline-admin' }).targetName).toBe('gha-deploy')
    expect(call('ec2.amazonaws.com', 'ImportKeyPair', { keyName: 'ops-recovery' }).targetName).toBe('ops-recovery')
    expect(call('kms.amazonaws.com', 'PutKeyPolicy', { keyId: 'alias/lm-prod-ebs', policyName: 'default', policy: '{}' }).targetName).toBe('alias/lm-prod-ebs')
    // The user a key is made for still comes first.
    expect(
      call('iam.amazonaws.com', 'AttachUserPolicy', { userName: 'svc-datasync', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }).targetName
    ).toBe('svc-datasync')
  })
})

describe('who acted, as the record says', () => {
  it("M365: SharePoint's app@sharepoint is an app with app-only access, named by the client app the record gives", () => {
    const sp = (extra: Record<string, unknown>) =>
      mapped({
        Id: `sp-app-${Object.keys(extra).length}`,
        RecordType: 6,
        CreationTime: '2026-03-13T02:11:37',
        Operation: 'FileDownloaded',
        OrganizationId: '6f3c2a91-8d4e-4b7a-9c15-2e7f0b3d5a68',
        UserType: 0,
        UserKey: 'i:0i.t|00000003-0000-0ff1-ce00-000000000000|app@sharepoint',
        Workload: 'SharePoint',
        UserId: 'app@sharepoint',
        ...extra
      })
    expect(sp({ AppAccessContext: { ClientAppId: '9e1c7b53-2f84-4a06-b3d9-6a0e5c1f827d', ClientAppName: 'Backup Connector' } })).toMatchObject({
      actorType: 'service',
      identity: 'backup connector'
    })
    // SharePoint's own records of an app name it as ApplicationDisplayName beside its id.
    expect(sp({ ApplicationId: '1f8b3d72-5a4e-4c09-b6e1-7d20c9a53f84', ApplicationDisplayName: 'DocuFlow Publisher' })).toMatchObject({
      actorType: 'service',
      actorName: 'DocuFlow Publisher',
      identity: 'docuflow publisher'
    })
    expect(sp({ ApplicationId: '1f8b3d72-5a4e-4c09-b6e1-7d20c9a53f84' })).toMatchObject({ identity: '1f8b3d72-5a4e-4c09-b6e1-7d20c9a53f84' })
    expect(sp({})).toMatchObject({ actorType: 'service', identity: 'app@sharepoint' })
  })

  it("M365: a third-party app working in a mailbox through REST with the user's token is the app's, acting for the user; Microsoft's own clients stay the user's", () => {
    const rule = (ClientAppName: string | null, ClientInfoString = 'Client=REST;Client=RESTSystem;;') =>
      mapped({
        CreationTime: '2026-03-11T08:03:27',
        Id: `f740617b-0601-5f9a-bd4d-${String(ClientAppName).length}${ClientInfoString.length}`,
        Operation: 'UpdateInboxRules',
        RecordType: 2,
        ResultStatus: 'Succeeded',
        UserType: 0,
        Workload: 'Exchange',
        UserId: 'ingrid.dahl@acme.example',
        ClientIPAddress: '34.122.81.9',
        ClientInfoString,
        ...(ClientAppName ? { AppAccessContext: { AADSessionId: '02c79f67-5a78', ClientAppId: '3c5e8a1f-72d4', ClientAppName } } : {})
      })
    expect(rule('DocuFlow Sync')).toMatchObject({
      actorType: 'service',
      actorName: 'DocuFlow Sync',
      identity: 'docuflow sync',
      actingFor: 'ingrid.dahl@acme.example'
    })
    for (const own of [
      'Microsoft Outlook',
      'One Outlook Web',
      'Outlook Mobile',
      'TenantWorkflowEngine',
      'Unknown',
      '3c5e8a1f-72d4-4b9e-a06c-e81f2d4b7c95',
      null
    ])
      expect(rule(own), String(own)).toMatchObject({
        actorType: 'human',
        actorName: 'ingrid.dahl@acme.example',
        identity: 'ingrid.dahl@acme.example',
        actingFor: null
      })
    // Outlook on the desktop (MAPI) with the app's name in the context is still the user at work.
    expect(rule('DocuFlow Sync', 'Client=MSExchangeRPC')).toMatchObject({ actorType: 'human', actingFor: null })
  })

  it('M365: an Entra record of a ServicePrincipal_<id> user is named by the application its Actor list names', () => {
    const reset = (Actor: unknown) =>
      mapped({
        Id: `aad-sp-${JSON.stringify(Actor).length}`,
        RecordType: 8,
        CreationTime: '2026-03-11T04:11:20',
        Operation: 'Reset user password.',
        OrganizationId: '5f3c8e21-7a4b-4d9e-b6c2-91e0a4d7f338',
        ResultStatus: 'Failure',
        UserType: 5,
        UserKey: 'Not Available',
        Workload: 'AzureActiveDirectory',
        ObjectId: 'ben@acme.example',
        UserId: 'ServicePrincipal_7b1e4d9a-3f6c-42a8-b5e0-9c2d7f1a4e86',
        Actor
      })
    expect(
      reset([
        { ID: 'Helpdesk-Automation', Type: 1 },
        { ID: 'ServicePrincipal_7b1e4d9a-3f6c-42a8-b5e0-9c2d7f1a4e86', Type: 2 }
      ])
    ).toMatchObject({ actorType: 'service', identity: 'helpdesk-automation' })
    expect(reset([{ ID: 'ServicePrincipal_7b1e4d9a-3f6c-42a8-b5e0-9c2d7f1a4e86', Type: 2 }])).toMatchObject({
      identity: 'serviceprincipal_7b1e4d9a-3f6c-42a8-b5e0-9c2d7f1a4e86'
    })
  })

  it("Google Workspace: a web app's API call with a user's token is the app's, acting for the user; an installed app's is the user's", () => {
    const call = (client_type: string, app_name = 'Larkspur Backup Connector') =>
      mapped({
        kind: 'admin#reports#activity',
        id: { time: '2026-03-11T07:00:12.386Z', uniqueQualifier: `tok-${client_type}-${app_name}`, applicationName: 'token', customerId: 'C0' },
        actor: { callerType: 'USER', email: 'marcus@acme.example', profileId: '1' },
        ipAddress: '54.186.77.201',
        events: [
          {
            type: 'auth',
            name: 'activity',
            parameters: [
              { name: 'api_name', value: 'drive' },
              { name: 'method_name', value: 'drive.files.list' },
              { name: 'client_id', value: '3842897.apps.googleusercontent.com' },
              { name: 'app_name', value: app_name },
              { name: 'client_type', value: client_type }
            ]
          }
        ]
      })
    expect(call('WEB')).toMatchObject({ actorType: 'service', identity: 'larkspur backup connector', actingFor: 'marcus@acme.example' })
    expect(call('WEB', 'Claude for Google Drive')).toMatchObject({ actorType: 'agent', actingFor: 'marcus@acme.example' })
    expect(call('NATIVE_IOS', 'Gmail')).toMatchObject({ actorType: 'human', identity: 'marcus@acme.example', actingFor: null })
  })

  it('Salesforce: a login by the OAuth client credentials flow is an app, whatever user it runs as', () => {
    const login = (LOGIN_SUB_TYPE: string, USER_NAME = 'maria.lopez@acme.example') =>
      mapped({
        EVENT_TYPE: 'Login',
        TIMESTAMP: '20260312060003.218',
        REQUEST_ID: `req-${LOGIN_SUB_TYPE}`,
        USER_ID: '0055g00000BxQ9z',
        USER_TYPE: 'Standard',
        USER_NAME,
        URI: '/services/oauth2/token',
        LOGIN_SUB_TYPE
      }).actorType
    expect(login('oauthclientcredentials')).toBe('service')
    expect(login('')).toBe('human')
    // A Standard user named as a service account (the shipped classification's svc.…, integration.…) is one, as is a
    // vendor's account named for what it does (its API, ETL, provisioning, deployer or automation account).
    const named: [string, string][] = [
      ['svc.sync@acme.example', 'service'],
      ['integration.snowflake@acme.example', 'service'],
      ['mulesoft.integration@acme.example', 'service'],
      ['etl.snowflake@acme.example', 'service'],
      ['calyptra.api@acme.example', 'service'],
      ['calyptra.etl@acme.example', 'service'],
      ['calyptra.provisioning@acme.example', 'service'],
      ['calyptra-deployer', 'service'],
      ['calyptra-automation', 'service'],
      ['etlin.berg@acme.example', 'human'],
      ['api.garcia@acme.example', 'human'],
      ['maria.apiary@acme.example', 'human']
    ]
    for (const [name, type] of named) expect(login('', name), name).toBe(type)
    // The mail domain is no part of the name.
    expect(login('', 'anna.berg@corp-integration.example')).toBe('human')
  })

  it("Salesforce: an API call through a connected app named as an AI client is the agent's, for the user", () => {
    const api = (Application: string, type = 'ApiEvent') =>
      mapped({
        EventIdentifier: `e-${Application}-${type}`,
        EventDate: '2026-11-12T14:36:18.095+0000',
        Application,
        Operation: 'Query',
        QueriedEntities: 'Contact',
        SourceIp: '34.226.71.118',
        UserId: '0055g00000Tn3FeAAJ',
        Username: 'sara.lindholm@acme.example',
        attributes: { type }
      })
    expect(api('Clearwater AI Assistant')).toMatchObject({
      actorType: 'agent',
      actorName: 'Clearwater AI Assistant',
      identity: 'clearwater ai assistant',
      actingFor: 'sara.lindholm@acme.example'
    })
    expect(api('Agentforce')).toMatchObject({ actorType: 'agent', actingFor: 'sara.lindholm@acme.example' })
    expect(api('Data Loader')).toMatchObject({ actorType: 'human', identity: 'sara.lindholm@acme.example', actingFor: null })
    // Signing in to such an app is the person's own sign-in.
    expect(api('Clearwater AI Assistant', 'LoginEvent')).toMatchObject({ actorType: 'human', identity: 'sara.lindholm@acme.example', actingFor: null })
  })

  it("Salesforce: a Setup change Einstein made (CreatedByContext) is the agent's, in the Setup session of the user the row names", () => {
    const setup = (CreatedByContext: string | null) =>
      mapped({
        attributes: { type: 'SetupAuditTrail', url: '/services/data/v62.0/sobjects/SetupAuditTrail/0Ym8d00000kLioayMB' },
        Id: `0Ym8d00000kLioa${CreatedByContext ?? 'none'}`,
        Action: 'PermSetEnableUserPerm',
        Section: 'Manage Users',
        CreatedDate: '2026-11-09T11:27:55.000+0000',
        CreatedById: '0058d00000jvVnSIDZ',
        CreatedBy: { attributes: { type: 'User' }, Username: 'ayesha.siddiqui@acme.example' },
        Display: 'Changed permission set Service_Agent_Access: View All Data permission was changed from disabled to enabled',
        DelegateUser: null,
        CreatedByContext,
        CreatedByIssuer: null
      })
    expect(setup('Einstein')).toMatchObject({ actorType: 'agent', identity: 'einstein', actingFor: 'ayesha.siddiqui@acme.example' })
    expect(setup(null)).toMatchObject({ actorType: 'human', identity: 'ayesha.siddiqui@acme.example', actingFor: null })
  })

  it('CloudTrail: an assumed role is a person when Identity Center, a source identity, the console, MFA or a person-like session name says so; else a workload', () => {
    const role = (session: string, extra: Record<string, unknown> = {}, attributes: Record<string, unknown> = { mfaAuthenticated: 'false' }) =>
      mapped({
        eventVersion: '1.09',
        eventID: `ev-${session}-${JSON.stringify(extra)}-${JSON.stringify(attributes)}`,
        eventTime: '2026-03-11T03:22:10Z',
        eventSource: 'guardduty.amazonaws.com',
        eventName: 'DeleteDetector',
        sourceIPAddress: '45.134.26.91',
        userIdentity: {
          type: 'AssumedRole',
          arn: `arn:aws:sts::730265148891:assumed-role/OrganizationAccountAccessRole/${session}`,
          accountId: '730265148891',
          sessionContext: { sessionIssuer: { type: 'Role', userName: 'OrganizationAccountAccessRole' }, attributes }
        },
        ...extra
      }).actorType
    expect(role('sam.okafor')).toBe('human')
    expect(role('sam@acme.example')).toBe('human')
    expect(role('1730265148', { sessionCredentialFromConsole: 'true' })).toBe('human')
    expect(role('botocore-session-1730265148', {}, { mfaAuthenticated: 'true' })).toBe('human')
    expect(role('botocore-session-1730265148')).toBe('service')
    expect(role('i-0abc12de34f567890')).toBe('service')
    expect(role('order-processor')).toBe('service')
  })

  it('CloudTrail: IAM Identity Center handing a role to the CLI is a sign-in by the user its portal records name', () => {
    const portal = (userIdentity: Record<string, unknown>) =>
      mapped({
        eventVersion: '1.10',
        eventID: `ev-sso-${JSON.stringify(userIdentity).length}`,
        eventTime: '2026-03-12T06:12:40Z',
        eventSource: 'sso.amazonaws.com',
        eventName: 'GetRoleCredentials',
        awsRegion: 'us-west-2',
        sourceIPAddress: '45.77.54.210',
        userAgent: 'aws-cli/2.17.20 md/command#s3api.list-buckets',
        requestParameters: { roleName: 'PlatformEngineer', accountId: '418295730164' },
        responseElements: null,
        userIdentity
      })
    const onBehalfOf = { userId: '94c8e4a8-7051-70f2-3b1e-6a5d2f0c91b4', identityStoreArn: 'arn:aws:identitystore::550913887204:identitystore/d-9267a3c1f0' }
    // The older shape names the user as the IdP does; the IdentityCenterUser shape gives the identity store's id alone.
    expect(
      portal({ type: 'Unknown', principalId: onBehalfOf.userId, accountId: '550913887204', userName: 'priya.raman@graniteridge.co', onBehalfOf })
    ).toMatchObject({
      category: 'authentication',
      identity: 'priya.raman@graniteridge.co'
    })
    expect(portal({ type: 'IdentityCenterUser', accountId: '550913887204', onBehalfOf, credentialId: 'b1bd0b29' })).toMatchObject({
      category: 'authentication',
      identity: onBehalfOf.userId
    })
  })

  it("CloudTrail: Sentinel's AWSCloudTrail table (flattened columns, JSON text) reads as the CloudTrail record it holds", () => {
    const row = (extra: Record<string, unknown>) =>
      mapped({
        TimeGenerated: '2026-11-05T22:09:31.0000000Z',
        AwsEventId: 'd46390e8-47fa-4313-8ec4-578a5b905ad2',
        EventVersion: '1.10',
        EventSource: 'iam.amazonaws.com',
        EventTypeName: 'AwsApiCall',
        EventName: 'CreateAccessKey',
        UserIdentityType: 'IAMUser',
        UserIdentityPrincipalid: 'AIDANZG9DA8OLSPRNVDRD',
        UserIdentityArn: 'arn:aws:iam::418275930164:user/kofi.mensah',
        UserIdentityAccountId: '418275930164',
        UserIdentityAccessKeyId: 'AKIAZP1P5DPGE7SRCSIU',
        UserIdentityUserName: 'kofi.mensah',
        SessionIssuerUserName: '',
        SourceIpAddress: '41.215.160.73',
        UserAgent: 'aws-cli/2.18.12 md/command#iam.create-access-key',
        ErrorCode: '',
        RequestParameters: '{"userName":"svc-genomics-etl"}',
        RecipientAccountId: '418275930164',
        Type: 'AWSCloudTrail',
        ...extra
      })
    expect(row({})).toMatchObject({
      source: 'aws',
      uid: 'aws:d46390e8-47fa-4313-8ec4-578a5b905ad2',
      sourceType: 'iam.amazonaws.com:CreateAccessKey',
      outcome: 'success',
      actorType: 'human',
      actorName: 'kofi.mensah',
      identity: 'kofi.mensah',
      srcIp: '41.215.160.73'
    })
    expect(row({ ErrorCode: 'AccessDenied', ErrorMessage: 'not authorized' }).outcome).toBe('failure')
    // An assumed role's session issuer comes from its own columns.
    const role = row({
      UserIdentityType: 'AssumedRole',
      UserIdentityArn: 'arn:aws:sts::418275930164:assumed-role/AWSReservedSSO_Admin_0f1e/maria.lopez@acme.example',
      UserIdentityUserName: '',
      SessionIssuerType: 'Role',
      SessionIssuerUserName: 'AWSReservedSSO_Admin_0f1e'
    })
    expect(role).toMatchObject({ actorType: 'human', identity: 'maria.lopez@acme.example' })
  })

  it("CloudTrail: a role that runs an AI agent's actions is the agent's; a CI pipeline's or a pod's web identity is a workload, an app user's a person", () => {
    const role = (issuer: string) =>
      mapped({
        eventVersion: '1.11',
        eventID: `ev-role-${issuer}`,
        eventTime: '2026-03-13T01:23:08Z',
        eventSource: 's3.amazonaws.com',
        eventName: 'PutBucketPolicy',
        sourceIPAddress: '35.161.84.203',
        userIdentity: {
          type: 'AssumedRole',
          arn: `arn:aws:sts::482913570264:assumed-role/${issuer}/tools-7f3a`,
          sessionContext: { sessionIssuer: { type: 'Role', userName: issuer }, attributes: { mfaAuthenticated: 'false' } }
        }
      }).actorType
    expect(role('AmazonBedrockExecutionRoleForAgents_OPS1')).toBe('agent')
    // A role session started by a person (its source identity).
    const started = (eventID: string, role: string, session: string, person: string) =>
      mapped({
        eventVersion: '1.11',
        eventID,
        eventTime: '2026-03-11T20:16:48Z',
        eventSource: 's3.amazonaws.com',
        eventName: 'PutBucketPolicy',
        sourceIPAddress: '3.91.207.44',
        userIdentity: {
          type: 'AssumedRole',
          arn: `arn:aws:sts::482910375561:assumed-role/${role}/${session}`,
          sessionContext: { sessionIssuer: { type: 'Role', userName: role }, attributes: { mfaAuthenticated: 'false' }, sourceIdentity: person }
        }
      })
    const run = started('ev-agent-run', 'AIAgent-OpsAssistant', 'ops-assistant-run-7f3e2a', 'diego.ferreira@acme.example')
    // Started by a person (its source identity), the run is still the agent's, for that person, apart from their sessions.
    expect(run).toMatchObject({ actorType: 'agent', identity: 'aiagent-opsassistant', actingFor: 'diego.ferreira@acme.example' })
    expect(run.sessionKeys?.sourceIdentity).toBeUndefined()
    expect(role('support-ai-agent-actiongroup')).toBe('agent')
    expect(role('datadog-agent')).toBe('service')
    // A role named for its task, whose session names the agent that runs under it.
    const session = started('ev-agent-session', 'claims-helper-role', 'bedrock-agent-CLMASSIST-7Q2K', 'nadia.haddad@acme.example')
    expect(session).toMatchObject({ actorType: 'agent', identity: 'claims-helper-role', actingFor: 'nadia.haddad@acme.example' })
    expect(role('order-processor')).toBe('service')
    // A role named as an agent, carrying a person's source identity: an agent working for that person. Without a
    // person beside it (a monitoring agent's role) it stays a service.
    expect(started('ev-agent-itops', 'bw-itops-agent-role', 'itops-agent-3b91e0', 'gustavo.ibarra@acme.example')).toMatchObject({
      actorType: 'agent',
      identity: 'bw-itops-agent-role',
      actingFor: 'gustavo.ibarra@acme.example'
    })
    expect(role('bw-itops-agent-role')).toBe('service')
    // A person's own names are not an agent's: an Identity Center permission set for an AI platform's admins, a
    // session named by an address whose domain spells "llm", a knowledge base's role syncing its documents.
    expect(started('ev-sso-ai', 'AWSReservedSSO_AIPlatformAdmin_5b1e', 'yara.haddad@brightwellmaritime.example', '').actorType).toBe('human')
    expect(started('ev-sso-llm', 'AWSReservedSSO_Analyst_9c41', 'priya.iyer@brightwellmaritime.example', '').actorType).toBe('human')
    expect(role('AmazonBedrockExecutionRoleForKnowledgeBase_hrkb')).toBe('service')
    expect(role('llm-gateway-role')).toBe('agent')
    // An AgentCore runtime asking for a workload access token for the user it serves acts for that user.
    const token = mapped({
      eventVersion: '1.11',
      eventID: 'ev-agentcore-token',
      eventTime: '2026-11-23T19:43:13Z',
      eventSource: 'bedrock-agentcore.amazonaws.com',
      eventName: 'GetWorkloadAccessTokenForUserId',
      sourceIPAddress: 'bedrock-agentcore.amazonaws.com',
      requestParameters: { workloadName: 'crew-concierge', userId: 'lerato.mokoena@acme.example' },
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::418295630174:assumed-role/AgentCoreRuntime-CrewConcierge-role/BedrockAgentCore-7f7a3b40',
        sessionContext: { sessionIssuer: { type: 'Role', userName: 'AgentCoreRuntime-CrewConcierge-role' } }
      }
    })
    expect(token).toMatchObject({ actorType: 'agent', actingFor: 'lerato.mokoena@acme.example' })
    // An agent framework in the SDK's user agent (AWS Strands Agents) under a role named for its task.
    const framework = mapped({
      eventVersion: '1.11',
      eventID: 'ev-agent-strands',
      eventTime: '2026-03-11T20:16:48Z',
      eventSource: 'iam.amazonaws.com',
      eventName: 'AttachUserPolicy',
      sourceIPAddress: '3.248.191.40',
      userAgent: 'strands-agents/1.9.0 Boto3/1.40.55 md/Botocore#1.40.55 ua/2.1 exec-env/AWS_Lambda_python3.12',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::482910375561:assumed-role/lsm-ops-exec/run-8f41c2',
        sessionContext: { sessionIssuer: { type: 'Role', userName: 'lsm-ops-exec' }, sourceIdentity: 'orla.brennan@acme.example' }
      }
    })
    expect(framework).toMatchObject({ actorType: 'agent', identity: 'lsm-ops-exec', actingFor: 'orla.brennan@acme.example' })
    const web = (identityProvider: string, userName: string) =>
      mapped({
        eventVersion: '1.09',
        eventID: `ev-web-${identityProvider}-${userName}`,
        eventTime: '2026-03-12T09:14:02Z',
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRoleWithWebIdentity',
        sourceIPAddress: '20.172.29.71',
        userIdentity: { type: 'WebIdentityUser', principalId: `${identityProvider}:sts.amazonaws.com:${userName}`, userName, identityProvider }
      }).actorType
    expect(web('arn:aws:iam::482913570264:oidc-provider/token.actions.githubusercontent.com', 'repo:acme/infra:ref:refs/heads/main')).toBe('service')
    expect(web('arn:aws:iam::482913570264:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/5C1E', 'system:serviceaccount:payments:api')).toBe('service')
    expect(web('accounts.google.com', '104857362019485720391')).toBe('human')
    expect(web('cognito-identity.amazonaws.com', 'us-east-1:7d3c2a91-5d8e-4b6a-9c1f-2e4d8a6b3c70')).toBe('human')
  })

  it("AWS: a service's own event and SCIM provisioning are a service's; another account's caller is a person when its session names one", () => {
    const rotation = mapped({
      eventVersion: '1.11',
      eventID: 'ev-kms-rotate',
      eventTime: '2026-11-02T00:41:59Z',
      eventSource: 'kms.amazonaws.com',
      eventName: 'RotateKey',
      eventType: 'AwsServiceEvent',
      sourceIPAddress: 'AWS Internal',
      userIdentity: { accountId: '339104872265', invokedBy: 'AWS Internal' },
      serviceEventDetails: { rotationType: 'AUTOMATIC' }
    })
    expect(rotation.actorType).toBe('service')
    const scim = (eventSource: string) =>
      mapped({
        eventVersion: '1.10',
        eventID: `ev-scim-${eventSource}`,
        eventTime: '2026-11-09T13:44:07Z',
        eventSource,
        eventName: 'CreateUser',
        eventType: 'AwsApiCall',
        sourceIPAddress: '52.4.186.19',
        userAgent: 'Okta SCIM Client 1.0.0',
        userIdentity: { type: 'WebIdentityUser', accountId: '418295730164', accessKeyId: '9ef0d9b7-61fe-48f5-bdd2-1b2532a3284b' }
      }).actorType
    expect(scim('identitystore-scim.amazonaws.com')).toBe('service')
    const other = (principalId: string) =>
      mapped({
        eventVersion: '1.11',
        eventID: `ev-account-${principalId}`,
        eventTime: '2026-11-16T07:44:02Z',
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        sourceIPAddress: '88.230.14.92',
        userIdentity: { type: 'AWSAccount', principalId, accountId: '731846205592' }
      }).actorType
    expect(other('AROAJPWYMDOB55WS6UTTM:elif.yilmaz@msp.example')).toBe('human')
    expect(other('AROAJPWYMDOB55WS6UTTM:backup-job')).toBe('service')
    expect(other('731846205592')).toBe('service')

    expect(scim('identitystore.amazonaws.com')).toBe('human')
  })

  it("Google Workspace: what Gemini did in an app at a user's request is the agent Gemini, acting for that user", () => {
    const activity = (applicationName: string) =>
      mapped({
        kind: 'admin#reports#activity',
        id: { time: '2026-03-11T18:05:12.331Z', uniqueQualifier: `-44173-${applicationName}`, applicationName, customerId: 'C03hldn7q' },
        actor: { callerType: 'USER', email: 'lena.vogt@acme.example', profileId: '107829345610293847561' },
        ipAddress: '73.162.44.201',
        events: [
          {
            type: 'ai_usage_event',
            name: 'feature_utilization',
            parameters: [
              { name: 'action', value: 'summarize' },
              { name: 'app_name', value: 'gmail' }
            ]
          }
        ]
      })
    expect(activity('gemini_in_workspace_apps')).toMatchObject({ actorType: 'agent', identity: 'gemini', actingFor: 'lena.vogt@acme.example' })
    expect(activity('drive')).toMatchObject({ actorType: 'human', identity: 'lena.vogt@acme.example', actingFor: null })
  })

  it('Google Workspace: isAgenticAction says whether an agent performed the activity, whatever the app log', () => {
    const activity = (applicationName: string, extra: Record<string, unknown>) =>
      mapped({
        kind: 'admin#reports#activity',
        id: { time: '2026-11-06T10:02:55.904Z', uniqueQualifier: `-50692-${applicationName}`, applicationName, customerId: 'C04qmb7xk' },
        actor: { callerType: 'USER', email: 'hanna.lind@acme.example', profileId: '108910177683921110126' },
        ipAddress: '81.236.52.14',
        ...extra,
        events: [{ type: 'acl_change', name: 'change_document_visibility', parameters: [{ name: 'visibility', value: 'people_with_link' }] }]
      })
    // An agent acted and the record does not name it: an AI agent, for the user the record names.
    expect(activity('drive', { isAgenticAction: true })).toMatchObject({ actorType: 'agent', identity: 'ai agent', actingFor: 'hanna.lind@acme.example' })
    // Named by the app that acted.
    const app = {
      actor: { callerType: 'USER', email: 'hanna.lind@acme.example', applicationInfo: { applicationName: 'Cortexa Research', impersonation: false } }
    }
    expect(activity('drive', { isAgenticAction: true, ...app })).toMatchObject({
      actorType: 'agent',
      identity: 'cortexa research',
      actingFor: 'hanna.lind@acme.example'
    })
    expect(activity('drive', { isAgenticAction: false, ...app })).toMatchObject({ actorType: 'service', identity: 'cortexa research' })
    // The user used a Gemini feature: the record says no agent acted.
    expect(activity('gemini_in_workspace_apps', { isAgenticAction: false })).toMatchObject({
      actorType: 'human',
      identity: 'hanna.lind@acme.example',
      actingFor: null
    })
    expect(activity('gemini_in_workspace_apps', { isAgenticAction: true })).toMatchObject({ actorType: 'agent', identity: 'gemini' })
  })

  it("GitHub: an agentic event (actor_is_agent) is the agent's, acting for the person who started it (user)", () => {
    const event = (fields: Record<string, unknown>) =>
      mapped({
        '@timestamp': 1773140787552,
        _document_id: `doc-${JSON.stringify(fields)}`,
        action: 'pull_request.create',
        actor_id: 198982749,
        org: 'acme',
        repo: 'acme/sim',
        user: 'tibarra',
        ...fields
      })
    expect(event({ actor: 'Copilot', actor_is_agent: true, agent_session_id: '4c9e1b27' })).toMatchObject({
      actorType: 'agent',
      identity: 'copilot',
      actingFor: 'tibarra'
    })
    expect(event({ actor: 'review-runner', actor_is_agent: true, external_identity_nameid: 'ti.barra@acme.example' })).toMatchObject({
      actorType: 'agent',
      identity: 'review-runner',
      actingFor: 'tibarra'
    })
    expect(event({ actor: 'tibarra', external_identity_nameid: 'ti.barra@acme.example' })).toMatchObject({
      actorType: 'human',
      identity: 'ti.barra@acme.example',
      actingFor: null
    })
  })

  it('Salesforce: a Login-As row, which names no user type, is a person (the admin it names as the delegated user)', () => {
    const row = (fields: Record<string, unknown>) =>
      mapped({
        EVENT_TYPE: 'LoginAs',
        TIMESTAMP: '20260312182240.117',
        REQUEST_ID: 'req-la',
        USER_ID: '0055j00000CnQ2a',
        URI: '/servlet/servlet.su',
        ...fields
      }).actorType
    expect(row({ DELEGATED_USER_NAME: 'admin@acme.example', DELEGATED_USER_ID: '0055j00000AbX1q' })).toBe('human')
    expect(row({})).toBe('unknown')
  })
})

describe("each source's own outcome", () => {
  const sf = (fields: Record<string, unknown>) =>
    mapped({ EVENT_TYPE: 'RestApi', TIMESTAMP: '20261119225114.203', USER_ID: '0055g00000Gh6VC', ...fields }).outcome

  it('Salesforce event log rows: REQUEST_STATUS F, A (authorization error) and N fail, S succeeds; an exception, a Bulk API batch that processed nothing or a failed Bulk API 2.0 job fails', () => {
    expect(sf({ REQUEST_STATUS: 'S' })).toBe('success')
    expect(sf({ REQUEST_STATUS: 'F' })).toBe('failure')
    expect(sf({ REQUEST_STATUS: 'A' })).toBe('failure')
    expect(sf({ REQUEST_STATUS: 'N' })).toBe('failure')
    expect(sf({ REQUEST_STATUS: '', EXCEPTION_MESSAGE: 'INSUFFICIENT_ACCESS: insufficient access rights' })).toBe('failure')
    expect(sf({ EVENT_TYPE: 'BulkApi', NUMBER_FAILURES: '1', ROWS_PROCESSED: '0' })).toBe('failure')
    expect(sf({ EVENT_TYPE: 'BulkApi', NUMBER_FAILURES: '0', ROWS_PROCESSED: '250000' })).not.toBe('failure')
    // A Bulk API 2.0 job says how it ended.
    expect(sf({ EVENT_TYPE: 'BulkApi2', JOB_STATUS: 'Failed', ROWS_PROCESSED: '0' })).toBe('failure')
    expect(sf({ EVENT_TYPE: 'BulkApi2', JOB_STATUS: 'JobComplete', ROWS_PROCESSED: '120000' })).toBe('success')
  })

  it('Salesforce event log rows that name the user only by id are a user; an automated process or an integration user type is not', () => {
    const row = (fields: Record<string, unknown>) =>
      mapped({ EVENT_TYPE: 'ReportExport', TIMESTAMP: '20260311040941.870', SESSION_KEY: 'tGLUQJhx1c4orjRz', CLIENT_IP: '91.219.236.18', ...fields }).actorType
    expect(row({ USER_ID: '0055e000004TqZ1', USER_ID_DERIVED: '0055e000004TqZ1AAK' })).toBe('human')
    expect(row({ USER_ID: '0055e000004TqZ1', USER_TYPE: 'Automated' })).toBe('service')
    expect(row({ ORGANIZATION_ID: '00D5e000000HkQ2' })).toBe('unknown')
    // A row that names no user, only a sync or integration API client, is that client's integration user.
    const api = { EVENT_TYPE: 'API', USER_ID: '0055fqpK13J1IQ2', USER_TYPE: 'Standard', METHOD_NAME: 'query' }
    expect(row({ ...api, CLIENT_NAME: 'mulesoft/acme-crm-erp-sync' })).toBe('service')
    expect(row({ ...api, CLIENT_NAME: 'MuleSoft Core Sync' })).toBe('service')
    expect(row({ ...api, CLIENT_NAME: 'MuleSoft-Salesforce-Connector/11.2' })).toBe('service')
    expect(row({ ...api, CLIENT_NAME: 'DataLoaderBulkUI/62.0.0' })).toBe('human')
    expect(row({ ...api, USER_NAME: 'dana@acme.example', CLIENT_NAME: 'mulesoft/acme-crm-erp-sync' })).toBe('human')
    // The user Salesforce creates for an Agentforce service agent is the agent's.
    expect(row({ ...api, USER_NAME: 'agentforce_service_agent@00d5e000001bwmq.ext' })).toBe('agent')
    expect(row({ ...api, USER_NAME: 'support.agent7@acme.example' })).toBe('human')
  })

  it('M365: a Power BI record, which has no ResultStatus, says IsSuccess', () => {
    const pbi = (IsSuccess: boolean) =>
      mapped({
        Id: `pbi-${IsSuccess}`,
        RecordType: 20,
        CreationTime: '2026-05-30T12:14:50',
        Operation: 'ExportReport',
        OrganizationId: 'c47a9e10-2b6d-4f3a-8e51-d9b0a6f2c384',
        UserType: 0,
        UserKey: '100320031AEDD82F',
        Workload: 'PowerBI',
        UserId: 'spatel@example.com',
        Activity: 'ExportReport',
        IsSuccess
      }).outcome
    expect(pbi(false)).toBe('failure')
    expect(pbi(true)).toBe('success')
  })

  it('M365: an operation named for a refusal failed (SharingInvitationBlocked), whatever its ResultStatus says', () => {
    const op = (Operation: string, extra: Record<string, unknown> = {}) =>
      mapped({
        Id: `sp-${Operation}`,
        RecordType: 14,
        CreationTime: '2026-03-17T10:02:11',
        Operation,
        OrganizationId: 'c47a9e10-2b6d-4f3a-8e51-d9b0a6f2c384',
        UserType: 0,
        UserKey: 'i:0h.f|membership|10032002a1b2c3d4@live.com',
        Workload: 'SharePoint',
        UserId: 'ann@acme.example',
        ...extra
      }).outcome
    expect(op('SharingInvitationBlocked')).toBe('failure')
    expect(op('SharingInvitationCreated')).toBe('unknown')
    expect(op('SharingInvitationCreated', { ResultStatus: 'Succeeded' })).toBe('success')
    // The record was written, not the share made: the user's action is what ResultStatus does not speak of.
    expect(op('SharingInvitationBlocked', { ResultStatus: 'Succeeded' })).toBe('failure')
    // Entra's failed logons in the unified audit log say ResultStatus "Success" (as in ../shared/samples).
    expect(op('UserLoginFailed', { RecordType: 15, Workload: 'AzureActiveDirectory', ResultStatus: 'Success', LogonError: 'InvalidUserNameOrPassword' })).toBe(
      'failure'
    )
    expect(op('UserLoggedIn', { RecordType: 15, Workload: 'AzureActiveDirectory', ResultStatus: 'Success' })).toBe('success')
  })

  it("M365: Purview's export row and Graph's audit log query record map the record they hold", () => {
    const inner = {
      CreationTime: '2026-11-10T22:31:08',
      Id: 'ca192a6b-ad09-4f20-822e-bb5d4349e674',
      Operation: 'Add-MailboxPermission',
      RecordType: 1,
      ResultStatus: 'True',
      UserType: 2,
      Workload: 'Exchange',
      ClientIP: '45.137.21.9:51822',
      ObjectId: 'margit.holm@acme.example',
      UserId: 'nils.eriksen@acme.example'
    }
    const want = {
      source: 'm365',
      sourceType: 'Exchange:Add-MailboxPermission',
      identity: 'nils.eriksen@acme.example',
      actorType: 'human',
      srcIp: '45.137.21.9'
    }
    // Graph: /security/auditLog/queries/{id}/records (auditLogRecord), the record an object in auditData.
    expect(
      mapped({
        id: inner.Id,
        createdDateTime: '2026-11-10T22:31:08Z',
        auditLogRecordType: 'exchangeAdmin',
        operation: 'Add-MailboxPermission',
        userType: 'admin',
        userId: 'nils.eriksen@acme.example',
        auditData: inner,
        service: 'Exchange'
      })
    ).toMatchObject(want)
    // Purview audit search export: the record as JSON text in AuditData.
    expect(
      mapped({ RecordId: inner.Id, CreationDate: '2026-11-10T22:31:08Z', Operation: 'Add-MailboxPermission', AuditData: JSON.stringify(inner) })
    ).toMatchObject(want)
  })

  it('M365: a DLP rule match whose rule blocks failed; one that only notifies says nothing', () => {
    const match = (Operation: string, Actions: string[], fields: Record<string, unknown> = {}) =>
      mapped({
        Id: `dlp-${Operation}-${Actions.join()}`,
        RecordType: 13,
        CreationTime: '2026-03-10T17:52:06',
        Operation,
        OrganizationId: 'c47a9e10-2b6d-4f3a-8e51-d9b0a6f2c384',
        UserType: 0,
        UserKey: '1003009DD813D743',
        Workload: 'Exchange',
        UserId: 'ann@acme.example',
        PolicyDetails: [{ PolicyName: 'PCI', Rules: [{ RuleName: 'Block PCI to personal mail', Actions }] }],
        ...fields
      })
    const dlp = (Operation: string, ...Actions: string[]) => match(Operation, Actions).outcome
    expect(dlp('DlpRuleMatch', 'BlockAccess', 'NotifyUser')).toBe('failure')
    expect(dlp('DLPRuleMatch', 'BlockAccessExternal')).toBe('failure')
    expect(dlp('DlpRuleMatch', 'NotifyUser', 'GenerateIncidentReport')).toBe('unknown')
    // DLP logs as the system (UserType 4) what it matched of the person's own action: the person acted.
    const system = match('DLPRuleMatch', ['NotifyUser'], {
      RecordType: 11,
      UserType: 4,
      UserKey: 'DlpPolicyEventProcessor',
      Workload: 'OneDrive',
      UserId: 'ruth.adebayo@acme.example'
    })
    expect(system).toMatchObject({ actorType: 'human', identity: 'ruth.adebayo@acme.example' })
  })

  it("Entra: the directory synchronization account's changes are a service's; a person's are a person's", () => {
    const audit = (upn: string) =>
      mapped({
        id: `Directory_d7392211_${upn.length}`,
        category: 'UserManagement',
        correlationId: 'd7392211-4b09-5325-b75a-b044264ebed7',
        result: 'success',
        activityDisplayName: 'Update user',
        activityDateTime: '2026-11-12T04:30:12.7712493Z',
        loggedByService: 'Core Directory',
        operationType: 'Update',
        initiatedBy: { user: { id: '86080804-3909-5423-88fd-596b59f8576d', userPrincipalName: upn, ipAddress: '' }, app: null },
        targetResources: [{ id: '8282adc8-206c-5e50-a9f9-e2eba3bd5825', type: 'User', userPrincipalName: 'thad@acme.example', modifiedProperties: [] }]
      }).actorType
    expect(audit('Sync_ADC01_4c2e9b7a1d05@acme.onmicrosoft.com')).toBe('service')
    expect(audit('sync.lead@acme.example')).toBe('human')
  })

  it('Entra Graph activity logs: the HTTP status of the request; the user it names by id is a person, an app-only call a service', () => {
    const graph = (responseStatusCode: number, who: Record<string, unknown>) =>
      mapped({
        time: '2026-03-11T05:12:48.2203517Z',
        resourceId: '/TENANTS/4F2C9B1E-8D3A-4C67-B5E2-9A1F7D3C6E08/PROVIDERS/MICROSOFT.AADIAM',
        operationName: 'Microsoft Graph Activity',
        category: 'MicrosoftGraphActivityLogs',
        resultSignature: String(responseStatusCode),
        callerIpAddress: '20.119.16.45',
        properties: {
          timeGenerated: '2026-03-11T05:12:48.2203517Z',
          requestId: `req-${responseStatusCode}-${Object.keys(who).join()}`,
          requestMethod: 'POST',
          requestUri: 'https://graph.microsoft.com/v1.0/roleManagement/directory/roleAssignments',
          responseStatusCode,
          appId: '28fbb1be-1974-416d-ade3-20383c98dcdd',
          ...who
        }
      })
    expect(graph(403, { servicePrincipalId: '6d174a6a-c0af-4e09-826d-084ac5640351' })).toMatchObject({ outcome: 'failure', actorType: 'service' })
    expect(graph(201, { userId: '8d2f6c1a-4b3e-4f7a-9c2d-1e5b7a9c0d11' })).toMatchObject({ outcome: 'success', actorType: 'human' })
    // The token type it records (C_Idtyp), when it names neither.
    expect(graph(200, { userId: '', roles: 'Mail.Read', C_Idtyp: 'app' })).toMatchObject({ actorType: 'service' })
    expect(graph(200, { userId: '', scopes: 'Mail.Read', C_Idtyp: 'user' })).toMatchObject({ actorType: 'human' })
  })

  it('GitHub: an outcome field the copy carries wins over the action name', () => {
    const gh = (extra: Record<string, unknown>) =>
      mapped({ '@timestamp': 1741107600000, action: 'org.update_member', actor: 'octocat', org: 'acme', _document_id: 'gh-doc-2', ...extra }).outcome
    expect(gh({ outcome: 'failure' })).toBe('failure')
    expect(gh({ data: { outcome: 'success' } })).toBe('success')
    expect(gh({})).not.toBe('failure')
    // An API request event says its HTTP status.
    expect(gh({ action: 'api.request', request_method: 'DELETE', route: '/repos/{owner}/{repo}/branches/{branch}/protection', status_code: 403 })).toBe(
      'failure'
    )
    expect(gh({ action: 'api.request', request_method: 'GET', route: '/repos/{owner}/{repo}/zipball/{ref}', status_code: 200 })).toBe('success')
    // The action's own name: a push a branch protection rejected and a token request denied failed; an owner
    // withdrawing an OAuth app's access did what they meant to.
    expect(gh({ action: 'protected_branch.rejected_ref_update' })).toBe('failure')
    expect(gh({ action: 'personal_access_token.request_denied' })).toBe('failure')
    expect(gh({ action: 'org.oauth_app_access_denied' })).not.toBe('failure')
  })

  it('Google Workspace: an app impersonating a user (domain-wide delegation) is the actor named, for that user', () => {
    const e = mapped({
      kind: 'admin#reports#activity',
      id: { time: '2026-11-12T02:18:40.295Z', uniqueQualifier: '654311775609187001', applicationName: 'user_accounts', customerId: 'C02' },
      actor: { callerType: 'USER', email: 'walter@acme.example', profileId: '1', applicationInfo: { applicationName: 'MailRouter Sync', impersonation: true } },
      events: [
        {
          type: 'email_forwarding_change',
          name: 'email_forwarding_out_of_domain',
          parameters: [{ name: 'email_forwarding_destination_address', value: 'w@outlook.com' }]
        }
      ]
    })
    expect(e).toMatchObject({ actorName: 'MailRouter Sync', actorType: 'service', identity: 'mailrouter sync', actingFor: 'walter@acme.example' })
  })

  it('Google Workspace: an app working with the access a user granted it (applicationInfo, no impersonation) is the actor, for that user', () => {
    const drive = (applicationInfo?: Record<string, unknown>) =>
      mapped({
        kind: 'admin#reports#activity',
        id: { time: '2026-11-11T02:12:44.903Z', uniqueQualifier: '-5627035927824482682', applicationName: 'drive', customerId: 'C04' },
        actor: { email: 'mia@acme.example', profileId: '121305429029751046329', ...(applicationInfo ? { applicationInfo } : {}) },
        ipAddress: '139.59.108.16',
        events: [{ type: 'acl_change', name: 'change_user_access', parameters: [{ name: 'target_user', value: 'ops@outside.example' }] }]
      })
    const app = { applicationName: 'Calyptra Connect', impersonation: false, oauthClientId: '871234509876-kq3v8c2l9a.apps.googleusercontent.com' }
    expect(drive(app)).toMatchObject({ actorType: 'service', identity: 'calyptra connect', actingFor: 'mia@acme.example' })
    expect(drive()).toMatchObject({ actorType: 'human', identity: 'mia@acme.example' })
  })

  it('Slack: a Slack Connect invitation declined, or revoked by Slack itself, failed; one that was sent did not', () => {
    const slack = (action: string) =>
      mapped({
        id: `slack-${action}`,
        date_create: 1764671000,
        action,
        actor: { type: 'user', user: { id: 'W01', name: 'Priya', email: 'priya@acme.example', team: 'E01' } },
        entity: { type: 'channel', channel: { id: 'C06', name: 'pricing', privacy: 'private' } },
        context: { location: { type: 'workspace', id: 'T01', name: 'Acme', domain: 'acme' }, ua: 'Mozilla/5.0', ip_address: '198.51.100.7' },
        details: { external_user_email: 'm.keller@partner.example' }
      }).outcome
    expect(slack('external_shared_channel_invite_declined')).toBe('failure')
    expect(slack('external_shared_channel_invite_auto_revoked')).toBe('failure')
    expect(slack('external_shared_channel_invite_sent')).not.toBe('failure')
  })

  it("Slack: what Slackbot, Slack's own system user, does is a service's", () => {
    const by = (user: { id: string; name: string; email: string }) =>
      mapped({
        id: `slack-expired-${user.id}`,
        date_create: 1794528005,
        action: 'guest_expired',
        actor: { type: 'user', user: { ...user, team: 'T03' } },
        entity: { type: 'user', user: { id: 'W06', name: 'Pia Nakamura', email: 'p.nakamura@audit.example', team: 'T03' } },
        context: { location: { type: 'workspace', id: 'T03', name: 'Acme', domain: 'acme' }, ua: null, ip_address: null },
        details: null
      }).actorType
    expect(by({ id: 'USLACKBOT', name: 'slackbot', email: '' })).toBe('service')
    expect(by({ id: 'W01', name: 'Priya', email: 'priya@acme.example' })).toBe('human')
  })

  it('M365: a Teams record gives the client country its ExtraProperties state', () => {
    const e = mapped({
      CreationTime: '2026-11-20T15:02:26',
      Id: '275a9b30-8118-4a68-8bb5-6c6c013f0001',
      Operation: 'MemberAdded',
      OrganizationId: '4f9b1c7e-2d8a-4e6b-b3a1-9c5d7e2f0a18',
      RecordType: 25,
      UserType: 0,
      Workload: 'MicrosoftTeams',
      ClientIP: '142.112.40.7',
      UserId: 'olu@acme.example',
      ExtraProperties: [
        { Key: 'TimeZone', Value: 'America/Toronto' },
        { Key: 'Country', Value: 'ca' },
        { Key: 'ClientName', Value: 'skypeteams' }
      ],
      TeamName: 'Hull Sensor R&D'
    })
    expect(e).toMatchObject({ source: 'm365', geoCountry: 'CA', srcIp: '142.112.40.7' })
  })

  it("M365: a mailbox record's client is its ClientIPAddress, not the Exchange server a message sent through REST names as ClientIP", () => {
    // As Purview's export of a Send shows it: ClientIP is Exchange's own IPv6, ClientIPAddress the client's.
    const send = mapped({
      CreationTime: '2024-04-30T01:50:44',
      Id: 'b879cd77-f6df-4dd0-526a-08dc68b7f338',
      Operation: 'Send',
      OrganizationId: '8326222c-5c86-45a1-b768-561ad270c694',
      RecordType: 2,
      ResultStatus: 'Succeeded',
      UserType: 0,
      Workload: 'Exchange',
      ClientIP: '2603:1036:307:44::5',
      UserId: 'test4@test.onmicrosoft.com',
      ClientIPAddress: '198.51.100.1',
      ClientInfoString: 'Client=REST;Client=RESTSystem;;',
      MailboxOwnerUPN: 'test4@test.onmicrosoft.com',
      Item: { Subject: 'Quarterly figures', SizeInBytes: 268282 }
    })
    expect(send.srcIp).toBe('198.51.100.1')
  })

  it('Google Workspace: a job whose status parameter says FAILED failed', () => {
    const gws = (status: string) =>
      mapped({
        kind: 'admin#reports#activity',
        id: { time: '2026-11-20T10:00:00.000Z', uniqueQualifier: `q-${status}`, applicationName: 'takeout', customerId: 'C0' },
        actor: { email: 'ann@acme.example', profileId: '1' },
        events: [{ type: 'USER_TAKEOUT', name: 'COMPLETED_USER_TAKEOUT', parameters: [{ name: 'TAKEOUT_STATUS', value: status }] }]
      }).outcome
    expect(gws('FAILED')).toBe('failure')
    expect(gws('SUCCEEDED')).not.toBe('failure')
  })

  it('Google Workspace: a data protection rule whose triggered action blocks stopped the action; one that warns says nothing', () => {
    const rule = (...actions: string[]) =>
      mapped({
        kind: 'admin#reports#activity',
        id: { time: '2026-11-20T10:00:00.000Z', uniqueQualifier: `q-${actions.join()}`, applicationName: 'rules', customerId: 'C0' },
        actor: { email: 'ann@acme.example', profileId: '1' },
        events: [
          {
            type: 'action_complete_type',
            name: 'action_complete',
            parameters: [
              { name: 'actor_ip_address', value: '83.25.130.47' },
              { name: 'rule_type', value: 'DLP' },
              { name: 'triggered_actions', multiMessageValue: actions.map((value) => ({ parameter: [{ name: 'action_type', value }] })) },
              { name: 'resource_recipients', multiValue: ['x@outside.example'] }
            ]
          }
        ]
      })
    const gws = (...actions: string[]) => rule(...actions).outcome
    // The address of whoever triggered the rule (the activity itself has no ipAddress).
    expect(rule('ALERT').srcIp).toBe('83.25.130.47')
    expect(gws('CHROME_BLOCK_FILE_UPLOAD')).toBe('failure')
    expect(gws('ALERT', 'DRIVE_BLOCK_EXTERNAL_SHARING')).toBe('failure')
    expect(gws('GMAIL_QUARANTINE_MESSAGE')).toBe('failure')
    expect(gws('DRIVE_WARN_ON_EXTERNAL_SHARING')).not.toBe('failure')
    expect(gws('AUDIT_ONLY')).not.toBe('failure')
  })

  it("Google Workspace: Chrome's blocked verdict and an access denial fail; Meet gives the participant's address and country", () => {
    const act = (app: string, name: string, parameters: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
      mapped({
        kind: 'admin#reports#activity',
        id: {
          time: '2026-03-12T21:05:17.903Z',
          uniqueQualifier: `-36389-${app}-${name}-${JSON.stringify(parameters)}`,
          applicationName: app,
          customerId: 'C03k8v2pq'
        },
        actor: { callerType: 'USER', email: 'tom.brennan@acme.example', profileId: '109283746501928374650' },
        events: [{ type: 'T', name, parameters }],
        ...extra
      })
    expect(act('chrome', 'SENSITIVE_DATA_TRANSFER', [{ name: 'EVENT_RESULT', value: 'EVENT_RESULT_BLOCKED' }]).outcome).toBe('failure')
    expect(act('chrome', 'SENSITIVE_DATA_TRANSFER', [{ name: 'EVENT_RESULT', value: 'EVENT_RESULT_DETECTED' }]).outcome).toBe('unknown')
    expect(act('context_aware_access', 'ACCESS_DENY_EVENT', []).outcome).toBe('failure')
    // A policy in monitor mode only logs what it would have refused: the access went through.
    expect(act('context_aware_access', 'MONITOR_MODE_ACCESS_DENY_EVENT', []).outcome).not.toBe('failure')
    // An admin adding an app to the blocked list did it.
    expect(act('admin', 'ADD_TO_BLOCKED_OAUTH2_APPS', [{ name: 'OAUTH2_APP_NAME', value: 'MailMerge Turbo' }]).outcome).not.toBe('failure')
    const call = act('meet', 'call_ended', [
      { name: 'ip_address', value: '38.140.61.34' },
      { name: 'location_country', value: 'US' }
    ])
    expect([call.srcIp, call.geoCountry]).toEqual(['38.140.61.34', 'US'])
    const own = act('meet', 'call_ended', [{ name: 'ip_address', value: '38.140.61.34' }], { ipAddress: '203.0.113.9', networkInfo: { regionCode: 'FR' } })
    expect([own.srcIp, own.geoCountry]).toEqual(['203.0.113.9', 'FR'])
  })

  it("Google Workspace: the event's own status (events[].status): FAILED or an HTTP error fails, SUCCEEDED succeeds", () => {
    const gws = (status: Record<string, unknown> | undefined, name = 'ASSIGN_ROLE') =>
      mapped({
        kind: 'admin#reports#activity',
        id: { time: '2026-11-20T10:00:00.000Z', uniqueQualifier: `q-${JSON.stringify(status)}`, applicationName: 'admin', customerId: 'C0' },
        actor: { email: 'ann@acme.example', profileId: '1', callerType: 'USER' },
        events: [
          {
            type: 'DELEGATED_ADMIN_SETTINGS',
            name,
            parameters: [
              { name: 'ROLE_NAME', value: '_SEED_ADMIN_ROLE' },
              { name: 'USER_EMAIL', value: 'bob@acme.example' }
            ],
            ...(status ? { status } : {})
          }
        ]
      }).outcome
    expect(gws({ eventStatus: 'FAILED', httpStatusCode: 403, errorCode: 'PERMISSION_DENIED' })).toBe('failure')
    expect(gws({ httpStatusCode: 403 })).toBe('failure')
    expect(gws({ eventStatus: 'SUCCEEDED', httpStatusCode: 200 })).toBe('success')
    expect(gws({ eventStatus: 'SUCCEEDED_WITH_WARNINGS' })).toBe('success')
    expect(gws({ eventStatus: 'SKIPPED' })).not.toBe('failure')
    expect(gws(undefined)).not.toBe('failure')
    // A status that says nothing against the event's own name: the name's failure stands.
    expect(gws({ eventStatus: 'SUCCEEDED' }, 'login_failure')).toBe('failure')
  })

  it('Google Workspace: a Gmail log event says whether Gmail did it (event_info.success)', () => {
    const delivery = (success: boolean | undefined) =>
      mapped({
        kind: 'admin#reports#activity',
        id: { time: '2026-11-19T21:47:15.082Z', uniqueQualifier: `g-${String(success)}`, applicationName: 'gmail', customerId: 'C0' },
        actor: { callerType: 'USER', email: 'ann@acme.example', profileId: '1' },
        events: [
          {
            type: 'delivery_type',
            name: 'delivery',
            parameters: [
              {
                name: 'event_info',
                messageValue: {
                  parameter: [{ name: 'mail_event_type', intValue: '1' }, ...(success === undefined ? [] : [{ name: 'success', boolValue: success }])]
                }
              },
              { name: 'message_info', messageValue: { parameter: [{ name: 'subject', value: 'files' }] } }
            ]
          }
        ]
      }).outcome
    expect(delivery(false)).toBe('failure')
    expect(delivery(true)).toBe('success')
    expect(delivery(undefined)).not.toBe('failure')
  })
})
