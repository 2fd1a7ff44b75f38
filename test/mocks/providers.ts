import type { ConnectorId, ResponseAction } from '../../contract'
import { startAwsMock } from './aws-mock'
import { startGithubMock } from './github-mock'
import { startGoogleMock } from './google-mock'
import { startGraphMock } from './graph-mock'
import type { MockServer, Seen } from './mock-server'
import { startOktaMock } from './okta-mock'
import { startSalesforceMock } from './salesforce-mock'
import { startSlackMock } from './slack-mock'
import { startSsfReceiver } from './ssf-receiver-mock'
import type { JSONWebKeySet } from 'jose'

/** One running provider mock with the settings that point its connector at it, and what "it worked" means. */
export interface MockedProvider {
  id: ConnectorId
  server: MockServer
  /** AFTERLOGIN_* variables (and nothing else) that configure the connector against the mock. */
  env: Record<string, string>
  /** The setting holding the credential, to test a wrong one. */
  tokenVar: string
  identity: string
  unknownIdentity: string | null
  action: ResponseAction
  /** A call the action makes that is safe to repeat: faults are injected there. */
  safeRoute: RegExp
  /** The call that proves the action reached the provider. */
  effectRoute: RegExp
  /** Text of the provider's 401 envelope, as the outbox should record it. */
  unauthorizedText: RegExp
}

export const IDENTITY = 'alice@acme.example'

type TokenConnector = 'okta' | 'entra' | 'google' | 'slack' | 'github' | 'salesforce'

/** The AFTERLOGIN_* variables that point a token-configured connector at a running mock. */
export const mockEnv = (id: TokenConnector, server: { url: string; token: string }): Record<string, string> => {
  const name = id.toUpperCase()
  const env: Record<string, string> = {
    [`AFTERLOGIN_${name}_URL`]: id === 'slack' ? `${server.url}/api` : server.url,
    [`AFTERLOGIN_${name}_TOKEN`]: server.token
  }
  if (id === 'github') env.AFTERLOGIN_GITHUB_ORG = 'acme'
  return env
}

