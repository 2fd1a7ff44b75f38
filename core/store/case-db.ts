import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api'
import { log } from '../log'
import { migrationsFrom, queries, type Migration } from './query-registry'
import { sqlFiles } from './sql-files'

export type Params = Record<string, unknown>
export type Row = Record<string, unknown>

const SLOW_MS = 250

/** DuckDB hands back bigint and Date; the rest of the product speaks JSON. */
export const toPlain = (v: unknown): unknown => {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()
  if (v instanceof Date) return v.toISOString()
  if (Array.isArray(v)) return v.map(toPlain)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]))
  return v
}

/** Serialises work on one connection so a transaction never interleaves with another caller's statements. */
class Lane {
  private tail: Promise<unknown> = Promise.resolve()
  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work)
    this.tail = next.catch(() => undefined)
    return next
  }
}

export class Sql {
  constructor(readonly connection: DuckDBConnection) {}

  async all<T = Row>(name: string, params: Params = {}): Promise<T[]> {
    const q = queries().get(name)
    const started = performance.now()
    const reader = await this.connection.runAndReadAll(q.sql, params as Record<string, DuckDBValue>)
    const ms = performance.now() - started
    if (ms > SLOW_MS) log.warn(`slow query ${name}: ${ms.toFixed(0)} ms`)
    return reader.getRowObjectsJS().map((r) => toPlain(r) as T)
  }

  async one<T = Row>(name: string, params: Params = {}): Promise<T | undefined> {
    return (await this.all<T>(name, params))[0]
  }

  async run(name: string, params: Params = {}): Promise<void> {
    await this.all(name, params)
  }
}

/** One case = one DuckDB file. Schema comes only from queries/migrations, statements only from queries/. */
export class CaseDb {
  private readonly lane = new Lane()
  private readonly sql: Sql

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    connection: DuckDBConnection
  ) {
    this.sql = new Sql(connection)
  }

  static async open(path: string): Promise<CaseDb> {
    // New case files use DuckDB's v1.2 storage, which can keep the raw records zstd-compressed (as fast to
    // write as no compression, and small). A file's storage version is fixed when it is created.
    const instance = await DuckDBInstance.create(path, { storage_compatibility_version: 'v1.2.0' })
    const connection = await instance.connect()
    await prepare(connection)
    const db = new CaseDb(path, instance, connection)
    await db.migrate(migrationsFrom(sqlFiles()))
    return db
  }

  /** A further connection for long work (an import) that must not hold the shared lane. */
  async connect(): Promise<Sql> {
    const connection = await this.instance.connect()
    await prepare(connection)
    return new Sql(connection)
  }

  all<T = Row>(name: string, params?: Params): Promise<T[]> {
    return this.lane.run(() => this.sql.all<T>(name, params))
  }

  one<T = Row>(name: string, params?: Params): Promise<T | undefined> {
    return this.lane.run(() => this.sql.one<T>(name, params))
  }

  run(name: string, params?: Params): Promise<void> {
    return this.lane.run(() => this.sql.run(name, params))
  }

  /** Runs `work` inside BEGIN/COMMIT on the shared connection; any throw rolls back. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.lane.run(() => inTransaction(this.sql, work))
  }

  async migrate(migrations: Migration[]): Promise<number[]> {
    return this.lane.run(async () => {
      const c = this.sql.connection
      await c.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)')
      const done = new Set((await c.runAndReadAll('SELECT version FROM schema_migrations')).getRowObjectsJS().map((r) => Number(r.version)))
      const applied: number[] = []
      for (const m of migrations) {
        if (done.has(m.version)) continue
        await c.run('BEGIN TRANSACTION')
        try {
          await c.run(m.sql)
          await c.run('INSERT INTO schema_migrations VALUES ($version, $name, now())', { version: m.version, name: m.name })
          await c.run('COMMIT')
        } catch (err) {
          await c.run('ROLLBACK')
          throw new Error(`migration ${m.version}-${m.name} failed: ${(err as Error).message}`)
        }
        applied.push(m.version)
      }
      return applied
    })
  }

  close(): void {
    this.sql.connection.closeSync()
    this.instance.closeSync()
  }
}

const prepare = async (connection: DuckDBConnection): Promise<void> => {
  // Every time the product stores or shows is UTC.
  await connection.run("SET TimeZone = 'UTC'")
}

export const inTransaction = async <T>(sql: Sql, work: (sql: Sql) => Promise<T>): Promise<T> => {
  await sql.connection.run('BEGIN TRANSACTION')
  try {
    const result = await work(sql)
    await sql.connection.run('COMMIT')
    return result
  } catch (err) {
    await sql.connection.run('ROLLBACK')
    throw err
  }
}
