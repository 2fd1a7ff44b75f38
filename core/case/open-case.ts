import { mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { CaseSummary } from '../../contract'
import type { OpenCase } from '../host'
import { caseIdFor } from './case-files'
import { stampNewCase } from './case-info'
import { openCaseDb } from './open-case-db'

const defaultName = (path: string): string => {
  const folder = dirname(path).split(/[\\/]/).pop() ?? 'case'
  return folder.replace(/-[a-z0-9]{6,}$/, '') || 'case'
}

/**
 * Opens (or creates) a case file and stamps its name on first open: the one way the app, the web
 * mode and the CLI turn a path into an open case. The caller owns the returned connection.
 */
export const openCaseFile = async (path: string, opts: { name?: string; demo?: boolean } = {}): Promise<OpenCase> => {
  const full = resolve(path)
  await mkdir(dirname(full), { recursive: true })
  const db = await openCaseDb(full)
  try {
    const meta = await stampNewCase(db, opts.name ?? defaultName(full), opts.demo ?? false)
    const summary: CaseSummary = { id: caseIdFor(full), name: meta.name, path: full, openedAt: new Date().toISOString(), demo: meta.demo }
    return { db, summary }
  } catch (err) {
    db.close()
    throw err
  }
}
