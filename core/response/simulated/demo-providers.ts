import { createHash, randomBytes } from 'node:crypto'
import type { ConnectorId } from '../../../contract'
import type { CaseDb } from '../../store/case-db'
import { isEmail } from '../connectors/common'
import type { SecretStore } from '../secret-store'
import { jwksOf, loadSigningKey } from '../ssf-keys'
import { resolveTarget, sourcesOf } from '../targets'
import { startGithubMock, type GithubOrg } from './github'
import { startGoogleMock, type GoogleUser } from './google'
import { startGraphMock, type GraphUser } from './graph'
import { startOktaMock, type OktaUser } from './okta'
import { startSalesforceMock, type SfUser } from './salesforce'
import type { MockServer } from './server'
import { startSlackMock, type SlackUser } from './slack'
import { startSsfReceiver } from './ssf-receiver'

/** Stable provider-style ids from an identity, so a simulated account looks the same on every launch. */
const idFor = (prefix: string, identity: string, len: number): string =>
  prefix + createHash('sha256').update(identity.toLowerCase()).digest('hex').toUpperCase().slice(0, len)

interface Account {
  identity: string
  account: string | null
  keys: string[]
}

/** The accounts each connector's provider knows, read from the case: every identity its sources' logs name. */
const accountsOf = async (db: CaseDb): Promise<Map<ConnectorId, Account[]>> => {
  const rows = await db.many<{ identity: string; source: string }>('response.simulated.identities', { limit: 5000 })
  const out = new Map<ConnectorId, Account[]>()
  for (const id of ['okta', 'entra', 'google', 'slack', 'github', 'salesforce'] as const) {
    const sources = new Set(sourcesOf(id))
    const identities = [...new Set(rows.filter((r) => sources.has(r.source)).map((r) => r.identity))]
    const list: Account[] = []
    for (const identity of identities) {
      const t = await resolveTarget(db, id, identity)
      list.push({ identity, account: t.account, keys: t.knownKeys })
    }
    out.set(id, list)
  }
  return out
}

export interface DemoProviders {
  /** Settings (`OKTA_URL`, `OKTA_TOKEN` …) that point each connector at its simulated provider. */
  settings: Map<string, string>
  servers: MockServer[]
  close(): Promise<void>
}

/**
 * Starts the demo's simulated providers on 127.0.0.1 — Okta, Graph, Google Directory, Slack, GitHub, Salesforce
 * and an SSF receiver — knowing the case's accounts and sessions, each with a random token kept in memory. Okta
 * throttles the first session wipe (429 with X-Rate-Limit-Reset) so a first-time user sees a retry.
 */
