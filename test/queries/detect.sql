-- Statements only the tests run: they are not shipped (core/store reads queries/ only).

-- name: detect.finding-types
-- Which event types each finding category fired on, per source (coverage checks and diagnostics).
SELECT DISTINCT f.category, f.kind, e.source, e.source_type
FROM finding_events fe JOIN findings f ON f.id = fe.finding_id JOIN events e ON e.rowid = fe.eid
ORDER BY e.source, f.category, e.source_type

-- name: detect.rule-match-types
-- Which event types each rule category matched, per source, whether or not a finding was kept.
SELECT DISTINCT m.category, e.source, e.source_type
FROM rule_matches m JOIN events e ON e.rowid = m.eid
ORDER BY e.source, m.category, e.source_type
