import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { CaseDb } from '../store/case-db'
import { openCaseDb } from '../case/open-case-db'
import { analyzeCase } from './analyze'

/**
 * Opens an existing case file for reading sessions and chains. A case whose events were never analysed
 * (imported by an older version, or the analysis was interrupted) is analysed first.
 */
export const openAnalysedCase = async (file: string): Promise<CaseDb> => {
  const path = resolve(file)
  if (!existsSync(path)) throw new Error(`no case file at ${path}`)
  const db = await openCaseDb(path)
  try {
    const state = await db.one<{ runs: number; events: number }>('analyze.state')
    if (state && state.runs === 0 && state.events > 0) await analyzeCase(db)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}
