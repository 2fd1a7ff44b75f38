import { DuckDBInstance } from '@duckdb/node-api'
import { migrationsFrom, type Migration } from './query-registry'
import { sqlFiles } from './sql-files'
import { quoteLiteral } from './quote'
import { Sql, type Params, type Row, type Statement } from './sql'

export { Sql, toPlain, isMemoryLimit, type Params, type Row, type Statement, type Transaction } from './sql'

/** Serialises work on one connection so a transaction never interleaves with another caller's statements. */
class Lane {
  private tail: Promise<unknown> = Promise.resolve()
  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work)
    this.tail = next.catch(() => undefined)
    return next
  }
}

/**
 * How a case file is opened (ATTACH takes no parameter for the path: it is quoted as a literal).
 * - Storage v1.2 for new files: it can keep the raw records zstd-compressed (as fast to write as no compression, and
 *   small). A file's storage version is fixed when it is created; older files open as they are.
 * - Row groups of 61,440 rows instead of DuckDB's 122,880: an import holds a row group per thread in memory until it
 *   is compressed, and with the verbatim records that is what peaks. Measured on 1M Okta events (5 runs each): whole
 *   import peak 931 → 808 MB median, import + analysis 15.2 → 14.6 s, case file 133 → 137 MB.
 */
const attachSql = (path: string): string => `ATTACH ${quoteLiteral(path)} AS case_file (STORAGE_VERSION 'v1.2.0', ROW_GROUP_SIZE 61440)`

/** One case = one DuckDB file. Schema comes only from queries/migrations, statements only from queries/. */
export class CaseDb {
  private readonly lane = new Lane()

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly sql: Sql
  ) {}

  static async open(path: string): Promise<CaseDb> {
    // The case file is attached to an in-memory instance, because only ATTACH sets its row-group size. Spill files
    // go where DuckDB puts them for a database file (beside it).
    const instance = await DuckDBInstance.create(':memory:', { temp_directory: `${path}.tmp` })
    const sql = new Sql(await instance.connect())
    try {
      await sql.execCompiled('store.attach', attachSql(path))
      await sql.exec('store.use-case')
      await sql.exec('store.utc')
    } catch (err) {
      sql.close()
      instance.closeSync()
      throw err
    }
    const db = new CaseDb(path, instance, sql)
    await db.migrate(migrationsFrom(sqlFiles()))
    return db
  }

  /** A further connection for long work (an import, an export) that must not hold the shared lane. */
  async connect(): Promise<Sql> {
    const sql = new Sql(await this.instance.connect())
    await sql.exec('store.use-case')
    await sql.exec('store.utc')
    return sql
  }

  many<T = Row>(statement: Statement, params?: Params): Promise<T[]> {
    return this.lane.run(() => this.sql.many<T>(statement, params))
  }

  one<T = Row>(statement: Statement, params?: Params): Promise<T | undefined> {
    return this.lane.run(() => this.sql.one<T>(statement, params))
  }

  exec(statement: Statement, params?: Params): Promise<number> {
    return this.lane.run(() => this.sql.exec(statement, params))
  }

  /** Runs `work` in one transaction on the shared connection; any throw rolls back. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.lane.run(() => this.sql.transaction(work))
  }

  /**
   * Holds the shared connection for `work` without a transaction: readers on this case wait until it is over,
   * while each of its statements commits on its own (analyzeCase: see there why).
   */
  exclusive<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.lane.run(() => work(this.sql))
  }

  async migrate(migrations: Migration[]): Promise<number[]> {
    return this.lane.run(async () => {
      const sql = this.sql
      await sql.exec('store.migrations-table')
      const done = new Set((await sql.many<{ version: number }>('store.migrations-done')).map((r) => Number(r.version)))
      const applied: number[] = []
      for (const m of migrations) {
        if (done.has(m.version)) continue
        try {
          await sql.transaction(async () => {
            // A migration file is a script of several statements, run as one under its own name.
            await sql.execCompiled(`migration ${m.version}-${m.name}`, m.sql)
            await sql.exec('store.migration-record', { version: m.version, name: m.name })
          })
        } catch (err) {
          throw new Error(`migration ${m.version}-${m.name} failed: ${(err as Error).message}`)
        }
        applied.push(m.version)
      }
      return applied
    })
  }

  close(): void {
    this.sql.close()
    this.instance.closeSync()
  }
}
