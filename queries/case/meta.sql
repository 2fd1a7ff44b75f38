-- name: case.meta.all
SELECT key, value FROM case_meta;

-- name: case.meta.set
INSERT OR REPLACE INTO case_meta VALUES ($key, $value);
