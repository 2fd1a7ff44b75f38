import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { ImportFileResult, ImportProgress, ImportSummary } from '../../contract/imports'

/** Sums the on-disk size of the inputs (folders recursively): the denominator of the progress bar. */
const sizeOf = async (path: string): Promise<{ bytes: number; files: number }> => {
  const st = await lstat(path).catch(() => null)
  if (!st) return { bytes: 0, files: 0 }
  if (st.isFile()) return { bytes: st.size, files: 1 }
  if (!st.isDirectory()) return { bytes: 0, files: 0 }
  let bytes = 0
  let files = 0
  for (const e of await readdir(path)) {
    const sub = await sizeOf(join(path, e))
    bytes += sub.bytes
    files += sub.files
  }
  return { bytes, files }
}

/** Keeps the counters of a running import and emits them, throttled, to whoever listens. */
export class ProgressTracker {
  private p: ImportProgress
  private last = 0

  constructor(
    importId: string,
    private readonly emit: ((p: ImportProgress) => void) | undefined,
    private readonly everyMs: number
  ) {
    this.p = {
      importId,
      phase: 'reading',
      status: 'running',
      filesDone: 0,
      filesTotal: 0,
      bytesDone: 0,
      bytesTotal: 0,
      events: 0,
      newEvents: 0,
      rejected: 0,
      currentFile: null
    }
  }

  async measureInputs(paths: string[]): Promise<void> {
    for (const p of paths) this.p.bytesTotal += (await sizeOf(p)).bytes
  }

  discovered(files: number): void {
    this.p.filesTotal += files
  }

  inputBytes(bytes: number): void {
    this.p.bytesDone = Math.min(this.p.bytesTotal, this.p.bytesDone + bytes)
    this.tick()
  }

  current(path: string): void {
    this.p.currentFile = path
    this.tick()
  }

  snapshotEvents(): number {
    return this.p.events
  }

  fileEvents(before: number, inFile: number): void {
    this.p.events = before + inFile
    this.tick()
  }

  fileDone(f: ImportFileResult): void {
    this.p.filesDone++
    this.p.filesTotal = Math.max(this.p.filesTotal, this.p.filesDone)
    this.p.newEvents += f.newEvents
    this.p.rejected += f.rejected
    this.tick()
  }

  phase(phase: ImportProgress['phase']): void {
    this.p.phase = phase
    this.p.currentFile = null
    this.tick(true)
  }

  finish(summary: ImportSummary): void {
    this.p = {
      ...this.p,
      phase: 'finished',
      status: summary.status,
      bytesDone: this.p.bytesTotal,
      events: summary.events,
      newEvents: summary.newEvents,
      rejected: summary.rejected,
      currentFile: null,
      summary
    }
    this.tick(true)
  }

  private tick(force = false): void {
    if (!this.emit) return
    const now = performance.now()
    if (!force && now - this.last < this.everyMs) return
    this.last = now
    this.emit({ ...this.p })
  }
}
