-- Findings: catalog matches (risky actions) and session-context anomalies. Each statement reads `ev`,
-- `sessions`, `identities` and `chain_sessions` as analyze.sql left them. Anomaly parameters
-- ($severity, $sev_rank, $title, $attack JSON array, $nhi) come from the risky-action catalog file.

-- name: detect.catalog
CREATE OR REPLACE TABLE findings AS
SELECT 'f' || substr(md5(v.session_id || ':' || p.category), 1, 16) AS id,
       cs.chain_id, v.session_id, CAST(NULL AS VARCHAR) AS related_session, any_value(v.identity) AS identity,
       'action' AS kind, p.category,
       arg_max(p.severity, p.sev_rank) AS severity, max(p.sev_rank) AS sev_rank,
       arg_max(p.title, p.sev_rank) || CASE WHEN count(*) > 1 THEN ' (' || count(*) || ' events)' ELSE '' END AS title,
       string_agg(DISTINCT v.source_type, ', ') AS detail,
       list_sort(list_distinct(flatten(list(DISTINCT p.attack)))) AS attack,
       arg_max(p.owasp_nhi, p.sev_rank) AS owasp_nhi,
       count(*) AS count, min(v.time) AS first, max(v.time) AS last,
       list(v.uid ORDER BY v.time)[1:50] AS event_ids
FROM ev v
JOIN policy_rules p ON p.rule_no = v.rule_no
JOIN chain_sessions cs ON cs.session_id = v.session_id
GROUP BY v.session_id, cs.chain_id, p.category

-- name: detect.catalog-events
CREATE OR REPLACE TABLE finding_events AS
SELECT 'f' || substr(md5(session_id || ':' || risk_category), 1, 16) AS finding_id, uid
FROM ev WHERE risk_category IS NOT NULL

-- name: detect.ip-change
-- One native session key seen from a network in another country or AS than where it started.
INSERT INTO findings
WITH per_ip AS (
  SELECT session_id, ip, any_value(country) AS country, any_value(asn) AS asn, any_value(identity) AS identity,
         min(time) AS first, max(time) AS last, arg_min(uid, time) AS first_uid, count(*) AS n
  FROM ev WHERE native_key IS NOT NULL AND ip IS NOT NULL
  GROUP BY session_id, ip
),
firsts AS (
  SELECT session_id, arg_min(ip, first) AS ip0, arg_min(country, first) AS c0, arg_min(asn, first) AS asn0,
         arg_min(first_uid, first) AS uid0
  FROM per_ip GROUP BY session_id HAVING count(*) > 1
),
changed AS (
  SELECT p.*, f.ip0, f.c0, f.uid0 FROM per_ip p JOIN firsts f USING (session_id)
  WHERE p.ip <> f.ip0
    AND ((p.asn IS NOT NULL AND f.asn0 IS NOT NULL AND p.asn <> f.asn0)
      OR (p.country IS NOT NULL AND f.c0 IS NOT NULL AND p.country <> f.c0))
)
SELECT 'f' || substr(md5(c.session_id || ':ip_change'), 1, 16), cs.chain_id, c.session_id, NULL, any_value(c.identity),
       'anomaly', 'ip_change', $severity, $sev_rank,
       $title || ': ' || any_value(c.c0) || ' ' || any_value(c.ip0) || ' → ' || string_agg(DISTINCT coalesce(c.country, '?') || ' ' || c.ip, ', '),
       'started from ' || any_value(c.ip0) || '; later from ' || string_agg(DISTINCT c.ip, ', ') || ' (' || sum(c.n) || ' events)',
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, sum(c.n), min(c.first), max(c.last),
       list_prepend(any_value(c.uid0), list(c.first_uid ORDER BY c.first))[1:50]
FROM changed c JOIN chain_sessions cs ON cs.session_id = c.session_id
GROUP BY c.session_id, cs.chain_id

