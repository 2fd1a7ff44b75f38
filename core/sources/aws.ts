import type { ActorType, Rec, SourceMapping } from './types'
import { AGENT_UA } from './normalize'
import { at, decoded, isObject, pickText } from './values'

const HUMAN = new Set(['root', 'iamuser', 'federateduser', 'identitycenteruser', 'samluser', 'webidentityuser', 'directory', 'unknown'])

/** A role session named like a person, first.last: what people type, where tools write ids, hosts and function names. */
const PERSON_NAME = /^[a-z]{2,}(\.[a-z]{2,}){1,2}$/i

/**
 * Identity providers whose web identities are workloads, not people: CI systems' OIDC issuers (GitHub Actions,
 * GitLab, Bitbucket, CircleCI, Buildkite, Terraform Cloud, Spacelift) and Kubernetes service-account issuers (EKS).
 */
const WORKLOAD_ISSUER = /token\.actions\.githubusercontent\.com|gitlab|bitbucket|circleci|buildkite|app\.terraform\.io|spacelift|oidc\.eks\./i
/** The subject such an issuer gives: a repository and ref, a project path, a Kubernetes service account. */
const WORKLOAD_SUBJECT = /^(repo:|project_path:|system:serviceaccount:)/

/**
 * A role that an AI agent's actions run under: Bedrock's agent execution roles (AmazonBedrockExecutionRoleForAgents_…),
 * or a role named for an AI agent or model. A bare "agent" is not enough here: monitoring and build agents
 * (datadog-agent, ssm-agent) run under roles named that way.
 */
const AGENT_ROLE = /bedrock|genai|(^|[^a-z])ai[-_ ]?(agent|assistant)|copilot|claude|anthropic|openai|chatgpt|gemini|(^|[^a-z])llms?([^a-z]|$)/i
/** A role IAM Identity Center provisioned from a permission set: its sessions are a person's sign-in. */
const IDENTITY_CENTER_ROLE = /^AWSReservedSSO_/
/** Bedrock's own roles that are no agent: a knowledge base's role syncing its documents. */
const NOT_AGENT_ROLE = /knowledge_?base/i
/** "agent" as a word of a role or session name: an AI agent only with a person's source identity beside it (agentOf). */
const AGENT_WORD = /(^|[^a-z])agents?([^a-z]|$)/i

/**
 * The agent role of an assumed-role session, when an agent acts in it: the agent is the identity (its role, not
 * the session of one run), acting for the person the session names (its source identity, or a session named as an
 * address), whose own sessions it stays apart from. Null for every other caller.
 */
const agentOf = (r: Rec): string | null => {
  if ((pickText(r, 'userIdentity.type') ?? '').toLowerCase() !== 'assumedrole') return null
  const issuer = pickText(r, 'userIdentity.sessionContext.sessionIssuer.userName') ?? ''
  const session = roleSession(r) ?? ''
  // The session may be the one that names the agent (bedrock-agent-…) under a role named for its task; or the code
  // calling is an agent framework (strands-agents, LangChain … in the SDK's user agent); or a role named as an agent
  // works for the person whose source identity it carries (a monitoring agent's role carries no one's).
  // A person's names are not read for an agent's: an IAM Identity Center permission set (AWSReservedSSO_…) is the
  // person's sign-in, and a session named as an address names the person (brightwe-llm-aritime.com is no LLM).
  const named = (!IDENTITY_CENTER_ROLE.test(issuer) && AGENT_ROLE.test(issuer)) || (!session.includes('@') && AGENT_ROLE.test(session))
  if ((named && !NOT_AGENT_ROLE.test(issuer)) || AGENT_UA.test(pickText(r, 'userAgent') ?? '')) return issuer
  return AGENT_WORD.test(`${issuer} ${session}`) && (pickText(r, 'userIdentity.sessionContext.sourceIdentity') ?? '').includes('@') ? issuer : null
}
const agentPrincipal = (r: Rec): string | null => {
  const session = roleSession(r) ?? ''
  // An AgentCore agent asking for a workload access token bound to the user it serves names that user.
  const forUser = pickText(r, 'eventName') === 'GetWorkloadAccessTokenForUserId' ? (pickText(r, 'requestParameters.userId') ?? '') : ''
  return pickText(r, 'userIdentity.sessionContext.sourceIdentity') ?? (session.includes('@') ? session : forUser.includes('@') ? forUser : null)
}

