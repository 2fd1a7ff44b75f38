-- The store's own statements: the settings every connection gets, transaction control, the settings an import or
-- an analysis changes for a while, and the table that records which migrations ran.

-- name: store.use-case
-- Every connection reads and writes the case file, attached as case_file (core/store/case-db.ts says why).
USE case_file;

-- name: store.utc
-- Every time the product stores or shows is UTC.
SET TimeZone = 'UTC';

-- name: store.begin
BEGIN TRANSACTION;

-- name: store.commit
COMMIT;

-- name: store.rollback
ROLLBACK;

-- name: store.memory-limit
-- DuckDB's memory cap (per instance), e.g. '1GB': the caller checks the value's form (store/settings.ts).
SET memory_limit = $limit;

-- name: store.migrations-table
CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL);

-- name: store.migrations-done
SELECT version FROM schema_migrations;

-- name: store.migration-record
INSERT INTO schema_migrations VALUES ($version, $name, now());
