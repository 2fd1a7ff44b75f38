import type { FileToImport } from './types'
import { webAuthHeader } from './web-token'

/**
 * Web mode: the page cannot name server paths, so each file goes to the upload route, which stages it
 * in the open case's uploads/ folder and answers with an id; import.start takes those ids.
 */
export const uploadFiles = async (files: FileToImport[], onFile: (done: number, total: number) => void): Promise<string[]> => {
  const ids: string[] = []
  for (const [i, f] of files.entries()) {
    const res = await fetch(`/api/import/upload?name=${encodeURIComponent(f.relPath)}`, {
      method: 'POST',
      headers: { ...webAuthHeader(), 'Content-Type': 'application/octet-stream' },
      body: f.file
    })
    const out = (await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }))) as
      { ok: true; value: { id: string } } | { ok: false; error: string }
    if (!out.ok) throw new Error(`${f.relPath}: ${out.error}`)
    ids.push(out.value.id)
    onFile(i + 1, files.length)
  }
  return ids
}
