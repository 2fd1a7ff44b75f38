import { createReadStream, createWriteStream } from 'node:fs'
import { lstat, mkdir, open, readdir, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { Readable } from 'node:stream'
import { finished, pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { extract as tarExtract } from 'tar-stream'
import yauzl from 'yauzl'
import { Budget, ByteCounter, ExpansionGuard } from './byte-guard'
import { entryNameProblem, ratioProblem, type ImportLimits } from './guards'

/** One log file found in the inputs (possibly inside archives), or a reason it could not be reached. */
export type Item =
  | { kind: 'file'; path: string; stream: Readable; size: number | null; diskPath?: string; spooled?: boolean }
  | { kind: 'error'; path: string; error: string; bytes?: number }

export interface WalkContext {
  limits: ImportLimits
  /** Scratch folder inside the case folder, for archives nested in streams (zip needs random access). */
  scratch: string
  signal?: AbortSignal
  /** Called when an archive reveals how many entries it holds, and as compressed input is consumed. */
  onDiscovered(files: number): void
  onInputBytes(bytes: number): void
  /**
   * Plain files inside archives or gzip, of `minBytes` and up (or of unknown size), whose first `bytes`
   * are `wanted`, are written to the scratch folder and handed over with a disk path (the fast path).
   */
  spool?: { minBytes: number; bytes: number; wanted(head: Buffer): boolean }
}

type Kind = 'zip' | 'gzip' | 'tar' | 'plain'

const sniff = (head: Buffer): Kind => {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return 'zip'
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar'
  return 'plain'
}

/** Reads the first bytes of a stream and hands back a stream that still yields them. */
const peek = async (src: Readable, n: number): Promise<{ head: Buffer; rest: Readable }> => {
  const it = src[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  const parts: Buffer[] = []
  let size = 0
  let done = false
  while (size < n) {
    const step = await it.next()
    if (step.done) {
      done = true
      break
    }
    parts.push(step.value)
    size += step.value.length
  }
  const head = Buffer.concat(parts)
  const rest = Readable.from(
    (async function* () {
      if (head.length) yield head
      if (done) return
      for (;;) {
        const step = await it.next()
        if (step.done) return
        yield step.value
      }
    })(),
    { objectMode: false }
  )
  rest.on('close', () => {
    if (!src.destroyed) src.destroy()
  })
  return { head, rest }
}

/** Lets a consumer that stopped early (a parse error) move the archive on to its next entry. */
const drain = async (stream: Readable): Promise<void> => {
  if (stream.readableEnded || stream.destroyed) return
  stream.resume()
  await finished(stream).catch(() => undefined)
}

let scratchSeq = 0

/**
 * Walks files, folders (recursively, not following symlinks), zip (nested), tar.gz/tgz and gz inputs and
 * yields every log file inside as a byte stream. Containers are recognised by their magic bytes, never by
 * name. The consumer must finish with one item's stream before asking for the next.
 */
export async function* walk(inputs: { path: string; label: string }[], ctx: WalkContext): AsyncGenerator<Item> {
  for (const input of inputs) {
    ctx.signal?.throwIfAborted()
    const st = await lstat(input.path).catch((err: Error) => err)
    if (st instanceof Error) {
      yield { kind: 'error', path: input.label, error: `cannot read: ${st.message}` }
      continue
    }
    if (st.isDirectory()) yield* walkDir(input.path, input.label, ctx)
    else if (st.isFile()) yield* walkFile(input.path, input.label, ctx)
    else yield { kind: 'error', path: input.label, error: 'not a regular file or folder' }
  }
}

async function* walkDir(dir: string, label: string, ctx: WalkContext): AsyncGenerator<Item> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))
  ctx.onDiscovered(entries.filter((e) => e.isFile()).length)
  for (const e of entries) {
    ctx.signal?.throwIfAborted()
    const full = join(dir, e.name)
    if (e.isDirectory()) yield* walkDir(full, `${label}/${e.name}`, ctx)
    else if (e.isFile()) yield* walkFile(full, `${label}/${e.name}`, ctx, false)
  }
}