/** userIdentity.type as CloudTrail records it; an assumed role is a person when IAM Identity Center or SAML put one there. */
const actorType = (r: Rec): ActorType => {
  const type = (pickText(r, 'userIdentity.type') ?? '').toLowerCase()
  if (type === 'awsservice') return 'service'
  // Another account's caller: its principal id ends with the session's name, a person's address when one signed in.
  if (type === 'awsaccount') return (pickText(r, 'userIdentity.principalId') ?? '').includes('@') ? 'human' : 'service'
  // A service's own event (KMS rotating a key, Secrets Manager finishing a rotation) names only the account and
  // the service that acted: no caller type at all.
  if (!type && (pickText(r, 'eventType') === 'AwsServiceEvent' || pickText(r, 'userIdentity.invokedBy'))) return 'service'
  if (type === 'assumedrole') {
    if (agentOf(r)) return 'agent'
    const issuer = pickText(r, 'userIdentity.sessionContext.sessionIssuer.userName') ?? ''
    const session = roleSession(r) ?? ''
    if (IDENTITY_CENTER_ROLE.test(issuer) || session.includes('@') || pickText(r, 'userIdentity.sessionContext.sourceIdentity')) return 'human'
    // Signed in at the console, or with an MFA code, or under a person's name (`--role-session-name jane.doe`).
    if (String(at(r, 'sessionCredentialFromConsole')) === 'true' || String(at(r, 'userIdentity.sessionContext.attributes.mfaAuthenticated')) === 'true')
      return 'human'
    if (PERSON_NAME.test(session)) return 'human'
    return 'service'
  }
  // A web identity from a CI pipeline or a cluster (GitHub Actions' OIDC token, an EKS pod) is a workload.
  if (type === 'webidentityuser') {
    // IAM Identity Center's SCIM endpoint answers only the identity provider's provisioning client and its token.
    if (pickText(r, 'eventSource') === 'identitystore-scim.amazonaws.com') return 'service'
    const provider = pickText(r, 'userIdentity.identityProvider') ?? ''
    return WORKLOAD_ISSUER.test(provider) || WORKLOAD_SUBJECT.test(pickText(r, 'userIdentity.userName') ?? '') ? 'service' : 'human'
  }
  if (type === 'unknown') return 'unknown'
  return HUMAN.has(type) ? 'human' : 'unknown'
}

/** The session name of an assumed role: `arn:aws:sts::123:assumed-role/Role/alice@example.com` → `alice@example.com`. */
const roleSession = (r: Rec): string | undefined => {
  const arn = pickText(r, 'userIdentity.arn')
  const m = arn ? /:assumed-role\/[^/]+\/(.+)$/.exec(arn) : null
  return m?.[1]
}

/**
 * Microsoft Sentinel's AWSCloudTrail table: one PascalCase column per CloudTrail field (userIdentity and its session
 * context flattened, request and response as JSON text). https://learn.microsoft.com/azure/azure-monitor/reference/tables/awscloudtrail
 */
const isSentinelRow = (r: Rec): boolean =>
  r.Type === 'AWSCloudTrail' || (r.EventSource !== undefined && r.EventName !== undefined && (r.AwsEventId !== undefined || r.UserIdentityType !== undefined))

/** A column's value, JSON text opened (text that is not JSON kept as written); empty columns (Sentinel writes "" for absent fields) dropped. */
const column = (r: Rec, ...names: string[]): unknown => {
  for (const name of names) {
    const v = r[name]
    if (v === undefined || v === null || v === '') continue
    const opened = decoded(typeof v === 'string' ? v.trimStart() : v)
    return typeof opened === 'string' ? v : opened
  }
  return undefined
}

