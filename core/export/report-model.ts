import type { ActionSummary, AuditRecord, AuditVerification, CaseInfo, ChainRow, EventRow, Finding } from '../../contract'
import type { EventRecord } from './event-record'
import { allChains, type SessionReader } from './session-reader'

/** Chains with findings described in full; the rest of the flagged ones are counted. */
export const DETAILED_CHAIN_LIMIT = 10
/** Chains without findings, listed one line each. */
export const QUIET_CHAIN_LIMIT = 25
export const CHAIN_EVENT_LIMIT = 5000
/** Evidence links printed after one statement; the rest are counted (every uid is in the OCSF findings export). */
export const REFS_PER_STATEMENT = 3
/** Events printed in the evidence appendix: enough to check each statement, few enough to read. */
export const APPENDIX_LIMIT = 30
export const ACTIONS_LIMIT = 50
export const AUDIT_TAIL = 20

/**
 * One statement about a chain and the events it rests on. `uids` are the candidates in order of relevance;
 * `linked` are those that made it into the appendix (each statement gets its first before any gets a second).
 */
export interface Statement {
  what:
    | { kind: 'period'; start: string; end: string; events: number }
    | { kind: 'apps' | 'ips' | 'countries'; values: string[] }
    | { kind: 'reason'; text: string }
    | { kind: 'finding'; finding: Finding }
  uids: string[]
  evidenceTotal: number
  linked: string[]
}

export interface ReportChain {
  /**
   * The chain's story: a short plain-language account of who, where, the pivot and what followed. Taken from a
   * `story` string on the chain when the session engine provides one; rendered first in the chain's section
   * (and the summary) when present.
   */
  story: string | null
  chain: ChainRow
  statements: Statement[]
  eventsTotal: number
  eventsRead: number
}

export interface ReportResponse {
  actions: ActionSummary[]
  /** More actions exist than were read (ACTIONS_LIMIT). */
  actionsMore: boolean
  auditTotal: number
  /** The last AUDIT_TAIL audit records, oldest first. */
  auditTail: AuditRecord[]
  verification: AuditVerification
}

/** What the response section reads: the outbox and the audit trail, through the same code the app uses. */
export interface ResponseReader {
  actions(chainId: string | null, limit: number): Promise<ActionSummary[]>
  auditPage(offset: number, limit: number): Promise<{ rows: AuditRecord[]; total: number }>
  verify(): Promise<AuditVerification>
}

export interface ReportModel {
  caseInfo: CaseInfo
  version: string
  generatedAt: string
  /** Chains described in full (findings first, highest risk first). */
  chains: ReportChain[]
  /** Chains with findings beyond DETAILED_CHAIN_LIMIT. */
  flaggedNotShown: number
  flaggedTotal: number
  /** Chains without findings, up to QUIET_CHAIN_LIMIT. */
  quiet: ChainRow[]
  chainsTotal: number
  response: ReportResponse
  /** The appendix: the events statements link to, in order of first link, at most APPENDIX_LIMIT. */
  evidence: Map<string, EventRecord>
  /** Distinct events the statements cite in all (linked or not). */
  citedTotal: number
}

/** The chain's story, as the read model tells it for the investigation view and `sessions --story`. */
const storyOf = async (reader: SessionReader, id: string): Promise<string | null> => (await reader.chain(id)).story.trim() || null

const chainEvents = async (reader: SessionReader, id: string): Promise<{ rows: EventRow[]; total: number }> => {
  const rows: EventRow[] = []
  let total = 0
  for (let offset = 0; offset < CHAIN_EVENT_LIMIT; offset += 1000) {
    const page = await reader.chainEvents(id, offset, 1000)
    total = page.total
    rows.push(...page.rows)
    if (page.rows.length < 1000 || rows.length >= total) break
  }
  return { rows, total }
}

const firstBy = (events: EventRow[], key: (e: EventRow) => string | null, values: string[]): string[] => {
  const first = new Map<string, string>()
  for (const e of events) {
    const k = key(e)
    if (k && !first.has(k)) first.set(k, e.uid)
  }
  return values.map((v) => first.get(v)).filter((u): u is string => !!u)
}

/** A reason of the form `category (severity, +points): title` restates a finding the report lists anyway. */
const restatesFinding = (reason: string, findings: Finding[]): boolean =>
  findings.some((f) => reason.startsWith(`${f.category} (`) && reason.endsWith(`: ${f.title}`))

/** A reason is backed by the findings it names (by category or title); otherwise by all of the chain's findings. */
const reasonEvidence = (reason: string, findings: Finding[]): string[] => {
  const text = reason.toLowerCase()
  const named = findings.filter((f) => text.includes(f.category.toLowerCase()) || text.includes(f.title.toLowerCase()))
  return [...new Set((named.length ? named : findings).flatMap((f) => f.eventIds.slice(0, 2)))]
}