export const startProvider = async (
  id: ConnectorId,
  o: { slowMs?: number; jwks?: () => Promise<JSONWebKeySet>; contract?: (req: Seen) => string[] } = {}
): Promise<MockedProvider> => {
  const slowMs = o.slowMs ?? 3000
  const contract = o.contract
  switch (id) {
    case 'okta': {
      const server = await startOktaMock([{ id: '00u1alice', login: IDENTITY, status: 'ACTIVE', clients: ['0oa1crm', '0oa2mail'], sessions: ['102hijack'] }], {
        slowMs,
        contract
      })
      return {
        id,
        server,
        env: mockEnv(id, server),
        tokenVar: 'AFTERLOGIN_OKTA_TOKEN',
        identity: IDENTITY,
        unknownIdentity: 'nobody@acme.example',
        action: 'terminate-session',
        safeRoute: /^DELETE \/api\/v1\/users\/00u1alice\/sessions$/,
        effectRoute: /^DELETE \/api\/v1\/users\/00u1alice\/sessions$/,
        unauthorizedText: /E0000011/
      }
    }
    case 'entra': {
      const server = await startGraphMock([{ id: '6f1c-alice', upn: IDENTITY, accountEnabled: true, revoked: 0, risk: 'none' }], { slowMs, contract })
      return {
        id,
        server,
        env: mockEnv(id, server),
        tokenVar: 'AFTERLOGIN_ENTRA_TOKEN',
        identity: IDENTITY,
        unknownIdentity: 'nobody@acme.example',
        action: 'terminate-session',
        safeRoute: /^POST \/v1\.0\/users\/[^/]+\/revokeSignInSessions$/,
        effectRoute: /^POST \/v1\.0\/users\/[^/]+\/revokeSignInSessions$/,
        unauthorizedText: /InvalidAuthenticationToken/
      }
    }
    case 'google': {
      const server = await startGoogleMock(
        [
          {
            primaryEmail: IDENTITY,
            id: '1044',
            suspended: false,
            changePasswordAtNextLogin: false,
            signOuts: 0,
            tokens: ['drive-sync.apps.googleusercontent.com']
          }
        ],
        { slowMs, contract }
      )
      return {
        id,
        server,
        env: mockEnv(id, server),
        tokenVar: 'AFTERLOGIN_GOOGLE_TOKEN',
        identity: IDENTITY,
        unknownIdentity: 'nobody@acme.example',
        action: 'terminate-session',
        safeRoute: /^POST \/admin\/directory\/v1\/users\/[^/]+\/signOut$/,
        effectRoute: /^POST \/admin\/directory\/v1\/users\/[^/]+\/signOut$/,
        unauthorizedText: /authError|invalid authentication/
      }
    }
    case 'slack': {
      const server = await startSlackMock([{ id: 'U02ALICE', email: IDENTITY, resets: 0, sessions: ['8123'] }], { slowMs, contract })
      return {
        id,
        server,
        env: mockEnv(id, server),
        tokenVar: 'AFTERLOGIN_SLACK_TOKEN',
        identity: IDENTITY,
        unknownIdentity: 'nobody@acme.example',
        action: 'terminate-session',
        safeRoute: /^POST \/api\/admin\.users\.session\.reset$/,
        effectRoute: /^POST \/api\/admin\.users\.session\.reset$/,
        unauthorizedText: /invalid_auth/
      }
    }
    case 'github': {
      const server = await startGithubMock(
        {
          name: 'acme',
          members: ['alice-acme'],
          credentials: [
            { credential_id: 161195, login: 'alice-acme', credential_type: 'personal access token', token_last_eight: '71c3fc11' },
            { credential_id: 161196, login: 'bob-acme', credential_type: 'SSH key', token_last_eight: '' }
          ]
        },
        { slowMs, contract }
      )
      return {
        id,
        server,
        env: mockEnv(id, server),
        tokenVar: 'AFTERLOGIN_GITHUB_TOKEN',
        identity: 'alice-acme',
        unknownIdentity: 'nobody-acme',
        action: 'revoke-tokens',
        safeRoute: /^GET \/orgs\/acme\/credential-authorizations$/,
        effectRoute: /^DELETE \/orgs\/acme\/credential-authorizations\/161195$/,
        unauthorizedText: /Bad credentials/
      }
    }
    case 'salesforce': {
      const server = await startSalesforceMock(
        [{ id: '005Hs00000AliceA', username: IDENTITY, loginId: '0Yw000000000001', frozen: false, sessions: ['0Ak5e00000Hijack', '0Ak5e00000Laptop'] }],
        { slowMs, contract }
      )
      return {
        id,
        server,
        env: mockEnv(id, server),
        tokenVar: 'AFTERLOGIN_SALESFORCE_TOKEN',
        identity: IDENTITY,
        unknownIdentity: 'nobody@acme.example',
        action: 'terminate-session',
        safeRoute: /^GET \/services\/data\/v62\.0\/query$/,
        effectRoute: /^DELETE \/services\/data\/v62\.0\/sobjects\/AuthSession\/0Ak5e00000Hijack$/,
        unauthorizedText: /INVALID_SESSION_ID/
      }
    }
    case 'aws': {
      const keyId = 'AKIAMOCKRESPONDER01'
      const server = await startAwsMock(
        { roles: { 'ci-deployer': {} }, users: { alice: { policies: {}, keys: { AKIAALICEKEY0000001: 'Active' } } } },
        { slowMs, token: keyId, contract }
      )
      return {
        id,
        server,
        env: {
          AFTERLOGIN_AWS_URL: server.url,
          AFTERLOGIN_AWS_ACCESS_KEY_ID: keyId,
          AFTERLOGIN_AWS_SECRET_ACCESS_KEY: 'mock-aws-secret-0123456789abcdef',
          AFTERLOGIN_AWS_REGION: 'us-east-1'
        },
        tokenVar: 'AFTERLOGIN_AWS_ACCESS_KEY_ID',
        identity: 'arn:aws:iam::123456789012:role/ci-deployer',
        unknownIdentity: 'arn:aws:iam::123456789012:role/no-such-role',
        action: 'terminate-session',
        safeRoute: /^POST \/$/,
        effectRoute: /^POST \/$/,
        unauthorizedText: /InvalidClientTokenId/
      }
    }
    case 'ssf': {
      if (!o.jwks) throw new Error('the SSF receiver needs the transmitter’s JWKS')
      const issuer = 'https://afterlogin.test/ssf'
      const audience = 'https://receiver.test'
      const server = await startSsfReceiver({ jwks: o.jwks, issuer, audience, token: 'mock-ssf-receiver-token-42' })
      return {
        id,
        server,
        // The receiver hands out its authorization_header whole; the transmitter sends it exactly so.
        env: {
          AFTERLOGIN_SSF_URL: `${server.url}/security/api/v1/security-events`,
          AFTERLOGIN_SSF_TOKEN: `Bearer ${server.token}`,
          AFTERLOGIN_SSF_ISSUER: issuer,
          AFTERLOGIN_SSF_AUDIENCE: audience
        },
        tokenVar: 'AFTERLOGIN_SSF_TOKEN',
        identity: IDENTITY,
        unknownIdentity: null,
        action: 'terminate-session',
        safeRoute: /^POST \/security\/api\/v1\/security-events$/,
        effectRoute: /^POST \/security\/api\/v1\/security-events$/,
        unauthorizedText: /authentication_failed/
      }
    }
    default: {
      const never: never = id
      throw new Error(`no mock for ${String(never)}`)
    }
  }
}