/** The CloudTrail record a Sentinel AWSCloudTrail row holds, in CloudTrail's own shape, for the one mapping below to read. */
const fromSentinel = (r: Rec): Rec => {
  const c = (...names: string[]) => column(r, ...names)
  const issuer = {
    type: c('SessionIssuerType'),
    principalId: c('SessionIssuerPrincipalId'),
    arn: c('SessionIssuerArn'),
    accountId: c('SessionIssuerAccountId'),
    userName: c('SessionIssuerUserName')
  }
  const attributes = { mfaAuthenticated: c('SessionMfaAuthenticated'), creationDate: c('SessionCreationDate') }
  return {
    eventVersion: c('EventVersion'),
    eventID: c('AwsEventId'),
    eventTime: c('TimeGenerated'),
    eventSource: c('EventSource'),
    eventName: c('EventName'),
    eventType: c('EventTypeName'),
    awsRegion: c('AWSRegion', 'AwsRegion'),
    sourceIPAddress: c('SourceIpAddress'),
    userAgent: c('UserAgent'),
    errorCode: c('ErrorCode'),
    errorMessage: c('ErrorMessage'),
    requestParameters: c('RequestParameters'),
    responseElements: c('ResponseElements'),
    additionalEventData: c('AdditionalEventData'),
    resources: c('Resources'),
    requestID: c('AwsRequestId_', 'AwsRequestId'),
    readOnly: c('ReadOnly'),
    managementEvent: c('ManagementEvent'),
    recipientAccountId: c('RecipientAccountId'),
    vpcEndpointId: c('VpcEndpointId'),
    userIdentity: {
      type: c('UserIdentityType'),
      principalId: c('UserIdentityPrincipalid', 'UserIdentityPrincipalId'),
      arn: c('UserIdentityArn'),
      accountId: c('UserIdentityAccountId'),
      accessKeyId: c('UserIdentityAccessKeyId'),
      userName: c('UserIdentityUserName'),
      invokedBy: c('UserIdentityInvokedBy'),
      ...(Object.values(issuer).some((v) => v !== undefined) || Object.values(attributes).some((v) => v !== undefined)
        ? { sessionContext: { sessionIssuer: issuer, attributes } }
        : {})
    }
  }
}

/**
 * An IAM Identity Center user a record acts for (userIdentity.onBehalfOf): by the user name its portal records give
 * (the person's sign-in name, as the IdP's own records name them), else by the identity store's user id.
 */
const identityCenterUser = (r: Rec): string | undefined => {
  const id = pickText(r, 'userIdentity.onBehalfOf.userId')
  return id ? (pickText(r, 'userIdentity.userName') ?? id) : undefined
}

