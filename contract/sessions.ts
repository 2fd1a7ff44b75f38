import { z } from 'zod'
import { call } from './define'
import type { FindingRule } from './rules'

export const IDENTITY_TYPES = ['human', 'service', 'agent', 'unknown'] as const
export type IdentityType = (typeof IDENTITY_TYPES)[number]

export const RESPONSES = ['none', 'monitor', 'step-up', 'revoke-tokens', 'terminate-session'] as const
export type RecommendedResponse = (typeof RESPONSES)[number]

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical'

export interface Finding {
  id: string
  /** Catalog category (data_export, external_share, …) or anomaly (ip_change, impossible_travel, …). */
  category: string
  severity: Severity
  title: string
  /** The evidence in words: for travel and network changes both events, places, networks, distance, minutes, speed. */
  detail: string | null
  /** MITRE ATT&CK technique ids, e.g. T1550.004. */
  attack: string[]
  /** OWASP Non-Human Identities Top 10 id for service/agent identities, e.g. NHI7:2025. */
  owaspNhi: string | null
  eventIds: string[]
  sessionId: string | null
  /** The finding's last event is at or after its chain's pivot: it happened once the session had changed hands. */
  /** The Sigma rule that raised a risky-action finding (null for anomalies). */
  rule: FindingRule | null
  afterPivot: boolean
}

/** One aspect of a session's context that changed at the pivot: `country`, `network`, `ip`, `place`, `device`. */
export interface PivotChange {
  field: string
  from: string
  to: string
}

/**
 * The moment a session's context changed (new country or network, new device family, a token used from
 * elsewhere): the first event after the change, and what changed.
 */
export interface Pivot {
  time: string
  eventId: string
  changes: PivotChange[]
}

export interface ChainRow {
  id: string
  identity: string
  identityType: IdentityType
  /** For an agent's chain: the human or service identity the agent acted for, as its records name it. */
  actingFor: string | null
  apps: string[]
  ips: string[]
  countries: string[]
  start: string
  end: string
  events: number
  risk: number
  response: RecommendedResponse
  reasons: string[]
  findings: Finding[]
  /** The chain's first change of context, or null when its context never changed. */
  pivot: Pivot | null
}

export interface ChainPage {
  rows: ChainRow[]
  total: number
  offset: number
}

export interface LinkEvidence {
  rule: string
  /** Field → value pairs that matched on both sides (identity, ip, user_agent, session key…). */
  matched: Record<string, string>
  deltaSeconds: number
}

export interface SessionRow {
  id: string
  app: string
  source: string
  sessionKey: string | null
  start: string
  end: string
  events: number
  ips: string[]
  pivot: Pivot | null
}

export interface LinkRow {
  id: string
  from: string
  to: string
  evidence: LinkEvidence
  rejected: boolean
}

/** One paragraph of a chain's story: who, where it started, the pivot, what was done, and why the response. */
export interface StoryPart {
  kind: 'who' | 'start' | 'pivot' | 'before' | 'after' | 'actions' | 'response'
  text: string
}

export interface ChainDetail {
  chain: ChainRow
  sessions: SessionRow[]
  links: LinkRow[]
  /** The chain told in plain words from its own data: its paragraphs joined by blank lines. */
  story: string
  storyParts: StoryPart[]
}

export type GraphNodeKind = 'identity' | 'session' | 'app' | 'action' | 'resource'

export interface GraphNode {
  id: string
  kind: GraphNodeKind
  app: string | null
  label: string
  /** Events the node stands for (aggregates stand for many). */
  count: number
  first: string | null
  last: string | null
  risky: boolean
  findings: string[]
  /** True when the node is an aggregate that `expand` can open. */
  expandable: boolean
}

export interface GraphEdge {
  id: string
  source: string
  target: string
  kind: 'session' | 'stitch' | 'action' | 'resource' | 'anomaly'
  evidence: LinkEvidence | null
  anomaly: string | null
}

export interface ChainGraph {
  nodes: GraphNode[]
  edges: GraphEdge[]
  /** Nodes left out because the view hit its limit; expand aggregates to see more. */
  hidden: number
}

export interface EventRow {
  uid: string
  time: string
  source: string
  app: string | null
  sourceType: string | null
  category: string
  action: string | null
  outcome: string
  actorName: string | null
  srcIp: string | null
  country: string | null
  targetName: string | null
  sessionId: string | null
  findings: string[]
}

export interface EventPage {
  rows: EventRow[]
  total: number
  offset: number
}

export interface EventDetail {
  uid: string
  /** Every normalized column by name. */
  fields: Record<string, unknown>
  raw: string
  provenance: { importId: string; filePath: string; recordNo: number }
  findings: Finding[]
}

export interface TimelineBucket {
  app: string
  start: string
  end: string
  events: number
  findings: number
}

/** One policy as the open case applies it, and where it came from: `default` or the case's own file. */
export interface PolicyInEffect {
  origin: string
  value: Record<string, unknown>
}

export interface CasePolicies {
  riskyActions: PolicyInEffect
  classification: PolicyInEffect
  response: PolicyInEffect
  vpnAsns: PolicyInEffect
}

export interface IdentityMapEntry {
  alias: string
  identity: string
}

const id = z.string().min(1).max(300)
const iso = z.string().datetime({ offset: true })

export const chainFilter = z
  .object({
    identityType: z.enum(IDENTITY_TYPES).optional(),
    app: z.string().max(60).optional(),
    response: z.enum(RESPONSES).optional(),
    text: z.string().max(200).optional()
  })
  .strict()

export const sessionCalls = {
  'chains.list': call<ChainPage>()(
    z
      .object({
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
        sort: z.enum(['risk', 'start', 'events']).default('risk'),
        filter: chainFilter.default({})
      })
      .strict()
  ),
  'chains.get': call<ChainDetail>()(z.object({ id }).strict()),
  'chains.graph': call<ChainGraph>()(
    z
      .object({
        id,
        expand: z.array(id).max(200).default([]),
        from: iso.optional(),
        to: iso.optional()
      })
      .strict()
  ),
  'chains.events': call<EventPage>()(
    z
      .object({
        id,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
        from: iso.optional(),
        to: iso.optional(),
        /** A graph node id: only the events that node stands for. */
        node: id.optional()
      })
      .strict()
  ),
  'chains.timeline': call<TimelineBucket[]>()(z.object({ id, buckets: z.number().int().min(10).max(500).default(120) }).strict()),
  'event.get': call<EventDetail>()(z.object({ uid: id }).strict()),
  'findings.list': call<Finding[]>()(z.object({ chainId: id.optional() }).strict()),
  'policies.get': call<CasePolicies>()(z.object({}).strict()),
  'identity.map.list': call<IdentityMapEntry[]>()(z.object({}).strict()),
  'identity.map.set': call<IdentityMapEntry[]>()(z.object({ alias: z.string().trim().min(1).max(320), identity: z.string().trim().min(1).max(320) }).strict()),
  'identity.map.clear': call<IdentityMapEntry[]>()(z.object({ alias: z.string().trim().min(1).max(320) }).strict()),
  'links.reject': call<ChainDetail>()(z.object({ id, reason: z.string().max(500).optional() }).strict())
}
