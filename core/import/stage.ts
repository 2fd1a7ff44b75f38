import { DuckDBTimestampTZValue, type DuckDBAppender } from '@duckdb/node-api'
import type { NormalizedEvent } from '../sources'
import type { Params, Sql, Transaction } from '../store/case-db'

/**
 * Settles the uids of a file's rows (queries/import/stage.sql): drops the records the case already holds and
 * those repeated within the file, gives a digested uid to records that reuse a taken id. Returns the rows
 * dropped. Rows whose uid nobody else holds (nearly all of a first import) are not read again.
 */
const settleUids = async (sql: Sql, where: Params): Promise<number> => {
  await sql.exec('import.file.clashes', where)
  const [{ n }] = await sql.many<{ n: number }>('import.file.clash-count')
  if (!n) return 0
  await sql.exec('import.file.clash-digests', where)
  const known = await sql.exec('import.file.drop-known', where)
  await sql.exec('import.file.clash-forget', where)
  const repeats = await sql.exec('import.file.drop-repeats')
  await sql.exec('import.file.clash-forget', where)
  await sql.exec('import.file.rename-clashes')
  return known + repeats
}

const str = (a: DuckDBAppender, v: string | null): void => (v === null ? a.appendNull() : a.appendVarchar(v))
const flag = (a: DuckDBAppender, v: boolean | null): void => (v === null ? a.appendNull() : a.appendBoolean(v))
const dbl = (a: DuckDBAppender, v: number | null): void => (v === null || !Number.isFinite(v) ? a.appendNull() : a.appendDouble(v))

/**
 * One file's rows on their way in. Events are appended straight to `events`, tagged with the import and
 * the file; `commit` then drops what the case already held and writes the file's row, in one transaction.
 * Until that row exists the file is unfinished: `discard` removes its rows after an error, and a case
 * opened after a crash drops them (import.drop-unfinished). Rejected records wait in a temp table and go
 * to `quarantine` with the commit.
 */
export class Stage {
  private events: DuckDBAppender | null = null
  private quarantine: DuckDBAppender | null = null
  private file = { import_id: '', file_path: '' }
  rows = 0
  rejected = 0

  private constructor(readonly sql: Sql) {}

  static async open(sql: Sql): Promise<Stage> {
    await sql.exec('import.stage.create-quarantine')
    return new Stage(sql)
  }

  /** Starts a file: its events will carry this import id and path. */
  async begin(importId: string, filePath: string): Promise<void> {
    this.close()
    await this.sql.exec('import.stage.clear-quarantine')
    this.file = { import_id: importId, file_path: filePath }
    this.events = await this.sql.appender('events')
    this.quarantine = await this.sql.appender('import_stage_q', 'main', 'temp')
    this.rows = 0
    this.rejected = 0
  }

  add(e: NormalizedEvent, recordNo: number, raw: string): void {
    const a = this.events!
    a.appendVarchar(e.uid)
    a.appendVarchar(e.source)
    str(a, e.sourceType)
    a.appendVarchar(e.category)
    str(a, e.action)
    a.appendVarchar(e.outcome)
    if (e.timeUs === null) a.appendNull()
    else a.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt(e.timeUs)))
    str(a, e.actorId)
    str(a, e.actorName)
    a.appendVarchar(e.actorType)
    str(a, e.identity)
    str(a, e.app)
    str(a, e.sessionKey)
    str(a, e.sessionKeys ? JSON.stringify(e.sessionKeys) : null)
    str(a, e.srcIp)
    str(a, e.userAgent)
    str(a, e.deviceId)
    str(a, e.geoCity)
    str(a, e.geoCountry)
    dbl(a, e.geoLat)
    dbl(a, e.geoLon)
    str(a, e.targetType)
    str(a, e.targetId)
    str(a, e.targetName)
    a.appendVarchar(this.file.import_id)
    a.appendVarchar(this.file.file_path)
    a.appendBigInt(BigInt(recordNo))
    a.appendVarchar(raw)
    // Added by migration 055, after raw: the table's column order.
    if (e.asNumber === null) a.appendNull()
    else a.appendInteger(e.asNumber)
    str(a, e.asOrg)
    str(a, e.actingFor)
    flag(a, e.netProxy)
    flag(a, e.deviceManaged)
    // Added by migration 058.
    a.appendBoolean(e.vouches)
    a.endRow()
    this.rows++
  }

  /** Events the fast path mapped by SQL (they count like appended ones). */
  countFast(n: number): void {
    this.rows += n
  }

  reject(recordNo: number, source: string | null, reason: string, raw: string): void {
    const a = this.quarantine!
    a.appendBigInt(BigInt(recordNo))
    str(a, source)
    a.appendVarchar(reason)
    a.appendVarchar(raw)
    a.endRow()
    this.rejected++
  }

  /**
   * Finishes the file in one transaction: its last rows, the quarantined records, the file's row, minus the
   * events the case already held or that repeat within the file. Returns the new events. `finishing` = the
   * fast path's second transaction, which it opened and handed over (its own rows count in `rows`).
   */
  async commit(fileRow: Params, finishing?: Transaction): Promise<number> {
    const sql = this.sql
    const where = this.file
    const tx = finishing ?? (await sql.begin())
    try {
      this.flush()
      const added = this.rows - (await settleUids(sql, where))
      await sql.exec('import.stage.commit-quarantine', where)
      await sql.exec('import.file.insert', { ...fileRow, new_events: added })
      await tx.commit()
      return added
    } catch (err) {
      // The caller discards the file's rows, as for any file that fails.
      await tx.rollback()
      throw err
    }
  }

  /** Removes every row of the current file (after an error or a cancel). */
  async discard(): Promise<void> {
    this.close()
    await this.sql.exec('import.file.drop', this.file)
  }

  private flush(): void {
    this.events?.flushSync()
    this.quarantine?.flushSync()
  }

  close(): void {
    for (const a of [this.events, this.quarantine]) {
      if (!a) continue
      try {
        a.flushSync()
        a.closeSync()
      } catch {
        // A row left half-appended by an error: the file is being discarded anyway.
      }
    }
    this.events = null
    this.quarantine = null
  }
}
