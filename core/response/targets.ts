import type { ConnectorId, SessionRow } from '../../contract'
import { CONNECTOR_FOR_SOURCE } from '../../contract'
import type { CaseDb } from '../store/case-db'

export const sourcesOf = (id: ConnectorId): string[] =>
  Object.entries(CONNECTOR_FOR_SOURCE)
    .filter(([, c]) => c === id)
    .map(([s]) => s)

interface AccountRow {
  actor_id: string | null
  actor_name: string | null
  n: number
}

/**
 * Picks the account name the provider itself uses for the identity, when its logs in the case show it:
 * a GitHub login, a Slack user id, an AWS principal ARN. Elsewhere the identity (email/UPN) is the key.
 */
const accountFrom = (id: ConnectorId, rows: AccountRow[]): string | null => {
  for (const r of rows) {
    switch (id) {
      case 'github':
        if (r.actor_name && !r.actor_name.includes('@')) return r.actor_name
        break
      case 'slack':
        if (r.actor_id && /^[UW][A-Z0-9]{6,}$/.test(r.actor_id)) return r.actor_id
        break
      case 'aws': {
        const arn = [r.actor_id, r.actor_name].find((v) => v && /^arn:aws[\w-]*:(iam|sts)::/.test(v))
        if (arn) return arn
        break
      }
      case 'okta':
      case 'entra':
      case 'google':
      case 'salesforce':
      case 'ssf':
        return null
      default: {
        const never: never = id
        throw new Error(`unknown connector ${String(never)}`)
      }
    }
  }
  return null
}

export interface ResolvedTarget {
  account: string | null
  knownKeys: string[]
}

export const resolveTarget = async (db: CaseDb, id: ConnectorId, identity: string): Promise<ResolvedTarget> => {
  let account: string | null = null
  const keys: string[] = []
  for (const source of sourcesOf(id)) {
    try {
      const rows = await db.many<AccountRow>('response.target.accounts', { identity, source })
      account ??= accountFrom(id, rows)
      const found = await db.many<{ session_key: string }>('response.target.keys', { identity, source })
      keys.push(...found.map((r) => r.session_key))
    } catch {
      // A case without events (or before its first import) simply has nothing to add.
    }
  }
  return { account, knownKeys: [...new Set(keys)] }
}

/** The fields of a chain's session that targeting reads. */
export type TargetSession = Pick<SessionRow, 'id' | 'source' | 'sessionKey'>

/**
 * The chain's sessions, read once per action with a statement sized for targeting (no findings, links or
 * places). An unknown chain, or a case not analysed yet, simply has no chain keys to add.
 */
export const chainSessionsOf = async (db: CaseDb, chainId: string): Promise<TargetSession[]> => {
  try {
    const rows = await db.many<{ id: string; source: string; session_key: string | null }>('response.chain-sessions', { id: chainId })
    return rows.map((r) => ({ id: r.id, source: r.source, sessionKey: r.session_key }))
  } catch {
    return []
  }
}

/**
 * Keys of the chain's sessions that belong to the connector's apps (all of them for SSF, which speaks for
 * every app): the native session key, or the case's own session id where the log has none (Google).
 */
export const chainKeysFor = (id: ConnectorId, sessions: TargetSession[]): string[] => {
  const sources = new Set(sourcesOf(id))
  return [...new Set(sessions.filter((s) => id === 'ssf' || sources.has(s.source)).map((s) => s.sessionKey ?? s.id))]
}
