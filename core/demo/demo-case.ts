import { dirname, join } from 'node:path'
import { runImport } from '../import/index'
import type { CaseHost } from '../host'
import { generateHijackBundle } from './bundle-generator'

/**
 * Fills the demo case on first open with a bundle the product generates itself: raw vendor exports
 * written into the case's folder and imported like any analyst's bundle (detection, mapping, analysis).
 * A demo case that already holds events is left as it is.
 */
export const populateDemo = async (wb: CaseHost): Promise<void> => {
  const info = await wb.info()
  if (info.events > 0) return
  const { db } = wb.requireCase()
  const bundle = await generateHijackBundle(join(dirname(db.path), 'bundle'), { seed: 1337 })
  const summary = await runImport(db, [bundle.dir], { labels: ['demo-bundle'], onProgress: (p) => wb.push.emit('import.progress', p) })
  const failed = summary.files.filter((f) => f.error)
  if (failed.length) throw new Error(`the demo bundle did not import cleanly: ${failed.map((f) => `${f.path}: ${f.error}`).join('; ')}`)
  wb.push.emit('case.changed', await wb.info())
}
