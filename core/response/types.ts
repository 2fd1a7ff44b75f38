import type { ConnectorId, PlannedCall, ResponseAction } from '../../contract'

/** What a provider answered, reduced to what retry decisions and the outbox need. */
export interface ProviderReply {
  status: number
  /** Lower-case header names. */
  headers: Record<string, string>
  text: string
}

export type Verdict =
  | { ok: true; data: unknown }
  | {
      ok: false
      error: string
      /** Throttled or briefly unavailable: worth another attempt. */
      retryable: boolean
      /** What the provider asked us to wait, when it said. */
      waitMs: number | null
      /** The call was refused before doing anything (4xx), so repeating it later is harmless. */
      notApplied: boolean
      notFound: boolean
    }

/** A call as a connector script issues it: the previewed shape (URL and body never carry a secret), plus how to send it. */
export interface CallSpec extends Omit<PlannedCall, 'repeat'> {
  /** Stable identity: a resumed action skips calls whose key is already done. */
  key: string
  repeat?: string
  send(signal: AbortSignal): Promise<ProviderReply>
}

/** One setting a connector reads, as `AFTERLOGIN_<ID>_<NAME>` or from the desktop settings. */
export interface SettingDef {
  name: string
  secret: boolean
  required: boolean
  help: string
}

/**
 * One row of a connector's facts table: what the action cuts and leaves, the least privilege it needs and the
 * provider documentation the row rests on. The preview, the settings screen and docs/connectors.md all read it.
 */
export interface ActionDoc {
  cuts: string[]
  doesNotCut: string[]
  residual: string
  /** Least-privilege scopes, roles or IAM actions the credential needs for this action's calls. */
  permissions: string[]
  /** Provider reference pages (URLs) the row's claims and the calls rest on. */
  docs: string[]
  notes?: string[]
}

export interface ConnectorConfig {
  get(name: string): string | undefined
  /** Every secret value in force, so anything recorded can be scrubbed of them. */
  secrets: string[]
  dataDir: string
  /** Set while previewing: nothing is sent, missing settings show as placeholders. */
  preview: boolean
}

export interface Target {
  identity: string
  action: ResponseAction
  /** The native session key to cut alone, when the analyst chose one session. */
  sessionKey: string | null
  /** The account name this provider's own logs use for the identity (e.g. a GitHub login), when the case knows it. */
  account: string | null
  /** Native session/credential keys the case saw for this identity in this provider's logs. */
  knownKeys: string[]
  actionId: string
}

/**
 * Runs one call through the outbox (write-ahead, attempts, retries) and returns the parsed reply.
 * In preview mode nothing is sent: it records the call and returns `placeholder` instead.
 */
export interface CallRunner {
  readonly preview: boolean
  call<T = unknown>(spec: CallSpec, placeholder?: T): Promise<T>
  /** A not-found answer is an outcome the connector handles (e.g. nothing to revoke), not a failure. */
  callAllowMissing<T = unknown>(spec: CallSpec, placeholder?: T): Promise<T | null>
}

export interface Connector {
  id: ConnectorId
  label: string
  settings: SettingDef[]
  actions: Partial<Record<ResponseAction, ActionDoc>>
  /** Why an action is not offered, for the ones missing from `actions`. */
  unsupported: Partial<Record<ResponseAction, string>>
  /** Names of settings still missing (beyond the generic required check), e.g. AWS credentials. */
  missing?(cfg: ConnectorConfig): string[]
  /** The account the provider will be asked about, shown in the preview. */
  targetOf(t: Target, cfg: ConnectorConfig): string
  interpret(reply: ProviderReply): Verdict
  requestIdHeaders: string[]
  /**
   * A read-only call that proves the settings work ("Test connection"); null when the provider has none
   * (an SSF push endpoint only accepts events).
   */
  probe(cfg: ConnectorConfig): Promise<CallSpec> | null
  /** The action as a script of calls; run in preview mode it only describes them. */
  run(t: Target, cfg: ConnectorConfig, runner: CallRunner): Promise<void>
}

export type { PlannedCall }
