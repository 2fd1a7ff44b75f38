import { appendAudit } from '../audit/audit'
import { clearIdentityMapping, listIdentityMap, setIdentityMapping } from '../identity/identity-map'
import type { CaseDb } from '../store/case-db'
import type { ChainDetail, IdentityMapEntry } from '../../contract/sessions'
import { analyzeCase } from './analyze'
import { getChain } from './read-model'

const ANALYST = 'analyst'

/**
 * The analyst's corrections to the session engine (identity aliases, rejected links): each is written to
 * the audit trail, then the whole case is re-analysed and `changed` runs (the host tells the UI).
 */
export const caseEdits = (db: CaseDb, changed: () => Promise<void>) => {
  const reanalyze = async () => {
    await analyzeCase(db)
    await changed()
  }
  return {
    async mapIdentity(alias: string, identity: string): Promise<IdentityMapEntry[]> {
      await setIdentityMapping(db, alias, identity)
      await appendAudit(db, { actor: ANALYST, kind: 'identity.map', subject: alias.toLowerCase(), detail: { op: 'set', alias, identity } })
      await reanalyze()
      return listIdentityMap(db)
    },

    async clearIdentity(alias: string): Promise<IdentityMapEntry[]> {
      if (await clearIdentityMapping(db, alias)) {
        await appendAudit(db, { actor: ANALYST, kind: 'identity.map', subject: alias.toLowerCase(), detail: { op: 'clear', alias } })
        await reanalyze()
      }
      return listIdentityMap(db)
    },

    async rejectLink(id: string, reason: string | undefined): Promise<ChainDetail> {
      const link = await db.one<{ id: string; from_session: string; to_session: string; rule: string; rejected: boolean; chain_id: string }>('links.one', {
        id
      })
      if (!link) throw new Error(`no link ${id} in this case`)
      if (!link.rejected) {
        await db.exec('links.reject', { id, from_session: link.from_session, to_session: link.to_session, rule: link.rule, reason: reason ?? '' })
        await appendAudit(db, {
          actor: ANALYST,
          kind: 'link.reject',
          subject: id,
          detail: { from: link.from_session, to: link.to_session, rule: link.rule, reason: reason ?? null }
        })
        await reanalyze()
      }
      // The parent's chain keeps its id (its root did not change); the rejected session now stands apart.
      const chain = await db.one<{ chain_id: string }>('chains.of-session', { id: link.from_session })
      return getChain(db, chain?.chain_id ?? link.chain_id)
    }
  }
}
