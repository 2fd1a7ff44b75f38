import { open, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { Sql } from '../store/case-db'

/**
 * Raised when a path given as a case is an existing file that is not an Afterlogin case. The CLI maps it to
 * exit 2 (a usage error): the user pointed at the wrong file, and nothing was written to it.
 */
export class NotACaseFileError extends Error {
  override readonly name = 'NotACaseFileError'
  constructor(
    readonly path: string,
    what: string
  ) {
    super(`not an Afterlogin case file: ${path} ${what}`)
  }
}

// A DuckDB database file starts with an 8-byte checksum followed by the magic bytes "DUCK".
const DUCKDB_MAGIC = 'DUCK'
const HEAD_BYTES = 64

/** A short, honest guess at what the file is, for the error message. */
const looksLike = (head: Buffer, size: number): string => {
  if (size === 0) return 'is empty'
  if (head.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return 'is a zip archive'
  if (head.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))) return 'is a gzip file'
  if (head.subarray(0, 15).toString('latin1') === 'SQLite format 3') return 'is an SQLite database'
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'is a Parquet file'
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
  if (text.startsWith('{') || text.startsWith('[')) return 'holds JSON'
  if (/^[^\n]*,[^\n]*(\n|$)/.test(text)) return 'looks like CSV or text'
  return 'is not a DuckDB database'
}

const hint = ' (to import logs, pass them as paths: afterlogin import FILE --case CASE.duckdb)'

/**
 * Checks, without writing anything, that `path` is either missing (a new case will be created there) or an
 * Afterlogin case. DuckDB would otherwise open other files in surprising ways (a JSON file as a view over it),
 * and a foreign DuckDB database would get the case schema migrated into it.
 */
export const assertCaseFileOrMissing = async (file: string): Promise<'missing' | 'case'> => {
  const path = resolve(file)
  let size: number
  try {
    const s = await stat(path)
    if (s.isDirectory()) throw new NotACaseFileError(path, 'is a folder; a case is a .duckdb file')
    size = s.size
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    throw err
  }
  const head = Buffer.alloc(HEAD_BYTES)
  const fd = await open(path, 'r')
  try {
    await fd.read(head, 0, HEAD_BYTES, 0)
  } finally {
    await fd.close()
  }
  if (size < 12 || head.subarray(8, 12).toString('latin1') !== DUCKDB_MAGIC) throw new NotACaseFileError(path, `${looksLike(head, size)}${hint}`)
  const tables = await probeTables(path)
  if (!tables.includes('case_meta')) {
    const held = tables.length ? `its tables: ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}` : 'it has no tables'
    throw new NotACaseFileError(path, `is a DuckDB database of something else (${held})`)
  }
  return 'case'
}

/** Opens the file read-only (nothing is written, not even a WAL) and lists its tables. */
const probeTables = async (path: string): Promise<string[]> => {
  let sql: Sql
  try {
    sql = await Sql.standalone(path, { access_mode: 'READ_ONLY' })
  } catch (err) {
    const msg = (err as Error).message
    // Held by another process (or this one): it is a DuckDB file we cannot look into right now; let the
    // real open report the lock rather than misname the file.
    if (/lock|already (open|attached)/i.test(msg)) return ['case_meta']
    throw new NotACaseFileError(path, `could not be read as a DuckDB database (${msg.split('\n')[0]})`)
  }
  try {
    return (await sql.many<{ table_name: string }>('case.probe-tables')).map((r) => r.table_name)
  } finally {
    sql.close()
  }
}