-- name: detect.impossible-travel
-- Consecutive geolocated events of one identity, across apps, farther apart than a plane could fly.
-- Same-country hops and known VPN exits are tolerated.
INSERT INTO findings
WITH geo AS (
  SELECT identity, session_id, uid, time, ip, country, lat, lon, vpn FROM ev WHERE lat IS NOT NULL AND lon IS NOT NULL
),
pairs AS (
  SELECT *, lag(lat) OVER w AS plat, lag(lon) OVER w AS plon, lag(time) OVER w AS ptime, lag(country) OVER w AS pcountry,
         lag(ip) OVER w AS pip, lag(uid) OVER w AS puid, lag(session_id) OVER w AS psession, lag(vpn) OVER w AS pvpn
  FROM geo WINDOW w AS (PARTITION BY identity ORDER BY time, uid)
),
hops AS (
  SELECT *,
         2 * 6371 * asin(sqrt(pow(sin(radians(lat - plat) / 2), 2) + cos(radians(plat)) * cos(radians(lat)) * pow(sin(radians(lon - plon) / 2), 2))) AS km,
         greatest(epoch(time) - epoch(ptime), 60) / 3600.0 AS hours
  FROM pairs WHERE plat IS NOT NULL AND ip <> pip
),
hits AS (
  SELECT *, km / hours AS kmh FROM hops
  WHERE km >= $min_km AND km / hours > $speed
    AND NOT (country IS NOT NULL AND country IS NOT DISTINCT FROM pcountry) AND NOT vpn AND NOT coalesce(pvpn, false)
)
SELECT 'f' || substr(md5(h.session_id || ':impossible_travel'), 1, 16), cs.chain_id, h.session_id,
       arg_max(h.psession, h.kmh), any_value(h.identity), 'anomaly', 'impossible_travel', $severity, $sev_rank,
       $title || ': ' || arg_max(coalesce(h.pcountry, '?') || ' → ' || coalesce(h.country, '?') || ', ' || CAST(round(h.km) AS BIGINT) || ' km in '
         || CAST(round((epoch(h.time) - epoch(h.ptime)) / 60) AS BIGINT) || ' min', h.kmh),
       arg_max(h.pip || ' (' || coalesce(h.pcountry, '?') || ') at ' || strftime(h.ptime, '%Y-%m-%d %H:%M:%S') || ' then ' || h.ip || ' (' || coalesce(h.country, '?') || ') at '
         || strftime(h.time, '%Y-%m-%d %H:%M:%S') || ': ' || CAST(round(h.kmh) AS BIGINT) || ' km/h', h.kmh),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(h.ptime), max(h.time),
       list_distinct(flatten(list([h.puid, h.uid] ORDER BY h.time)))[1:50]
FROM hits h JOIN chain_sessions cs ON cs.session_id = h.session_id
GROUP BY h.session_id, cs.chain_id

-- name: detect.device-change
-- A new operating system or browser family inside one native session.
INSERT INTO findings
WITH uas AS (
  SELECT session_id, ua, min(time) AS first, arg_min(uid, time) AS uid, count(*) AS n, any_value(identity) AS identity
  FROM ev WHERE native_key IS NOT NULL AND ua IS NOT NULL GROUP BY session_id, ua
),
fam AS (
  SELECT *,
         CASE WHEN regexp_matches(ua, 'Windows') THEN 'Windows' WHEN regexp_matches(ua, 'iPhone|iPad') THEN 'iOS'
              WHEN regexp_matches(ua, 'Mac OS X|Macintosh') THEN 'macOS' WHEN regexp_matches(ua, 'Android') THEN 'Android'
              WHEN regexp_matches(ua, 'CrOS') THEN 'ChromeOS' WHEN regexp_matches(ua, 'Linux|X11') THEN 'Linux' END AS os,
         CASE WHEN regexp_matches(ua, 'Edg/|Edge/') THEN 'Edge' WHEN regexp_matches(ua, 'Firefox/') THEN 'Firefox'
              WHEN regexp_matches(ua, 'Chrome/|CriOS/') THEN 'Chrome' WHEN regexp_matches(ua, 'Safari/') THEN 'Safari' END AS browser
  FROM uas
),
per_family AS (
  SELECT session_id, os || ' ' || browser AS family, min(first) AS first, arg_min(uid, first) AS uid, sum(n) AS n, any_value(identity) AS identity
  FROM fam WHERE os IS NOT NULL AND browser IS NOT NULL GROUP BY session_id, os || ' ' || browser
),
firsts AS (SELECT session_id, arg_min(family, first) AS f0, arg_min(uid, first) AS uid0 FROM per_family GROUP BY session_id HAVING count(*) > 1),
changed AS (SELECT p.*, f.f0, f.uid0 FROM per_family p JOIN firsts f USING (session_id) WHERE p.family <> f.f0)
SELECT 'f' || substr(md5(c.session_id || ':device_change'), 1, 16), cs.chain_id, c.session_id, NULL, any_value(c.identity),
       'anomaly', 'device_change', $severity, $sev_rank,
       $title || ': ' || any_value(c.f0) || ' → ' || string_agg(DISTINCT c.family, ', '),
       'session started on ' || any_value(c.f0) || '; ' || sum(c.n) || ' events from ' || string_agg(DISTINCT c.family, ', '),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, sum(c.n), min(c.first), max(c.first),
       list_prepend(any_value(c.uid0), list(c.uid ORDER BY c.first))[1:50]
