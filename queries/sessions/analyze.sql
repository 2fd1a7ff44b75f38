-- analyzeCase, step by step. Every statement is set-based over the whole case: no per-event loops in Node.
-- Policy tables are refilled from the (case's own or shipped) policy files before each run.

-- name: analyze.policy-rules
CREATE OR REPLACE TABLE policy_rules AS
SELECT unnest(from_json($rules::JSON, '[{"rule_no":"INTEGER","id":"VARCHAR","source":"VARCHAR","types":"VARCHAR","raw":"VARCHAR","category":"VARCHAR","severity":"VARCHAR","sev_rank":"INTEGER","title":"VARCHAR","attack":["VARCHAR"],"owasp_nhi":"VARCHAR"}]'), recursive := true)

-- name: analyze.policy-reads
CREATE OR REPLACE TABLE policy_reads AS
SELECT unnest(from_json($reads::JSON, '[{"source":"VARCHAR","types":"VARCHAR"}]'), recursive := true)

-- name: analyze.policy-app-names
CREATE OR REPLACE TABLE policy_app_names AS
SELECT unnest(from_json($names::JSON, '[{"pri":"INTEGER","pattern":"VARCHAR","source":"VARCHAR"}]'), recursive := true)

-- name: analyze.policy-identity
CREATE OR REPLACE TABLE policy_identity AS
SELECT unnest(from_json($patterns::JSON, '[{"pri":"INTEGER","kind":"VARCHAR","pattern":"VARCHAR","exact":"VARCHAR"}]'), recursive := true)

-- name: analyze.ip-pending
-- Distinct IP texts not enriched yet, with the geo the logs themselves gave for them.
SELECT e.src_ip AS raw,
       any_value(e.geo_city) FILTER (WHERE e.geo_city IS NOT NULL) AS city,
       any_value(e.geo_country) FILTER (WHERE e.geo_country IS NOT NULL) AS country,
       any_value(e.geo_lat) FILTER (WHERE e.geo_lat IS NOT NULL AND e.geo_lon IS NOT NULL) AS lat,
       any_value(e.geo_lon) FILTER (WHERE e.geo_lat IS NOT NULL AND e.geo_lon IS NOT NULL) AS lon
FROM events e ANTI JOIN ip_geo g ON g.raw = e.src_ip
WHERE e.src_ip IS NOT NULL
GROUP BY e.src_ip

-- name: analyze.ip-insert
INSERT OR REPLACE INTO ip_geo
SELECT unnest(from_json($rows::JSON, '[{"raw":"VARCHAR","ip":"VARCHAR","city":"VARCHAR","country":"VARCHAR","lat":"DOUBLE","lon":"DOUBLE","asn":"INTEGER","as_org":"VARCHAR","origin":"VARCHAR","vpn":"BOOLEAN"}]'), recursive := true)

-- name: analyze.type-rules
-- Catalog rules are matched once per distinct (source, event type), not per event.
CREATE OR REPLACE TABLE type_rules AS
WITH t AS (SELECT DISTINCT source, source_type FROM events WHERE source_type IS NOT NULL)
SELECT t.source, t.source_type, r.rule_no, r.raw
FROM t JOIN policy_rules r ON r.source = t.source AND regexp_matches(t.source_type, r.types, 'i')

-- name: analyze.type-reads
CREATE OR REPLACE TABLE type_reads AS
SELECT DISTINCT t.source, t.source_type
FROM (SELECT DISTINCT source, source_type FROM events WHERE source_type IS NOT NULL) t
JOIN policy_reads r ON r.source = t.source AND regexp_matches(t.source_type, r.types, 'i')

-- name: analyze.event-risk
-- Conditional rules look into the raw record, but only for the few events whose type already matched.
CREATE OR REPLACE TABLE event_risk AS
SELECT e.uid, min(tr.rule_no) AS rule_no
FROM events e JOIN type_rules tr ON tr.source = e.source AND tr.source_type = e.source_type
WHERE tr.raw IS NULL OR regexp_matches(e.raw, tr.raw, 'i')
GROUP BY e.uid

-- name: analyze.ev
-- One row per event with its resolved identity, its session, clean IP and geo, and its catalog match.
-- Native session keys first; without one, identity + idle gap ($gap seconds) per source.
CREATE OR REPLACE TABLE ev AS
WITH actor_alias AS (
  -- Salesforce ELF rows other than Login name only USER_ID: borrow the login name seen for that id.
  SELECT source, actor_id, min(lower(identity)) AS identity
  FROM events
  WHERE identity IS NOT NULL AND actor_id IS NOT NULL
  GROUP BY source, actor_id
  HAVING count(DISTINCT lower(identity)) = 1
),
base AS (
  SELECT e.uid, e.source, e.time, e.category, e.source_type, e.action, e.outcome, e.app, e.actor_type,
         e.user_agent AS ua, e.src_ip,
         coalesce(lower(e.identity), a.identity, lower(e.actor_name), lower(e.actor_id), '(unknown)') AS raw_identity,
         CASE e.source
           -- GitHub names the IdP login as a key too; only token ids delimit a GitHub session.
           WHEN 'github' THEN coalesce(json_extract_string(e.session_keys, '$.hashed_token'), json_extract_string(e.session_keys, '$.token_id'))
           WHEN 'okta' THEN CASE WHEN lower(e.session_key) IN ('unknown', 'null', '') THEN NULL ELSE e.session_key END
           ELSE nullif(e.session_key, '')
         END AS native_key,
         coalesce(e.target_name, e.target_id) AS target
  FROM events e LEFT JOIN actor_alias a ON a.source = e.source AND a.actor_id = e.actor_id
),
named AS (
  SELECT b.* EXCLUDE (raw_identity), coalesce(m.identity, b.raw_identity) AS identity
  FROM base b LEFT JOIN identity_map m ON m.alias = b.raw_identity
),
keyed AS (
  SELECT *, 's' || substr(md5(source || chr(31) || native_key), 1, 16) AS session_id
  FROM named WHERE native_key IS NOT NULL
),
gaps AS (
  SELECT *, CASE WHEN lag(time) OVER w IS NULL OR epoch(time) - epoch(lag(time) OVER w) > $gap THEN 1 ELSE 0 END AS brk
  FROM named WHERE native_key IS NULL
  WINDOW w AS (PARTITION BY source, identity ORDER BY time, uid)
),
runs AS (
  SELECT *, sum(brk) OVER (PARTITION BY source, identity ORDER BY time, uid ROWS UNBOUNDED PRECEDING) AS run
  FROM gaps
),
unkeyed AS (
  SELECT * EXCLUDE (brk, run),
         's' || substr(md5(source || chr(31) || identity || chr(31) || CAST(epoch_us(min(time) OVER (PARTITION BY source, identity, run)) AS VARCHAR)), 1, 16) AS session_id
  FROM runs
),
assigned AS (
  SELECT * FROM keyed
  UNION ALL BY NAME
  SELECT * FROM unkeyed
)
SELECT a.uid, a.source, a.time, a.identity, a.session_id, a.native_key, a.category, a.source_type, a.action,
       a.outcome, a.app, a.actor_type, a.ua, g.ip, g.country, g.lat, g.lon, g.asn, coalesce(g.vpn, false) AS vpn,
       a.target, er.rule_no, p.category AS risk_category, tr.source IS NOT NULL AS is_read
FROM assigned a
LEFT JOIN ip_geo g ON g.raw = a.src_ip
LEFT JOIN event_risk er ON er.uid = a.uid
LEFT JOIN policy_rules p ON p.rule_no = er.rule_no
LEFT JOIN type_reads tr ON tr.source = a.source AND tr.source_type = a.source_type
ORDER BY a.session_id, a.time

-- name: analyze.sessions
CREATE OR REPLACE TABLE sessions AS
SELECT session_id AS id,
       any_value(source) AS source,
       mode(identity) AS identity,
       any_value(native_key) AS session_key,
       mode(app) AS app,
       min(time) AS start,
       max(time) AS "end",
       count(*) AS events,
       arg_min(ip, time) FILTER (WHERE ip IS NOT NULL) AS first_ip,
       arg_min(ua, time) FILTER (WHERE ua IS NOT NULL) AS first_ua,
       list_sort(list_distinct(list(ip) FILTER (WHERE ip IS NOT NULL)))[1:50] AS ips,
       list_sort(list_distinct(list(country) FILTER (WHERE country IS NOT NULL))) AS countries,
       any_value(source) IN ('okta', 'entra') AS idp,
       -- An AWS console sign-in has no key; the calls it leads to run on a temporary key of their own.
       any_value(source) = 'aws' AND any_value(native_key) IS NULL AND bool_or(source_type ILIKE '%:ConsoleLogin') AS console
FROM ev
GROUP BY session_id

-- name: analyze.sso
-- Sign-ins at the IdP that name the downstream app: Okta user.authentication.sso, Entra sign-ins.
CREATE OR REPLACE TABLE sso AS
WITH raw AS (
  SELECT v.uid, v.session_id, v.identity, v.time, v.ip, v.ua,
         lower(CASE WHEN e.source = 'okta' THEN coalesce(json_extract_string(e.session_keys, '$.ssoTargetApp'), e.target_name) ELSE e.app END) AS app_name
  FROM events e JOIN ev v ON v.uid = e.uid
  WHERE ((e.source = 'okta' AND e.source_type = 'user.authentication.sso') OR (e.source = 'entra' AND e.category = 'authentication'))
    AND e.outcome <> 'failure'
),
names AS (SELECT DISTINCT app_name FROM raw WHERE app_name IS NOT NULL),
mapped AS (
  SELECT n.app_name, arg_min(p.source, p.pri) AS target_source
  FROM names n JOIN policy_app_names p ON regexp_matches(n.app_name, p.pattern, 'i')
  GROUP BY n.app_name
)
SELECT r.*, m.target_source FROM raw r JOIN mapped m ON m.app_name = r.app_name

-- name: analyze.links
-- Candidate parents per downstream session, best first: shared session/token id, then an SSO naming the
-- app shortly before (same IP and user agent preferred), then the same identity and IP inside an IdP session.
CREATE OR REPLACE TABLE links AS
WITH by_sso AS (
  SELECT s.session_id AS from_session, a.id AS to_session, 'idp_sso' AS rule, 2 AS pri,
         (a.first_ip IS NOT DISTINCT FROM s.ip) AS same_ip, (a.first_ua IS NOT DISTINCT FROM s.ua) AS same_ua,
         epoch(a.start) - epoch(s.time) AS delta,
         json_object('identity', a.identity, 'app', s.app_name, 'sso_event', s.uid,
                     'ip', CASE WHEN a.first_ip = s.ip THEN s.ip END,
                     'user_agent', CASE WHEN a.first_ua = s.ua THEN s.ua END) AS matched
  FROM sso s
  JOIN sessions a ON a.identity = s.identity AND a.source = s.target_source AND NOT a.idp
  WHERE a.start >= s.time - INTERVAL 2 MINUTE AND epoch(a.start) - epoch(s.time) <= $window
),
keys AS (
  SELECT DISTINCT v.session_id, v.source, k AS key
  FROM events e JOIN ev v ON v.uid = e.uid,
       unnest(json_extract_string(e.session_keys, ['$.sessionId', '$.uniqueTokenIdentifier', '$.AADSessionId', '$.UniqueTokenId', '$.SessionId'])) AS t(k)
  WHERE e.source IN ('entra', 'm365') AND e.session_keys IS NOT NULL AND length(k) >= 16
),
by_key AS (
  SELECT i.session_id AS from_session, m.session_id AS to_session, 'shared_session_id' AS rule, 1 AS pri,
         (a.first_ip IS NOT DISTINCT FROM p.first_ip) AS same_ip, (a.first_ua IS NOT DISTINCT FROM p.first_ua) AS same_ua,
         epoch(a.start) - epoch(p.start) AS delta,
         json_object('identity', a.identity, 'session_key', i.key) AS matched
  FROM keys i JOIN keys m ON m.key = i.key AND i.source = 'entra' AND m.source = 'm365'
  JOIN sessions p ON p.id = i.session_id
  JOIN sessions a ON a.id = m.session_id
),
by_overlap AS (
  SELECT p.id AS from_session, a.id AS to_session, 'idp_session_overlap' AS rule, 3 AS pri,
         true AS same_ip, (a.first_ua IS NOT DISTINCT FROM p.first_ua) AS same_ua,
         epoch(a.start) - epoch(p.start) AS delta,
         json_object('identity', a.identity, 'ip', a.first_ip) AS matched
  FROM sessions a JOIN sessions p ON p.identity = a.identity AND p.idp AND NOT a.idp
  WHERE a.start BETWEEN p.start - INTERVAL 2 MINUTE AND p."end" + to_seconds(CAST($gap AS BIGINT))
    AND a.first_ip IS NOT NULL AND list_contains(p.ips, a.first_ip)
),
by_console AS (
  SELECT p.id AS from_session, a.id AS to_session, 'console_login' AS rule, 2 AS pri,
         true AS same_ip, (a.first_ua IS NOT DISTINCT FROM p.first_ua) AS same_ua,
         epoch(a.start) - epoch(p.start) AS delta,
         json_object('identity', a.identity, 'ip', a.first_ip, 'user_agent', CASE WHEN a.first_ua = p.first_ua THEN a.first_ua END) AS matched
  FROM sessions a JOIN sessions p ON p.identity = a.identity AND p.console AND a.source = 'aws' AND a.session_key IS NOT NULL
  WHERE a.start >= p.start AND epoch(a.start) - epoch(p.start) <= $window AND a.first_ip = p.first_ip
),
candidates AS (
  SELECT *, 'l' || substr(md5(from_session || '>' || to_session || ':' || rule), 1, 16) AS id
  FROM (SELECT * FROM by_key UNION ALL SELECT * FROM by_sso UNION ALL SELECT * FROM by_overlap UNION ALL SELECT * FROM by_console)
  WHERE from_session <> to_session
),
ranked AS (
  SELECT c.*, r.link_id IS NOT NULL AS rejected, r.reason,
         row_number() OVER (PARTITION BY c.to_session, r.link_id IS NOT NULL
                            ORDER BY c.pri, c.same_ip DESC, c.same_ua DESC, abs(c.delta), c.from_session) AS rank
  FROM candidates c LEFT JOIN link_rejections r ON r.link_id = c.id
)
SELECT id, from_session, to_session, rule, matched, delta AS delta_seconds, rejected, reason
FROM ranked WHERE rank = 1 OR rejected

-- name: analyze.chain-sessions
-- A chain is a root session (an IdP session, a console sign-in, or a lone app session) and everything linked under it.
CREATE OR REPLACE TABLE chain_sessions AS
WITH RECURSIVE parent AS (
  SELECT s.id AS session_id, l.from_session AS parent
  FROM sessions s LEFT JOIN links l ON l.to_session = s.id AND NOT l.rejected
),
walk(session_id, root, depth) AS (
  SELECT session_id, session_id, 0 FROM parent WHERE parent IS NULL
  UNION ALL
  SELECT p.session_id, w.root, w.depth + 1 FROM parent p JOIN walk w ON p.parent = w.session_id WHERE w.depth < 6
)
SELECT 'c' || substr(w.root, 2) AS chain_id, w.session_id, p.parent
FROM walk w JOIN parent p ON p.session_id = w.session_id
ORDER BY chain_id

-- name: analyze.identities
-- Explicit entries win, then name patterns, then the type the logs gave, then "looks like an email" → human.
CREATE OR REPLACE TABLE identities AS
WITH stats AS (
  SELECT identity, count(*) AS events,
         mode(actor_type) FILTER (WHERE actor_type IN ('human', 'service', 'agent')) AS log_type,
         count(*) FILTER (WHERE actor_type IN ('service', 'agent')) AS nonhuman_events,
         list_sort(list_distinct(list(source))) AS sources, min(time) AS first, max(time) AS last
  FROM ev GROUP BY identity
),
named AS (
  SELECT s.identity, arg_min(p.kind, p.pri) AS kind, arg_min(coalesce(p.exact, p.pattern), p.pri) AS pattern
  FROM stats s JOIN policy_identity p
    ON (p.exact IS NOT NULL AND lower(p.exact) = s.identity) OR (p.exact IS NULL AND p.kind IN ('agent', 'service') AND regexp_matches(s.identity, p.pattern, 'i'))
  GROUP BY s.identity
),
human AS (SELECT pattern FROM policy_identity WHERE kind = 'human' LIMIT 1)
SELECT s.identity,
       CASE WHEN n.kind IS NOT NULL THEN n.kind
            WHEN s.log_type IS NOT NULL THEN s.log_type
            WHEN regexp_matches(s.identity, (SELECT pattern FROM human), 'i') THEN 'human'
            ELSE 'unknown' END AS type,
       CASE WHEN n.kind IS NOT NULL THEN 'classified by ' || CASE WHEN n.pattern = s.identity THEN 'explicit entry' ELSE 'name pattern /' || n.pattern || '/' END
            WHEN s.log_type IS NOT NULL THEN 'the logs say ' || s.log_type
            WHEN regexp_matches(s.identity, (SELECT pattern FROM human), 'i') THEN 'an email-like login'
            ELSE 'no signal' END AS reason,
       s.events, s.sources, s.first, s.last
FROM stats s LEFT JOIN named n ON n.identity = s.identity

-- name: analyze.chains
CREATE OR REPLACE TABLE chains AS
SELECT cs.chain_id AS id,
       any_value(s.id) FILTER (WHERE cs.parent IS NULL) AS root_session,
       any_value(s.identity) FILTER (WHERE cs.parent IS NULL) AS identity,
       'unknown' AS identity_type,
       list_sort(list_distinct(list(s.source))) AS apps,
       list_sort(list_distinct(flatten(list(s.ips))))[1:50] AS ips,
       list_sort(list_distinct(flatten(list(s.countries)))) AS countries,
       min(s.start) AS start, max(s."end") AS "end", sum(s.events) AS events, count(*) AS sessions,
       0 AS risk, 'none' AS response, CAST([] AS VARCHAR[]) AS reasons
FROM chain_sessions cs JOIN sessions s ON s.id = cs.session_id
GROUP BY cs.chain_id

-- name: analyze.chains-identity-type
UPDATE chains SET identity_type = i.type FROM identities i WHERE i.identity = chains.identity

-- name: analyze.chain-score-inputs
-- What the response policy weighs, per chain: each finding category with its worst severity and volume.
SELECT f.chain_id, c.identity_type, f.kind, f.category, max(f.sev_rank) AS sev_rank, sum(f.count) AS count,
       arg_max(f.title, f.sev_rank) AS title, arg_max(f.detail, f.sev_rank) AS detail
FROM findings f JOIN chains c ON c.id = f.chain_id
GROUP BY f.chain_id, c.identity_type, f.kind, f.category

-- name: analyze.chain-scores
UPDATE chains SET risk = s.risk, response = s.response, reasons = s.reasons
FROM (SELECT unnest(from_json($scores::JSON, '[{"id":"VARCHAR","risk":"INTEGER","response":"VARCHAR","reasons":["VARCHAR"]}]'), recursive := true)) s
WHERE s.id = chains.id

-- name: analyze.record-run
INSERT INTO analysis_runs VALUES (now(), $ms, (SELECT count(*) FROM ev), $steps::JSON, $policies::JSON)

-- name: analyze.drop-scratch
DROP TABLE IF EXISTS sso

-- name: sessions.settings
SELECT key, value FROM case_meta WHERE key IN ('sessionGapMinutes', 'ssoWindowMinutes')

-- name: analyze.counts
SELECT (SELECT count(*) FROM ev) AS events, (SELECT count(*) FROM sessions) AS sessions,
       (SELECT count(*) FROM chains) AS chains, (SELECT count(*) FROM findings) AS findings

-- name: analyze.state
SELECT (SELECT count(*) FROM analysis_runs) AS runs, (SELECT count(*) FROM events) AS events
