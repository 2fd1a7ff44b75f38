-- Per-file staging: rows are appended here, then moved into events/quarantine in one transaction per file.

-- name: import.stage.create
CREATE TEMP TABLE IF NOT EXISTS import_stage (
  uid VARCHAR, source VARCHAR, source_type VARCHAR, category VARCHAR, action VARCHAR, outcome VARCHAR,
  time_us BIGINT, actor_id VARCHAR, actor_name VARCHAR, actor_type VARCHAR, identity VARCHAR, app VARCHAR,
  session_key VARCHAR, session_keys VARCHAR, src_ip VARCHAR, user_agent VARCHAR, device_id VARCHAR,
  geo_city VARCHAR, geo_country VARCHAR, geo_lat DOUBLE, geo_lon DOUBLE,
  target_type VARCHAR, target_id VARCHAR, target_name VARCHAR, record_no BIGINT, raw VARCHAR
);

-- name: import.stage.create-quarantine
CREATE TEMP TABLE IF NOT EXISTS import_stage_q (record_no BIGINT, source VARCHAR, reason VARCHAR, raw VARCHAR);

-- name: import.stage.clear
DELETE FROM import_stage;

-- name: import.stage.clear-quarantine
DELETE FROM import_stage_q;

-- name: import.stage.commit-events
-- Events whose uid the case already holds (a re-import) or that repeat within the file are not added.
INSERT INTO events (
  uid, source, source_type, category, action, outcome, time, actor_id, actor_name, actor_type, identity, app,
  session_key, session_keys, src_ip, user_agent, device_id, geo_city, geo_country, geo_lat, geo_lon,
  target_type, target_id, target_name, import_id, file_path, record_no, raw
)
SELECT
  s.uid, s.source, s.source_type, s.category, s.action, s.outcome,
  CASE WHEN s.time_us IS NULL THEN NULL ELSE make_timestamp(s.time_us)::TIMESTAMPTZ END,
  s.actor_id, s.actor_name, s.actor_type, s.identity, s.app,
  s.session_key, s.session_keys::JSON, s.src_ip, s.user_agent, s.device_id, s.geo_city, s.geo_country, s.geo_lat, s.geo_lon,
  s.target_type, s.target_id, s.target_name, $import_id, $file_path, s.record_no, s.raw
FROM import_stage s
WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.uid = s.uid)
QUALIFY row_number() OVER (PARTITION BY s.uid ORDER BY s.record_no) = 1;

-- name: import.stage.commit-quarantine
INSERT INTO quarantine (import_id, file_path, record_no, source, reason, raw)
SELECT $import_id, $file_path, record_no, source, reason, raw FROM import_stage_q;