const statementsOf = (chain: ChainRow, events: EventRow[]): Statement[] => {
  const s = (what: Statement['what'], uids: string[], evidenceTotal = uids.length): Statement => ({ what, uids, evidenceTotal, linked: [] })
  const bounds = events.length ? [...new Set([events[0].uid, events[events.length - 1].uid])] : []
  const out: Statement[] = [s({ kind: 'period', start: chain.start, end: chain.end, events: chain.events }, bounds)]
  out.push(
    s(
      { kind: 'apps', values: chain.apps },
      firstBy(events, (e) => e.source, chain.apps)
    )
  )
  if (chain.ips.length)
    out.push(
      s(
        { kind: 'ips', values: chain.ips },
        firstBy(events, (e) => e.srcIp, chain.ips)
      )
    )
  if (chain.countries.length)
    out.push(
      s(
        { kind: 'countries', values: chain.countries },
        firstBy(events, (e) => e.country, chain.countries)
      )
    )
  for (const r of chain.reasons) {
    if (restatesFinding(r, chain.findings)) continue
    const uids = reasonEvidence(r, chain.findings)
    out.push(s({ kind: 'reason', text: r }, uids.length ? uids : bounds.slice(0, 1)))
  }
  for (const f of chain.findings) out.push(s({ kind: 'finding', finding: f }, f.eventIds, f.eventIds.length))
  return out
}

/** Round-robin over statements: every statement's first event before any statement's second, up to the cap. */
const allocateAppendix = (chains: ReportChain[], available: Set<string>): string[] => {
  const picked = new Set<string>()
  const all = chains.flatMap((c) => c.statements)
  for (let round = 0; round < REFS_PER_STATEMENT; round++) {
    for (const st of all) {
      const candidates = st.uids.filter((u) => available.has(u))
      const uid = candidates[round]
      if (!uid) continue
      if (!picked.has(uid) && picked.size >= APPENDIX_LIMIT) continue
      picked.add(uid)
      st.linked.push(uid)
    }
  }
  return [...picked]
}

const readResponse = async (reader: ResponseReader, chainId: string | null): Promise<ReportResponse> => {
  const actions = await reader.actions(chainId, ACTIONS_LIMIT + 1)
  const { total } = await reader.auditPage(0, 1)
  const tail = total ? (await reader.auditPage(Math.max(0, total - AUDIT_TAIL), AUDIT_TAIL)).rows : []
  return {
    actions: actions.slice(0, ACTIONS_LIMIT),
    actionsMore: actions.length > ACTIONS_LIMIT,
    auditTotal: total,
    auditTail: tail,
    verification: await reader.verify()
  }
}

export const buildReportModel = async (
  reader: SessionReader,
  responses: ResponseReader,
  caseInfo: CaseInfo,
  version: string,
  loadEvents: (uids: string[]) => Promise<EventRecord[]>,
  chainId?: string
): Promise<ReportModel> => {
  const flagged: ChainRow[] = []
  const quiet: ChainRow[] = []
  let chainsTotal = 0
  let flaggedTotal = 0
  if (chainId) {
    flagged.push((await reader.chain(chainId)).chain)
    chainsTotal = flaggedTotal = 1
  } else {
    for await (const chain of allChains(reader)) {
      chainsTotal++
      if (chain.findings.length || chain.risk > 0) {
        flaggedTotal++
        if (flagged.length < DETAILED_CHAIN_LIMIT) flagged.push(chain)
      } else if (quiet.length < QUIET_CHAIN_LIMIT) quiet.push(chain)
    }
  }
  const chains: ReportChain[] = []
  for (const chain of flagged) {
    const { rows, total } = await chainEvents(reader, chain.id)
    chains.push({ story: await storyOf(reader, chain.id), chain, statements: statementsOf(chain, rows), eventsTotal: total, eventsRead: rows.length })
  }
  // Load the first few candidates of each statement, then keep what the appendix has room for.
  const wanted = [...new Set(chains.flatMap((c) => c.statements.flatMap((st) => st.uids.slice(0, REFS_PER_STATEMENT * 2))))]
  const loaded = new Map<string, EventRecord>()
  for (let i = 0; i < wanted.length; i += 1000) for (const e of await loadEvents(wanted.slice(i, i + 1000))) loaded.set(e.uid, e)
  const appendix = allocateAppendix(chains, new Set(loaded.keys()))
  const evidence = new Map(appendix.map((uid) => [uid, loaded.get(uid)!]))
  const citedTotal = new Set(chains.flatMap((c) => c.statements.flatMap((st) => st.uids))).size
  return {
    caseInfo,
    version,
    generatedAt: new Date().toISOString(),
    chains,
    flaggedNotShown: flaggedTotal - chains.length,
    flaggedTotal,
    quiet,
    chainsTotal,
    response: await readResponse(responses, chainId ?? null),
    evidence,
    citedTotal
  }
}
