-- Statements only the tests run: they are not shipped (core/store reads queries/ only).

-- name: detect.finding-types
-- Which event types each finding category fired on, per source (coverage checks and diagnostics).
SELECT DISTINCT f.category, f.kind, e.source, e.source_type
FROM finding_events fe JOIN findings f ON f.id = fe.finding_id JOIN events e ON e.rowid = fe.eid
ORDER BY e.source, f.category, e.source_type
