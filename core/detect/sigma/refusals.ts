import type { Sql } from '../../store/case-db'
import type { StatementName } from '../../store/statement-names'
import { eventViewOf } from '../../sources/normalize'
import { refusalOf } from '../../sources/refusal'
import type { SourceId } from '../../sources/types'

const PAGE = 10_000

/**
 * Names why each attempt failed: the refusal its record states (an error code, a failure reason), read from the
 * records of the failed events that attempt matches are made of, and those a vendor's verdict on a sign-in matched
 * (a `rule_match` rule: the replayed token was refused), into `rule_matches.refusal`.
 */
export const noteRefusals = (sql: Sql): Promise<void> => readRefusals(sql, 'sigma.attempt-records', 'sigma.set-refusals')

/**
 * The same for the sign-in findings whose every try failed ("Failed sign-in from a network new to this person") and for
 * the refused actions of the activity from a reported address: why they failed (a wrong password, a Conditional Access
 * block) goes after the title, as an attempt's does.
 */
export const noteSignInRefusals = (sql: Sql): Promise<void> => readRefusals(sql, 'detect.failed-sign-in-records', 'detect.failed-sign-in-refusals')

/**
 * Reads the records `records` pages through, then hands `write` every refusal they state, by event, at once (a finding
 * whose events fell on two pages is written once).
 */
const readRefusals = async (sql: Sql, records: StatementName, write: StatementName): Promise<void> => {
  const rows: { eid: number; refusal: string }[] = []
  for (let after = -1; ;) {
    const page = await sql.many<{ eid: number; source: SourceId; uid: string | null; raw: string }>(records, { after: BigInt(after), limit: PAGE })
    for (const r of page) {
      const refusal = refusalOf(r.source, r.raw, eventViewOf(r.uid))
      if (refusal) rows.push({ eid: Number(r.eid), refusal })
    }
    if (page.length < PAGE) break
    after = Number(page[page.length - 1].eid)
  }
  if (rows.length) await sql.exec(write, { rows: JSON.stringify(rows) })
}