async function* walkFile(path: string, label: string, ctx: WalkContext, count = true): AsyncGenerator<Item> {
  if (count) ctx.onDiscovered(1)
  const head = Buffer.alloc(262)
  const fh = await open(path, 'r')
  const { bytesRead } = await fh.read(head, 0, 262, 0).finally(() => fh.close())
  const kind = sniff(head.subarray(0, bytesRead))
  const budget = new Budget(ctx.limits)
  if (kind === 'zip') {
    yield* walkZip(path, label, ctx, budget, 1)
    return
  }
  const raw = createReadStream(path, { highWaterMark: 1024 * 1024 })
  const counted = new ByteCounter((n) => ctx.onInputBytes(n))
  raw.on('error', (e) => counted.destroy(e))
  if (kind === 'plain') {
    // A plain file on disk: the fast path may read it by path instead of through the stream.
    const stream = raw.pipe(counted)
    yield { kind: 'file', path: label, stream, size: (await lstat(path)).size, diskPath: path }
    if (!stream.destroyed) await drain(stream)
    return
  }
  yield* walkStream(raw.pipe(counted), label, ctx, budget, 0, null)
}

/** A stream whose kind is not yet known (a zip entry, a gunzipped body). */
async function* walkStream(src: Readable, label: string, ctx: WalkContext, budget: Budget, depth: number, size: number | null): AsyncGenerator<Item> {
  let peeked: { head: Buffer; rest: Readable }
  try {
    peeked = await peek(src, 262)
  } catch (err) {
    yield { kind: 'error', path: label, error: readError(err) }
    return
  }
  const kind = sniff(peeked.head)
  if (kind === 'plain') {
    yield* plainFile(peeked.rest, label, ctx, size)
    return
  }
  if (depth >= ctx.limits.maxDepth) {
    peeked.rest.destroy()
    yield { kind: 'error', path: label, error: `archives nested deeper than ${ctx.limits.maxDepth} levels: refused` }
    return
  }
  if (kind === 'gzip') {
    let compressed = 0
    const counter = new ByteCounter((n) => (compressed += n))
    const gunzip = createGunzip()
    const guard = new ExpansionGuard(budget, () => compressed)
    // Errors (corrupt gzip, bomb) surface on `guard`, where the consumer reads.
    peeked.rest.on('error', (e) => guard.destroy(e))
    gunzip.on('error', (e) => guard.destroy(new Error(`corrupt gzip: ${e.message}`)))
    peeked.rest.pipe(counter).pipe(gunzip).pipe(guard)
    yield* walkStream(guard, label, ctx, budget, depth + 1, null)
    return
  }
  if (kind === 'tar') {
    yield* walkTar(peeked.rest, label, ctx, budget, depth + 1)
    return
  }
  // A zip inside a stream: spool it into the case's scratch folder (bounded by the budget), then open it.
  await mkdir(ctx.scratch, { recursive: true })
  const spool = join(ctx.scratch, `nested-${process.pid}-${++scratchSeq}.zip`)
  try {
    // The bytes were already counted against the budget by the stream that produced them.
    await pipeline(peeked.rest, createWriteStream(spool))
    yield* walkZip(spool, label, ctx, budget, depth + 1)
  } catch (err) {
    yield { kind: 'error', path: label, error: readError(err) }
  } finally {
    await rm(spool, { force: true })
  }
}

/** A plain file inside a stream; written to the scratch folder first when its start is what `ctx.spool` wants. */
async function* plainFile(src: Readable, label: string, ctx: WalkContext, size: number | null): AsyncGenerator<Item> {
  const spool = ctx.spool
  if (spool && (size === null || size >= spool.minBytes)) {
    let sample: { head: Buffer; rest: Readable }
    try {
      sample = await peek(src, spool.bytes)
    } catch (err) {
      yield { kind: 'error', path: label, error: readError(err) }
      return
    }
    if (spool.wanted(sample.head)) {
      yield* spooled(sample.rest, label, ctx)
      return
    }
    src = sample.rest
  }
  yield { kind: 'file', path: label, stream: src, size }
  await drain(src)
}

async function* spooled(src: Readable, label: string, ctx: WalkContext): AsyncGenerator<Item> {
  await mkdir(ctx.scratch, { recursive: true })
  const path = join(ctx.scratch, `entry-${process.pid}-${++scratchSeq}.ndjson`)
  try {
    try {
      // Through the same guards as any read: a bomb or a corrupt gzip fails here, with the same reason.
      await pipeline(src, createWriteStream(path), { signal: ctx.signal })
    } catch (err) {
      ctx.signal?.throwIfAborted()
      yield { kind: 'error', path: label, error: readError(err) }
      return
    }
    const stream = createReadStream(path, { highWaterMark: 1024 * 1024 })
    yield { kind: 'file', path: label, stream, size: (await lstat(path)).size, diskPath: path, spooled: true }
    if (!stream.destroyed) await drain(stream)
  } finally {
    await rm(path, { force: true })
  }
}