export const startDemoProviders = async (db: CaseDb, dataDir: string): Promise<DemoProviders> => {
  const accounts = await accountsOf(db)
  const of = (id: ConnectorId) => accounts.get(id) ?? []
  const okta: OktaUser[] = of('okta').map((a) => ({
    id: idFor('00u', a.identity, 14),
    login: a.identity,
    status: 'ACTIVE',
    clients: ['0oa1demoportal'],
    sessions: a.keys
  }))
  const graph: GraphUser[] = of('entra').map((a) => ({
    id: idFor('', a.identity, 12).toLowerCase(),
    upn: a.identity,
    accountEnabled: true,
    revoked: 0,
    risk: 'none'
  }))
  const google: GoogleUser[] = of('google').map((a) => ({
    primaryEmail: a.identity,
    id: idFor('1', a.identity, 10),
    suspended: false,
    changePasswordAtNextLogin: false,
    signOuts: 0,
    tokens: ['simulated-app.apps.googleusercontent.com']
  }))
  const slack: SlackUser[] = of('slack')
    .filter((a) => isEmail(a.identity))
    .map((a) => ({ id: a.account ?? idFor('U', a.identity, 9), email: a.identity, resets: 0, sessions: a.keys }))
  const members = of('github')
    .map((a) => a.account)
    .filter((x): x is string => !!x && !isEmail(x))
  const org: GithubOrg = {
    name: 'simulated-org',
    members,
    credentials: members.map((login, i) => ({
      credential_id: 7000 + i,
      login,
      credential_type: 'personal access token',
      token_last_eight: idFor('', login, 8).toLowerCase()
    }))
  }
  const salesforce: SfUser[] = of('salesforce').map((a) => ({
    id: idFor('005', a.identity, 12),
    username: a.identity,
    loginId: idFor('0Yw', a.identity, 12),
    frozen: false,
    sessions: a.keys.filter((k) => /^0Ak[A-Za-z0-9]{12,15}$/.test(k)).concat(idFor('0Ak', a.identity, 12)),
    oauthTokens: [{ id: idFor('0CQ', a.identity, 12), app: 'Simulated connected app', deleteToken: randomBytes(12).toString('hex') }]
  }))
  const token = () => `simulated-${randomBytes(16).toString('hex')}`
  const servers: MockServer[] = []
  try {
    const [o, g, go, s, gh, sf] = await Promise.all([
      startOktaMock(okta, { token: token() }),
      startGraphMock(graph, { token: token() }),
      startGoogleMock(google, { token: token() }),
      startSlackMock(slack, { token: token() }),
      startGithubMock(org, { token: token() }),
      startSalesforceMock(salesforce, { token: token() })
    ])
    servers.push(o, g, go, s, gh, sf)
    const issuer = 'https://afterlogin.local/ssf'
    const receiver = await startSsfReceiver({
      jwks: async () => jwksOf(await loadSigningKey(dataDir)) as never,
      issuer,
      audience: 'https://simulated-receiver.local',
      token: token()
    })
    servers.push(receiver)
    o.inject(/^DELETE \/api\/v1\/users\/[^/]+\/sessions$/, 'rate-limit')
    const settings = new Map<string, string>([
      ['OKTA_URL', o.url],
      ['OKTA_TOKEN', o.token],
      ['ENTRA_URL', g.url],
      ['ENTRA_TOKEN', g.token],
      ['GOOGLE_URL', go.url],
      ['GOOGLE_TOKEN', go.token],
      ['SLACK_URL', `${s.url}/api`],
      ['SLACK_TOKEN', s.token],
      ['GITHUB_URL', gh.url],
      ['GITHUB_TOKEN', gh.token],
      ['GITHUB_ORG', org.name],
      ['SALESFORCE_URL', sf.url],
      ['SALESFORCE_TOKEN', sf.token],
      ['SSF_URL', `${receiver.url}/security/api/v1/security-events`],
      ['SSF_TOKEN', `Bearer ${receiver.token}`],
      ['SSF_ISSUER', issuer],
      ['SSF_AUDIENCE', 'https://simulated-receiver.local']
    ])
    return { settings, servers, close: async () => void (await Promise.all(servers.map((x) => x.close()))) }
  } catch (err) {
    await Promise.all(servers.map((x) => x.close()))
    throw err
  }
}

/**
 * The analyst's settings, with the simulated providers filling in every connector the analyst has not configured:
 * a connector is either wholly simulated or wholly the analyst's, never a real token sent to a simulated URL.
 */
export class SimulatedOverlay implements SecretStore {
  constructor(
    private readonly base: SecretStore,
    private readonly simulated: () => Map<string, string> | null
  ) {}

  get writable(): boolean {
    return this.base.writable
  }
  get storage() {
    return this.base.storage
  }
  get storageNote() {
    return this.base.storageNote
  }

  get(name: string) {
    const sim = this.simulated()
    const connector = name.split('_')[0]
    const own = this.base.get(`${connector}_URL`) ?? this.base.get(`${connector}_TOKEN`)
    if (sim && !own) {
      const v = sim.get(name)
      return v ? { value: v, origin: 'env' as const } : undefined
    }
    return this.base.get(name)
  }

  set(name: string, value: string): Promise<void> {
    return this.base.set(name, value)
  }
}
