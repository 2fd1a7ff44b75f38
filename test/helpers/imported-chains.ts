import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChainRow } from '../../contract/sessions'
import { runImport } from '../../core/import/index'
import { Workbench } from '../../core/workbench'

/**
 * Writes `content` as one vendor file, imports it into a fresh case and returns the case's chains, riskiest first,
 * with the source the file was read as. The case is removed afterwards.
 */
export const importedChains = async (name: string, content: unknown): Promise<{ source: string | null; chains: ChainRow[] }> => {
  const dir = await mkdtemp(join(tmpdir(), 'afterlogin-chains-'))
  try {
    const file = join(dir, name)
    await writeFile(file, JSON.stringify(content))
    const wb = new Workbench({ dataDir: join(dir, 'home'), transport: 'web', version: 'test' })
    await wb.open(join(dir, 'case.duckdb'))
    try {
      const summary = await runImport(wb.requireCase().db, [file])
      const failed = summary.files.find((f) => f.error)
      if (failed) throw new Error(`${name}: ${failed.error}`)
      const chains = (await wb.handlers['chains.list']({ offset: 0, limit: 100, sort: 'risk', filter: {} })).rows
      return { source: summary.files[0]?.source ?? null, chains }
    } finally {
      wb.close()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
