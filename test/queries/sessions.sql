-- Statements only the tests run: they are not shipped (core/store reads queries/ only).

-- name: sessions.test-source-types
SELECT DISTINCT source, source_type FROM events WHERE source_type IS NOT NULL

-- name: sessions.test-coverage
SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM ev) AS analysed,
       (SELECT sum(events) FROM sessions) AS in_sessions

-- name: sessions.test-untimed
SELECT count(*) AS n FROM events WHERE time IS NULL

-- name: sessions.test-events-of-type
SELECT uid, raw FROM events WHERE source = $source AND source_type = $type ORDER BY uid

-- name: sessions.test-audit-kinds
SELECT kind FROM audit_log ORDER BY seq

-- name: sessions.test-forget-analysis
-- A case as a crash mid-analysis leaves it: events stored, no finished analysis run.
DELETE FROM analysis_runs
