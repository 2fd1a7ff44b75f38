import type { SeverityName } from '../../policies/policies'

/** The Afterlogin sources a Sigma `logsource` can map to (core/sources ids). */
export const SIGMA_SOURCES = ['okta', 'entra', 'm365', 'google_workspace', 'slack', 'github', 'salesforce', 'aws', 'generic'] as const
export type SigmaSource = (typeof SIGMA_SOURCES)[number]

export const RULE_STATUSES = ['ok', 'not_applicable', 'unsupported', 'error'] as const
export type RuleStatus = (typeof RULE_STATUSES)[number]

/** A rule's verdict when loaded: what `afterlogin rules check` prints and Settings lists. */
export interface RuleCheck {
  path: string
  id: string | null
  title: string | null
  status: RuleStatus
  /** Why the status is not ok: the logsource, the unsupported feature, or the error with its line. */
  reason: string | null
  source: SigmaSource | null
  level: SeverityName | null
  kind: 'detection' | 'correlation' | 'filter' | null
}

/** Thrown for a rule the engine refuses: `unsupported` names a feature, `error` a mistake in the file. */
export class RuleProblem extends Error {
  constructor(
    readonly status: 'unsupported' | 'error',
    message: string,
    readonly line: number | null = null
  ) {
    super(line ? `line ${line}: ${message}` : message)
  }
}

/** The rule's own description, carried by every finding it raises (the Detection Rule License asks for attribution). */
export interface RuleMeta {
  path: string
  id: string
  name: string | null
  title: string
  status: string | null
  description: string | null
  references: string[]
  author: string | null
  date: string | null
  tags: string[]
  level: string | null
  severity: SeverityName
  falsepositives: string[]
  /** Indicator fields the finding quotes from the matched records. */
  fields: string[]
  /**
   * `afterlogin.indicators`: what the finding quotes of a field instead of its whole value, the first group of each
   * match of `extract` (the scopes in an Entra permission grant's text, the name of a key in a key list).
   */
  extracts: { field: string; extract: string }[]
  /** ATT&CK technique ids from `attack.tNNNN[.NNN]` tags. */
  attack: string[]
  /** `afterlogin.category`, else rule_match. */
  category: string
  owaspNhi: string | null
  breakGlass: boolean
  /**
   * `afterlogin.routine`: everyday work an attacker also does (a help desk's reset, a new user, a user's own new
   * factor, a download, a refused second factor) that is reported only from a network the identity does not know
   * (detect.routine-familiar says what it knows).
   */
  routine: boolean
  /**
   * Whether a routine match is also known from the network of the identity's first successful interactive sign-in in
   * the case (detect.routine-familiar): `afterlogin.routine: everyday` says yes (what every user does to their own
   * account: their own password changed), `routine: strict` says no (reading another person's mailbox, which a
   * backdoor account does from its very first sign-in), null leaves it to the category (attempts and reads are).
   */
  everyday: boolean | null
  /**
   * `afterlogin.verdict`: the rule reads a vendor's own verdict on the session or its address (an anonymizing proxy, a
   * sign-in rated high risk, a replayed token, a session anomaly): that address is never the identity's own network
   * (detect.routine-familiar), and the identity's sign-ins from it in other apps are reported (detect.flagged-network).
   */
  verdict: boolean
  /**
   * `afterlogin.corroborated`: an administrator's everyday action (a new user) that is reported only when something
   * else was found for the same identity within `corroborationHours` of it: the backdoor account created in a
   * hijacked session, not the new hire onboarded in a quiet one (detect.corroborated).
   */
  corroborated: boolean
  /**
   * `afterlogin.handoff`: the rule reads a flow in which one device approves and another takes the tokens (the OAuth
   * device authorization grant: the person types a code shown elsewhere). A routine match is reported, from any
   * network, when the same session is used from another network within half an hour after it: the code approved at
   * the person's desk, the tokens redeemed by someone else's machine (detect.routine-familiar, $handoff_minutes).
   */
  handoff: boolean
  /**
   * `afterlogin.allowList`: the change lets networks in (an allow list, a trusted zone or named location) and its
   * record names them (CIDRs, `a.b.c.d to e.f.g.h` ranges): not reported when every network it names lies in the
   * organisation's own egress, the office ranges put back after an incident or a new branch's block
   * (detect.allow-list-own).
   */
  allowList: boolean
  /**
   * `afterlogin.atLeast`: the events one session needs before any is reported (after the routine filter: its own
   * matches, done or refused, and other rules' of its category): a single download from a new network is everyday
   * work, several in one session are what a hijacked one does (detect.at-least). 1 unless the rule says.
   */
  atLeast: number
  /**
   * `afterlogin.withdraws`: the rule reads a refusal (an app restricted, an app's access denied) that is also how an
   * owner takes back what was given. A match is dropped when an earlier record of the case matched one of `rules`
   * (their ids: the grant, the app installed or approved) and names the same value at one of `fields` (the app's id or
   * name): the owner withdrawing the intruder's app is remediation, not a refused attempt (detect.withdrawn). Null
   * unless the rule says.
   */
  withdraws: { rules: string[]; fields: string[] } | null
  /**
   * `afterlogin.narrows`: the change's record gives the object before and after (an Entra or unified audit log
   * record's modified property whose old and new values are JSON objects), and a change that only takes entries off
   * the lists at `lists` (a Conditional Access policy's exclusions), the fields at `ignore` aside (its modification
   * time), lets no one past anything: not reported (detect.narrowed). Paths are dotted, from the object's root. Null
   * unless the rule says.
   */
  narrows: { lists: string[]; ignore: string[] } | null
}

