import type { DuckDBAppender, DuckDBConnection, DuckDBValue } from '@duckdb/node-api'
import type { NormalizedEvent } from '../sources'
import { queries } from '../store/query-registry'

/** Runs a named statement on a raw connection and returns the rows it changed. */
export const exec = async (c: DuckDBConnection, name: string, params: Record<string, DuckDBValue> = {}): Promise<number> => {
  const res = await c.run(queries().get(name).sql, params)
  return Number(res.rowsChanged)
}

const str = (a: DuckDBAppender, v: string | null): void => (v === null ? a.appendNull() : a.appendVarchar(v))
const dbl = (a: DuckDBAppender, v: number | null): void => (v === null || !Number.isFinite(v) ? a.appendNull() : a.appendDouble(v))

/**
 * One file's rows on their way in: appended to temp tables (fast, outside any transaction), then moved
 * into `events` and `quarantine` by `commit` in a single transaction — a crash or error before that
 * leaves nothing of the file in the case.
 */
export class Stage {
  private events!: DuckDBAppender
  private quarantine!: DuckDBAppender
  rows = 0
  rejected = 0

  private constructor(private readonly c: DuckDBConnection) {}

  static async open(c: DuckDBConnection): Promise<Stage> {
    await exec(c, 'import.stage.create')
    await exec(c, 'import.stage.create-quarantine')
    const s = new Stage(c)
    await s.reset()
    return s
  }

  async reset(): Promise<void> {
    this.close()
    await exec(this.c, 'import.stage.clear')
    await exec(this.c, 'import.stage.clear-quarantine')
    this.events = await this.c.createAppender('import_stage', 'main', 'temp')
    this.quarantine = await this.c.createAppender('import_stage_q', 'main', 'temp')
    this.rows = 0
    this.rejected = 0
  }

  add(e: NormalizedEvent, recordNo: number, raw: string): void {
    const a = this.events
    a.appendVarchar(e.uid)
    a.appendVarchar(e.source)
    str(a, e.sourceType)
    a.appendVarchar(e.category)
    str(a, e.action)
    a.appendVarchar(e.outcome)
    if (e.timeUs === null) a.appendNull()
    else a.appendBigInt(BigInt(e.timeUs))
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
    a.appendBigInt(BigInt(recordNo))
    a.appendVarchar(raw)
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
    const a = this.quarantine
    a.appendBigInt(BigInt(recordNo))
    str(a, source)
    a.appendVarchar(reason)
    a.appendVarchar(raw)
    a.endRow()
    this.rejected++
  }

  /**
   * Moves the staged rows into the case atomically with the file's result row; returns the new events.
   * `open` = the fast path already began the file's transaction (and stored its own rows in it).
   */
  async commit(importId: string, filePath: string, fileRow: Record<string, DuckDBValue>, open = false, addedBefore = 0): Promise<number> {
    this.close()
    const c = this.c
    if (!open) await c.run('BEGIN TRANSACTION')
    try {
      const added = addedBefore + (await exec(c, 'import.stage.commit-events', { import_id: importId, file_path: filePath }))
      await exec(c, 'import.stage.commit-quarantine', { import_id: importId, file_path: filePath })
      await exec(c, 'import.file.insert', { ...fileRow, new_events: added })
      await c.run('COMMIT')
      return added
    } catch (err) {
      await c.run('ROLLBACK')
      throw err
    }
  }

  close(): void {
    for (const a of [this.events, this.quarantine]) {
      if (!a) continue
      try {
        a.flushSync()
        a.closeSync()
      } catch {
        // Already closed by an earlier commit or failure.
      }
    }
  }
}
