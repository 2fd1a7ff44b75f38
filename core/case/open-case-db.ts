import { CaseDb } from '../store/case-db'

/**
 * Opens a case file and settles what a crash left behind. A DuckDB file is held by one process at a time,
 * so an import still marked running when the case opens was cut off: its committed files stay whole, and
 * rows of a file it had not finished are dropped.
 */
export const openCaseDb = async (path: string): Promise<CaseDb> => {
  const db = await CaseDb.open(path)
  try {
    await db.run('import.drop-unfinished')
    await db.run('import.mark-interrupted')
    return db
  } catch (err) {
    db.close()
    throw err
  }
}