// AWS CloudTrail records (S3 objects with a Records envelope, Lake/Logstash NDJSON, Sentinel's AWSCloudTrail table):
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
export const aws: SourceMapping = {
  id: 'aws',
  detect: (r) =>
    (r.eventSource !== undefined && r.eventName !== undefined && (r.userIdentity !== undefined || r.eventVersion !== undefined)) || isSentinelRow(r),
  views: (r) => [isSentinelRow(r) ? fromSentinel(r) : r],
  nativeId: 'eventID',
  // Logstash-shipped copies lack eventTime: its @timestamp is the next best.
  time: ['eventTime', '@timestamp'],
  sourceType: (r) => {
    const src = pickText(r, 'eventSource')
    const name = pickText(r, 'eventName')
    return src && name ? `${src}:${name}` : name
  },
  action: 'eventName',
  category: [
    // IAM Identity Center hands a role's credentials to the portal or the CLI (GetRoleCredentials): a sign-in to the account.
    [
      /ConsoleLogin|CheckMfa|SwitchRole|ExitRole|RenewRole|signin\.amazonaws\.com|GetSigninToken|AssumeRoleWith(SAML|WebIdentity)|Federat|:GetRoleCredentials/,
      'authentication'
    ],
    [
      /:(Create|Delete|Update)(User|LoginProfile|AccessKey|VirtualMFADevice)|:(Enable|Deactivate)MFADevice|:(Attach|Detach|Put)UserPolicy|:AddUserToGroup|:ChangePassword/,
      'account_change'
    ],
    [
      /:(PutBucketPolicy|PutBucketAcl|PutObjectAcl|ModifySnapshotAttribute|ModifyImageAttribute|ModifyDBSnapshotAttribute|PutBucketPublicAccessBlock|DeleteBucketPublicAccessBlock|CreateGrant)/,
      'sharing'
    ],
    [
      /:(GetObject|CopyObject|ListObjects|ListBuckets|GetSecretValue|GetParameters?|Decrypt|CreateInstanceExportTask|SelectObjectContent|Download|Export|LookupEvents)/,
      'data_access'
    ],
    [/^(iam|organizations|cloudtrail|config|guardduty|kms|sso|identitystore|securityhub|account)\./, 'admin'],
    [/:(AssumeRole|GetSessionToken|GetFederationToken|GetCallerIdentity)/, 'api_activity'],
    [/:/, 'api_activity']
  ],
  outcome: (r) => {
    if (r.errorCode !== undefined && r.errorCode !== null && r.errorCode !== '') return 'failure'
    const login = at(r, 'responseElements.ConsoleLogin')
    if (typeof login === 'string') return login
    return 'success'
  },
  actorId: ['userIdentity.principalId', 'userIdentity.arn'],
  actorName: (r) =>
    pickText(r, 'userIdentity.userName') ??
    roleSession(r) ??
    pickText(r, ['userIdentity.sessionContext.sessionIssuer.userName', 'userIdentity.invokedBy', 'userIdentity.arn']),
  actorType,
  identity: (r) =>
    agentOf(r) ??
    identityCenterUser(r) ??
    pickText(r, 'userIdentity.sessionContext.sourceIdentity') ??
    roleSession(r) ??
    pickText(r, ['userIdentity.userName', 'additionalEventData.UserName']) ??
    (pickText(r, 'userIdentity.type') === 'Root' ? `root@${pickText(r, 'userIdentity.accountId') ?? 'aws'}` : undefined),
  actingFor: (r) => (agentOf(r) ? agentPrincipal(r) : null),
  app: (r) => pickText(r, 'eventSource'),
  sessionKeys: {
    accessKeyId: 'userIdentity.accessKeyId',
    assumedRoleSession: (r) => (pickText(r, 'userIdentity.type') === 'AssumedRole' ? pickText(r, 'userIdentity.arn') : undefined),
    sourceIdentity: (r) => (agentOf(r) ? null : pickText(r, ['userIdentity.sessionContext.sourceIdentity', 'requestParameters.sourceIdentity'])),
    // AssumeRole* hand out the temporary key the following calls use: the link between the two sessions.
    issuedAccessKeyId: 'responseElements.credentials.accessKeyId'
  },
  srcIp: 'sourceIPAddress',
  userAgent: 'userAgent',
  targetType: (r) => pickText(r, 'resources.0.type') ?? (isObject(r.requestParameters) && 'bucketName' in r.requestParameters ? 'AWS::S3::Bucket' : undefined),
  targetId: ['resources.0.ARN', 'requestParameters.roleArn', 'requestParameters.bucketName', 'requestParameters.userName', 'requestParameters.instanceId'],
  targetName: [
    'requestParameters.userName',
    'requestParameters.bucketName',
    'requestParameters.key',
    'requestParameters.roleSessionName',
    'requestParameters.name',
    // What the call named when it names none of the above: the role or group changed, the KMS key, the policy, the
    // secret read, the Bedrock model invoked, the function, key pair, security group, snapshot, detector, SES identity.
    'requestParameters.roleName',
    'requestParameters.groupName',
    // A KMS key before its policy's name (PutKeyPolicy names the policy "default").
    'requestParameters.keyId',
    'requestParameters.policyName',
    'requestParameters.secretId',
    'requestParameters.modelId',
    'requestParameters.functionName',
    'requestParameters.keyName',
    'requestParameters.groupId',
    'requestParameters.snapshotId',
    'requestParameters.detectorId',
    'requestParameters.emailIdentity',
    'requestParameters.dBInstanceIdentifier',
    'requestParameters.instanceType'
  ],
  // CloudTrail records a refused call's errorCode (AccessDenied, …Exception) and, mostly, an errorMessage: the code, with
  // the permission the message says was missing and the kind of policy that denied it explicitly, else the message.
  refusal: (r) => {
    const code = pickText(r, 'errorCode')
    const message = pickText(r, 'errorMessage')
    if (!code) return message
    const action = message?.match(/not authorized to perform:?\s*([\w-]+:[\w*-]+)/)?.[1]
    const deny = message?.match(/with an explicit deny in an? ([\w -]*?policy)\b/i)?.[1]
    return action ? `${code}: not authorized to perform ${action}${deny ? ` (explicit deny in a ${deny})` : ''}` : code
  }
}
