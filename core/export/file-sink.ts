import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs'
import { rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { once } from 'node:events'

export interface Written {
  bytes: number
  sha256: string
}

/** A sibling temporary name: the final file appears only complete (rename is atomic within a folder). */
export const partialPath = (dest: string): string => join(dirname(dest), `.${basename(dest)}.${randomBytes(4).toString('hex')}.partial`)

/**
 * Streams text to a file with backpressure and hashes it on the way; `commit` renames it into place,
 * `abort` removes it. A crash leaves at most a dot-named .partial file, never a truncated export.
 */
export class FileSink {
  private readonly hash = createHash('sha256')
  private bytes = 0
  private constructor(
    readonly dest: string,
    private readonly temp: string,
    private readonly out: WriteStream
  ) {}

  static async open(dest: string): Promise<FileSink> {
    const temp = partialPath(dest)
    const out = createWriteStream(temp, { flags: 'wx' })
    await once(out, 'open')
    return new FileSink(dest, temp, out)
  }

  async write(text: string): Promise<void> {
    const buf = Buffer.from(text, 'utf8')
    this.hash.update(buf)
    this.bytes += buf.length
    if (!this.out.write(buf)) await once(this.out, 'drain')
  }

  async commit(): Promise<Written> {
    this.out.end()
    await once(this.out, 'finish')
    await rename(this.temp, this.dest)
    return { bytes: this.bytes, sha256: this.hash.digest('hex') }
  }

  async abort(): Promise<void> {
    this.out.destroy()
    await rm(this.temp, { force: true })
  }
}

/** Size and sha256 of a file written by someone else (DuckDB's Parquet writer). */
export const fileDigest = async (path: string): Promise<Written> => {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return { bytes: (await stat(path)).size, sha256: hash.digest('hex') }
}
