import type { ChainRow } from '../../contract/sessions'
import { PLACEHOLDER_ID } from '../sources/values'
import type { CaseDb } from '../store/case-db'
import { STORY_LIMITS, tellStory, type FindingFacts, type Story, type StoryPivotEvent, type StoryStart } from './story'

interface StartDbRow {
  chain_id: string
  source: string
  app: string | null
  source_type: string | null
  action: string | null
  outcome: string
  ip: string | null
  city: string | null
  country: string | null
  asn: number | null
  as_org: string | null
  vpn: boolean | null
  pivot_source: string | null
  pivot_app: string | null
  pivot_source_type: string | null
  pivot_action: string | null
  pivot_target: string | null
}

interface FactsDbRow {
  id: string
  kind: string | null
  source: string | null
  app: string | null
  events: number
  failures: number
  source_types: string[] | null
  targets: string[] | null
  target_count: number
  first: string | null
}

/** Chains per statement: the `$ids` list stays small enough to read as one JSON parameter. */
const BATCH = 500

/**
 * The stories of the given chains (as the read model returns them), told from what their events say: where each
 * began, the event at its pivot, and what each finding's events touched. Used by chains.get, `sessions --json`
 * and `--story`, and by anything else that holds ChainRows (the report).
 */
export const chainStories = async (db: CaseDb, chains: ChainRow[]): Promise<Map<string, Story>> => {
  const out = new Map<string, Story>()
  for (let i = 0; i < chains.length; i += BATCH) {
    const batch = chains.slice(i, i + BATCH)
    const ids = JSON.stringify(batch.map((c) => c.id))
    const starts = new Map((await db.many<StartDbRow>('story.start', { ids })).map((r) => [r.chain_id, r]))
    const facts = new Map<string, FindingFacts>()
    for (const r of await db.many<FactsDbRow>('story.findings', { ids, per_finding: STORY_LIMITS.targets + 2, placeholder: `(?i)${PLACEHOLDER_ID.source}` }))
      facts.set(r.id, {
        kind: r.kind ?? 'action',
        source: r.source,
        app: r.app,
        events: Number(r.events),
        failures: Number(r.failures),
        sourceTypes: r.source_types ?? [],
        targets: r.targets ?? [],
        targetCount: Number(r.target_count),
        first: r.first
      })
    for (const chain of batch) {
      const s = starts.get(chain.id)
      const start: StoryStart | null = s
        ? {
            source: s.source,
            app: s.app,
            action: s.action,
            sourceType: s.source_type,
            outcome: s.outcome,
            ip: s.ip,
            city: s.city,
            country: s.country,
            asn: s.asn,
            asOrg: s.as_org,
            vpn: s.vpn === true
          }
        : null
      const pivotEvent: StoryPivotEvent | null =
        s?.pivot_source && chain.pivot
          ? { source: s.pivot_source, app: s.pivot_app, action: s.pivot_action, sourceType: s.pivot_source_type, target: s.pivot_target }
          : null
      out.set(chain.id, tellStory({ chain, start, pivotEvent, facts }))
    }
  }
  return out
}

/** One chain's story. */
export const chainStory = async (db: CaseDb, chain: ChainRow): Promise<Story> =>
  (await chainStories(db, [chain])).get(chain.id) ?? tellStory({ chain, start: null, pivotEvent: null, facts: new Map() })
