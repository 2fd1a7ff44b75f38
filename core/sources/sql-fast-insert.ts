import type { Projection } from './sql-projection'

/**
 * The fast path's INSERT for one compiled projection: the one statement built in code rather than read from
 * queries/, because its shape follows the source's declaration. Every value in it (the record structure,
 * regexes, lookups, the file path) is a `$param`: $source, $import_id, $file_path, $structure, $file, $layout,
 * $max_object and the projection's own.
 */
export const fastInsertSql = (projection: Projection): string => {
  const cols = (exprs: Record<string, string>): string =>
    Object.entries(exprs)
      .map(([col, expr]) => `,\n      ${expr} AS ${col}`)
      .join('')
  const values = projection.reads.map((read, i) => `,\n      nullif_text(${read}) AS v${i + 1}`).join('')
  // Each level is a projection of the one below, so every value is computed once per row. The reader
  // hands each object over without the blanks around it (the JS reader's trim): no trim here.
  // No row_number() here: it would keep the whole statement on one thread. The rows go in unnumbered,
  // in file order, and are numbered from their rowids once committed (core/import/fast-path.ts numberRows).
  return `
INSERT INTO events (uid, source, source_type, category, action, outcome, time, actor_id, actor_name, actor_type, identity, app,
  session_key, session_keys, src_ip, user_agent, device_id, geo_city, geo_country, geo_lat, geo_lon, target_type, target_id, target_name,
  import_id, file_path, record_no, raw, as_number, as_org, acting_for, net_proxy, device_managed, vouches)
SELECT uid, $source, source_type, CASE WHEN needs_js THEN '__redo__' ELSE category END, action, outcome,
  CASE WHEN time_us IS NULL THEN NULL ELSE make_timestamp(time_us)::TIMESTAMPTZ END,
  actor_id, actor_name, actor_type, identity, app, session_key, session_keys::JSON, src_ip, user_agent, device_id,
  geo_city, geo_country, geo_lat, geo_lon, target_type, target_id, target_name, $import_id, $file_path, record_no, raw,
  as_number, as_org, acting_for, net_proxy, device_managed, vouches
FROM (
  SELECT *${cols(projection.derived)}
  FROM (
    SELECT record_no, raw${cols(projection.base)}
    FROM (
      SELECT *${cols(projection.finds)}
      FROM (
        SELECT *${cols(projection.hits)}
        FROM (
          SELECT record_no, raw, s${values}
          FROM (
            SELECT record_no, raw, from_json(raw, $structure) AS s
            FROM (
              SELECT 0 AS record_no, json::VARCHAR AS raw FROM read_json_objects($file, format = $layout, maximum_object_size = $max_object)
            )
          )
        )
      )
    )
  )
)`
}
