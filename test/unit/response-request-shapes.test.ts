import { describe, expect, it } from 'vitest'
import type { ResponseAction } from '../../contract'
import { startAwsMock } from '../mocks/aws-mock'
import { startGoogleMock } from '../mocks/google-mock'
import type { Seen } from '../mocks/mock-server'
import { IDENTITY, mockEnv } from '../mocks/providers'
import { harnessOn } from '../mocks/response-harness'
import { startSalesforceMock } from '../mocks/salesforce-mock'

/**
 * Google, Salesforce and AWS publish no machine-readable description in ../shared/api-specs, so every request their
 * connectors send is pinned here — method, path, query and body — to the reference page named beside it.
 */

const shape = (s: Seen) => ({
  method: s.method,
  path: s.path,
  query: Object.fromEntries(s.query),
  body: s.body
    ? s.headers['content-type']?.toString().includes('json')
      ? (JSON.parse(s.body) as unknown)
      : Object.fromEntries(new URLSearchParams(s.body))
    : null
})

describe('Google Admin SDK Directory API v1', () => {
  const run = async (action: ResponseAction) => {
    const server = await startGoogleMock([
      { primaryEmail: IDENTITY, id: '1044', suspended: false, changePasswordAtNextLogin: false, signOuts: 0, tokens: ['drive-sync.apps.googleusercontent.com'] }
    ])
    const h = await harnessOn(server, mockEnv('google', server))
    const [a] = await h.run('google', action, IDENTITY)
    expect(a.status).toBe('done')
    return server.seen.map(shape)
  }
  const user = `/admin/directory/v1/users/${encodeURIComponent(IDENTITY)}`

  it('terminate-session', async () => {
    // users.signOut: POST https://admin.googleapis.com/admin/directory/v1/users/{userKey}/signOut, empty body
    // https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/signOut
    expect(await run('terminate-session')).toEqual([{ method: 'POST', path: `${user}/signOut`, query: {}, body: null }])
  })

  it('revoke-tokens', async () => {
    // tokens.list: GET …/users/{userKey}/tokens → {items:[{clientId}]}; tokens.delete: DELETE …/users/{userKey}/tokens/{clientId}
    // https://developers.google.com/admin-sdk/directory/reference/rest/v1/tokens/list, …/tokens/delete
    expect(await run('revoke-tokens')).toEqual([
      { method: 'GET', path: `${user}/tokens`, query: {}, body: null },
      { method: 'DELETE', path: `${user}/tokens/drive-sync.apps.googleusercontent.com`, query: {}, body: null }
    ])
  })

  it('suspend-identity and step-up', async () => {
    // users.patch: PATCH …/users/{userKey} with a partial User resource (suspended, changePasswordAtNextLogin are User fields)
    // https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/patch, …/rest/v1/users#User
    expect(await run('suspend-identity')).toEqual([
      { method: 'PATCH', path: user, query: {}, body: { suspended: true } },
      { method: 'POST', path: `${user}/signOut`, query: {}, body: null }
    ])
    expect(await run('step-up')).toEqual([
      { method: 'PATCH', path: user, query: {}, body: { changePasswordAtNextLogin: true } },
      { method: 'POST', path: `${user}/signOut`, query: {}, body: null }
    ])
  })
})

