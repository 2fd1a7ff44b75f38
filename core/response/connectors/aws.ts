import {
  IAMClient,
  GetUserCommand,
  IAMServiceException,
  ListAccessKeysCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand
} from '@aws-sdk/client-iam'
import { checkBaseUrl } from '../http'
import { field, str, verdictOf } from './common'
import type { CallSpec, Connector, ConnectorConfig, ProviderReply } from '../types'

export interface Principal {
  kind: 'role' | 'user'
  name: string
}

/** An ARN (role, assumed-role session, user), `role/Name`, `user/Name`, or a bare IAM user name. */
export const principalOf = (who: string): Principal => {
  const assumed = /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/([\w+=,.@-]+)\//.exec(who)
  if (assumed) return { kind: 'role', name: assumed[1] }
  const iam = /^arn:aws[\w-]*:iam::\d{12}:(role|user)\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/.exec(who)
  if (iam) return { kind: iam[1] as 'role' | 'user', name: iam[2] }
  const short = /^(role|user)\/([\w+=,.@-]+)$/.exec(who)
  if (short) return { kind: short[1] as 'role' | 'user', name: short[2] }
  if (!/^[\w+=,.@-]{1,128}$/.test(who)) throw new Error(`'${who}' is not an IAM user or role name or ARN`)
  return { kind: 'user', name: who }
}

const ENDPOINT = 'https://iam.amazonaws.com'

const endpointOf = (cfg: ConnectorConfig): string => {
  const raw = cfg.get('URL')
  return raw ? checkBaseUrl(raw, 'AFTERLOGIN_AWS_URL').toString().replace(/\/+$/, '') : ENDPOINT
}

const clientFor = (cfg: ConnectorConfig): IAMClient => {
  const keyId = cfg.get('ACCESS_KEY_ID')
  const secret = cfg.get('SECRET_ACCESS_KEY')
  return new IAMClient({
    region: cfg.get('REGION') ?? process.env.AWS_REGION ?? 'us-east-1',
    endpoint: cfg.get('URL') ? endpointOf(cfg) : undefined,
    // Our own loop retries and records every attempt; the SDK must not retry behind its back.
    maxAttempts: 1,
    // Without settings the SDK's standard chain applies (AWS_ACCESS_KEY_ID…, AWS_PROFILE, SSO, instance roles).
    credentials: keyId && secret ? { accessKeyId: keyId, secretAccessKey: secret, sessionToken: cfg.get('SESSION_TOKEN') } : undefined
  })
}

const STATUS: Record<string, number> = { NoSuchEntity: 404, NoSuchEntityException: 404, LimitExceeded: 409, Throttling: 400 }

type Exec = (client: IAMClient, signal: AbortSignal) => Promise<object>

/** An IAM Query API call made through the SDK (SigV4), shown as the form it posts. */
const iamCall = (
  cfg: ConnectorConfig,
  o: {
    key: string
    action: string
    params: Record<string, string>
    exec: Exec
    purpose: string
    kind: 'lookup' | 'change'
    safeToRepeat: boolean
    repeat?: string
  }
): CallSpec => ({
  key: o.key,
  method: 'POST',
  url: `${endpointOf(cfg)}/`,
  body: { Action: o.action, Version: '2010-05-08', ...o.params },
  purpose: o.purpose,
  kind: o.kind,
  safeToRepeat: o.safeToRepeat,
  repeat: o.repeat,
  send: async (signal): Promise<ProviderReply> => {
    const client = clientFor(cfg)
    try {
      const out = (await o.exec(client, signal)) as Record<string, unknown>
      const meta = field(out, '$metadata')
      const { $metadata: _m, ...rest } = out
      return {
        status: Number(field(meta, 'httpStatusCode')) || 200,
        headers: { 'x-amzn-requestid': str(field(meta, 'requestId')) ?? '' },
        text: JSON.stringify(rest)
      }
    } catch (err) {
      if (!(err instanceof IAMServiceException)) throw err
      return {
        status: err.$metadata.httpStatusCode ?? STATUS[err.name] ?? 400,
        headers: { 'x-amzn-requestid': err.$metadata.requestId ?? '' },
        text: JSON.stringify({ code: err.name, message: err.message })
      }
    } finally {
      client.destroy()
    }
  }
})

