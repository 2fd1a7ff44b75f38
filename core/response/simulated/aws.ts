import { requestId, startMock, type Provider, type Reply, type Seen } from './server'

export interface IamState {
  roles: Record<string, Record<string, string>>
  users: Record<string, { policies: Record<string, string>; keys: Record<string, 'Active' | 'Inactive'> }>
}

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/'

// IAM's Query API answers XML: <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>.
const error = (status: number, type: 'Sender' | 'Receiver', code: string, message: string): Reply => {
  const id = requestId()
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id },
    raw: `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`
  }
}

const ok = (action: string, result = ''): Reply => {
  const id = requestId()
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id },
    raw: `<${action}Response xmlns="${NS}">${result ? `<${action}Result>${result}</${action}Result>` : ''}<ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></${action}Response>`
  }
}

export const awsProvider = (state: IamState): Provider => ({
  name: 'aws',
  // SigV4 is checked for shape, not recomputed: the mock stands in for the network edge, not for AWS auth.
  authorized: (req, token) => new RegExp(`^AWS4-HMAC-SHA256 Credential=${token}/`).test(String(req.headers.authorization ?? '')),
  fault: (kind) => {
    switch (kind) {
      case 'unauthorized':
        return error(403, 'Sender', 'InvalidClientTokenId', 'The security token included in the request is invalid.')
      case 'not-found':
        return error(404, 'Sender', 'NoSuchEntity', 'The user with name x cannot be found.')
      case 'rate-limit':
        return error(400, 'Sender', 'Throttling', 'Rate exceeded')
      case 'server-error':
        return error(500, 'Receiver', 'ServiceFailure', 'Internal failure')
    }
  },
  handle: (req: Seen): Reply => {
    const f = new URLSearchParams(req.body)
    const action = f.get('Action') ?? ''
    const user = f.get('UserName') ?? ''
    const role = f.get('RoleName') ?? ''
    switch (action) {
      case 'PutRolePolicy':
        // IAM Identity Center owns these roles; IAM refuses any change to them.
        if (role.startsWith('AWSReservedSSO_'))
          return error(
            400,
            'Sender',
            'UnmodifiableEntity',
            `Cannot perform the operation on the protected role '${role}' - this role is only modifiable by AWS`
          )
        if (!state.roles[role]) return error(404, 'Sender', 'NoSuchEntity', `The role with name ${role} cannot be found.`)
        state.roles[role][f.get('PolicyName') ?? ''] = f.get('PolicyDocument') ?? ''
        return ok(action)
      case 'PutUserPolicy':
        if (!state.users[user]) return error(404, 'Sender', 'NoSuchEntity', `The user with name ${user} cannot be found.`)
        state.users[user].policies[f.get('PolicyName') ?? ''] = f.get('PolicyDocument') ?? ''
        return ok(action)
      case 'UpdateAccessKey': {
        const key = f.get('AccessKeyId') ?? ''
        if (!state.users[user]?.keys[key]) return error(404, 'Sender', 'NoSuchEntity', `The Access Key with id ${key} cannot be found.`)
        state.users[user].keys[key] = f.get('Status') === 'Inactive' ? 'Inactive' : 'Active'
        return ok(action)
      }
      case 'GetUser': {
        // Without UserName, the caller; a role's credentials get a ValidationError, as IAM answers.
        const name = user || Object.keys(state.users)[0]
        if (!name) return error(400, 'Sender', 'ValidationError', 'Must specify userName when calling with non-User credentials')
        return ok(
          action,
          `<User><Path>/</Path><UserName>${name}</UserName><UserId>AIDAMOCK${name.toUpperCase()}</UserId><Arn>arn:aws:iam::123456789012:user/${name}</Arn><CreateDate>2026-01-05T10:00:00Z</CreateDate></User>`
        )
      }
      case 'ListAccessKeys': {
        if (!state.users[user]) return error(404, 'Sender', 'NoSuchEntity', `The user with name ${user} cannot be found.`)
        const members = Object.entries(state.users[user].keys)
          .map(
            ([k, s]) =>
              `<member><UserName>${user}</UserName><AccessKeyId>${k}</AccessKeyId><Status>${s}</Status><CreateDate>2026-01-05T10:00:00Z</CreateDate></member>`
          )
          .join('')
        return ok(action, `<AccessKeyMetadata>${members}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`)
      }
      default:
        return error(400, 'Sender', 'InvalidAction', `Could not find operation ${action} for version 2010-05-08`)
    }
  }
})

export const startAwsMock = (state: IamState, opts?: { token?: string; slowMs?: number; contract?: (req: Seen) => string[] }) =>
  startMock(awsProvider(state), opts)
