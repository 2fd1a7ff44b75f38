import { z } from 'zod'
import { call } from './define'

export const RESPONSE_ACTIONS = ['step-up', 'revoke-tokens', 'terminate-session', 'suspend-identity'] as const
export type ResponseAction = (typeof RESPONSE_ACTIONS)[number]

export const CONNECTOR_IDS = ['okta', 'entra', 'google', 'slack', 'github', 'salesforce', 'aws', 'ssf'] as const
export type ConnectorId = (typeof CONNECTOR_IDS)[number]

/** Which connector acts on an event source's app (m365 sessions are Entra sessions). ssf serves every chain. */
export const CONNECTOR_FOR_SOURCE: Readonly<Record<string, ConnectorId>> = {
  okta: 'okta',
  entra: 'entra',
  m365: 'entra',
  google_workspace: 'google',
  slack: 'slack',
  github: 'github',
  salesforce: 'salesforce',
  aws: 'aws'
}

export type ActionStatus = 'pending' | 'running' | 'done' | 'failed' | 'partial' | 'dry-run'
/** `unknown`: sent, but the outcome never came back (crash or timeout) — the analyst decides. */
export type CallStatus = 'queued' | 'sending' | 'done' | 'failed' | 'unknown' | 'skipped'

export interface PlannedCall {
  method: string
  /** Exact URL; `{placeholders}` are values a preceding lookup resolves at run time. */
  url: string
  /** Request body without any secret, or null. */
  body: unknown
  purpose: string
  kind: 'lookup' | 'change'
  /** Whether sending it twice is harmless (CONNECTORS.md): only those are retried after a crash. */
  safeToRepeat: boolean
  /** Set when the call repeats for every item a lookup returns (e.g. one DELETE per OAuth client). */
  repeat: string | null
}

export interface ConnectorPlan {
  connector: ConnectorId
  label: string
  action: ResponseAction
  supported: boolean
  configured: boolean
  /** Settings the connector still needs, by environment variable name. */
  missing: string[]
  /** The account the connector will act on, as the provider knows it. */
  target: string
  /** The one native session the plan cuts, when the analyst chose one and the API can. */
  sessionKey: string | null
  calls: PlannedCall[]
  cuts: string[]
  doesNotCut: string[]
  residual: string
  /** Least-privilege scopes / roles / IAM actions the connector's credential needs for this action. */
  permissions: string[]
  /** Provider documentation the claims above rest on. */
  docs: string[]
  notes: string[]
}

export interface ResponsePreview {
  identity: string
  action: ResponseAction
  sessionKey: string | null
  plans: ConnectorPlan[]
}

export interface CallRecord {
  callNo: number
  method: string
  url: string
  status: CallStatus
  httpStatus: number | null
  attempts: number
  requestId: string | null
  error: string | null
  safeToRepeat: boolean
  purpose: string
}

export interface AttemptRecord {
  callNo: number
  attempt: number
  startedAt: string
  finishedAt: string | null
  method: string
  url: string
  httpStatus: number | null
  requestId: string | null
  error: string | null
}

export interface ActionSummary {
  id: string
  batchId: string | null
  createdAt: string
  analyst: string
  reason: string
  connector: ConnectorId
  action: ResponseAction
  identity: string
  chainId: string | null
  sessionKeys: string[]
  dryRun: boolean
  status: ActionStatus
  executedAt: string | null
  finishedAt: string | null
  error: string | null
}

export interface ActionDetail extends ActionSummary {
  plan: ConnectorPlan
  calls: CallRecord[]
  attempts: AttemptRecord[]
}

export interface ConnectorInfo {
  id: ConnectorId
  label: string
  configured: boolean
  missing: string[]
  /** Where its settings come from: the environment or the desktop's encrypted settings. */
  origin: 'env' | 'settings' | 'none'
  /** Base URL (never a credential) when configured. */
  url: string | null
  actions: ResponseAction[]
  /** Setting names the analyst may store in the desktop settings (secret ones are write-only). */
  settings: { name: string; secret: boolean; set: boolean; help: string }[]
  /** Whether settings are written anywhere; false when only the environment (or memory) holds them. */
  writable: boolean
  /** Where secrets entered here are kept: the OS keychain, or this session's memory when no keychain answers. */
  secretStorage: 'keychain' | 'memory' | 'none'
  /** Why the keychain is not used, when it is not. */
  storageNote: string | null
  /** The facts table's permissions per action, for the settings screen. */
  permissions: { action: ResponseAction; permissions: string[] }[]
  /** Set when the connector points at a simulated provider on loopback (the demo), never a real tenant. */
  simulated: boolean
}

