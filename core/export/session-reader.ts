import type { ChainDetail, ChainPage, ChainRow, EventPage, Finding } from '../../contract'
import { chainEvents, getChain, listChains, listFindings } from '../sessions/read-model'
import type { CaseDb } from '../store/case-db'

/**
 * What exports need from the session engine, read through its read model (the same functions the UI's
 * calls answer with) rather than its tables, so exports follow whatever the engine computes.
 */
export interface SessionReader {
  chains(offset: number, limit: number): Promise<ChainPage>
  chain(id: string): Promise<ChainDetail>
  chainEvents(id: string, offset: number, limit: number): Promise<EventPage>
  findings(chainId?: string): Promise<Finding[]>
}

export const sessionReaderOf = (db: CaseDb): SessionReader => ({
  chains: (offset, limit) => listChains(db, { offset, limit, sort: 'risk', filter: {} }),
  chain: (id) => getChain(db, id),
  chainEvents: (id, offset, limit) => chainEvents(db, { id, offset, limit }),
  findings: (chainId) => listFindings(db, chainId)
})

/** Every chain, highest risk first, page by page. */
export async function* allChains(reader: SessionReader, pageSize = 500): AsyncGenerator<ChainRow> {
  for (let offset = 0; ; offset += pageSize) {
    const page = await reader.chains(offset, pageSize)
    yield* page.rows
    if (page.rows.length < pageSize || offset + page.rows.length >= page.total) return
  }
}
