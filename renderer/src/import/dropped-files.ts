/** A file the user dropped or picked, with its path relative to what they dropped (folders keep their tree). */
export interface PickedFile {
  file: File
  relPath: string
}

const readEntries = (reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> => new Promise((ok, fail) => reader.readEntries(ok, fail))

const fileOf = (entry: FileSystemFileEntry): Promise<File> => new Promise((ok, fail) => entry.file(ok, fail))

/** Walks a dropped folder; readEntries hands back at most ~100 entries per call, so it is called until empty. */
const walk = async (entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> => {
  const rel = prefix ? `${prefix}/${entry.name}` : entry.name
  if (entry.isFile) {
    out.push({ file: await fileOf(entry as FileSystemFileEntry), relPath: rel })
    return
  }
  if (!entry.isDirectory) return
  const reader = (entry as FileSystemDirectoryEntry).createReader()
  for (;;) {
    const batch = await readEntries(reader)
    if (batch.length === 0) break
    for (const child of batch) await walk(child, rel, out)
  }
}

/** Files of a drop: folders walked through webkitGetAsEntry, plain files (and synthetic drops) as they come. */
export const filesFromDrop = async (dt: DataTransfer): Promise<PickedFile[]> => {
  // Entries must be taken synchronously, before the first await: the DataTransfer empties afterwards.
  const entries = Array.from(dt.items)
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry())
  const files = Array.from(dt.files)
  if (entries.length === 0 || entries.some((e) => e === null)) return files.map((file) => ({ file, relPath: file.name }))
  const out: PickedFile[] = []
  for (const e of entries) await walk(e!, '', out)
  return out
}

export const filesFromInput = (list: FileList | null): PickedFile[] =>
  Array.from(list ?? []).map((file) => ({ file, relPath: file.webkitRelativePath || file.name }))
