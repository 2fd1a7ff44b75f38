-- Helpers of the fast path (core/import/fast-path.ts): the SQL twins of core/sources/values.ts, and its settings.

-- name: import.fast.macro-js-blanks
-- The characters JavaScript's String.prototype.trim removes (text() in core/sources/values.ts trims with it).
CREATE OR REPLACE TEMP MACRO js_blanks() AS
  chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194)
  || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233)
  || chr(8239) || chr(8287) || chr(12288) || chr(65279);

-- name: import.fast.macro-nullif-text
-- The placeholders real exports write for "no value" (Okta "null", Azure "<null>") count as NULL, as in cleanIp/isEmpty.
-- Most values have no blank at either end: they skip trim, which is what costs. x >= '!' compares the first byte,
-- suffix() the last ones; a value with other than ASCII in it (strlen counts bytes, length characters) has its
-- first and last characters looked up among the Unicode blanks. Only short values are looked up among the
-- placeholders. list_contains rather than IN, which DuckDB turns into a join.
CREATE OR REPLACE TEMP MACRO nullif_text(x) AS
  CASE
    WHEN x >= '!' AND NOT (suffix(x, ' ') OR suffix(x, E'\t') OR suffix(x, E'\n') OR suffix(x, E'\r') OR suffix(x, chr(11)) OR suffix(x, chr(12)))
      AND CASE WHEN strlen(x) = length(x) THEN true ELSE NOT (contains(js_blanks(), x[1]) OR contains(js_blanks(), x[-1])) END THEN
      CASE WHEN strlen(x) > 9 THEN x WHEN list_contains(['', 'null', '<null>', 'none', 'n/a', 'undefined', '-'], lower(x)) THEN NULL ELSE x END
    WHEN list_contains(['', 'null', '<null>', 'none', 'n/a', 'undefined', '-'], lower(trim(x, js_blanks()))) THEN NULL
    ELSE trim(x, js_blanks())
  END;

-- name: import.fast.macro-clean-ip
-- An address from an IP field, as cleanIp does: the first of a forwarded-for list, brackets and port stripped,
-- anything that is not an address (service names, "Salesforce.com IP", MAC addresses) NULL. `address` and `forms`
-- are values.ts IP_ADDRESS and IP_FORMS (the latter followed by a catch-all, so the address is whichever group
-- matched). A bare address, the usual value, is settled by the first test alone, without captures.
CREATE OR REPLACE TEMP MACRO clean_ip(s, address, forms) AS
  CASE WHEN regexp_full_match(s, address) THEN s
  ELSE nullif(regexp_replace(CASE WHEN contains(s, ',') THEN trim(split_part(s, ',', 1), js_blanks()) ELSE s END, forms, '\1\2\3'), '') END;

-- name: import.fast.track-progress
-- The insert is one long statement: DuckDB tracks how far it is (read back through the connection while it
-- runs, for the import's progress bar), without drawing its own bar on the terminal.
SET enable_progress_bar = true;
SET enable_progress_bar_print = false;

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
