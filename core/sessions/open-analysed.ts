import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { CaseDb } from '../store/case-db'
import { openCaseDb } from '../case/open-case-db'
import { log } from '../log'
import { analyzeCase } from './analyze'
import { analysisCoverage } from './coverage'

/**
 * Opens an existing case file for reading sessions and chains. A case whose analysis does not cover all its
 * events (imported by an older version, or an import cut off before its analysis finished) is analysed first.
 */
export const openAnalysedCase = async (file: string): Promise<CaseDb> => {
  const path = resolve(file)
  if (!existsSync(path)) throw new Error(`no case file at ${path}`)
  const db = await openCaseDb(path)
  try {
    const coverage = await analysisCoverage(db)
    if (!coverage.complete) {
      log.warn(`${path}: the last analysis covered ${coverage.analysedEvents ?? 'none'} of ${coverage.events} events (an import was cut off); analysing again`)
      await analyzeCase(db)
    }
    return db
  } catch (err) {
    db.close()
    throw err
  }
}