FROM changed c JOIN chain_sessions cs ON cs.session_id = c.session_id
GROUP BY c.session_id, cs.chain_id

-- name: detect.unusual-admin
-- The first admin action of an identity that had been active for a while without any.
INSERT INTO findings
WITH admin AS (
  SELECT identity, session_id, uid, time FROM ev
  WHERE risk_category IN ('privilege_change', 'admin_change', 'mfa_change') OR category = 'admin'
),
firsts AS (
  SELECT a.identity, min(a.time) AS t_admin, arg_min(a.session_id, a.time) AS session_id FROM admin a GROUP BY a.identity
),
fresh AS (
  SELECT f.*, i.first FROM firsts f JOIN identities i ON i.identity = f.identity
  WHERE epoch(f.t_admin) - epoch(i.first) >= $baseline_hours * 3600
),
hits AS (SELECT a.*, f.first AS seen_since FROM admin a JOIN fresh f ON f.session_id = a.session_id AND f.identity = a.identity)
SELECT 'f' || substr(md5(h.session_id || ':unusual_admin'), 1, 16), cs.chain_id, h.session_id, NULL, any_value(h.identity),
       'anomaly', 'unusual_admin', $severity, $sev_rank,
       $title || ' (' || count(*) || ' admin events)',
       'no admin action since the identity was first seen at ' || strftime(any_value(h.seen_since), '%Y-%m-%d %H:%M:%S') || ' UTC',
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(h.time), max(h.time),
       list(h.uid ORDER BY h.time)[1:50]
FROM hits h JOIN chain_sessions cs ON cs.session_id = h.session_id
GROUP BY h.session_id, cs.chain_id

-- name: detect.post-revocation
-- Events on a session after a revocation the case's response log recorded as done (or partly done).
-- Without session keys, the revocation covers the identity's sessions that had started before it.
INSERT INTO findings
WITH rev AS (
  SELECT r.id, coalesce(m.identity, lower(r.identity)) AS identity, r.executed_at, r.action,
         CASE json_type(r.session_keys) WHEN 'ARRAY' THEN json_extract_string(r.session_keys, '$[*]')
                                        WHEN 'OBJECT' THEN json_extract_string(r.session_keys, '$.*')
                                        ELSE CAST([] AS VARCHAR[]) END AS keys
  FROM response_actions r LEFT JOIN identity_map m ON m.alias = lower(r.identity)
  WHERE r.status IN ('done', 'partial') AND r.executed_at IS NOT NULL
    AND r.action IN ('revoke-tokens', 'terminate-session', 'suspend-identity')
),
hits AS (
  SELECT v.uid, v.session_id, v.time, v.identity, rev.id AS action_id, rev.action, rev.executed_at
  FROM ev v
  JOIN rev ON v.identity = rev.identity AND v.time > rev.executed_at
  JOIN sessions s ON s.id = v.session_id
  WHERE list_contains(rev.keys, v.native_key) OR list_contains(rev.keys, v.session_id)
     OR (len(rev.keys) = 0 AND s.start < rev.executed_at)
)
SELECT 'f' || substr(md5(h.session_id || ':post_revocation'), 1, 16), cs.chain_id, h.session_id, NULL, any_value(h.identity),
       'anomaly', 'post_revocation', $severity, $sev_rank,
       $title || ' (' || count(*) || ' events after ' || any_value(h.action) || ')',
       'response action ' || any_value(h.action_id) || ' executed at ' || strftime(min(h.executed_at), '%Y-%m-%d %H:%M:%S') || ' UTC',
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(h.time), max(h.time),
       list(h.uid ORDER BY h.time)[1:50]
