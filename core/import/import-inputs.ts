import { resolve } from 'node:path'
import type { WorkbenchOptions } from '../host'
import { resolveUploads } from './uploads'

/** The files one import reads, and the names the analyst knows them by. */
export const importInputs = async (
  transport: WorkbenchOptions['transport'],
  casePath: string,
  paths: string[] | undefined,
  uploads: string[] | undefined
): Promise<{ inputs: string[]; labels: string[] }> => {
  let inputs: string[]
  let labels: string[]
  if (transport === 'web') {
    // In web mode the page is a browser tab: it may only name files it uploaded into this case.
    if (paths?.length) throw new Error('web mode imports uploaded files only: send upload ids, not paths')
    const staged = await resolveUploads(casePath, uploads ?? [])
    inputs = staged.map((s) => s.path)
    labels = staged.map((s) => s.name)
  } else {
    if (uploads?.length) throw new Error('uploads exist only in web mode')
    inputs = (paths ?? []).map((p) => resolve(p))
    labels = inputs.map((p) => p.split(/[\\/]/).pop() ?? p)
  }
  return { inputs, labels }
}
