import type { DuckDBValue } from '@duckdb/node-api'
import { queries } from '../store/query-registry'
import { toPlain, type Params, type Sql } from '../store/case-db'

/** Rows of a named query, chunk by chunk (DuckDB's streaming result): memory stays flat on big cases. */
export async function* streamRows<T>(sql: Sql, name: string, params: Params = {}): AsyncGenerator<T> {
  const result = await sql.connection.stream(queries().get(name).sql, params as Record<string, DuckDBValue>)
  for await (const rows of result.yieldRowObjectJs()) for (const row of rows) yield toPlain(row) as T
}