export interface ConnectionCheck {
  ok: boolean
  /** The read-only call made, as method and URL (never a credential). */
  call: string
  httpStatus: number | null
  message: string
}

export interface AuditRecord {
  seq: number
  at: string
  actor: string
  kind: string
  subject: string | null
  detail: unknown
  prevHash: string
  hash: string
}

export interface AuditPage {
  rows: AuditRecord[]
  total: number
  offset: number
}

export interface AuditVerification {
  ok: boolean
  records: number
  /** Hash of the last record: note it elsewhere to detect a truncated tail later. */
  head: string | null
  /** First broken record, when any. */
  brokenAt: number | null
  problem: string | null
}

/** Live status of one connector's action, pushed as `response.status`. */
export interface ResponseStatusEvent {
  actionId: string
  batchId: string | null
  connector: ConnectorId
  status: ActionStatus
  calls: CallRecord[]
}

const connector = z.enum(CONNECTOR_IDS)
const action = z.enum(RESPONSE_ACTIONS)
const identity = z.string().trim().min(1).max(320)
const actionId = z.string().min(1).max(80)
const target = {
  identity,
  action,
  connectors: z.array(connector).min(1).max(CONNECTOR_IDS.length),
  chainId: z.string().min(1).max(300).optional(),
  /** A native session key (or the id of a session of the chain) to cut only that session where the API can. */
  sessionId: z.string().min(1).max(300).optional()
}

export const responseCalls = {
  'response.connectors': call<ConnectorInfo[]>()(z.object({}).strict()),
  'response.configure': call<ConnectorInfo[]>()(
    z
      .object({
        connector,
        /** Setting name → value; an empty string clears it. */
        values: z.record(z.string().regex(/^[A-Z0-9_]{2,40}$/), z.string().max(20_000))
      })
      .strict()
  ),
  /** One read-only call with the connector's current settings, reported in words (e.g. a 401 as a rejected credential). */
  'response.test': call<ConnectionCheck>()(z.object({ connector }).strict()),
  'response.preview': call<ResponsePreview>()(z.object(target).strict()),
  'response.execute': call<ActionSummary[]>()(
    z
      .object({
        ...target,
        reason: z.string().trim().min(3, 'a reason is required').max(2000),
        analyst: z.string().trim().min(1).max(200).optional(),
        dryRun: z.boolean().default(false)
      })
      .strict()
  ),
  'response.actions': call<ActionSummary[]>()(
    z.object({ chainId: z.string().max(300).optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict()
  ),
  'response.action': call<ActionDetail>()(z.object({ id: actionId }).strict()),
  /** Continues an interrupted action: safe calls are re-sent; unsafe ones with an unknown outcome only when confirmed. */
  'response.resume': call<ActionSummary>()(
    z
      .object({
        id: actionId,
        reason: z.string().trim().min(3, 'a reason is required').max(2000),
        analyst: z.string().trim().min(1).max(200).optional(),
        resendUnsafe: z.boolean().default(false)
      })
      .strict()
  ),
  /** The analyst settles an interrupted action without sending anything more (checked at the provider). */
  'response.settle': call<ActionSummary>()(
    z
      .object({
        id: actionId,
        outcome: z.enum(['done', 'failed']),
        reason: z.string().trim().min(3, 'a reason is required').max(2000),
        analyst: z.string().trim().min(1).max(200).optional()
      })
      .strict()
  ),
  'audit.list': call<AuditPage>()(z.object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(200) }).strict()),
  'audit.verify': call<AuditVerification>()(z.object({}).strict()),
  'audit.export': call<{ format: 'json' | 'csv'; text: string }>()(z.object({ format: z.enum(['json', 'csv']) }).strict()),
  'response.ssf.jwks': call<{ keys: Record<string, unknown>[] }>()(z.object({}).strict())
}