async function* walkTar(src: Readable, label: string, ctx: WalkContext, budget: Budget, depth: number): AsyncGenerator<Item> {
  const ex = tarExtract()
  src.on('error', (e) => ex.destroy(e))
  src.pipe(ex)
  let entries = 0
  try {
    for await (const entry of ex) {
      const name = entry.header.name
      if (entry.header.type !== 'file') {
        entry.resume()
        continue
      }
      ctx.onDiscovered(1)
      if (++entries > ctx.limits.maxEntries) {
        yield { kind: 'error', path: label, error: `more than ${ctx.limits.maxEntries} entries: refused` }
        break
      }
      const problem = entryNameProblem(name)
      if (problem) {
        entry.resume()
        yield { kind: 'error', path: `${label}!${name}`, error: problem }
        continue
      }
      const body = entry as unknown as Readable
      yield* walkStream(body, `${label}!${name}`, ctx, budget, depth, entry.header.size ?? null)
      await drain(body)
    }
  } catch (err) {
    yield { kind: 'error', path: label, error: readError(err) }
  }
}

/**
 * yauzl's own name check would abort the whole archive on the first `../` entry; names are decoded and
 * judged here instead, so the hostile entry is refused and reported while the rest of the bundle imports.
 */
const entryName = (entry: yauzl.Entry): string => {
  const raw = entry.fileName as unknown as Buffer | string
  if (typeof raw === 'string') return raw
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false)
}

const openZip = (path: string): Promise<yauzl.ZipFile> =>
  new Promise((ok, fail) =>
    yauzl.open(path, { lazyEntries: true, autoClose: true, decodeStrings: false, validateEntrySizes: true }, (err, zip) => (err ? fail(err) : ok(zip!)))
  )

const nextEntry = (zip: yauzl.ZipFile): Promise<yauzl.Entry | null> =>
  new Promise((ok, fail) => {
    const onEntry = (e: yauzl.Entry) => {
      cleanup()
      ok(e)
    }
    const onEnd = () => {
      cleanup()
      ok(null)
    }
    const onError = (err: Error) => {
      cleanup()
      fail(err)
    }
    const cleanup = () => {
      zip.off('entry', onEntry)
      zip.off('end', onEnd)
      zip.off('error', onError)
    }
    zip.on('entry', onEntry)
    zip.on('end', onEnd)
    zip.on('error', onError)
    zip.readEntry()
  })

const entryStream = (zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> =>
  new Promise((ok, fail) => zip.openReadStream(entry, (err, s) => (err ? fail(err) : ok(s!))))

async function* walkZip(path: string, label: string, ctx: WalkContext, budget: Budget, depth: number): AsyncGenerator<Item> {
  let zip: yauzl.ZipFile
  try {
    zip = await openZip(path)
  } catch (err) {
    yield { kind: 'error', path: label, error: `not a readable zip: ${readError(err)}` }
    return
  }
  if (zip.entryCount > ctx.limits.maxEntries) {
    zip.close()
    yield { kind: 'error', path: label, error: `${zip.entryCount} entries (limit ${ctx.limits.maxEntries}): refused` }
    return
  }
  ctx.onDiscovered(Math.max(0, zip.entryCount - 1))
  try {
    for (;;) {
      ctx.signal?.throwIfAborted()
      const entry = await nextEntry(zip)
      if (!entry) break
      const name = entryName(entry)
      const where = `${label}!${name}`
      if (name.endsWith('/')) continue
      const problem = entryNameProblem(name) ?? ratioProblem(entry.compressedSize, entry.uncompressedSize, ctx.limits)
      if (problem) {
        ctx.onInputBytes(entry.compressedSize)
        yield { kind: 'error', path: where, error: problem }
        continue
      }
      if (budget.used + entry.uncompressedSize > ctx.limits.maxExpandedBytes) {
        yield { kind: 'error', path: where, error: `archive expands past ${ctx.limits.maxExpandedBytes} bytes: refused as a compression bomb` }
        continue
      }
      let stream: Readable
      try {
        stream = await entryStream(zip, entry)
      } catch (err) {
        yield { kind: 'error', path: where, error: readError(err) }
        continue
      }
      const guard = new ExpansionGuard(budget, () => entry.compressedSize)
      stream.on('error', (e) => guard.destroy(e))
      stream.pipe(guard)
      yield* walkStream(guard, where, ctx, budget, depth, entry.uncompressedSize)
      await drain(guard)
      ctx.onInputBytes(entry.compressedSize)
    }
  } catch (err) {
    if (ctx.signal?.aborted) throw err
    yield { kind: 'error', path: label, error: `zip: ${readError(err)}` }
  } finally {
    zip.close()
  }
}

export const readError = (err: unknown): string => (err instanceof Error ? err.message : String(err))

export const labelFor = (path: string): string => basename(path) || path
