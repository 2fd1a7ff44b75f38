import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { ExportKind, ExportRecord } from '../../contract'
import { assertCaseFileOrMissing } from '../../core/case/case-file-guard'
import { runExport } from '../../core/export/export-case'
import { exportContext } from '../../core/export/export-handlers'
import { defaultDataDir } from '../../core/paths'
import { VERSION } from '../../core/version'
import { Workbench } from '../../core/workbench'
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
  const wb = new Workbench({ dataDir: defaultDataDir(), transport: 'web', version: VERSION })
  try {
    await wb.open(casePath)
    return await runExport(exportContext(wb), kind, dest, opts.chainId)
  } finally {
    wb.close()
  }
}
