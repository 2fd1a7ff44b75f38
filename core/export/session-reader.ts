import type { ChainDetail, ChainPage, ChainRow, EventPage, Finding } from '../../contract'
import type { Handlers } from '../workbench'

/**
 * What exports need from the session engine, read through its contract calls (the same ones the UI uses)
 * rather than its tables, so exports follow whatever the engine computes.
 */
export interface SessionReader {
  chains(offset: number, limit: number): Promise<ChainPage>
  chain(id: string): Promise<ChainDetail>
  chainEvents(id: string, offset: number, limit: number): Promise<EventPage>
  findings(chainId?: string): Promise<Finding[]>
}

export const sessionReaderOf = (h: Handlers): SessionReader => ({
  chains: (offset, limit) => h['chains.list']({ offset, limit, sort: 'risk', filter: {} }),
  chain: (id) => h['chains.get']({ id }),
  chainEvents: (id, offset, limit) => h['chains.events']({ id, offset, limit }),
  findings: (chainId) => h['findings.list'](chainId ? { chainId } : {})
})

/** Every chain, highest risk first, page by page. */
export async function* allChains(reader: SessionReader, pageSize = 500): AsyncGenerator<ChainRow> {
  for (let offset = 0; ; offset += pageSize) {
    const page = await reader.chains(offset, pageSize)
    yield* page.rows
    if (page.rows.length < pageSize || offset + page.rows.length >= page.total) return
  }
}