describe('Salesforce REST API and OAuth endpoints', () => {
  const run = async (action: ResponseAction) => {
    const users = [
      {
        id: '005Hs00000AliceA',
        username: IDENTITY,
        loginId: '0Yw000000000001',
        frozen: false,
        sessions: ['0Ak5e00000Hijack'],
        oauthTokens: [{ id: '0CQ5e0000000001', app: 'Data Loader', deleteToken: 'del-1' }]
      }
    ]
    const server = await startSalesforceMock(users)
    const h = await harnessOn(server, mockEnv('salesforce', server))
    const [a] = await h.run('salesforce', action, IDENTITY)
    expect(a.status).toBe('done')
    return server.seen.map(shape)
  }
  const v = '/services/data/v62.0'
  // Query: GET /services/data/vXX.X/query?q=SOQL (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm)
  const q = (soql: string) => ({ method: 'GET', path: `${v}/query`, query: { q: soql }, body: null })
  const findUser = q(`SELECT Id FROM User WHERE Username = '${IDENTITY}'`)
  // AuthSession supports query and delete(): DELETE /sobjects/AuthSession/{id}
  // (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_authsession.htm,
  //  https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_retrieve_delete.htm)
  const sessions = [
    q("SELECT Id FROM AuthSession WHERE UsersId = '005Hs00000AliceA'"),
    { method: 'DELETE', path: `${v}/sobjects/AuthSession/0Ak5e00000Hijack`, query: {}, body: null }
  ]

  it('terminate-session and step-up', async () => {
    expect(await run('terminate-session')).toEqual([findUser, ...sessions])
    expect(await run('step-up')).toEqual([findUser, ...sessions])
  })

  it('revoke-tokens', async () => {
    // OauthToken supports describeSObjects() and query() only; a token is revoked by POST /services/oauth2/revoke with
    // token=<DeleteToken> (form) — https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm,
    // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_revoke_token.htm&type=5
    expect(await run('revoke-tokens')).toEqual([
      findUser,
      q("SELECT Id, AppName, DeleteToken FROM OauthToken WHERE UserId = '005Hs00000AliceA'"),
      { method: 'POST', path: '/services/oauth2/revoke', query: {}, body: { token: 'del-1' } },
      ...sessions
    ])
  })

  it('suspend-identity', async () => {
    // UserLogin.IsFrozen is updateable: PATCH /sobjects/UserLogin/{id} {"IsFrozen":true}
    // (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_userlogin.htm)
    expect(await run('suspend-identity')).toEqual([
      findUser,
      q("SELECT Id FROM UserLogin WHERE UserId = '005Hs00000AliceA'"),
      { method: 'PATCH', path: `${v}/sobjects/UserLogin/0Yw000000000001`, query: {}, body: { IsFrozen: true } },
      ...sessions
    ])
  })
})

describe('AWS IAM Query API (2010-05-08), POST form with Action and Version', () => {
  const run = async (action: ResponseAction, identity: string) => {
    const state = {
      roles: { 'ci-deployer': {} },
      users: { alice: { policies: {}, keys: { AKIAALICEKEY0000001: 'Active' as const, AKIAALICEKEY0000002: 'Inactive' as const } } }
    }
    const server = await startAwsMock(state, { token: 'AKIAMOCKRESPONDER01' })
    const h = await harnessOn(server, {
      AFTERLOGIN_AWS_URL: server.url,
      AFTERLOGIN_AWS_ACCESS_KEY_ID: 'AKIAMOCKRESPONDER01',
      AFTERLOGIN_AWS_SECRET_ACCESS_KEY: 'mock-secret-0123456789',
      AFTERLOGIN_AWS_REGION: 'us-east-1'
    })
    const [a] = await h.run('aws', action, identity)
    expect(a.status).toBe('done')
    return server.seen.map((s) => {
      const f = Object.fromEntries(new URLSearchParams(s.body))
      // The policy documents carry the time of the call; their structure is checked on its own.
      if (f.PolicyDocument) f.PolicyDocument = (JSON.parse(f.PolicyDocument) as { Statement: { Sid?: string; Effect: string } }).Statement.Effect
      expect(s.method).toBe('POST')
      expect(s.path).toBe('/')
      return f
    })
  }

  it('terminate-session on a role', async () => {
    // PutRolePolicy: RoleName, PolicyName, PolicyDocument — https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html;
    // the AWSRevokeOlderSessions deny on aws:TokenIssueTime is the console's "Revoke active sessions"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html)
    expect(await run('terminate-session', 'arn:aws:iam::123456789012:role/ci-deployer')).toEqual([
      { Action: 'PutRolePolicy', Version: '2010-05-08', RoleName: 'ci-deployer', PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: 'Deny' }
    ])
  })

  it('revoke-tokens on a user', async () => {
    // ListAccessKeys: UserName — https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html;
    // UpdateAccessKey: UserName, AccessKeyId, Status=Inactive — https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccessKey.html;
    // PutUserPolicy: UserName, PolicyName, PolicyDocument — https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html
    expect(await run('revoke-tokens', 'alice')).toEqual([
      { Action: 'ListAccessKeys', Version: '2010-05-08', UserName: 'alice' },
      { Action: 'UpdateAccessKey', Version: '2010-05-08', UserName: 'alice', AccessKeyId: 'AKIAALICEKEY0000001', Status: 'Inactive' },
      { Action: 'PutUserPolicy', Version: '2010-05-08', UserName: 'alice', PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: 'Deny' }
    ])
  })

  it('suspend-identity and step-up on a user', async () => {
    expect((await run('suspend-identity', 'alice')).map((f) => f.PolicyName ?? f.Action)).toEqual([
      'AfterloginSuspend',
      'ListAccessKeys',
      'UpdateAccessKey',
      'AWSRevokeOlderSessions'
    ])
    expect((await run('step-up', 'alice')).map((f) => f.PolicyName ?? f.Action)).toEqual(['AfterloginRequireMfa', 'AWSRevokeOlderSessions'])
  })
})