FROM hits h JOIN chain_sessions cs ON cs.session_id = h.session_id
GROUP BY h.session_id, cs.chain_id

-- name: detect.mass-access-hot
-- Read bursts per identity and time window above max(type minimum, multiplier × the identity's own median window).
CREATE OR REPLACE TABLE mass_hot AS
WITH reads AS (
  SELECT identity, session_id, uid, time, time_bucket(to_minutes(CAST($window_min AS BIGINT)), time) AS bucket FROM ev WHERE is_read
),
b AS (SELECT identity, bucket, count(*) AS n, mode(session_id) AS session_id FROM reads GROUP BY identity, bucket),
base AS (SELECT identity, median(n) AS med FROM b GROUP BY identity),
thr AS (
  SELECT base.identity, base.med, i.type,
         greatest(CASE i.type WHEN 'agent' THEN $min_agent WHEN 'service' THEN $min_service WHEN 'human' THEN $min_human ELSE $min_unknown END,
                  $multiplier * base.med) AS threshold
  FROM base JOIN identities i ON i.identity = base.identity
)
SELECT b.*, t.med, t.type, t.threshold FROM b JOIN thr t ON t.identity = b.identity WHERE b.n > t.threshold

-- name: detect.mass-access
INSERT INTO findings
SELECT 'f' || substr(md5(h.session_id || ':mass_access'), 1, 16), cs.chain_id, h.session_id, NULL, any_value(h.identity),
       'anomaly', 'mass_access', $severity, $sev_rank,
       $title || ': ' || max(h.n) || ' reads in ' || CAST($window_min AS BIGINT) || ' min (' || any_value(h.type) || ' baseline ' || CAST(round(any_value(h.threshold)) AS BIGINT) || ')',
       sum(h.n) || ' reads in ' || count(*) || ' windows; the identity''s median window is ' || any_value(h.med) || ' reads',
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, sum(h.n), min(h.bucket), max(h.bucket) + to_minutes(CAST($window_min AS BIGINT)),
       CAST([] AS VARCHAR[])
FROM mass_hot h JOIN chain_sessions cs ON cs.session_id = h.session_id
GROUP BY h.session_id, cs.chain_id

-- name: detect.mass-access-events
INSERT INTO finding_events
SELECT 'f' || substr(md5(h.session_id || ':mass_access'), 1, 16), v.uid
FROM ev v JOIN mass_hot h ON h.identity = v.identity AND v.is_read
 AND v.time >= h.bucket AND v.time < h.bucket + to_minutes(CAST($window_min AS BIGINT))

-- name: detect.mass-access-ids
UPDATE findings SET event_ids = x.ids
FROM (SELECT fe.finding_id, list(fe.uid ORDER BY v.time)[1:50] AS ids
      FROM finding_events fe JOIN ev v ON v.uid = fe.uid
      WHERE fe.finding_id IN (SELECT id FROM findings WHERE category = 'mass_access')
      GROUP BY fe.finding_id) x
WHERE findings.id = x.finding_id

-- name: detect.interactive-login
-- A service account or agent signing in through a browser: a person is using a machine identity.
INSERT INTO findings
SELECT 'f' || substr(md5(v.session_id || ':interactive_login'), 1, 16), cs.chain_id, v.session_id, NULL, any_value(v.identity),
       'anomaly', 'interactive_login', $severity, $sev_rank,
       $title || ' (' || any_value(i.type) || ')',
       string_agg(DISTINCT v.source_type, ', ') || ' from ' || coalesce(any_value(v.ua), 'a browser'),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(v.time), max(v.time),
       list(v.uid ORDER BY v.time)[1:50]
FROM ev v JOIN identities i ON i.identity = v.identity
JOIN chain_sessions cs ON cs.session_id = v.session_id
WHERE i.type IN ('service', 'agent') AND v.category = 'authentication' AND v.outcome <> 'failure'
  AND (v.ua ILIKE 'Mozilla/%' OR v.source_type ILIKE '%ConsoleLogin')
GROUP BY v.session_id, cs.chain_id

-- name: detect.anomaly-events
INSERT INTO finding_events
SELECT id, unnest(event_ids) FROM findings WHERE kind = 'anomaly' AND category <> 'mass_access'