const denyOlderSessions = (now: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': now } } }
  })
const denyAll = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Deny', Action: '*', Resource: '*' } })

/**
 * AWS's own "deny all except listed if no MFA" pattern (IAM user guide, reference_policies_examples_aws_my-sec-creds-self-manage):
 * the calls that bootstrap an MFA session stay allowed (sts:GetSessionToken above all, or no MFA session could ever be
 * obtained), and calls AWS services make on the principal's behalf (aws:ViaAWSService) are not denied.
 * BoolIfExists, not Bool: a request without MFA carries no aws:MultiFactorAuthPresent key at all.
 */
export const MFA_BOOTSTRAP_ACTIONS = [
  'iam:CreateVirtualMFADevice',
  'iam:EnableMFADevice',
  'iam:GetUser',
  'iam:ListMFADevices',
  'iam:ListVirtualMFADevices',
  'iam:ResyncMFADevice',
  'sts:GetSessionToken'
]
export const denyWithoutMfa = JSON.stringify({
  Version: '2012-10-17',
  Statement: {
    Sid: 'DenyAllExceptListedIfNoMFA',
    Effect: 'Deny',
    NotAction: MFA_BOOTSTRAP_ACTIONS,
    Resource: '*',
    Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' }, Bool: { 'aws:ViaAWSService': 'false' } }
  }
})

/** The permission set an IAM Identity Center role was provisioned from: AWSReservedSSO_<PermissionSetName>_<suffix>. */
export const permissionSetOf = (roleName: string): string | null =>
  /^AWSReservedSSO_(.+)_[0-9a-f]{16}$/.exec(roleName)?.[1] ?? (roleName.startsWith('AWSReservedSSO_') ? roleName.slice(15) : null)

/**
 * IAM refuses every change to a role IAM Identity Center provisions (UnmodifiableEntity), so no IAM call can cut
 * it. What works is the permission set's own inline policy, changed in Identity Center and re-provisioned; the
 * connector holds IAM credentials only, so it names the steps instead of pretending.
 */
export const ssoRoleRefusal = (roleName: string, sessionName: string | null): string => {
  const set = permissionSetOf(roleName) ?? roleName
  const who = sessionName ? `"aws:userid": "*:${sessionName}"` : '"identitystore:userId": "<the user’s Identity Center user id>"'
  return (
    `${roleName} is an IAM Identity Center role: IAM refuses changes to it (UnmodifiableEntity). In IAM Identity Center, ` +
    `add to permission set ${set} an inline statement {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{${who}}}} ` +
    `(PutInlinePolicyToPermissionSet), re-provision it to the account (ProvisionPermissionSet), and end the user’s AWS access portal sessions ` +
    `and disable the user there; then remove the statement once the user is safe.`
  )
}

const sessionNameOf = (who: string): string | null => /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/[^/]+\/(.+)$/.exec(who)?.[1] ?? null

