-- Exports: whole-case event streams, evidence lookups, Parquet via DuckDB's own writer, and the export log.

-- name: export.events
SELECT uid, source, source_type, category, action, outcome, time, actor_id, actor_name, actor_type, identity, app,
       session_key, CAST(session_keys AS VARCHAR) AS session_keys, src_ip, user_agent, device_id,
       geo_city, geo_country, geo_lat, geo_lon, target_type, target_id, target_name,
       import_id, file_path, record_no, raw
FROM events
ORDER BY time, uid;

-- name: export.events_by_uid
SELECT uid, source, source_type, category, action, outcome, time, actor_id, actor_name, actor_type, identity, app,
       session_key, CAST(session_keys AS VARCHAR) AS session_keys, src_ip, user_agent, device_id,
       geo_city, geo_country, geo_lat, geo_lon, target_type, target_id, target_name,
       import_id, file_path, record_no, raw
FROM events
WHERE uid IN (SELECT unnest(from_json($uids::JSON, '["VARCHAR"]')))
ORDER BY time, uid;

-- name: export.events_parquet
COPY (
  SELECT uid, source, source_type, category, action, outcome, time, actor_id, actor_name, actor_type, identity, app,
         session_key, CAST(session_keys AS VARCHAR) AS session_keys, src_ip, user_agent, device_id,
         geo_city, geo_country, geo_lat, geo_lon, target_type, target_id, target_name,
         import_id, file_path, record_no, raw
  FROM events
  ORDER BY time, uid
) TO $path (FORMAT parquet, COMPRESSION zstd);

-- name: export.chains_parquet
COPY (
  SELECT * FROM read_json($source, format = 'newline_delimited', columns = {
    id: 'VARCHAR', identity: 'VARCHAR', identity_type: 'VARCHAR', apps: 'VARCHAR[]', ips: 'VARCHAR[]',
    countries: 'VARCHAR[]', start: 'TIMESTAMPTZ', "end": 'TIMESTAMPTZ', events: 'BIGINT', risk: 'INTEGER',
    response: 'VARCHAR', reasons: 'VARCHAR[]', finding_categories: 'VARCHAR[]', finding_event_ids: 'VARCHAR[]'
  })
) TO $path (FORMAT parquet, COMPRESSION zstd);

-- name: export.record
INSERT INTO exports (id, kind, path, rows, bytes, sha256, chain_id, created_at)
VALUES ($id, $kind, $path, $rows, $bytes, $sha256, $chain_id, $created_at::TIMESTAMPTZ);

-- name: export.list
SELECT id, kind, path, rows, bytes, sha256, chain_id, created_at FROM exports ORDER BY created_at DESC, id;

-- name: export.event_times_by_uid
SELECT uid, time FROM events WHERE uid IN (SELECT unnest(from_json($uids::JSON, '["VARCHAR"]')));

-- name: export.event_count
SELECT count(*) AS n FROM events;
