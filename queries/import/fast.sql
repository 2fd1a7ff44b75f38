-- Helpers of the NDJSON fast path (core/import/fast-path.ts): the SQL twins of core/sources/values.ts.

-- name: import.fast.macro-nullif-text
-- The placeholders real exports write for "no value" (Okta "null", Azure "<null>") count as NULL, as in cleanIp/isEmpty.
-- Most values have no blank at either end: they skip trim, which is what costs (x >= '!' compares the
-- first byte, suffix() the last), and only the short ones are looked up among the placeholders.
-- list_contains rather than IN, which DuckDB turns into a join.
CREATE OR REPLACE TEMP MACRO nullif_text(x) AS
  CASE
    WHEN x >= '!' AND NOT (suffix(x, ' ') OR suffix(x, E'\t') OR suffix(x, E'\n') OR suffix(x, E'\r')) THEN
      CASE WHEN strlen(x) > 9 THEN x WHEN list_contains(['', 'null', '<null>', 'none', 'n/a', 'undefined', '-'], lower(x)) THEN NULL ELSE x END
    WHEN list_contains(['', 'null', '<null>', 'none', 'n/a', 'undefined', '-'], lower(trim(x, E' \t\r\n'))) THEN NULL
    ELSE trim(x, E' \t\r\n')
  END;

-- name: import.fast.macro-clean-ip
-- An address from an IP field, as cleanIp does: first of a forwarded-for list, brackets and port stripped,
-- anything that is not an address (service names, "Salesforce.com IP") NULL. One regex, argument used once.
CREATE OR REPLACE TEMP MACRO clean_ip(s) AS nullif(regexp_extract(s,
  '^\s*\[?((?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|(?:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]{1,41}))\]?(?::\d+)?\s*(?:,.*)?$', 1), '');

-- name: import.fast.keep-order
-- The fast path numbers records from the rowids an INSERT gave them: DuckDB's default, stated where it is relied on.
SET preserve_insertion_order = true;

-- name: import.fast.rowids
SELECT min(rowid) AS first, count(*) AS rows, max(rowid) - min(rowid) + 1 AS width
FROM events WHERE import_id = $import_id AND file_path = $file_path;

-- name: import.fast.number
UPDATE events SET record_no = rowid - $first + 1 WHERE import_id = $import_id AND file_path = $file_path;

-- The fast path inserts a file's rows straight into events in a first transaction; these statements
-- finish the job in its second one. Rows the projection could not take carry the category '__redo__'
-- for the moment it takes to hand them back to the JS normalizer.

-- name: import.fast.redo
-- A page of them at a time: a file could be mostly such rows.
SELECT record_no, raw FROM events
WHERE import_id = $import_id AND file_path = $file_path AND category = '__redo__' AND record_no > $after
ORDER BY record_no
LIMIT $limit;

-- name: import.fast.drop-redo
DELETE FROM events WHERE import_id = $import_id AND file_path = $file_path AND category = '__redo__';