/** One value test of a field: the modifiers already applied. */
export type ValueTest =
  | { t: 'null' }
  /** A LIKE pattern (escape `\\`); `exact` when it has no wildcard. */
  | { t: 'glob'; like: string; exact: string | null; cased: boolean }
  | { t: 'any'; tests: ValueTest[] }
  | { t: 're'; re: string }
  | { t: 'cidr'; lo: number; hi: number }
  /** An IPv6 network: its first and last addresses as 32 hex digits. */
  | { t: 'cidr6'; lo: string; hi: string }
  | { t: 'num'; cmp: 'eq' | 'gt' | 'gte' | 'lt' | 'lte'; n: number }
  | { t: 'exists'; want: boolean }
  | { t: 'fieldref'; other: string; how: 'eq' | 'contains' | 'startswith' | 'endswith'; cased: boolean }
  | { t: 'time'; part: 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year'; n: number }
  | { t: 'not'; test: ValueTest }
  /**
   * A value with placeholders (`%internal_domains%`, the `expand` modifier) and the value's other modifiers: it
   * stands for the values the case gives each placeholder (placeholders.ts), known when the rule is compiled.
   */
  | { t: 'expand'; template: string; mods: string[] }

/** A detection, as a boolean tree over field tests and keyword searches. */
export type Detection =
  | { k: 'and'; items: Detection[] }
  | { k: 'or'; items: Detection[] }
  | { k: 'not'; item: Detection }
  | { k: 'field'; field: string; tests: ValueTest[]; all: boolean }
  | { k: 'keywords'; tests: ValueTest[]; all: boolean }
  | { k: 'const'; value: boolean }

export interface DetectionRule {
  kind: 'detection'
  meta: RuleMeta
  source: SigmaSource
  /** As the rule wrote it: a global filter applies to the rules whose logsource its own covers. */
  logsource: { product?: string; service?: string; category?: string }
  detection: Detection
}

/**
 * A Sigma global filter (Sigma filters specification 2.x): its condition is added to each rule it names (`rules`: ids
 * or names, or `any` for every rule its logsource covers), as `(rule's condition) and (filter's condition)`, the way
 * pySigma applies one. Filters tune rules; they match nothing alone.
 */
export interface FilterRule {
  kind: 'filter'
  meta: RuleMeta
  source: SigmaSource
  logsource: DetectionRule['logsource']
  rules: 'any' | string[]
  detection: Detection
}

export type CorrelationType = 'event_count' | 'value_count' | 'value_sum' | 'value_avg' | 'temporal' | 'temporal_ordered'

export interface CorrelationRule {
  kind: 'correlation'
  meta: RuleMeta
  type: CorrelationType
  /** Ids or names of the rules it correlates. */
  rules: string[]
  groupBy: string[]
  /** alias → (rule name → field). */
  aliases: Record<string, Record<string, string>>
  timespanSeconds: number
  condition: { field: string | null; gt?: number; gte?: number; lt?: number; lte?: number; eq?: number; neq?: number }
  generate: boolean
}

export type LoadedRule = DetectionRule | CorrelationRule
