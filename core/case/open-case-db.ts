import { CaseDb } from '../store/case-db'
import { assertCaseFileOrMissing } from './case-file-guard'

/**
 * Opens a case file and settles what a crash left behind. A DuckDB file is held by one process at a time,
 * so an import still marked running when the case opens was cut off: its committed files stay whole, and
 * rows of a file it had not finished are dropped. An existing file that is not an Afterlogin case is refused
 * before DuckDB touches it (NotACaseFileError).
 */
export const openCaseDb = async (path: string): Promise<CaseDb> => {
  await assertCaseFileOrMissing(path)
  const db = await CaseDb.open(path)
  try {
    await db.exec('import.drop-unfinished')
    await db.exec('import.mark-interrupted')
    return db
  } catch (err) {
    db.close()
    throw err
  }
}
