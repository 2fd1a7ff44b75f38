import type { ChainGraph, GraphEdge, GraphNode } from '../../contract/sessions'
import { sourceLabel } from '../../contract/labels'
import type { CallParsed } from '../../contract'
import type { CaseDb } from '../store/case-db'
import { actionNode, decodeNode, identityNode, resourceNode, sessionNode } from './node-ids'
import { evidenceOf, type ChainSessionDbRow, type LinkDbRow } from './read-model'

/** Past this many nodes the view is summarised: React Flow stays fluid and the analyst expands on demand. */
export const NODE_LIMIT = 1500
/** A group with this few distinct targets shows them without being asked. */
const AUTO_OPEN_TARGETS = 8
const PER_GROUP = 200

/** A session's app as its vendor writes it; records of no known source are the 'Other' app. */
export const appLabel = (source: string): string => (source === 'generic' ? 'Other' : sourceLabel(source))

interface GroupDb {
  session_id: string
  grp: string
  risky: boolean
  n: number
  first: string
  last: string
  targets: number
}
interface ResourceDb {
  session_id: string
  grp: string
  target: string
  h: string
  n: number
  first: string
  last: string
}
interface FindingDb {
  id: string
  session_id: string
  related_session: string | null
  kind: string
  category: string
  severity: string
  title: string
}

const shortKey = (k: string | null) => (k ? (k.length > 14 ? `…${k.slice(-10)}` : k) : 'no session id')

/**
 * The chain as a graph: identity → IdP/root sessions → stitched app sessions → actions per category →
 * resources. Aggregation happens in DuckDB; this only assembles at most NODE_LIMIT nodes.
 */
