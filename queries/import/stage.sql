-- Per-file staging (core/import/stage.ts): events go straight to `events`; rejected records wait here and go to
-- quarantine with the file's finishing transaction, which also drops the events the case already held.

-- name: import.stage.create-quarantine
CREATE TEMP TABLE IF NOT EXISTS import_stage_q (record_no BIGINT, source VARCHAR, reason VARCHAR, raw VARCHAR);

-- name: import.stage.clear-quarantine
DELETE FROM import_stage_q;

-- name: import.file.drop
-- Every row of a file that failed, was cancelled, or whose finishing transaction rolled back.
DELETE FROM events WHERE import_id = $import_id AND file_path = $file_path;

-- name: import.file.drop-known
-- Events of the file the case already held before it (a re-import): the earlier copy stays.
DELETE FROM events
WHERE import_id = $import_id AND file_path = $file_path
  AND uid IN (SELECT uid FROM events WHERE NOT (import_id = $import_id AND file_path = $file_path));

-- name: import.file.drop-repeats
-- A record repeated verbatim within the file (same uid) is one event: the first stays.
DELETE FROM events
WHERE rowid IN (
  SELECT rowid FROM (
    SELECT rowid, row_number() OVER (PARTITION BY uid ORDER BY record_no) AS rn
    FROM events WHERE import_id = $import_id AND file_path = $file_path
  ) WHERE rn > 1
);

-- name: import.stage.commit-quarantine
INSERT INTO quarantine (import_id, file_path, record_no, source, reason, raw)
SELECT $import_id, $file_path, record_no, source, reason, raw FROM import_stage_q;
