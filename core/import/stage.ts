import { DuckDBTimestampTZValue, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api'
import type { NormalizedEvent } from '../sources'
import { queries } from '../store/query-registry'

/** Runs a named statement on a raw connection and returns the rows it changed. */
export const exec = async (c: DuckDBConnection, name: string, params: Record<string, DuckDBValue> = {}): Promise<number> => {
  const res = await c.run(queries().get(name).sql, params)
  return Number(res.rowsChanged)
}

/**
 * Settles the uids of a file's rows (queries/import/stage.sql): drops the records the case already holds and
 * those repeated within the file, gives a digested uid to records that reuse a taken id. Returns the rows
 * dropped. Rows whose uid nobody else holds (nearly all of a first import) are not read again.
 */
const settleUids = async (c: DuckDBConnection, where: Record<string, DuckDBValue>): Promise<number> => {
  await exec(c, 'import.file.clashes', where)
  const [{ n }] = (await c.runAndReadAll(queries().get('import.file.clash-count').sql)).getRowObjectsJS() as { n: bigint }[]
  if (!n) return 0
  await exec(c, 'import.file.clash-digests', where)
  const known = await exec(c, 'import.file.drop-known', where)
  await exec(c, 'import.file.clash-forget', where)
  const repeats = await exec(c, 'import.file.drop-repeats')
  await exec(c, 'import.file.clash-forget', where)
  await exec(c, 'import.file.rename-clashes')
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

  private constructor(private readonly c: DuckDBConnection) {}

  static async open(c: DuckDBConnection): Promise<Stage> {
    await exec(c, 'import.stage.create-quarantine')
    return new Stage(c)
  }

  /** Starts a file: its events will carry this import id and path. */
  async begin(importId: string, filePath: string): Promise<void> {
    this.close()
    await exec(this.c, 'import.stage.clear-quarantine')
    this.file = { import_id: importId, file_path: filePath }
    this.events = await this.c.createAppender('events')
    this.quarantine = await this.c.createAppender('import_stage_q', 'main', 'temp')
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
    a.endRow()
    this.rows++
  }

  /** Events the fast path mapped by SQL (they count like appended ones). */
  countFast(n: number): void {
    this.rows += n
  }

  get connection(): DuckDBConnection {
    return this.c
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
   * events the case already held or that repeat within the file. Returns the new events. `open` = the fast
   * path already began that transaction (its own rows count in `rows`).
   */
  async commit(fileRow: Record<string, DuckDBValue>, open = false): Promise<number> {
    const c = this.c
    const where = this.file
    if (!open) await c.run('BEGIN TRANSACTION')
    try {
      this.flush()
      const added = this.rows - (await settleUids(c, where))
      await exec(c, 'import.stage.commit-quarantine', where)
      await exec(c, 'import.file.insert', { ...fileRow, new_events: added })
      await c.run('COMMIT')
      return added
    } catch (err) {
      // The caller discards the file's rows, as for any file that fails.
      await c.run('ROLLBACK')
      throw err
    }
  }

  /** Removes every row of the current file (after an error or a cancel). */
  async discard(): Promise<void> {
    this.close()
    await exec(this.c, 'import.file.drop', this.file)
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
