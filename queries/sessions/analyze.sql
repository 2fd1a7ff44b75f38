-- analyzeCase, step by step. Every statement is set-based over the whole case: no per-event loops in Node.
-- Strings are turned into small dictionaries first; the per-event table `ev` holds integers only.
-- Policy tables are refilled from the (case's own or shipped) policy files before each run.

-- name: analyze.policy-reads
CREATE OR REPLACE TABLE policy_reads AS
SELECT unnest(from_json($reads::JSON, '[{"source":"VARCHAR","types":"VARCHAR"}]'), recursive := true)

-- name: analyze.policy-rented
-- The networks whose addresses anyone can rent by the hour (policies/vpn-asns.json: VPN operators, the hosts their exits
-- run on, server hosting), with why each is listed: read by detect.rented-addresses.
CREATE OR REPLACE TABLE policy_rented_asns AS
SELECT unnest(from_json($asns::JSON, '[{"asn":"INTEGER","kind":"VARCHAR"}]'), recursive := true)

-- name: analyze.policy-app-names
CREATE OR REPLACE TABLE policy_app_names AS
SELECT unnest(from_json($names::JSON, '[{"pri":"INTEGER","pattern":"VARCHAR","source":"VARCHAR"}]'), recursive := true)

-- name: analyze.policy-identity
CREATE OR REPLACE TABLE policy_identity AS
SELECT unnest(from_json($patterns::JSON, '[{"pri":"INTEGER","kind":"VARCHAR","pattern":"VARCHAR","exact":"VARCHAR"}]'), recursive := true)

-- name: analyze.ip-pending
-- Distinct IP texts not enriched yet, with the geo and network the logs themselves gave for them.
SELECT e.src_ip AS raw,
       any_value(e.geo_city) FILTER (WHERE e.geo_city IS NOT NULL) AS city,
       any_value(e.geo_country) FILTER (WHERE e.geo_country IS NOT NULL) AS country,
       any_value(e.geo_lat) FILTER (WHERE e.geo_lat IS NOT NULL AND e.geo_lon IS NOT NULL) AS lat,
       any_value(e.geo_lon) FILTER (WHERE e.geo_lat IS NOT NULL AND e.geo_lon IS NOT NULL) AS lon,
       any_value(e.as_number) FILTER (WHERE e.as_number IS NOT NULL) AS asn,
       any_value(e.as_org) FILTER (WHERE e.as_number IS NOT NULL) AS as_org
FROM events e ANTI JOIN ip_geo g ON g.raw = e.src_ip
WHERE e.src_ip IS NOT NULL
GROUP BY e.src_ip

-- name: analyze.ip-insert
INSERT INTO ip_geo (raw, ip, city, country, lat, lon, asn, as_org, origin, vpn, id)
SELECT r.*, (SELECT coalesce(max(id), 0) FROM ip_geo) + row_number() OVER () AS id
FROM (SELECT unnest(from_json($rows::JSON, '[{"raw":"VARCHAR","ip":"VARCHAR","city":"VARCHAR","country":"VARCHAR","lat":"DOUBLE","lon":"DOUBLE","asn":"INTEGER","as_org":"VARCHAR","origin":"VARCHAR","vpn":"BOOLEAN"}]'), recursive := true)) r

-- name: analyze.type-reads
CREATE OR REPLACE TABLE type_reads AS
SELECT DISTINCT t.source, t.source_type
FROM (SELECT DISTINCT source, source_type FROM events WHERE source_type IS NOT NULL) t
JOIN policy_reads r ON r.source = t.source AND regexp_matches(t.source_type, r.types, 'i')

-- name: analyze.macro-actor-key
-- The key an actor id is known by across a source's records. A Salesforce id of 18 characters is its 15-character id
-- and a checksum: the event log files give either (USER_ID_DERIVED, USER_ID), the API the long one.
CREATE OR REPLACE TEMP MACRO actor_key(source, actor_id) AS
  hash(source, CASE WHEN source = 'salesforce' AND regexp_full_match(actor_id, '[0-9A-Za-z]{18}') THEN left(actor_id, 15) ELSE actor_id END);

-- name: analyze.actor-alias
-- Salesforce ELF rows other than Login name only USER_ID: borrow the login name seen for that id (by actor_key).
CREATE OR REPLACE TABLE actor_alias AS
SELECT actor_key(source, actor_id) AS h, min(lower(identity)) AS identity
FROM events
WHERE identity IS NOT NULL AND actor_id IS NOT NULL AND source = 'salesforce'
GROUP BY actor_key(source, actor_id)
HAVING count(DISTINCT lower(identity)) = 1

-- name: analyze.idents
-- Every identity text a log used, resolved through the analyst's identity map, else through what the logs say of
-- it: a GitHub login whose SAML sign-ins name the person (external_identity_nameid) is that person in its other
-- events too (a repository downloaded, a token made), as long as the login names one person only.
CREATE OR REPLACE TABLE ident_raw AS
WITH r AS (
  SELECT DISTINCT coalesce(lower(e.identity), a.identity, lower(e.actor_name), lower(e.actor_id), '(unknown)') AS raw
  FROM events e LEFT JOIN actor_alias a ON a.h = actor_key(e.source, e.actor_id)
),
learned AS (
  SELECT lower(actor_name) AS alias, min(lower(identity)) AS identity
  FROM events
  WHERE source = 'github' AND actor_type = 'human' AND actor_name IS NOT NULL AND identity LIKE '%_@_%' AND lower(actor_name) <> lower(identity)
  GROUP BY 1
  HAVING count(DISTINCT lower(identity)) = 1
),
resolved AS (
  SELECT r.raw, coalesce(m.identity, lm.identity, l.identity, r.raw) AS identity
  FROM r LEFT JOIN identity_map m ON m.alias = r.raw
  LEFT JOIN learned l ON l.alias = r.raw LEFT JOIN identity_map lm ON lm.alias = l.identity
),
ids AS (SELECT identity, CAST(row_number() OVER (ORDER BY identity) AS INTEGER) AS iid FROM (SELECT DISTINCT identity FROM resolved))
SELECT resolved.raw, hash(resolved.raw) AS h, ids.iid, ids.identity FROM resolved JOIN ids USING (identity)

-- name: analyze.idents-table
CREATE OR REPLACE TABLE idents AS SELECT DISTINCT iid, identity FROM ident_raw

-- name: analyze.dictionaries-uas
CREATE OR REPLACE TABLE uas AS
SELECT CAST(row_number() OVER (ORDER BY ua) AS INTEGER) AS uaid, ua, hash(ua) AS h, ua ILIKE 'Mozilla/%' AS browser_like,
       CASE WHEN os IS NOT NULL AND browser IS NOT NULL THEN os || ' ' || browser END AS family
FROM (
  SELECT ua,
         CASE WHEN regexp_matches(ua, 'Windows') THEN 'Windows' WHEN regexp_matches(ua, 'iPhone|iPad') THEN 'iOS'
              WHEN regexp_matches(ua, 'Mac OS X|Macintosh') THEN 'macOS' WHEN regexp_matches(ua, 'Android') THEN 'Android'
              WHEN regexp_matches(ua, 'CrOS') THEN 'ChromeOS' WHEN regexp_matches(ua, 'Linux|X11') THEN 'Linux' END AS os,
         CASE WHEN regexp_matches(ua, 'Edg/|Edge/') THEN 'Edge' WHEN regexp_matches(ua, 'Firefox/') THEN 'Firefox'
              WHEN regexp_matches(ua, 'Chrome/|CriOS/') THEN 'Chrome' WHEN regexp_matches(ua, 'Safari/') THEN 'Safari' END AS browser
  FROM (SELECT DISTINCT user_agent AS ua FROM events WHERE user_agent IS NOT NULL)
)

-- name: analyze.dictionaries-targets
CREATE OR REPLACE TABLE targets AS
SELECT CAST(row_number() OVER (ORDER BY target) AS INTEGER) AS tid, target, substr(md5(target), 1, 12) AS h, hash(target) AS hk
FROM (SELECT DISTINCT coalesce(target_name, target_id) AS target FROM events WHERE coalesce(target_name, target_id) IS NOT NULL)

-- name: analyze.dictionaries-codes
CREATE OR REPLACE TABLE srcs AS
SELECT CAST(row_number() OVER (ORDER BY source) AS UTINYINT) AS code, source FROM (SELECT DISTINCT source FROM events)

-- name: analyze.dictionaries-cats
CREATE OR REPLACE TABLE cats AS
SELECT CAST(row_number() OVER (ORDER BY category) AS UTINYINT) AS code, category FROM (SELECT DISTINCT category FROM events)

-- name: analyze.signatures
-- Everything ev needs from the low-cardinality columns, once per distinct combination; ev finds it by one hash.
-- A factor challenge the IdP sent (Okta's push, text, call or mail asking the person to approve a sign-in: its SUCCESS
-- says the message went out) is part of a sign-in, not one that succeeded: `challenge`, never `auth_ok`. The
-- sign-in detectors name it as a try, which the person's answer (or silence) decides.
CREATE OR REPLACE TABLE sigs AS
WITH d AS (
  SELECT *, d.category = 'authentication' AND d.source = 'okta'
              AND coalesce(regexp_matches(d.source_type, '^system\.(push|sms|voice|email)\.send_factor_verify'), false) AS challenge
  FROM (SELECT DISTINCT source, source_type, category, outcome, actor_type FROM events) d
)
SELECT hash(d.source, d.source_type, d.category, d.outcome, d.actor_type) AS h, s.code AS src, c.code AS cat,
       tr.source IS NOT NULL AS is_read, d.challenge,
       d.category = 'authentication' AND d.outcome <> 'failure' AND NOT d.challenge AS auth_ok,
       -- An AWS account's sign-in: the console's, or IAM Identity Center handing a role's credentials to the portal or
       -- the CLI (GetRoleCredentials), which the user's browser approved.
       coalesce(d.source_type ILIKE '%:ConsoleLogin' OR d.source_type = 'sso.amazonaws.com:GetRoleCredentials', false) AS console,
       CAST(CASE d.actor_type WHEN 'human' THEN 1 WHEN 'service' THEN 2 WHEN 'agent' THEN 3 ELSE 0 END AS UTINYINT) AS atype
FROM d
JOIN srcs s ON s.source = d.source
JOIN cats c ON c.category = d.category
LEFT JOIN type_reads tr ON tr.source = d.source AND tr.source_type IS NOT DISTINCT FROM d.source_type

-- name: analyze.session-keys
-- Native per-app session keys. GitHub names the IdP login as a key too: only token ids delimit a GitHub session.
CREATE OR REPLACE TABLE skeys AS
SELECT CAST(row_number() OVER (ORDER BY source, native_key) AS INTEGER) AS sid, source, native_key,
       's' || substr(md5(source || chr(31) || native_key), 1, 16) AS id, hash(source, native_key) AS h
FROM (
  SELECT DISTINCT source,
         CASE source
           WHEN 'github' THEN coalesce(json_extract_string(session_keys, '$.hashed_token'), json_extract_string(session_keys, '$.token_id'))
           WHEN 'okta' THEN CASE WHEN lower(session_key) IN ('unknown', 'null', '') THEN NULL ELSE session_key END
           ELSE nullif(session_key, '')
         END AS native_key
  FROM events WHERE time IS NOT NULL
)
WHERE native_key IS NOT NULL

-- name: analyze.ev
-- One narrow row per event: its session (native key, else identity + idle gap of $gap seconds per source),
-- resolved identity, IP, user agent, target and category (the rule an event is shown under is event_rules', which
-- the Sigma rules build meanwhile on a connection of their own). Strings are matched through their
-- 64-bit hashes against the dictionaries built above: integer joins, no string compares per event.
CREATE OR REPLACE TABLE ev AS
WITH e AS (
  SELECT e.rowid AS eid, e.time, e.source,
         hash(e.source, e.source_type, e.category, e.outcome, e.actor_type) AS hsig,
         -- NULL, not the hash of NULL, so that a missing value never joins.
         CASE WHEN e.user_agent IS NOT NULL THEN hash(e.user_agent) END AS hua,
         CASE WHEN e.src_ip IS NOT NULL THEN hash(e.src_ip) END AS hip,
         CASE WHEN coalesce(e.target_name, e.target_id) IS NOT NULL THEN hash(coalesce(e.target_name, e.target_id)) END AS htarget,
         CASE e.source
           WHEN 'github' THEN coalesce(json_extract_string(e.session_keys, '$.hashed_token'), json_extract_string(e.session_keys, '$.token_id'))
           WHEN 'okta' THEN CASE WHEN lower(e.session_key) IN ('unknown', 'null', '') THEN NULL ELSE e.session_key END
           ELSE nullif(e.session_key, '')
         END AS native_key,
         hash(coalesce(lower(e.identity), a.identity, lower(e.actor_name), lower(e.actor_id), '(unknown)')) AS hraw
  FROM events e LEFT JOIN actor_alias a ON a.h = CASE WHEN e.identity IS NULL THEN actor_key(e.source, e.actor_id) END
  -- A record without any time (rare sparse Salesforce rows) stays in events but cannot be placed in a session.
  WHERE e.time IS NOT NULL
),
k AS (
  SELECT e.eid, e.time, e.hua, e.hip, e.htarget, r.iid, g.src, g.cat, g.is_read,
         g.auth_ok, g.console, g.atype, sk.sid AS key_sid
  FROM e JOIN ident_raw r ON r.h = e.hraw
  JOIN sigs g ON g.h = e.hsig
  LEFT JOIN skeys sk ON sk.h = CASE WHEN e.native_key IS NOT NULL THEN hash(e.source, e.native_key) END
),
gaps AS (
  SELECT eid, src, iid, time,
         CASE WHEN lag(time) OVER w IS NULL OR epoch(time) - epoch(lag(time) OVER w) > $gap THEN 1 ELSE 0 END AS brk
  FROM k WHERE key_sid IS NULL
  WINDOW w AS (PARTITION BY src, iid ORDER BY time, eid)
),
runs AS (
  SELECT eid, src, iid, sum(brk) OVER (PARTITION BY src, iid ORDER BY time, eid ROWS UNBOUNDED PRECEDING) AS run FROM gaps
),
unkeyed AS (
  SELECT eid, CAST((SELECT coalesce(max(sid), 0) FROM skeys) + dense_rank() OVER (ORDER BY src, iid, run) AS INTEGER) AS gap_sid FROM runs
),
ips AS (SELECT hash(raw) AS h, id FROM ip_geo)
SELECT k.eid, k.time, coalesce(k.key_sid, u.gap_sid) AS sid, k.iid, k.src, k.key_sid IS NOT NULL AS keyed,
       ip.id AS gid, ua.uaid, t.tid, k.cat, k.is_read,
       k.auth_ok AND (k.console OR coalesce(ua.browser_like, false)) AS is_login,
       k.atype
FROM k
LEFT JOIN unkeyed u ON u.eid = k.eid
LEFT JOIN ips ip ON ip.h = k.hip
LEFT JOIN uas ua ON ua.h = k.hua
LEFT JOIN targets t ON t.hk = k.htarget

-- name: analyze.session-ips
-- Which addresses each session used, once: sessions list them for IdP sessions, chains for every chain.
-- A temporary table: scratch of this run only, never written to the case file.
CREATE OR REPLACE TEMP TABLE session_ips AS SELECT DISTINCT sid, src, gid FROM ev WHERE gid IS NOT NULL

-- name: analyze.sessions
-- First address and user agent stay ids (first_gid, first_uaid): writing their strings for every session cost
-- a third of this step, and only the few stitched pairs ever need them.
CREATE OR REPLACE TABLE sessions AS
WITH agg AS (
  SELECT sid, any_value(src) AS src, arg_min(iid, time) AS iid, bool_or(keyed) AS keyed, min(time) AS start, max(time) AS "end",
         count(*) AS events, arg_min(gid, time) FILTER (WHERE gid IS NOT NULL) AS first_gid,
         arg_min(uaid, time) FILTER (WHERE uaid IS NOT NULL) AS first_uaid,
         bool_or(is_login) AS login
  FROM ev GROUP BY sid
),
-- Addresses are listed here for IdP sessions only (the overlap rule needs them); the read side lists them for
-- the sessions of one chain, and chains get theirs in analyze.chains: lists for every session cost seconds.
places AS (
  SELECT v.sid, list_sort(list(g.ip) FILTER (WHERE g.ip IS NOT NULL))[1:50] AS ips,
         list_sort(list_distinct(list(g.country) FILTER (WHERE g.country IS NOT NULL))) AS countries
  FROM session_ips v SEMI JOIN srcs s ON s.code = v.src AND s.source IN ('okta', 'entra')
  JOIN ip_geo g ON g.id = v.gid
  GROUP BY v.sid
)
SELECT a.sid,
       coalesce(k.id, 's' || substr(md5(s.source || chr(31) || i.identity || chr(31) || CAST(epoch_us(a.start) AS VARCHAR)), 1, 16)) AS id,
       s.source, a.src, i.identity, a.iid, k.native_key AS session_key, a.start, a."end", a.events, a.first_gid, a.first_uaid,
       coalesce(p.ips, CAST([] AS VARCHAR[])) AS ips, coalesce(p.countries, CAST([] AS VARCHAR[])) AS countries,
       s.source IN ('okta', 'entra') AS idp,
       -- An AWS console sign-in has no key; the calls it leads to run on a temporary key of their own.
       s.source = 'aws' AND NOT a.keyed AND a.login AS console
FROM agg a
JOIN srcs s ON s.code = a.src
JOIN idents i ON i.iid = a.iid
LEFT JOIN skeys k ON k.sid = a.sid
LEFT JOIN places p ON p.sid = a.sid

-- name: analyze.identities
-- Explicit entries win, then name patterns, then the type the logs gave most often (on a tie, the person: a developer's
-- one push beside the one workflow run it started, which GitHub records with the Actions app's token), then "looks
-- like an email" → human.
CREATE OR REPLACE TABLE identities AS
WITH typed_events AS (SELECT iid, atype, count(*) AS n FROM ev WHERE atype > 0 GROUP BY iid, atype),
log_codes AS (SELECT iid, arg_max(atype, n * 4 - atype) AS log_code FROM typed_events GROUP BY iid),
stats AS (
  SELECT s.*, c.log_code
  FROM (SELECT iid, count(*) AS events, min(time) AS first, max(time) AS last FROM ev GROUP BY iid) s
  LEFT JOIN log_codes c ON c.iid = s.iid
),
sources AS (
  SELECT v.iid, list_sort(list(s.source)) AS sources
  FROM (SELECT DISTINCT iid, src FROM ev) v JOIN srcs s ON s.code = v.src GROUP BY v.iid
),
named AS (
  SELECT i.iid, arg_min(p.kind, p.pri) AS kind, arg_min(coalesce(p.exact, p.pattern), p.pri) AS pattern
  FROM idents i JOIN policy_identity p
    ON (p.exact IS NOT NULL AND lower(p.exact) = i.identity) OR (p.exact IS NULL AND p.kind IN ('agent', 'service') AND regexp_matches(i.identity, p.pattern, 'i'))
  GROUP BY i.iid
),
human AS (SELECT pattern FROM policy_identity WHERE kind = 'human' LIMIT 1),
typed AS (
  SELECT i.identity, s.*, src.sources, n.kind, n.pattern, ['human', 'service', 'agent'][s.log_code] AS log_type,
         regexp_matches(i.identity, (SELECT pattern FROM human), 'i') AS email_like
  FROM stats s JOIN idents i ON i.iid = s.iid JOIN sources src ON src.iid = s.iid LEFT JOIN named n ON n.iid = s.iid
)
-- '(unknown)' gathers the events whose every actor field was empty or a placeholder: it is no identity of any type.
SELECT identity,
       CASE WHEN identity = '(unknown)' THEN 'unknown' WHEN kind IS NOT NULL THEN kind WHEN log_type IS NOT NULL THEN log_type WHEN email_like THEN 'human' ELSE 'unknown' END AS type,
       CASE WHEN identity = '(unknown)' THEN 'no identity in the records'
            WHEN kind IS NOT NULL THEN 'classified by ' || CASE WHEN pattern = identity THEN 'explicit entry' ELSE 'name pattern /' || pattern || '/' END
            WHEN log_type IS NOT NULL THEN 'the logs say ' || log_type
            WHEN email_like THEN 'an email-like login'
            ELSE 'no signal' END AS reason,
       events, sources, first, last, iid
FROM typed

-- name: analyze.chains
CREATE OR REPLACE TABLE chain_base AS
WITH c AS (
  SELECT cs.chain_id AS id,
         any_value(s.id) FILTER (WHERE cs.parent IS NULL) AS root_session,
         any_value(s.identity) FILTER (WHERE cs.parent IS NULL) AS identity,
         list_sort(list_distinct(list(s.source))) AS apps,
         min(s.start) AS start, max(s."end") AS "end", sum(s.events) AS events, count(*) AS sessions
  FROM chain_sessions cs JOIN sessions s ON s.sid = cs.sid
  GROUP BY cs.chain_id
),
seen AS (SELECT DISTINCT cs.chain_id, v.gid FROM session_ips v JOIN chain_sessions cs ON cs.sid = v.sid),
places AS (
  SELECT x.chain_id, list_sort(list(DISTINCT g.ip) FILTER (WHERE g.ip IS NOT NULL))[1:50] AS ips,
         list_sort(list(DISTINCT g.country) FILTER (WHERE g.country IS NOT NULL)) AS countries
  FROM seen x JOIN ip_geo g ON g.id = x.gid
  GROUP BY x.chain_id
),
-- The identity an agent acted for, as its records name it (through the analyst's identity map): the chain's most
-- frequent one. Only the few events that name one are read.
acting AS (
  SELECT cs.chain_id, mode(coalesce(m.identity, e.acting_for)) AS acting_for
  FROM (SELECT rowid AS eid, acting_for FROM events WHERE acting_for IS NOT NULL) e
  JOIN ev v ON v.eid = e.eid JOIN chain_sessions cs ON cs.sid = v.sid
  LEFT JOIN identity_map m ON m.alias = e.acting_for
  GROUP BY cs.chain_id
)
SELECT c.id, c.root_session, c.identity, coalesce(i.type, 'unknown') AS identity_type, c.apps,
       coalesce(p.ips, CAST([] AS VARCHAR[])) AS ips, coalesce(p.countries, CAST([] AS VARCHAR[])) AS countries,
       c.start, c."end", c.events, c.sessions,
       CASE WHEN a.acting_for IS DISTINCT FROM c.identity THEN a.acting_for END AS acting_for
FROM c LEFT JOIN identities i ON i.identity = c.identity LEFT JOIN places p ON p.chain_id = c.id LEFT JOIN acting a ON a.chain_id = c.id

-- name: analyze.chain-scores
-- Risk 0-100, recommended response and reasons per chain with findings, from the response policy (the same
-- rules as core/detect/score.ts scoreChain, which stays the reference): each finding category counts once at its
-- worst severity plus a volume bonus; the sum is taken in the order the reasons list the parts, and Math.round
-- is spelled out (half up, also below zero), so scores and reasons come out identical.
CREATE OR REPLACE TABLE chain_scores AS
WITH inputs AS (
  SELECT f.chain_id, c.identity_type, f.kind, f.category, max(f.sev_rank) AS sev_rank, sum(f.count) AS count,
         -- The worst finding's title; among equally severe ones the same one every run.
         max({s: f.sev_rank, t: f.title}).t AS title, coalesce(bool_or(f.after_pivot), false) AS after_pivot,
         coalesce(bool_or(f.break_glass), false) AS rule_glass
  FROM findings f JOIN chain_base c ON c.id = f.chain_id
  GROUP BY f.chain_id, c.identity_type, f.kind, f.category
), parts AS (
  SELECT *,
         CASE sev_rank WHEN 1 THEN 'low' WHEN 2 THEN 'medium' WHEN 3 THEN 'high' WHEN 4 THEN 'critical' ELSE 'info' END AS sev,
         (CAST(CASE sev_rank WHEN 1 THEN $w_low WHEN 2 THEN $w_medium WHEN 3 THEN $w_high WHEN 4 THEN $w_critical ELSE $w_info END AS DOUBLE)
           + CASE WHEN count > 1 THEN least(CAST($volume_max AS DOUBLE), CAST($volume_per10x AS DOUBLE) * log10(CAST(count AS DOUBLE))) ELSE 0::DOUBLE END)
           * CASE WHEN after_pivot THEN CAST($after_pivot_factor AS DOUBLE) ELSE 1::DOUBLE END AS points
  FROM inputs
), rounded AS (
  SELECT *, CASE WHEN points >= 0 THEN (CASE WHEN points - floor(points) >= 0.5 THEN ceil(points) ELSE floor(points) END)
                 ELSE -(CASE WHEN -points - floor(-points) > 0.5 THEN ceil(-points) ELSE floor(-points) END) END AS points_round
  FROM parts
), chain AS (
  SELECT chain_id,
         CASE any_value(identity_type) WHEN 'human' THEN 'human' WHEN 'service' THEN 'service' WHEN 'agent' THEN 'agent' ELSE 'unknown' END AS type,
         list({p: points, r: category || ' (' || sev || ', +' || CAST(CAST(points_round AS BIGINT) AS VARCHAR) || CASE WHEN after_pivot THEN ', after the pivot' ELSE '' END || '): ' || coalesce(title, 'null')}
              ORDER BY points DESC, category, kind) AS ps,
         list(category) AS present,
         list(DISTINCT category ORDER BY category) FILTER (kind = 'action' AND (list_contains(CAST($break_glass AS VARCHAR[]), category) OR rule_glass) AND sev_rank >= $break_glass_min) AS glass,
         list(DISTINCT category ORDER BY category) FILTER (kind = 'anomaly' AND list_contains(CAST($context_anomalies AS VARCHAR[]), category)) AS context
  FROM rounded GROUP BY chain_id
), risked AS (
  SELECT *, list_reduce(list_transform(ps, x -> x.p), (a, b) -> a + b)
              * CAST(CASE type WHEN 'human' THEN $f_human WHEN 'service' THEN $f_service WHEN 'agent' THEN $f_agent ELSE $f_unknown END AS DOUBLE) AS raw
  FROM chain
), scored AS (
  SELECT *, CAST(greatest(0, least(100, CASE WHEN raw >= 0 THEN (CASE WHEN raw - floor(raw) >= 0.5 THEN ceil(raw) ELSE floor(raw) END)
                                               ELSE -(CASE WHEN -raw - floor(-raw) > 0.5 THEN ceil(-raw) ELSE floor(-raw) END) END)) AS INTEGER) AS risk
  FROM risked
), policy AS (
  SELECT from_json($thresholds, '[{"min":"DOUBLE","response":"VARCHAR"}]') AS thresholds,
         from_json($always, '[{"anomaly":"VARCHAR","response":"VARCHAR"}]') AS always,
         from_json($by_type, '[{"type":"VARCHAR","from":"VARCHAR","to":"VARCHAR"}]') AS by_type,
         ['none', 'monitor', 'step-up', 'revoke-tokens', 'terminate-session'] AS ranks
), responded AS (
  SELECT s.*, p.ranks, p.by_type,
         coalesce(list_filter(p.thresholds, t -> s.risk >= t.min)[1].response, 'none') AS by_risk,
         list_filter(p.always, a -> list_contains(s.present, a.anomaly)) AS forced,
         coalesce(len(s.glass), 0) > 0 AND coalesce(len(s.context), 0) > 0 AS glass_with_anomaly
  FROM scored s, policy p
), stronger AS (
  SELECT *,
         ranks[list_max([list_position(ranks, by_risk)]
                        || list_transform(forced, a -> list_position(ranks, a.response))
                        || CASE WHEN glass_with_anomaly THEN [list_position(ranks, $glass_response)] ELSE [] END)] AS response
  FROM responded
), mapped AS (
  SELECT *, list_filter(by_type, m -> m.type = stronger.type AND m."from" = stronger.response AND m."to" <> stronger.response)[1]."to" AS mapped_to
  FROM stronger
)
SELECT chain_id AS id, risk, coalesce(mapped_to, response) AS response,
       CASE WHEN glass_with_anomaly THEN ['break-glass ' || array_to_string(glass, ', ') || ' with context anomaly '
                                          || array_to_string(context, ', ') || ' → ' || $glass_response] ELSE [] END
       || list_reverse(list_transform(forced, a -> a.anomaly || ' always recommends ' || a.response))
       || list_transform(ps, x -> x.r)
       || CASE WHEN mapped_to IS NOT NULL THEN [response || ' does not apply to a ' || type || ' identity → ' || mapped_to] ELSE [] END AS reasons
FROM mapped

-- name: analyze.chains-final
CREATE OR REPLACE TABLE chains AS
SELECT b.* EXCLUDE (acting_for), coalesce(s.risk, 0) AS risk, coalesce(s.response, 'none') AS response,
       coalesce(s.reasons, CAST([] AS VARCHAR[])) AS reasons, b.acting_for,
       p.time AS pivot_time, p.eid AS pivot_eid, p.changes AS pivot_changes
FROM chain_base b LEFT JOIN chain_scores s ON s.id = b.id LEFT JOIN chain_pivots p ON p.chain_id = b.id

-- name: analyze.record-run
INSERT INTO analysis_runs (ran_at, ms, events, steps, policies, stored) VALUES (now(), $ms, (SELECT count(*) FROM ev), $steps::JSON, $policies::JSON, $stored)

-- name: analyze.drop-scratch
DROP TABLE IF EXISTS sso

-- name: analyze.drop-session-ips
DROP TABLE IF EXISTS temp.session_ips

-- name: sessions.settings
SELECT key, value FROM case_meta WHERE key IN ('sessionGapMinutes', 'ssoWindowMinutes')

-- name: analyze.memory-default
-- DuckDB's own limit again (the case never sets one): exact, where re-setting the printed value would round it.
RESET memory_limit

-- name: analyze.counts
SELECT (SELECT count(*) FROM ev) AS events, (SELECT count(*) FROM sessions) AS sessions,
       (SELECT count(*) FROM chains) AS chains, (SELECT count(*) FROM findings) AS findings

-- name: analyze.state
-- The stored events, and how many of them the last analysis started from (null: never analysed, or analysed
-- before runs counted them).
SELECT (SELECT count(*) FROM analysis_runs) AS runs, (SELECT count(*) FROM events) AS events,
       (SELECT stored FROM analysis_runs ORDER BY ran_at DESC LIMIT 1) AS analysed