export const aws: Connector = {
  id: 'aws',
  label: 'AWS IAM',
  settings: [
    { name: 'URL', secret: false, required: false, help: 'IAM endpoint, default https://iam.amazonaws.com' },
    { name: 'REGION', secret: false, required: false, help: 'signing region, default AWS_REGION or us-east-1' },
    { name: 'ACCESS_KEY_ID', secret: false, required: false, help: 'otherwise the SDK’s standard chain (AWS_ACCESS_KEY_ID, AWS_PROFILE…)' },
    { name: 'SECRET_ACCESS_KEY', secret: true, required: false, help: 'with ACCESS_KEY_ID' },
    { name: 'SESSION_TOKEN', secret: true, required: false, help: 'for temporary credentials' }
  ],
  missing: (cfg) => {
    const env = process.env
    const has =
      (cfg.get('ACCESS_KEY_ID') && cfg.get('SECRET_ACCESS_KEY')) ||
      (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI
    return has ? [] : ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']
  },
  actions: {
    'terminate-session': {
      cuts: ['every temporary credential of the role or user issued before now (inline policy AWSRevokeOlderSessions)'],
      doesNotCut: [
        'long-term access keys (AKIA…) of a user',
        'sessions issued after the policy (re-assuming the role works)',
        'IAM Identity Center roles (AWSReservedSSO_*): IAM refuses the change, the preview names the Identity Center steps'
      ],
      residual: 'new role sessions can still be obtained by whoever can assume the role; long-term keys keep working (use revoke-tokens)',
      permissions: ['iam:PutRolePolicy (role) or iam:PutUserPolicy (user)'],
      docs: [
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_disable-perms.html'
      ]
    },
    'revoke-tokens': {
      cuts: [
        'every Active long-term access key of a user, as IAM lists them now (UpdateAccessKey Status=Inactive, reversible)',
        'temporary credentials issued before now (AWSRevokeOlderSessions)'
      ],
      doesNotCut: [
        'the console password',
        'credentials of other principals the attacker created',
        'access keys of a role (roles have none; their sessions are cut by the policy)'
      ],
      residual: 'IAM changes take a few seconds to propagate',
      permissions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:PutRolePolicy or iam:PutUserPolicy'],
      docs: [
        'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html',
        'https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccessKey.html',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html'
      ]
    },
    'suspend-identity': {
      cuts: ['every action of the role or user (inline deny-all policy AfterloginSuspend)', 'every Active access key of a user (Inactive)', 'older sessions'],
      doesNotCut: [
        'resources already shared outside the account',
        'principals the attacker created',
        'IAM Identity Center roles (AWSReservedSSO_*): see the preview’s steps'
      ],
      residual: 'seconds for IAM to propagate; delete the AfterloginSuspend policy to restore',
      permissions: ['iam:PutRolePolicy or iam:PutUserPolicy', 'iam:ListAccessKeys', 'iam:UpdateAccessKey'],
      docs: [
        'https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html',
        'https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html'
      ]
    },
    'step-up': {
      cuts: [
        'every request made without MFA except the calls that set up and use MFA (AWS’s DenyAllExceptListedIfNoMFA pattern, inline policy AfterloginRequireMfa)',
        'sessions issued before now'
      ],
      doesNotCut: [
        'requests signed with an MFA session (sts:GetSessionToken with the user’s MFA device, or a role assumed with MFA)',
        'calls AWS services make on the principal’s behalf (aws:ViaAWSService)'
      ],
      residual: 'seconds for IAM to propagate; delete AfterloginRequireMfa to restore',
      permissions: ['iam:PutRolePolicy or iam:PutUserPolicy'],
      docs: [
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html'
      ],
      notes: [
        'No API prompts a live user for MFA: the policy denies requests made without it.',
        'Federated sessions (SAML, OIDC, IAM Identity Center) and plain AssumeRole sessions never carry aws:MultiFactorAuthPresent, so for them this acts as a deny-all: on a role, prefer terminate-session.'
      ]
    }
  },
  unsupported: {},
  targetOf: (t) => {
    const p = principalOf(t.account ?? t.identity)
    return `${p.kind} ${p.name}`
  },
  requestIdHeaders: ['x-amzn-requestid'],
  interpret: (reply) =>
    verdictOf(reply, {
      describe: (b) => [str(field(b, 'code')), str(field(b, 'message'))].filter(Boolean).join(' ') || null,
      rateLimited: (_res, b) => field(b, 'code') === 'Throttling',
      notFound: (_res, b) => /^NoSuchEntity/.test(str(field(b, 'code')) ?? '')
    }),

  // GetUser without a name describes the caller: read-only, and allowed to any IAM user on itself.
  probe: async (cfg) =>
    iamCall(cfg, {
      key: 'aws:probe',
      action: 'GetUser',
      params: {},
      exec: (client, abortSignal) => client.send(new GetUserCommand({}), { abortSignal }),
      purpose: 'describe the calling principal (read-only)',
      kind: 'lookup',
      safeToRepeat: true
    }),

  async run(t, cfg, r) {
    const who = t.account ?? t.identity
    const p = principalOf(who)
    if (p.kind === 'role' && p.name.startsWith('AWSReservedSSO_')) throw new Error(ssoRoleRefusal(p.name, sessionNameOf(who)))
    const putPolicy = (policyName: string, document: string, purpose: string) => {
      const params: Record<string, string> = p.kind === 'role' ? { RoleName: p.name } : { UserName: p.name }
      return r.call(
        iamCall(cfg, {
          key: `aws:${p.kind}:${p.name}:${policyName}`,
          action: p.kind === 'role' ? 'PutRolePolicy' : 'PutUserPolicy',
          params: { ...params, PolicyName: policyName, PolicyDocument: document },
          exec: (client, abortSignal) =>
            p.kind === 'role'
              ? client.send(new PutRolePolicyCommand({ RoleName: p.name, PolicyName: policyName, PolicyDocument: document }), { abortSignal })
              : client.send(new PutUserPolicyCommand({ UserName: p.name, PolicyName: policyName, PolicyDocument: document }), { abortSignal }),
          purpose,
          kind: 'change',
          safeToRepeat: true
        })
      )
    }
    const revokeOlder = () => putPolicy('AWSRevokeOlderSessions', denyOlderSessions(new Date().toISOString()), 'deny every credential issued before now')
    const deactivate = (id: string) =>
      r.call(
        iamCall(cfg, {
          key: `aws:deactivate:${id}`,
          action: 'UpdateAccessKey',
          params: { UserName: p.name, AccessKeyId: id, Status: 'Inactive' },
          exec: (client, abortSignal) => client.send(new UpdateAccessKeyCommand({ UserName: p.name, AccessKeyId: id, Status: 'Inactive' }), { abortSignal }),
          purpose: 'deactivate the access key (reversible)',
          kind: 'change',
          safeToRepeat: true,
          repeat: 'each access key'
        })
      )
    const deactivateKeys = async () => {
      if (p.kind !== 'user') return
      // Always list, even when the case knows keys: one the attacker created later is not among the known ones.
      const listed = await r.call<unknown>(
        iamCall(cfg, {
          key: `aws:list-keys:${p.name}`,
          action: 'ListAccessKeys',
          params: { UserName: p.name },
          exec: (client, abortSignal) => client.send(new ListAccessKeysCommand({ UserName: p.name }), { abortSignal }),
          purpose: 'list every access key of the user',
          kind: 'lookup',
          safeToRepeat: true
        }),
        { AccessKeyMetadata: [{ AccessKeyId: '{accessKeyId}', Status: 'Active' }] }
      )
      const meta = field(listed, 'AccessKeyMetadata')
      const ids = (Array.isArray(meta) ? meta : [])
        .filter((k) => field(k, 'Status') === 'Active')
        .map((k) => str(field(k, 'AccessKeyId')))
        .filter((k): k is string => !!k)
      for (const id of ids) await deactivate(id)
    }
    switch (t.action) {
      case 'terminate-session':
        await revokeOlder()
        return
      case 'revoke-tokens':
        await deactivateKeys()
        await revokeOlder()
        return
      case 'suspend-identity':
        await putPolicy('AfterloginSuspend', denyAll, 'deny every action')
        await deactivateKeys()
        await revokeOlder()
        return
      case 'step-up':
        await putPolicy('AfterloginRequireMfa', denyWithoutMfa, 'deny every request made without MFA')
        await revokeOlder()
        return
      default: {
        const never: never = t.action
        throw new Error(`unknown action ${String(never)}`)
      }
    }
  }
}
