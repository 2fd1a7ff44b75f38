/**
 * Graph node ids are the filter they stand for, spelled out: the events handler decodes a node id back
 * into (session, group, target hash) instead of keeping any server-side state about a drawn graph.
 *
 *   i:<chain>                         the identity (every event of the chain)
 *   s:<session>                       one session
 *   a:<session>:<group>               a session's actions of one category
 *   r:<session>:<group>:<md5[0,12)>   one target of those actions
 */
export type NodeRef =
  | { kind: 'identity'; chain: string }
  | { kind: 'session'; session: string }
  | { kind: 'action'; session: string; group: string }
  | { kind: 'resource'; session: string; group: string; hash: string }

const ID = /^[a-z0-9]{1,40}$/
const GROUP = /^[a-z_]{1,40}$/
const HASH = /^[0-9a-f]{12}$/

export const identityNode = (chain: string) => `i:${chain}`
export const sessionNode = (session: string) => `s:${session}`
export const actionNode = (session: string, group: string) => `a:${session}:${group}`
export const resourceNode = (session: string, group: string, hash: string) => `r:${session}:${group}:${hash}`

export const decodeNode = (id: string): NodeRef => {
  const [kind, a, b, c, ...rest] = id.split(':')
  const bad = () => new Error(`not a node of this graph: ${id.slice(0, 80)}`)
  if (rest.length) throw bad()
  switch (kind) {
    case 'i':
      if (!ID.test(a ?? '') || b !== undefined) throw bad()
      return { kind: 'identity', chain: a }
    case 's':
      if (!ID.test(a ?? '') || b !== undefined) throw bad()
      return { kind: 'session', session: a }
    case 'a':
      if (!ID.test(a ?? '') || !GROUP.test(b ?? '') || c !== undefined) throw bad()
      return { kind: 'action', session: a, group: b }
    case 'r':
      if (!ID.test(a ?? '') || !GROUP.test(b ?? '') || !HASH.test(c ?? '')) throw bad()
      return { kind: 'resource', session: a, group: b, hash: c }
    default:
      throw bad()
  }
}
