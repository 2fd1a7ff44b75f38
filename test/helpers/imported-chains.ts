import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChainRow } from '../../contract/sessions'
import { runImport } from '../../core/import/index'
import { Workbench } from '../../core/workbench'

/**
 * Writes each of `files` (name → content) as a vendor file, imports them into one fresh case and returns the case's
 * chains, riskiest first, with the source each file was read as, in the order given. The case is removed afterwards.
 */
export const importedBundle = async (files: Record<string, unknown>): Promise<{ sources: Array<string | null>; chains: ChainRow[] }> => {
  const dir = await mkdtemp(join(tmpdir(), 'afterlogin-chains-'))
  try {
    const paths = Object.keys(files).map((name) => join(dir, name))
    for (const [i, content] of Object.values(files).entries()) await writeFile(paths[i], JSON.stringify(content))
    const wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
    await wb.open(join(dir, 'case.duckdb'))
    try {
      const summary = await runImport(wb.requireCase().db, paths)
      const failed = summary.files.find((f) => f.error)
      if (failed) throw new Error(`${failed.path}: ${failed.error}`)
      const chains = (await wb.handlers['chains.list']({ offset: 0, limit: 100, sort: 'risk', filter: {} })).rows
      return { sources: paths.map((p) => summary.files.find((f) => p.endsWith(f.path))?.source ?? null), chains }
    } finally {
      wb.close()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** One vendor file (`name`, `content`) imported into a fresh case: its chains and the source it was read as. */
export const importedChains = async (name: string, content: unknown): Promise<{ source: string | null; chains: ChainRow[] }> => {
  const { sources, chains } = await importedBundle({ [name]: content })
  return { source: sources[0], chains }
}
