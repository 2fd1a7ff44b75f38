import type {
  ChainDetail,
  ChainPage,
  ChainRow,
  EventDetail,
  EventPage,
  Finding,
  IdentityType,
  LinkEvidence,
  LinkRow,
  Pivot,
  PivotChange,
  RecommendedResponse,
  SessionRow,
  Severity,
  TimelineBucket
} from '../../contract/sessions'
import type { CallParsed, FindingRule } from '../../contract'
import type { CaseDb } from '../store/case-db'
import { decodeNode } from './node-ids'
import { chainStory } from './story-read'

interface ChainDbRow {
  id: string
  identity: string | null
  identity_type: string
  apps: string[]
  ips: string[]
  countries: string[]
  start: string
  end: string
  events: number
  risk: number
  response: string
  reasons: string[]
  acting_for: string | null
  pivot_time: string | null
  pivot_uid: string | null
  pivot_changes: string | null
}

interface FindingDbRow {
  id: string
  chain_id: string
  category: string
  severity: string
  title: string
  detail: string | null
  attack: string[]
  owasp_nhi: string | null
  event_ids: string[]
  session_id: string | null
  after_pivot: boolean | null
  rule?: FindingRule | null
}

/** A pivot as stored (time, the event's uid, the changes as JSON text), or null when there is none. */
export const toPivot = (time: string | null, uid: string | null, changes: string | null): Pivot | null => {
  if (!time || !uid) return null
  let list: unknown
  try {
    list = changes ? JSON.parse(changes) : []
  } catch {
    list = []
  }
  const out: PivotChange[] = Array.isArray(list)
    ? list.flatMap((c: unknown) => {
        if (typeof c !== 'object' || c === null) return []
        const { field, from, to } = c as Record<string, unknown>
        return typeof field === 'string' ? [{ field, from: String(from ?? ''), to: String(to ?? '') }] : []
      })
    : []
  return { time, eventId: uid, changes: out }
}

export const toFinding = (f: FindingDbRow): Finding => ({
  id: f.id,
  category: f.category,
  severity: f.severity as Severity,
  title: f.title,
  detail: f.detail ?? null,
  attack: f.attack ?? [],
  owaspNhi: f.owasp_nhi,
  eventIds: f.event_ids ?? [],
  sessionId: f.session_id,
  afterPivot: f.after_pivot === true,
  rule: f.rule ? { ...f.rule, references: f.rule.references ?? [], falsepositives: f.rule.falsepositives ?? [] } : null
})

const toChain = (c: ChainDbRow, findings: Finding[]): ChainRow => ({
  id: c.id,
  identity: c.identity ?? '(unknown)',
  identityType: c.identity_type as IdentityType,
  actingFor: c.acting_for ?? null,
  apps: c.apps ?? [],
  ips: c.ips ?? [],
  countries: c.countries ?? [],
  start: c.start,
  end: c.end,
  events: c.events,
  risk: c.risk,
  response: c.response as RecommendedResponse,
  reasons: c.reasons ?? [],
  findings,
  pivot: toPivot(c.pivot_time, c.pivot_uid, c.pivot_changes)
})

const findingsOf = async (db: CaseDb, ids: string[]): Promise<Map<string, Finding[]>> => {
  const out = new Map<string, Finding[]>(ids.map((id) => [id, []]))
  if (!ids.length) return out
  for (const f of await db.many<FindingDbRow>('findings.for-chains', { ids: JSON.stringify(ids) })) out.get(f.chain_id)?.push(toFinding(f))
  return out
}

export const listChains = async (db: CaseDb, input: CallParsed<'chains.list'>): Promise<ChainPage> => {
  const filter = {
    type: input.filter.identityType ?? '',
    app: input.filter.app ?? '',
    response: input.filter.response ?? '',
    text: input.filter.text?.trim() ?? ''
  }
  const page = await db.many<ChainDbRow & { total: number }>('chains.page', { ...filter, sort: input.sort, limit: input.limit, offset: input.offset })
  const total = page[0]?.total ?? 0
  const rows = page.filter((r) => r.id !== null)
  const findings = await findingsOf(
    db,
    rows.map((r) => r.id)
  )
  return { rows: rows.map((r) => toChain(r, findings.get(r.id) ?? [])), total, offset: input.offset }
}

/** A row of sessions.of-chain: one session of a chain, with its IPs and its pivot if it has one. */
export interface ChainSessionDbRow {
  id: string
  app: string | null
  source: string
  session_key: string | null
  start: string
  end: string
  events: number
  ips: string[]
  identity: string | null
  idp: boolean
  parent: string | null
  pivot_time: string | null
  pivot_uid: string | null
  pivot_changes: string | null
}

const requireChain = async (db: CaseDb, id: string): Promise<ChainDbRow & { root_session: string }> => {
  const row = await db.one<ChainDbRow & { root_session: string }>('chains.one', { id })
  if (!row) throw new Error(`no chain ${id} in this case (it may have changed after a new import or edit)`)
  return row
}

