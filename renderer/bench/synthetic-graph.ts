import type { ChainGraph, GraphEdge, GraphNode } from '../../contract/sessions'

const APPS = ['okta', 'salesforce', 'google_workspace', 'm365', 'slack', 'github', 'aws', 'entra']
const GROUPS = ['authentication', 'data_access', 'data_export', 'external_share', 'api_activity', 'admin']

/**
 * A chain shaped like the real ones (identity → IdP session → app sessions → action groups → resources) with
 * exactly `size` nodes. Only the benchmark harness uses it: the product draws what the core returns.
 */
export const syntheticChain = (size: number): ChainGraph => {
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  const t0 = Date.UTC(2026, 2, 10, 8)
  const at = (min: number) => new Date(t0 + min * 60_000).toISOString()
  const add = (n: Omit<GraphNode, 'count' | 'findings' | 'expandable' | 'last'> & { count?: number }) =>
    nodes.push({ count: 1, findings: [], expandable: false, last: n.first, ...n })
  add({ id: 'i:bench', kind: 'identity', app: null, label: 'maria.chen@acme.example', first: at(0), risky: true })
  add({ id: 's:idp', kind: 'session', app: 'okta', label: 'Okta session …7c1e', first: at(1), risky: true })
  edges.push({ id: 'e:i>idp', source: 'i:bench', target: 's:idp', kind: 'session', evidence: null, anomaly: null })
  const sessions: string[] = []
  for (let s = 0; s < 24 && nodes.length < size; s++) {
    const id = `s:b${s}`
    const app = APPS[1 + (s % (APPS.length - 1))]
    add({ id, kind: 'session', app, label: `${app} session ${s}`, first: at(2 + s * 9), risky: s % 5 === 0 })
    edges.push({
      id: `e:l${s}`,
      source: 's:idp',
      target: id,
      kind: 'stitch',
      evidence: { rule: 'idp_sso', matched: { ip: '87.123.45.67' }, deltaSeconds: 40 + s },
      anomaly: null
    })
    sessions.push(id)
  }
  const groups: string[] = []
  for (let g = 0; nodes.length < size && g < sessions.length * GROUPS.length; g++) {
    const session = sessions[g % sessions.length]
    const grp = GROUPS[Math.floor(g / sessions.length)]
    const id = `a:${session.slice(2)}:${grp}`
    add({
      id,
      kind: 'action',
      app: nodes.find((n) => n.id === session)!.app,
      label: `${grp} ×${20 + g}`,
      first: at(3 + g),
      risky: grp === 'data_export',
      count: 20 + g
    })
    edges.push({ id: `e:${id}`, source: session, target: id, kind: 'action', evidence: null, anomaly: null })
    groups.push(id)
  }
  for (let r = 0; nodes.length < size; r++) {
    const group = groups[r % groups.length]
    const id = `r:${group.slice(2)}:${r.toString(16).padStart(12, '0')}`
    add({ id, kind: 'resource', app: nodes.find((n) => n.id === group)!.app, label: `/reports/board-deck-${r}.xlsx`, first: at(5 + r / 10), risky: false })
    edges.push({ id: `e:${id}`, source: group, target: id, kind: 'resource', evidence: null, anomaly: null })
  }
  return { nodes, edges, hidden: 0 }
}
