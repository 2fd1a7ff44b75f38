-- Per-file staging (core/import/stage.ts): events go straight to `events`; rejected records wait here and go to
-- quarantine with the file's finishing transaction, which also drops the events the case already held.

-- name: import.stage.create-quarantine
CREATE TEMP TABLE IF NOT EXISTS import_stage_q (record_no BIGINT, source VARCHAR, reason VARCHAR, raw VARCHAR);

-- name: import.stage.clear-quarantine
DELETE FROM import_stage_q;

-- name: import.file.drop
-- Every row of a file that failed, was cancelled, or whose finishing transaction rolled back.
DELETE FROM events WHERE import_id = $import_id AND file_path = $file_path;

-- Settling uids, in the file's finishing transaction. A record proposes `source:native id` (or
-- `source:digest` without one). Rows whose uid the case or an earlier row of the file already holds are the
-- only ones looked at again, with the digest of their record: the same record again is dropped, another
-- record under a reused id (sanitized exports reuse placeholder ids) becomes `source:native id:digest`.

-- name: import.file.clashes
-- Uids are first compared by their 64-bit hashes, then the few rows whose hashes meet by the uids themselves: hash
-- tables of a file's every uid text peaked the import's memory (2M events: ~220 MB more, and slower).
CREATE OR REPLACE TEMP TABLE file_clash AS
WITH mine AS (SELECT rowid AS rid, uid, hash(uid) AS h, record_no FROM events WHERE import_id = $import_id AND file_path = $file_path),
older AS (
  SELECT DISTINCT uid FROM events
  WHERE NOT (import_id = $import_id AND file_path = $file_path) AND hash(uid) IN (SELECT h FROM mine)
),
twice AS (
  SELECT uid FROM mine WHERE h IN (SELECT h FROM mine GROUP BY h HAVING count(*) > 1) GROUP BY uid HAVING count(*) > 1
)
SELECT m.rid, m.uid, m.record_no, o.uid IS NOT NULL AS taken, CAST(NULL AS VARCHAR) AS d
FROM mine m LEFT JOIN older o ON o.uid = m.uid
WHERE o.uid IS NOT NULL OR m.uid IN (SELECT uid FROM twice);

-- name: import.file.clash-count
SELECT count(*) AS n FROM file_clash;

-- name: import.file.clash-digests
UPDATE file_clash SET d = x.d
FROM (
  SELECT rowid AS rid, left(sha1(raw), 20) AS d FROM events
  WHERE import_id = $import_id AND file_path = $file_path AND rowid IN (SELECT rid FROM file_clash)
) x
WHERE file_clash.rid = x.rid;

-- name: import.file.drop-known
-- The case already holds the record: under the digested uid, or under the same uid with the same digest.
DELETE FROM events
WHERE rowid IN (
  SELECT c.rid FROM file_clash c
  WHERE c.uid || ':' || c.d IN (SELECT uid FROM events WHERE NOT (import_id = $import_id AND file_path = $file_path))
  UNION ALL
  SELECT c.rid FROM file_clash c
  JOIN (
    SELECT uid, left(sha1(raw), 20) AS d FROM events
    WHERE NOT (import_id = $import_id AND file_path = $file_path) AND uid IN (SELECT uid FROM file_clash WHERE taken)
  ) o ON o.uid = c.uid AND o.d = c.d
);

-- name: import.file.clash-forget
DELETE FROM file_clash WHERE rid NOT IN (SELECT rowid FROM events WHERE import_id = $import_id AND file_path = $file_path);

-- name: import.file.drop-repeats
-- A record repeated verbatim within the file (same uid, same digest) is one event: the first stays.
DELETE FROM events
WHERE rowid IN (
  SELECT rid FROM (SELECT rid, row_number() OVER (PARTITION BY uid, d ORDER BY record_no) AS rn FROM file_clash) WHERE rn > 1
);

-- name: import.file.rename-clashes
-- Another record holds the uid (in the case, or earlier in this file): this one takes uid:digest.
UPDATE events SET uid = events.uid || ':' || x.d
FROM (
  SELECT rid, d FROM (SELECT rid, d, taken, row_number() OVER (PARTITION BY uid ORDER BY record_no) AS rn FROM file_clash)
  WHERE taken OR rn > 1
) x
WHERE events.rowid = x.rid;

-- name: import.stage.commit-quarantine
INSERT INTO quarantine (import_id, file_path, record_no, source, reason, raw)
SELECT $import_id, $file_path, record_no, source, reason, raw FROM import_stage_q;
