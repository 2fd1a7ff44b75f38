-- Sigma rules (core/detect/sigma): the loaded rules, their per-event matches and the tables readers use.
-- The matching statements themselves are compiled from the rules (core/detect/sigma/run.ts), values as $params.

-- name: sigma.rules
CREATE OR REPLACE TABLE sigma_rules AS
SELECT unnest(from_json($rules::JSON, '[{"rule_no":"INTEGER","id":"VARCHAR","title":"VARCHAR","path":"VARCHAR","kind":"VARCHAR","source":"VARCHAR","status":"VARCHAR","reason":"VARCHAR","level":"VARCHAR","severity":"VARCHAR","sev_rank":"INTEGER","category":"VARCHAR","attack":["VARCHAR"],"owasp_nhi":"VARCHAR","break_glass":"BOOLEAN","routine":"BOOLEAN","everyday":"BOOLEAN","verdict":"BOOLEAN","corroborated":"BOOLEAN","handoff":"BOOLEAN","allow_list":"BOOLEAN","at_least":"INTEGER","withdraws_rules":["VARCHAR"],"withdraws_fields":["VARCHAR"],"narrows_lists":["VARCHAR"],"narrows_patch":"VARCHAR","reported":"BOOLEAN","description":"VARCHAR","references":["VARCHAR"],"falsepositives":["VARCHAR"],"author":"VARCHAR","rule_status":"VARCHAR","fields":["VARCHAR"]}]'), recursive := true)

-- name: sigma.hits-table
CREATE OR REPLACE TABLE rule_hits (eid BIGINT, rule_no INTEGER, ind VARCHAR)

-- name: sigma.present-sources
SELECT source, count(*) AS n FROM events GROUP BY source

