import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { ExportKind, ExportRecord } from '../../contract'
import { assertCaseFileOrMissing } from '../../core/case/case-file-guard'
import { runExport } from '../../core/export/export-case'
import { exportContextOf } from '../../core/export/export-service'
import { openCaseFile } from '../../core/case/open-case'
import { VERSION } from '../../core/version'
import { UsageError } from '../command'

/**
 * Opens an existing case, writes one export to the path the user chose, prints nothing itself.
 * An existing --out is refused unless --force: an export never silently replaces a file.
 */
export const exportToPath = async (caseFile: string, kind: ExportKind, out: string, opts: { chainId?: string; force?: boolean }): Promise<ExportRecord> => {
  const casePath = resolve(caseFile)
  if (!existsSync(casePath)) throw new UsageError(`no case file at ${casePath}`)
  // Refuse a file that is not a case before touching --out (nothing is created or replaced for a wrong --case).
  await assertCaseFileOrMissing(casePath)
  const dest = resolve(out)
  if (dest === casePath) throw new UsageError('--out must not be the case file')
  if (existsSync(dest)) {
    if (!opts.force) throw new UsageError(`${dest} exists; pass --force to replace it`)
    await rm(dest)
  }
  await mkdir(dirname(dest), { recursive: true })
  const open = await openCaseFile(casePath)
  try {
    return await runExport(exportContextOf(open, VERSION), kind, dest, opts.chainId)
  } finally {
    open.db.close()
  }
}
