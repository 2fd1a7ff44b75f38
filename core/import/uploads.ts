import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { caseFolder } from '../case/case-files'

/** Files the web mode's page uploads live in the open case's own folder, named by a random id only. */
export const uploadsDir = (casePath: string): string => join(caseFolder(casePath), 'uploads')

const ID = /^[A-Za-z0-9_-]{8,64}$/

/** The name the user's file had (folders keep their relative path), cleaned for display; never used as a path. */
export const displayName = (name: string): string =>
  name
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replaceAll('\\', '/')
    .split('/')
    .filter((s) => s && s !== '.' && s !== '..')
    .join('/')
    .slice(0, 300) || 'upload'

export const MAX_UPLOAD_BYTES = 16 * 1024 ** 3

/** Streams one uploaded body into uploads/<id>; the partial file is removed if the body fails or is too large. */
export const stageUpload = async (casePath: string, name: string, body: Readable, maxBytes = MAX_UPLOAD_BYTES): Promise<{ id: string; bytes: number }> => {
  const dir = uploadsDir(casePath)
  await mkdir(dir, { recursive: true })
  const id = randomBytes(16).toString('base64url')
  const part = join(dir, `${id}.part`)
  let bytes = 0
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length
      if (bytes > maxBytes) done(new Error(`upload larger than ${maxBytes} bytes`))
      else done(null, chunk)
    }
  })
  try {
    await pipeline(body, limit, createWriteStream(part, { flags: 'wx' }))
    await writeFile(join(dir, `${id}.name`), JSON.stringify({ name: displayName(name) }))
    await rename(part, join(dir, id))
    return { id, bytes }
  } catch (err) {
    await rm(part, { force: true })
    throw err
  }
}

export const resolveUploads = async (casePath: string, ids: string[]): Promise<{ id: string; path: string; name: string }[]> => {
  const dir = uploadsDir(casePath)
  const out: { id: string; path: string; name: string }[] = []
  for (const id of ids) {
    if (!ID.test(id)) throw new Error(`not an upload id: ${id}`)
    const path = join(dir, id)
    const st = await stat(path).catch(() => null)
    if (!st?.isFile()) throw new Error(`no staged upload ${id} in this case`)
    const meta = JSON.parse(await readFile(join(dir, `${id}.name`), 'utf8').catch(() => '{}')) as { name?: string }
    out.push({ id, path, name: meta.name ?? id })
  }
  return out
}

/** Staged copies go once their import finished: the records now live in the case. */
export const removeUploads = async (casePath: string, ids: string[]): Promise<void> => {
  const dir = uploadsDir(casePath)
  for (const id of ids.filter((i) => ID.test(i))) {
    await rm(join(dir, id), { force: true })
    await rm(join(dir, `${id}.name`), { force: true })
  }
}