-- name: sigma.samples
-- Two records of each event type of a source in each file (the first and the last stored), for the first 20 files
-- of the type, and about 2,000 records spread over the whole source (all of them in a small case): how its keys are
-- spelled, which of them hold arrays or JSON text, and whether a collector wrapped them (exports of one source from
-- two publishers differ in shape; one publisher's files do not; records of one type differ in the parameters they
-- carry). The spread ones come in runs of 20 neighbours, one run every $period rows (the source's events / 100): the
-- stored text is compressed in blocks, and rows picked one by one would open nearly every block of a big case. A
-- plain filter on rowid reads the text of the matching rows only (an IN list of 2,000 row ids read it all: 0.2 s
-- per million events against 0.04 s).
WITH per_file AS (
  SELECT min(rowid) AS a, max(rowid) AS b FROM events WHERE source = $source GROUP BY source_type, import_id, file_path
  QUALIFY row_number() OVER (PARTITION BY source_type ORDER BY min(rowid)) <= 20
)
SELECT raw FROM events WHERE rowid IN (SELECT a FROM per_file UNION SELECT b FROM per_file)
UNION ALL
SELECT raw FROM events WHERE source = $source AND rowid % $period < 20

-- name: sigma.correlation-hits
-- The events a correlation rule reads (its rules' matches), with their time.
SELECT h.eid, h.rule_no, epoch(e.time) AS t FROM rule_hits h JOIN events e ON e.rowid = h.eid
WHERE list_contains(from_json($rules::JSON, '["INTEGER"]'), h.rule_no)

-- name: sigma.correlation-samples
-- Records of a correlation's first matches, from which its group and value fields' paths are learnt.
SELECT raw FROM events WHERE rowid IN (SELECT unnest(from_json($eids::JSON, '["BIGINT"]')))

-- name: sigma.matches
-- A risky action rule that matched a failed event reports an attempt, one severity lower: a failed attempt is
-- never the action itself. Rules only referenced by a correlation (no `generate`) report nothing alone.
CREATE OR REPLACE TABLE rule_matches AS
SELECT h.eid, h.rule_no, any_value(h.ind) AS ind,
       CASE WHEN any_value(r.category) NOT IN ('attempt', 'rule_match') AND any_value(e.outcome) = 'failure' THEN 'attempt' ELSE any_value(r.category) END AS category,
       CASE WHEN any_value(r.category) NOT IN ('attempt', 'rule_match') AND any_value(e.outcome) = 'failure' AND any_value(r.sev_rank) > 1
            THEN any_value(r.sev_rank) - 1 ELSE any_value(r.sev_rank) END AS sev_rank,
       CAST(NULL AS VARCHAR) AS refusal
FROM rule_hits h JOIN sigma_rules r ON r.rule_no = h.rule_no JOIN events e ON e.rowid = h.eid
WHERE r.reported
GROUP BY h.eid, h.rule_no

-- name: sigma.attempt-records
-- The failed events attempts are made of, and those of a vendor's verdict on a sign-in (a rule_match rule: a token
-- replayed, a proxy, a high risk) that was refused, a page at a time: their records say why they failed
-- (sigma.set-refusals), and the finding says it.
SELECT rowid AS eid, source, uid, raw FROM events
WHERE rowid IN (SELECT eid FROM rule_matches WHERE category IN ('attempt', 'rule_match')) AND outcome = 'failure' AND rowid > $after
ORDER BY rowid
LIMIT $limit

-- name: sigma.set-refusals
UPDATE rule_matches SET refusal = r.refusal
FROM (SELECT unnest(from_json($rows::JSON, '[{"eid":"BIGINT","refusal":"VARCHAR"}]'), recursive := true)) r
WHERE rule_matches.eid = r.eid AND rule_matches.category IN ('attempt', 'rule_match')

-- name: sigma.event-rules
-- The one rule an event is shown under (its worst match) and the category it then belongs to.
CREATE OR REPLACE TABLE event_rules AS
SELECT m.eid, arg_max(m.rule_no, m.sev_rank * 1000000 - m.rule_no) AS rule_no,
       arg_max(m.category, m.sev_rank * 1000000 - m.rule_no) AS category,
       arg_max(r.id, m.sev_rank * 1000000 - m.rule_no) AS id
FROM rule_matches m JOIN sigma_rules r ON r.rule_no = m.rule_no
GROUP BY m.eid

-- name: sigma.insert-hits
INSERT INTO rule_hits SELECT unnest(from_json($rows::JSON, '[{"eid":"BIGINT","rule_no":"INTEGER","ind":"VARCHAR"}]'), recursive := true)

-- name: sigma.check-events
-- An empty stand-in for a case's events (rules check): the compiled statements bind and run against it. It has
-- the columns rules read: the record, its uid (an attempt's refusal is read by it), type, outcome and time, those column guards read (columns.ts), and
-- those placeholders are read from (sigma.identity-domains).
CREATE OR REPLACE TABLE events (uid VARCHAR, source VARCHAR, source_type VARCHAR, outcome VARCHAR, time TIMESTAMPTZ, raw VARCHAR, import_id VARCHAR, file_path VARCHAR,
  category VARCHAR, identity VARCHAR, acting_for VARCHAR, action VARCHAR, user_agent VARCHAR, geo_city VARCHAR, as_org VARCHAR, target_type VARCHAR, target_name VARCHAR, net_proxy BOOLEAN, device_managed BOOLEAN)

-- name: sigma.check-regex
SELECT regexp_matches('', $re) AS ok

-- name: sigma.rule-list
-- Every rule (and every file that failed to load) of the last analysis, with its hits in this case.
SELECT r.id, r.title, r.path, r.kind, r.source, r.level, r.category, r.status, r.reason, coalesce(h.hits, 0) AS hits
FROM sigma_rules r LEFT JOIN (SELECT rule_no, count(DISTINCT eid) AS hits FROM rule_hits GROUP BY rule_no) h ON h.rule_no = r.rule_no
ORDER BY r.status = 'ok', r.path, r.rule_no

-- name: sigma.source-types
SELECT DISTINCT source_type AS t FROM events WHERE source = $source AND source_type IS NOT NULL

-- name: sigma.aws-accounts
-- The AWS accounts whose CloudTrail records the case holds (recipientAccountId: the account that received the event,
-- whose trail wrote it), what %internal_aws_accounts% is filled with. Read from the record's text, CloudTrail rows only.
SELECT DISTINCT account FROM (
  SELECT regexp_extract(raw, '"recipientAccountId"\s*:\s*"([0-9]{12})"', 1) AS account FROM events WHERE source = 'aws'
) WHERE account <> ''
ORDER BY account;

-- name: sigma.record-domains
-- The domains the organisation's own records name as its own (placeholders.ts adds them to %internal_domains%): a
-- domain an Entra tenant verified or federated (an audit activity on a domain, whose targets name it), an Exchange
-- accepted domain, and the domain of a person a Drive item was shared with while Google kept calling it shared
-- internally. Removals and failures name nothing. A domain the case shows being added to the tenant (Entra's Add
-- unverified/verified domain, Exchange's New-AcceptedDomain, Google's ADD_SECONDARY_DOMAIN or ADD_DOMAIN_ALIAS), or one
-- Entra refused to act on because it was not verified yet (a failed Verify domain, a DomainNotVerifiedException), is not
-- one of them, whatever else its records say: an intruder adds and federates a domain of their own so that mail
-- copied to it reads as internal. Only the few rows of those event types are read.
SELECT lower(trim(d)) AS domain FROM (
  SELECT unnest(list_concat(
           coalesce(json_extract_string(raw, '$.targetResources[*].displayName'), []),
           coalesce(json_extract_string(raw, '$.properties.targetResources[*].displayName'), []))) AS d,
         source_type ILIKE '%add%domain%'
           OR (outcome = 'failure' AND (source_type ILIKE '%verify%domain%' OR contains(raw, 'DomainNotVerified'))) AS added,
         outcome <> 'failure' AS named
  FROM events
  WHERE source = 'entra' AND source_type ILIKE '%domain%'
    AND NOT (source_type ILIKE '%remove%' OR source_type ILIKE '%delete%')
  UNION ALL
  SELECT regexp_extract(raw, '"Name"\s*:\s*"(?:DomainName|Identity|Name)"\s*,\s*"Value"\s*:\s*"([A-Za-z0-9.-]+\.[A-Za-z]{2,})"', 1),
         source_type ILIKE '%New-AcceptedDomain', true
  FROM events
  WHERE source = 'm365' AND outcome <> 'failure' AND (source_type ILIKE '%New-AcceptedDomain' OR source_type ILIKE '%Set-AcceptedDomain')
  UNION ALL
  SELECT regexp_extract(raw, '"name"\s*:\s*"DOMAIN_NAME"\s*,\s*"value"\s*:\s*"([^"]+)"', 1), true, true
  FROM events
  WHERE source = 'google_workspace' AND source_type IN ('admin:ADD_SECONDARY_DOMAIN', 'admin:ADD_DOMAIN_ALIAS')
  UNION ALL
  SELECT split_part(regexp_extract(raw, '"name"\s*:\s*"target_user"\s*,\s*"value"\s*:\s*"([^"]+@[^"]+)"', 1), '@', -1), false, true
  FROM events
  WHERE source = 'google_workspace' AND source_type LIKE 'drive:%' AND contains(raw, '"shared_internally"')
    AND NOT contains(raw, '"shared_externally"')
)
WHERE d IS NOT NULL AND d <> ''
GROUP BY lower(trim(d))
HAVING NOT bool_or(added) AND bool_or(named)

-- name: sigma.identity-domains
-- The mail domains of the case's identities (what the placeholder %internal_domains% is chosen from, placeholders.ts):
-- how many identities each has, and whether one of them signed in or administered the tenant (a successful
-- authentication or admin event: outsiders are invited and shared with, they do not run the organisation's admin
-- consoles). The domain is taken after grouping: a test on it would be pushed down to every event.
-- The people an app or agent acted for count as signed in: an app impersonates, and an agent works for, members of
-- the tenant.
SELECT lower(split_part(identity, '@', -1)) AS domain, count(*) AS identities, bool_or(signed_in) AS signed_in
FROM (
  SELECT identity, bool_or(signed_in) AS signed_in FROM (
    SELECT identity, category IN ('authentication', 'admin') AND outcome <> 'failure' AS signed_in
    FROM events WHERE contains(identity, '@')
    UNION ALL
    SELECT acting_for, outcome <> 'failure' FROM events WHERE contains(acting_for, '@')
  )
  GROUP BY identity
)
GROUP BY ALL;
