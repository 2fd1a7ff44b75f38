import { toPlain, type CaseDb } from '../../core/store/case-db'
import { quoteIdent } from '../../core/store/quote'

/**
 * Every row of every table of a case as text, read through DuckDB: a secret hidden by on-disk string
 * compression would still show up here.
 */
export const dumpCase = async (db: CaseDb): Promise<string> => {
  const sql = await db.connect()
  try {
    const tables = (await sql.connection.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")).getRowObjectsJS()
    let out = ''
    for (const t of tables) {
      const rows = (await sql.connection.runAndReadAll(`SELECT * FROM ${quoteIdent(String(t.table_name))}`)).getRowObjectsJS()
      out += JSON.stringify(toPlain(rows))
    }
    return out
  } finally {
    sql.connection.closeSync()
  }
}
