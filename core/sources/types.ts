/** A parsed log record: a JSON object, or a CSV row turned into {column: cell}. */
export type Rec = Record<string, unknown>

export const SOURCE_IDS = ['okta', 'entra', 'm365', 'google_workspace', 'slack', 'github', 'salesforce', 'aws', 'generic'] as const
export type SourceId = (typeof SOURCE_IDS)[number]

export const CATEGORIES = ['authentication', 'account_change', 'api_activity', 'data_access', 'sharing', 'admin', 'other'] as const
export type Category = (typeof CATEGORIES)[number]
export type Outcome = 'success' | 'failure' | 'unknown'
export type ActorType = 'human' | 'service' | 'agent' | 'unknown'

/**
 * Where a value comes from: a dotted path (`client.ipAddress`), a list of candidate paths tried in
 * order (first non-empty wins), or a small function for what data cannot express.
 */
export type Field = string | readonly string[] | ((r: Rec) => unknown)

/** A value map, e.g. Okta's `actor.type` → actor type. Keys are compared lower-cased. */
export interface Lookup<T extends string> {
  from: Field
  map: Readonly<Record<string, T>>
  otherwise?: T
}

/**
 * How a field reads in the DuckDB fast path when its JS declaration is a function: a constant, a path
 * (optionally only when another path has a value), or the first array element whose key equals a value.
 */
/** A condition on one path of the record: its value as read equals (`when`) or differs from (`unless`) the text given. */
type Condition = readonly [path: string, equals: string]

/** `containing`: the value taken counts only when it contains this text (else NULL). */
export type FastField =
  | { const: string }
  | { path: string; when?: Condition; unless?: Condition; containing?: string }
  | { find: string; where: readonly [key: string, equals: string]; take: readonly string[]; when?: Condition; unless?: Condition; containing?: string }

/**
 * Lets DuckDB parse big NDJSON files of this source itself (core/import/fast-path.ts compiles the
 * declaration into a typed projection). Rows lacking the signature paths, or whose time DuckDB cannot
 * read, are handed back to the JS normalizer, so both paths store the same events.
 */
export interface FastPath {
  /** Paths every row of this source has: the SQL form of `detect`. */
  signature: readonly string[]
  /** SQL-side forms of the fields declared as functions (by column name or `key:<session key>`). */
  fields?: Readonly<Record<string, FastField>>
}

/**
 * One source's declaration: its content signature and how its fields land in the normalized schema.
 * Every source goes through the same normalizer (core/sources/normalize.ts); nothing here parses text.
 */
export interface SourceMapping {
  id: SourceId
  /** The content signature: true when the record is this source's. */
  detect(r: Rec): boolean
  /**
   * The events a record carries, when not exactly one: Google activities with several events, a
   * Salesforce streaming message around its payload, a Purview CSV row around its AuditData JSON.
   * Each view is mapped separately; `index` keeps their uids distinct.
   */
  views?(r: Rec): Rec[]
  /** The log's own id of the event; combined with a digest of the record into the uid. */
  nativeId?: Field
  time: Field
  sourceType: Field
  action?: Field
  category: readonly CategoryRule[]
  outcome?: Lookup<Outcome> | Field
  actorId?: Field
  actorName?: Field
  actorType?: Lookup<ActorType> | ((r: Rec) => ActorType)
  /** Lower-cased email/login of the actor. */
  identity?: Field
  app?: Field
  /** Native session keys, in priority order: the first present becomes `session_key`. */
  sessionKeys?: Readonly<Record<string, Field>>
  srcIp?: Field
  userAgent?: Field
  deviceId?: Field
  geoCity?: Field
  geoCountry?: Field
  geoLat?: Field
  geoLon?: Field
  /** The network the record itself names for the address: AS number and organisation/ISP. */
  asNumber?: Field
  asOrg?: Field
  /** For an AI agent's event, the human or service identity it acts for (lower-cased login). */
  actingFor?: Field
  /** The record's own flags: the address is a proxy or anonymiser; the device is managed by the organisation. */
  netProxy?: Field
  deviceManaged?: Field
  /**
   * The record vouches for the hands behind it (read by detect.routine-familiar and detect.new-network): a
   * phishing-resistant factor bound to the user's hardware, a device joined to the organisation's directory, a device
   * the vendor's behaviour detection already knew for the user. A relayed password, a replayed token or a phishing kit
   * shows none of these. Signs the fast path compiles too, or a function for what they cannot express.
   */
  vouches?: readonly Sign[] | ((r: Rec) => boolean)
  targetType?: Field
  targetId?: Field
  targetName?: Field
  /**
   * Why the record says the action failed, in the vendor's words (an error code, a failure reason): read only for
   * the failed events a rule matched, whose attempt findings name it. Not stored as a column.
   */
  refusal?: Field
  fast?: FastPath
}

/** A path's value, as text, matches a pattern (a RegExp RE2 reads too: no lookaround, no backreference). */
export type Test = readonly [path: string, pattern: RegExp]

/** One sign a record shows: its first test and every other `all` test hold, and no `none` test does. */
export interface Sign {
  all: readonly [Test, ...Test[]]
  none?: readonly Test[]
}

/** First matching rule wins; `test` runs on `sourceType` (and the action when given). */
export type CategoryRule = readonly [RegExp, Category]

export interface NormalizedEvent {
  uid: string
  source: SourceId
  sourceType: string | null
  category: Category
  action: string | null
  outcome: Outcome
  /** Epoch microseconds, UTC; null when the record carries no time at all. */
  timeUs: number | null
  actorId: string | null
  actorName: string | null
  actorType: ActorType
  identity: string | null
  app: string | null
  sessionKey: string | null
  sessionKeys: Record<string, string> | null
  srcIp: string | null
  userAgent: string | null
  deviceId: string | null
  geoCity: string | null
  geoCountry: string | null
  geoLat: number | null
  geoLon: number | null
  asNumber: number | null
  asOrg: string | null
  actingFor: string | null
  netProxy: boolean | null
  deviceManaged: boolean | null
  vouches: boolean
  targetType: string | null
  targetId: string | null
  targetName: string | null
}
