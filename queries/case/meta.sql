-- name: case.meta.all
SELECT key, value FROM case_meta;

-- name: case.meta.set
INSERT OR REPLACE INTO case_meta VALUES ($key, $value);

-- name: case.probe-tables
-- Run read-only on a file before it is opened as a case: an Afterlogin case holds case_meta.
SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main';
