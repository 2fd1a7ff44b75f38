-- Statements only the tests run: they are not shipped (core/store reads queries/ only).

-- name: detect.finding-types
-- Which event types each finding category fired on, per source (coverage checks and diagnostics).
SELECT DISTINCT f.category, f.kind, e.source, e.source_type
FROM finding_events fe JOIN findings f ON f.id = fe.finding_id JOIN events e ON e.rowid = fe.eid
ORDER BY e.source, f.category, e.source_type

-- name: sigma.test.stored-files
SELECT path, rule_paths FROM import_files ORDER BY path;

-- name: sigma.test.stored-values
-- Each value a row stored for the rules (events.rule_values) beside the record's own value at its path.
SELECT count(*) AS n, count(*) FILTER (WHERE v IS DISTINCT FROM json_extract_string(raw, p)) AS differ
FROM (
  SELECT e.raw, unnest(e.rule_values) AS v, unnest(f.rule_paths) AS p
  FROM events e JOIN import_files f ON f.import_id = e.import_id AND f.path = e.file_path
  WHERE e.rule_values IS NOT NULL
);

-- name: sigma.test.rule-hits
SELECT e.uid, r.id AS rule, h.ind FROM rule_hits h JOIN events e ON e.rowid = h.eid JOIN sigma_rules r ON r.rule_no = h.rule_no ORDER BY ALL;

-- name: sigma.test.forget-stored
UPDATE events SET rule_values = NULL;

-- name: sigma.test.forge-stored
-- Puts a value the record does not hold in every stored place of one row.
UPDATE events SET rule_values = list_transform(rule_values, x -> $value) WHERE uid = $uid;
