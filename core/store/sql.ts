import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api'
import { log } from '../log'
import { queries, type NamedQuery } from './query-registry'
import type { StatementName } from './statement-names'

export type Params = Record<string, unknown>
export type Row = Record<string, unknown>
/** A shipped statement by name, or one read from another registry (the tests' own statements). */
export type Statement = StatementName | NamedQuery

const SLOW_MS = 250

/** DuckDB hands back bigint and Date; the rest of the product speaks JSON. */
export const toPlain = (v: unknown): unknown => {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()
  if (v instanceof Date) return v.toISOString()
  if (Array.isArray(v)) return v.map(toPlain)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]))
  return v
}

const lookup = (s: Statement): NamedQuery => (typeof s === 'string' ? queries().get(s) : s)

/** Every path into DuckDB goes through here, so a slow statement is logged with its name whatever ran it. */
const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
  const started = performance.now()
  try {
    return await work()
  } finally {
    const ms = performance.now() - started
    if (ms > SLOW_MS) log.warn(`slow query ${name}: ${ms.toFixed(0)} ms`)
  }
}

/** DuckDB's size syntax for memory_limit: a number and a unit, such as 1GB, 1.5GiB, 512MB. */
export const isMemoryLimit = (value: string): boolean => /^\d+(\.\d+)?\s*[KMGT]i?B$/i.test(value)

/** An open transaction on one connection: exactly one of commit or rollback ends it. */
export interface Transaction {
  commit(): Promise<void>
  rollback(): Promise<void>
}

/**
 * One DuckDB connection, spoken to only through named statements (queries/), plus the text of the two
 * compilers that build statements from declarations (the import's projection, Sigma rules), which is run and
 * logged under a label as the named ones are.
 */
export class Sql {
  constructor(readonly connection: DuckDBConnection) {}

  /** A database of its own (a file opened read-only, or `:memory:`), closed with `close()`. */
  static async standalone(path: string, options: Record<string, string> = {}): Promise<Sql> {
    const instance = await DuckDBInstance.create(path, options)
    const sql = new Sql(await instance.connect())
    sql.owned = instance
    return sql
  }

  private owned: DuckDBInstance | null = null

  async many<T = Row>(statement: Statement, params: Params = {}): Promise<T[]> {
    const q = lookup(statement)
    return this.manyCompiled<T>(q.name, q.sql, params)
  }

  async one<T = Row>(statement: Statement, params: Params = {}): Promise<T | undefined> {
    return (await this.many<T>(statement, params))[0]
  }

  /** Runs a statement for its effect; returns the rows it changed. */
  async exec(statement: Statement, params: Params = {}): Promise<number> {
    const q = lookup(statement)
    return this.execCompiled(q.name, q.sql, params)
  }

  /** Rows of a statement, chunk by chunk (DuckDB's streaming result): memory stays flat on big cases. */
  async *stream<T = Row>(statement: Statement, params: Params = {}): AsyncGenerator<T> {
    const q = lookup(statement)
    const started = performance.now()
    const result = await this.connection.stream(q.sql, params as Record<string, DuckDBValue>)
    for await (const rows of result.yieldRowObjectJs()) for (const row of rows) yield toPlain(row) as T
    const ms = performance.now() - started
    if (ms > SLOW_MS) log.warn(`slow query ${q.name} (streamed): ${ms.toFixed(0)} ms`)
  }

  /** A statement a compiler built (every value in `params`), run for its effect under `label`. */
  execCompiled(label: string, text: string, params: Params = {}): Promise<number> {
    return timed(label, async () => Number((await this.connection.run(text, params as Record<string, DuckDBValue>)).rowsChanged))
  }

  /** A statement a compiler built (every value in `params`), its rows read under `label`. */
  manyCompiled<T = Row>(label: string, text: string, params: Params = {}): Promise<T[]> {
    return timed(label, async () =>
      (await this.connection.runAndReadAll(text, params as Record<string, DuckDBValue>)).getRowObjectsJS().map((r) => toPlain(r) as T)
    )
  }

  /** Opens a transaction the caller ends through the handle (for work whose end lies in another module's hands). */
  async begin(): Promise<Transaction> {
    await this.exec('store.begin')
    let open = true
    const end = async (name: 'store.commit' | 'store.rollback') => {
      if (!open) throw new Error('transaction already ended')
      await this.exec(name)
      // A COMMIT DuckDB refused leaves the transaction to roll back, as the callers' catch blocks do.
      open = false
    }
    return { commit: () => end('store.commit'), rollback: () => end('store.rollback') }
  }

  /** Runs `work` in one transaction: committed when it returns, rolled back when it throws. */
  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const tx = await this.begin()
    try {
      const result = await work(this)
      await tx.commit()
      return result
    } catch (err) {
      await tx.rollback()
      throw err
    }
  }

  /** Rows straight into a table (the import's bulk path), bypassing SQL. */
  appender(table: string, schema?: string, catalog?: string): Promise<DuckDBAppender> {
    return this.connection.createAppender(table, schema, catalog)
  }

  /** Caps DuckDB's memory (per instance) until a RESET statement (analyze.memory-default, import.settings.default) lifts it. */
  async memoryLimit(limit: string): Promise<void> {
    if (!isMemoryLimit(limit)) throw new Error(`invalid memory limit '${limit}' (expected a size such as 1GB or 512MiB)`)
    await this.exec('store.memory-limit', { limit })
  }

  /** Stops the statement running on this connection (a cancelled import). */
  interrupt(): void {
    this.connection.interrupt()
  }

  /** How far the running statement is, 0–100 (DuckDB's progress tracking, when enabled), else ≤ 0. */
  get progress(): number {
    return this.connection.progress.percentage
  }

  close(): void {
    this.connection.closeSync()
    this.owned?.closeSync()
  }
}