export const chainGraph = async (db: CaseDb, input: CallParsed<'chains.graph'>): Promise<ChainGraph> => {
  const { id } = input
  const chain = await db.one<{ identity: string | null; start: string; end: string; events: number }>('chains.one', { id })
  if (!chain) throw new Error(`no chain ${id} in this case (it may have changed after a new import or edit)`)
  const range = { from: input.from ?? '', to: input.to ?? '' }
  const [sessions, groups, links, findings] = await Promise.all([
    db.many<ChainSessionDbRow>('sessions.of-chain', { id }),
    db.many<GroupDb>('graph.groups', { id, ...range }),
    db.many<LinkDbRow>('links.of-chain', { id }),
    db.many<FindingDb>('graph.findings', { id })
  ])
  const expanded = new Set<string>()
  for (const nodeId of input.expand) {
    const n = decodeNode(nodeId)
    if (n.kind === 'action') expanded.add(`${n.session}|${n.group}`)
  }
  const open = groups.filter((g) => g.targets > 0 && (g.targets <= AUTO_OPEN_TARGETS || expanded.has(`${g.session_id}|${g.grp}`)))
  const resources = open.length
    ? await db.many<ResourceDb>('graph.resources', { id, ...range, open: JSON.stringify(open.map((g) => `${g.session_id}|${g.grp}`)), per_group: PER_GROUP })
    : []

  const bySession = new Map<string, FindingDb[]>()
  for (const f of findings) bySession.set(f.session_id, [...(bySession.get(f.session_id) ?? []), f])
  const inChain = new Set(sessions.map((s) => s.id))
  const sourceOf = new Map(sessions.map((s) => [s.id, s.source]))

  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  let hidden = 0
  const room = () => nodes.length < NODE_LIMIT

  const root = identityNode(id)
  nodes.push({
    id: root,
    kind: 'identity',
    app: null,
    label: chain.identity ?? '(unknown)',
    count: chain.events,
    first: chain.start,
    last: chain.end,
    risky: findings.length > 0,
    findings: findings.map((f) => f.id),
    expandable: false
  })

  // Sessions: parents before children, risky ones first when the view must be cut.
  const ordered = [...sessions].sort(
    (a, b) => Number(!!a.parent) - Number(!!b.parent) || (bySession.has(b.id) ? 1 : 0) - (bySession.has(a.id) ? 1 : 0) || a.start.localeCompare(b.start)
  )
  const shown = new Set<string>()
  for (const s of ordered) {
    if (!room() || (s.parent && !shown.has(s.parent))) {
      hidden++
      continue
    }
    shown.add(s.id)
    const fs = bySession.get(s.id) ?? []
    nodes.push({
      id: sessionNode(s.id),
      kind: 'session',
      app: s.source,
      label: `${appLabel(s.source)} session ${shortKey(s.session_key)}`,
      count: s.events,
      first: s.start,
      last: s.end,
      risky: fs.length > 0,
      findings: fs.map((f) => f.id),
      expandable: false
    })
    if (!s.parent) edges.push({ id: `e:${root}>${s.id}`, source: root, target: sessionNode(s.id), kind: 'session', evidence: null, anomaly: null })
  }
  for (const l of links) {
    if (l.rejected || !shown.has(l.from_session) || !shown.has(l.to_session)) continue
    edges.push({
      id: `e:${l.id}`,
      source: sessionNode(l.from_session),
      target: sessionNode(l.to_session),
      kind: 'stitch',
      evidence: evidenceOf(l),
      anomaly: null
    })
  }

  const openKeys = new Set(open.map((g) => `${g.session_id}|${g.grp}`))
  const shownResources = new Map<string, number>()
  for (const r of resources) shownResources.set(`${r.session_id}|${r.grp}`, (shownResources.get(`${r.session_id}|${r.grp}`) ?? 0) + 1)
  const groupsShown: GroupDb[] = []
  for (const g of groups) {
    if (!shown.has(g.session_id)) continue
    if (!room()) {
      hidden++
      continue
    }
    groupsShown.push(g)
    const fs = (bySession.get(g.session_id) ?? []).filter((f) => f.kind === 'action' && f.category === g.grp)
    const nodeId = actionNode(g.session_id, g.grp)
    const complete = openKeys.has(`${g.session_id}|${g.grp}`) && (shownResources.get(`${g.session_id}|${g.grp}`) ?? 0) >= g.targets
    nodes.push({
      id: nodeId,
      kind: 'action',
      app: sourceOf.get(g.session_id) ?? null,
      label: `${g.grp.replaceAll('_', ' ')} ×${g.n}`,
      count: g.n,
      first: g.first,
      last: g.last,
      risky: g.risky,
      findings: fs.map((f) => f.id),
      expandable: g.targets > 0 && !complete
    })
    edges.push({ id: `e:${g.session_id}>${g.grp}`, source: sessionNode(g.session_id), target: nodeId, kind: 'action', evidence: null, anomaly: null })
  }
  const groupIds = new Set(groupsShown.map((g) => `${g.session_id}|${g.grp}`))
  for (const r of resources) {
    if (!groupIds.has(`${r.session_id}|${r.grp}`)) continue
    if (!room()) {
      hidden++
      continue
    }
    const nodeId = resourceNode(r.session_id, r.grp, r.h)
    nodes.push({
      id: nodeId,
      kind: 'resource',
      app: sourceOf.get(r.session_id) ?? null,
      label: r.target,
      count: r.n,
      first: r.first,
      last: r.last,
      risky: false,
      findings: [],
      expandable: false
    })
    edges.push({
      id: `e:${r.session_id}>${r.grp}>${r.h}`,
      source: actionNode(r.session_id, r.grp),
      target: nodeId,
      kind: 'resource',
      evidence: null,
      anomaly: null
    })
  }
  // Targets a group has beyond what is drawn count as hidden too.
  for (const g of groupsShown) hidden += Math.max(0, g.targets - (shownResources.get(`${g.session_id}|${g.grp}`) ?? 0))

  for (const f of findings) {
    if (f.kind !== 'anomaly' || !shown.has(f.session_id)) continue
    const from =
      f.related_session && f.related_session !== f.session_id && inChain.has(f.related_session) && shown.has(f.related_session)
        ? sessionNode(f.related_session)
        : root
    edges.push({ id: `e:anomaly:${f.id}`, source: from, target: sessionNode(f.session_id), kind: 'anomaly', evidence: null, anomaly: f.category })
  }
  return { nodes, edges, hidden }
}
