import type { CaseInfo, ChainRow, EventRow } from '../../contract'
import type { EventRecord } from './event-record'
import { allChains, type SessionReader } from './session-reader'

export const REPORT_CHAIN_LIMIT = 25
export const CHAIN_EVENT_LIMIT = 5000
export const EVIDENCE_PER_FINDING = 50

export interface ReportChain {
  chain: ChainRow
  /** The chain's events by time (up to CHAIN_EVENT_LIMIT): what location statements link to. */
  events: EventRow[]
  eventsTotal: number
}

export interface ReportModel {
  caseInfo: CaseInfo
  version: string
  generatedAt: string
  chains: ReportChain[]
  chainsTotal: number
  /** Every event a statement links to, by uid. */
  evidence: Map<string, EventRecord>
}

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

/** The uids a chain's statements will link to: findings' evidence (capped), first/last event, per app/IP/country firsts. */
export const referencedUids = (rc: ReportChain): string[] => {
  const uids = new Set<string>()
  const ev = rc.events
  if (ev.length) {
    uids.add(ev[0].uid)
    uids.add(ev[ev.length - 1].uid)
  }
  const firstBy = (key: (e: EventRow) => string | null) => {
    const seen = new Set<string>()
    for (const e of ev) {
      const k = key(e)
      if (k && !seen.has(k)) {
        seen.add(k)
        uids.add(e.uid)
      }
    }
  }
  firstBy((e) => e.source)
  firstBy((e) => e.srcIp)
  firstBy((e) => e.country)
  for (const f of rc.chain.findings) for (const uid of f.eventIds.slice(0, EVIDENCE_PER_FINDING)) uids.add(uid)
  return [...uids]
}

export const buildReportModel = async (
  reader: SessionReader,
  caseInfo: CaseInfo,
  version: string,
  loadEvents: (uids: string[]) => Promise<EventRecord[]>,
  chainId?: string
): Promise<ReportModel> => {
  const picked: ChainRow[] = []
  let chainsTotal = 0
  if (chainId) {
    picked.push((await reader.chain(chainId)).chain)
    chainsTotal = 1
  } else {
    for await (const chain of allChains(reader)) {
      chainsTotal++
      if (picked.length < REPORT_CHAIN_LIMIT) picked.push(chain)
    }
  }
  const chains: ReportChain[] = []
  for (const chain of picked) {
    const { rows, total } = await chainEvents(reader, chain.id)
    chains.push({ chain, events: rows, eventsTotal: total })
  }
  const wanted = [...new Set(chains.flatMap(referencedUids))]
  const evidence = new Map<string, EventRecord>()
  for (let i = 0; i < wanted.length; i += 1000) for (const e of await loadEvents(wanted.slice(i, i + 1000))) evidence.set(e.uid, e)
  return { caseInfo, version, generatedAt: new Date().toISOString(), chains, chainsTotal, evidence }
}
