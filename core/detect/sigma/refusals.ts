import type { Sql } from '../../store/case-db'
import { eventViewOf } from '../../sources/normalize'
import { refusalOf } from '../../sources/refusal'
import type { SourceId } from '../../sources/types'

const PAGE = 10_000

/**
 * Names why each attempt failed: the refusal its record states (an error code, a failure reason), read from the
 * records of the failed events that attempt matches are made of, and those a vendor's verdict on a sign-in matched
 * (a `rule_match` rule: the replayed token was refused), into `rule_matches.refusal`.
 */
export const noteRefusals = async (sql: Sql): Promise<void> => {
  for (let after = -1; ;) {
    const page = await sql.many<{ eid: number; source: SourceId; uid: string | null; raw: string }>('sigma.attempt-records', {
      after: BigInt(after),
      limit: PAGE
    })
    const rows = page.flatMap((r) => {
      const refusal = refusalOf(r.source, r.raw, eventViewOf(r.uid))
      return refusal ? [{ eid: Number(r.eid), refusal }] : []
    })
    if (rows.length) await sql.exec('sigma.set-refusals', { rows: JSON.stringify(rows) })
    if (page.length < PAGE) return
    after = Number(page[page.length - 1].eid)
  }
}
