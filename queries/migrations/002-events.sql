-- Imports, their per-file results, the normalized events (OCSF-aligned) and the quarantine.

CREATE TABLE imports (
  id VARCHAR PRIMARY KEY,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ,
  status VARCHAR NOT NULL,            -- running | done | partial | failed | cancelled
  paths JSON NOT NULL,
  events BIGINT NOT NULL DEFAULT 0,
  new_events BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE import_files (
  import_id VARCHAR NOT NULL,
  path VARCHAR NOT NULL,              -- path inside the bundle, e.g. bundle.zip!okta/2024-05.json
  source VARCHAR,                     -- detected source id, null when unreadable
  format VARCHAR,                     -- ndjson | json-array | envelope | csv | …
  bytes BIGINT NOT NULL DEFAULT 0,
  events BIGINT NOT NULL DEFAULT 0,
  new_events BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  error VARCHAR,
  finished_at TIMESTAMPTZ,
  PRIMARY KEY (import_id, path)
);

CREATE TABLE events (
  uid VARCHAR NOT NULL,               -- source:native id, else source:digest (SHA-1 of raw, 20 hex); id reused by another record: source:native id:digest
  source VARCHAR NOT NULL,            -- okta | entra | m365 | google_workspace | slack | github | salesforce | aws | generic
  source_type VARCHAR,                -- the log's own event type (eventType, operationName, action, EVENT_TYPE…)
  category VARCHAR NOT NULL,          -- authentication | account_change | api_activity | data_access | sharing | admin | other
  action VARCHAR,
  outcome VARCHAR NOT NULL,           -- success | failure | unknown
  time TIMESTAMPTZ NOT NULL,
  actor_id VARCHAR,
  actor_name VARCHAR,
  actor_type VARCHAR NOT NULL,        -- human | service | agent | unknown, as the log itself says
  identity VARCHAR,                   -- resolved identity (normalized email/login after the identity map)
  app VARCHAR,                        -- the application the event happened in
  session_key VARCHAR,                -- the primary native per-app session id
  session_keys JSON,                  -- every native key found: {"externalSessionId": …, "rootSessionId": …}
  src_ip VARCHAR,
  user_agent VARCHAR,
  device_id VARCHAR,
  geo_city VARCHAR,
  geo_country VARCHAR,
  geo_lat DOUBLE,
  geo_lon DOUBLE,
  target_type VARCHAR,
  target_id VARCHAR,
  target_name VARCHAR,
  import_id VARCHAR NOT NULL,
  file_path VARCHAR NOT NULL,
  record_no BIGINT NOT NULL,          -- 1-based line (NDJSON/CSV) or array index
  raw VARCHAR NOT NULL USING COMPRESSION zstd  -- the record verbatim
);

CREATE TABLE quarantine (
  import_id VARCHAR NOT NULL,
  file_path VARCHAR NOT NULL,
  record_no BIGINT NOT NULL,
  source VARCHAR,
  reason VARCHAR NOT NULL,
  raw VARCHAR NOT NULL
);