export const getChain = async (db: CaseDb, id: string): Promise<ChainDetail> => {
  const c = await requireChain(db, id)
  const findings = await findingsOf(db, [id])
  const sessions = await db.many<ChainSessionDbRow>('sessions.of-chain', { id })
  const links = await db.many<LinkDbRow>('links.of-chain', { id })
  const chain = toChain(c, findings.get(id) ?? [])
  const story = await chainStory(db, chain)
  return {
    chain,
    story: story.text,
    storyParts: story.parts,
    sessions: sessions.map((s): SessionRow => ({
      id: s.id,
      app: s.app ?? s.source,
      source: s.source,
      sessionKey: s.session_key,
      start: s.start,
      end: s.end,
      events: s.events,
      ips: s.ips ?? [],
      pivot: toPivot(s.pivot_time, s.pivot_uid, s.pivot_changes)
    })),
    links: links.map(toLink)
  }
}

export interface LinkDbRow {
  id: string
  from_session: string
  to_session: string
  rule: string
  matched: string | Record<string, unknown> | null
  delta_seconds: number
  rejected: boolean
  reason: string | null
}

export const evidenceOf = (l: LinkDbRow): LinkEvidence => {
  const raw = typeof l.matched === 'string' ? (JSON.parse(l.matched) as Record<string, unknown>) : (l.matched ?? {})
  const matched: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) if (v !== null && v !== undefined) matched[k] = String(v)
  return { rule: l.rule, matched, deltaSeconds: Math.round(l.delta_seconds * 1000) / 1000 }
}

const toLink = (l: LinkDbRow): LinkRow => ({ id: l.id, from: l.from_session, to: l.to_session, evidence: evidenceOf(l), rejected: l.rejected })

const nodeFilter = (node: string | undefined) => {
  if (!node) return { session: '', group: '', target: '' }
  const n = decodeNode(node)
  switch (n.kind) {
    case 'identity':
      return { session: '', group: '', target: '' }
    case 'session':
      return { session: n.session, group: '', target: '' }
    case 'action':
      return { session: n.session, group: n.group, target: '' }
    case 'resource':
      return { session: n.session, group: n.group, target: n.hash }
    default: {
      const never: never = n
      throw new Error(`unknown node ${String(never)}`)
    }
  }
}

export const chainEvents = async (db: CaseDb, input: CallParsed<'chains.events'>): Promise<EventPage> => {
  await requireChain(db, input.id)
  const filter = { id: input.id, ...nodeFilter(input.node), from: input.from ?? '', to: input.to ?? '' }
  const page = await db.many<{
    uid: string | null
    time: string
    source: string
    app: string | null
    source_type: string | null
    category: string
    action: string | null
    outcome: string
    actor_name: string | null
    src_ip: string | null
    country: string | null
    target_name: string | null
    session_id: string
    findings: string[]
    total: number
  }>('events.page', { ...filter, limit: input.limit, offset: input.offset })
  const total = page[0]?.total ?? 0
  return {
    rows: page.flatMap((r) =>
      r.uid === null
        ? []
        : [
            {
              uid: r.uid,
              time: r.time,
              source: r.source,
              app: r.app,
              sourceType: r.source_type,
              category: r.category,
              action: r.action,
              outcome: r.outcome,
              actorName: r.actor_name,
              srcIp: r.src_ip,
              country: r.country,
              targetName: r.target_name,
              sessionId: r.session_id,
              findings: r.findings ?? []
            }
          ]
    ),
    total,
    offset: input.offset
  }
}

export const chainTimeline = async (db: CaseDb, id: string, buckets: number): Promise<TimelineBucket[]> => {
  await requireChain(db, id)
  const rows = await db.many<{ app: string; start: string; end: string; events: number; findings: number }>('timeline.buckets', { id, buckets })
  return rows.map((r) => ({ app: r.app, start: r.start, end: r.end, events: r.events, findings: r.findings }))
}

export const getEvent = async (db: CaseDb, uid: string): Promise<EventDetail> => {
  const row = await db.one<Record<string, unknown>>('event.one', { uid })
  if (!row) throw new Error(`no event ${uid} in this case`)
  const { raw, import_id, file_path, record_no, ...fields } = row
  const findings = await db.many<FindingDbRow>('event.findings', { uid })
  return {
    uid,
    fields,
    raw: String(raw ?? ''),
    provenance: { importId: String(import_id), filePath: String(file_path), recordNo: Number(record_no) },
    findings: findings.map(toFinding)
  }
}

export const listFindings = async (db: CaseDb, chainId?: string): Promise<Finding[]> => {
  if (chainId) {
    await requireChain(db, chainId)
    return (await findingsOf(db, [chainId])).get(chainId) ?? []
  }
  return (await db.many<FindingDbRow>('findings.all')).map(toFinding)
}
