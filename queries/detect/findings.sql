-- Findings: catalog matches (risky actions) and session-context anomalies, computed over the narrow `ev`
-- table and its dictionaries. Anomaly parameters ($severity, $sev_rank, $title, $attack JSON array, $nhi)
-- come from the risky-action catalog file. Every finding keeps up to 50 proving events (eids; read.sql names them by uid).

-- name: detect.catalog
-- One finding per session and category from the rules' per-event matches (rule_matches, several rules may
-- match one event). It is named after its worst rule and quotes the indicator values of the rules' `fields:`.
CREATE OR REPLACE TABLE findings_raw AS
WITH m AS (
  SELECT m.eid, m.category, max(m.sev_rank) AS sev_rank, arg_max(m.rule_no, m.sev_rank * 1000000 - m.rule_no) AS rule_no,
         string_agg(DISTINCT m.ind, ', ' ORDER BY m.ind) AS ind, list_distinct(flatten(list(p.attack))) AS attack
  FROM rule_matches m JOIN sigma_rules p ON p.rule_no = m.rule_no
  GROUP BY m.eid, m.category
),
r AS (SELECT m.*, v.sid, v.time, e.source_type FROM m JOIN ev v ON v.eid = m.eid JOIN events e ON e.rowid = m.eid),
g AS (
  SELECT sid, category, max(sev_rank) AS sev_rank, arg_max(rule_no, sev_rank * 1000000 - rule_no) AS rule_no,
         list_sort(list_distinct(list(ind) FILTER (WHERE ind IS NOT NULL))) AS inds,
         string_agg(DISTINCT source_type, ', ' ORDER BY source_type) AS types,
         list_sort(list_distinct(flatten(list(attack)))) AS attack,
         count(*) AS count, min(time) AS first, max(time) AS last, list(eid ORDER BY time)[1:50] AS eids
  FROM r GROUP BY sid, category
)
SELECT 'f' || substr(md5(s.id || ':' || g.category), 1, 16) AS id, CAST(NULL AS VARCHAR) AS chain_id, s.id AS session_id, g.sid,
       CAST(NULL AS VARCHAR) AS related_session, s.identity, 'action' AS kind, g.category,
       ['info', 'low', 'medium', 'high', 'critical'][g.sev_rank + 1] AS severity, g.sev_rank,
       CASE WHEN g.category = 'attempt' AND p.category <> 'attempt' THEN 'Attempted: ' ELSE '' END || p.title
         || CASE WHEN len(g.inds) > 0 THEN ' → ' || array_to_string(g.inds[1:3], '; ') || CASE WHEN len(g.inds) > 3 THEN ' (+' || (len(g.inds) - 3) || ' more)' ELSE '' END ELSE '' END
         || CASE WHEN g.count > 1 THEN ' (' || g.count || ' events)' ELSE '' END AS title,
       'Sigma rule "' || p.title || '" (' || p.id || '): ' || coalesce(g.types, 'events') || CASE WHEN len(g.inds) > 0 THEN '; ' || array_to_string(g.inds[1:20], '; ') ELSE '' END AS detail,
       g.attack, p.owasp_nhi, g.count, g.first, g.last, g.eids, CAST([] AS VARCHAR[]) AS event_ids
FROM g JOIN sessions s ON s.sid = g.sid JOIN sigma_rules p ON p.rule_no = g.rule_no

-- name: detect.catalog-events
CREATE OR REPLACE TABLE finding_events AS
SELECT DISTINCT f.id AS finding_id, m.eid
FROM rule_matches m JOIN ev v ON v.eid = m.eid JOIN findings_raw f ON f.sid = v.sid AND f.category = m.category

-- name: detect.catalog-rules
-- The rules behind each catalog finding: the one it is named after first, then the others that matched.
CREATE OR REPLACE TABLE finding_rules AS
SELECT f.id AS finding_id, arg_max(m.rule_no, m.sev_rank * 1000000 - m.rule_no) AS rule_no, list(DISTINCT m.rule_no ORDER BY m.rule_no) AS rules
FROM rule_matches m JOIN ev v ON v.eid = m.eid JOIN findings_raw f ON f.sid = v.sid AND f.category = m.category
GROUP BY f.id

-- name: detect.ip-change
-- One native session key seen from a network in another country or AS than where it started.
INSERT INTO findings_raw
WITH per_net AS (
  -- Grouped by network (country, AS), not by address: a new address in the same network is not a change.
  SELECT v.sid, g.country, g.asn, arg_min(g.ip, v.time) AS ip, min(v.time) AS first, max(v.time) AS last,
         arg_min(v.eid, v.time) AS first_eid, count(*) AS n
  FROM ev v JOIN ip_geo g ON g.id = v.gid
  WHERE v.keyed AND g.ip IS NOT NULL AND (g.country IS NOT NULL OR g.asn IS NOT NULL)
  GROUP BY v.sid, g.country, g.asn
),
firsts AS (
  SELECT sid, arg_min(ip, first) AS ip0, arg_min(country, first) AS c0, arg_min(asn, first) AS asn0, arg_min(first_eid, first) AS eid0
  FROM per_net GROUP BY sid HAVING count(*) > 1
),
changed AS (
  SELECT p.*, f.ip0, f.c0, f.eid0 FROM per_net p JOIN firsts f USING (sid)
  WHERE p.ip <> f.ip0
    AND ((p.asn IS NOT NULL AND f.asn0 IS NOT NULL AND p.asn <> f.asn0)
      OR (p.country IS NOT NULL AND f.c0 IS NOT NULL AND p.country <> f.c0))
)
SELECT 'f' || substr(md5(s.id || ':ip_change'), 1, 16), NULL, s.id, c.sid, NULL, s.identity,
       'anomaly', 'ip_change', $severity, $sev_rank,
       $title || ': ' || any_value(c.c0) || ' ' || any_value(c.ip0) || ' → ' || string_agg(DISTINCT coalesce(c.country, '?') || ' ' || c.ip, ', ' ORDER BY coalesce(c.country, '?') || ' ' || c.ip),
       'started from ' || any_value(c.ip0) || '; later from ' || string_agg(DISTINCT c.ip, ', ' ORDER BY c.ip) || ' (' || sum(c.n) || ' events)',
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, sum(c.n), min(c.first), max(c.last),
       list_prepend(any_value(c.eid0), list(c.first_eid ORDER BY c.first))[1:50], CAST([] AS VARCHAR[])
FROM changed c JOIN sessions s ON s.sid = c.sid
GROUP BY c.sid, s.id, s.identity

-- name: detect.travel-hops
-- Consecutive geolocated events of one identity, across apps, farther apart than a plane could fly.
-- Same-country hops and known VPN exits are tolerated. Needs only ev and ip_geo, so it runs while sessions
-- are being stitched; a temporary table of the connection that then writes the findings.
CREATE OR REPLACE TEMP TABLE travel_hops AS
WITH located AS (
  -- Addresses at the same place (to ~1 km) share a location id: only moves between places are measured.
  SELECT id, dense_rank() OVER (ORDER BY round(lat, 2), round(lon, 2)) AS loc FROM ip_geo WHERE lat IS NOT NULL AND lon IS NOT NULL
),
pairs AS (
  SELECT v.iid, v.sid, v.eid, v.time, v.gid, l.loc, lag(l.loc) OVER w AS ploc, lag(v.gid) OVER w AS pgid, lag(v.time) OVER w AS ptime,
         lag(v.eid) OVER w AS peid, lag(v.sid) OVER w AS psid
  FROM ev v JOIN located l ON l.id = v.gid
  WINDOW w AS (PARTITION BY v.iid ORDER BY v.time, v.eid)
),
hops AS (
  -- Numbers only per hop; the addresses as text are joined back for the one hop each finding quotes.
  SELECT p.sid, p.psid, p.eid, p.peid, p.time, p.ptime, p.gid, p.pgid, g.country, q.country AS pcountry, g.vpn, q.vpn AS pvpn,
         2 * 6371 * asin(sqrt(pow(sin(radians(g.lat - q.lat) / 2), 2) + cos(radians(q.lat)) * cos(radians(g.lat)) * pow(sin(radians(g.lon - q.lon) / 2), 2))) AS km,
         greatest(epoch(p.time) - epoch(p.ptime), 60) / 3600.0 AS hours
  FROM pairs p JOIN ip_geo g ON g.id = p.gid JOIN ip_geo q ON q.id = p.pgid
  WHERE p.ploc IS NOT NULL AND p.ploc <> p.loc
),
hits AS (
  SELECT *, km / hours AS kmh FROM hops
  WHERE km >= $min_km AND km / hours > $speed
    AND NOT (country IS NOT NULL AND country IS NOT DISTINCT FROM pcountry) AND NOT vpn AND NOT coalesce(pvpn, false)
),
-- The fastest hop of each session (the latest of equally fast ones), and the events of its first hops in time
-- order: a plain list sorted per session afterwards, as an ORDER BY inside the aggregate sorts every hop at once.
agg AS (
  SELECT sid,
         arg_max({psid: psid, pcountry: pcountry, country: country, km: km, ptime: ptime, time: time, pgid: pgid, gid: gid, kmh: kmh},
                 {kmh: kmh, time: time, eid: eid}) AS top,
         count(*) AS n, min(ptime) AS first, max(time) AS last,
         list_distinct(flatten(list_transform(list_sort(list({t: time, e: eid, p: peid})), x -> [x.p, x.e])))[1:50] AS eids
  FROM hits GROUP BY sid
)
SELECT a.sid, a.top.psid AS rel_sid,
       coalesce(a.top.pcountry, '?') || ' → ' || coalesce(a.top.country, '?') || ', ' || CAST(round(a.top.km) AS BIGINT) || ' km in '
         || CAST(round((epoch(a.top.time) - epoch(a.top.ptime)) / 60) AS BIGINT) || ' min' AS hop,
       q.ip || ' (' || coalesce(a.top.pcountry, '?') || ') at ' || strftime(a.top.ptime, '%Y-%m-%d %H:%M:%S') || ' then ' || g.ip || ' (' || coalesce(a.top.country, '?') || ') at '
         || strftime(a.top.time, '%Y-%m-%d %H:%M:%S') || ': ' || CAST(round(a.top.kmh) AS BIGINT) || ' km/h' AS detail,
       a.n, a.first, a.last, a.eids
FROM agg a JOIN ip_geo g ON g.id = a.top.gid JOIN ip_geo q ON q.id = a.top.pgid

-- name: detect.impossible-travel
INSERT INTO findings_raw
SELECT 'f' || substr(md5(s.id || ':impossible_travel'), 1, 16), NULL, s.id, a.sid, p.id, s.identity,
       'anomaly', 'impossible_travel', $severity, $sev_rank, $title || ': ' || a.hop, a.detail,
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, a.n, a.first, a.last, a.eids, CAST([] AS VARCHAR[])
FROM travel_hops a JOIN sessions s ON s.sid = a.sid LEFT JOIN sessions p ON p.sid = a.rel_sid

-- name: detect.drop-travel-hops
DROP TABLE IF EXISTS temp.travel_hops

-- name: detect.device-change
-- A new operating system or browser family inside one native session.
INSERT INTO findings_raw
WITH per_family AS (
  SELECT v.sid, u.family, min(v.time) AS first, arg_min(v.eid, v.time) AS eid, count(*) AS n
  FROM ev v JOIN uas u ON u.uaid = v.uaid
  WHERE v.keyed AND u.family IS NOT NULL
  GROUP BY v.sid, u.family
),
firsts AS (SELECT sid, arg_min(family, first) AS f0, arg_min(eid, first) AS eid0 FROM per_family GROUP BY sid HAVING count(*) > 1),
changed AS (SELECT p.*, f.f0, f.eid0 FROM per_family p JOIN firsts f USING (sid) WHERE p.family <> f.f0)
SELECT 'f' || substr(md5(s.id || ':device_change'), 1, 16), NULL, s.id, c.sid, NULL, s.identity,
       'anomaly', 'device_change', $severity, $sev_rank,
       $title || ': ' || any_value(c.f0) || ' → ' || string_agg(DISTINCT c.family, ', ' ORDER BY c.family),
       'session started on ' || any_value(c.f0) || '; ' || sum(c.n) || ' events from ' || string_agg(DISTINCT c.family, ', ' ORDER BY c.family),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, sum(c.n), min(c.first), max(c.first),
       list_prepend(any_value(c.eid0), list(c.eid ORDER BY c.first))[1:50], CAST([] AS VARCHAR[])
FROM changed c JOIN sessions s ON s.sid = c.sid
GROUP BY c.sid, s.id, s.identity

-- name: detect.unusual-admin
-- The first admin action of an identity that had been active for a while without any.
INSERT INTO findings_raw
WITH admin AS (
  SELECT v.iid, v.sid, v.eid, v.time FROM ev v
  LEFT JOIN event_rules p ON p.eid = v.eid
  WHERE p.category IN ('privilege_change', 'admin_change', 'mfa_change') OR v.cat = (SELECT code FROM cats WHERE category = 'admin')
),
firsts AS (SELECT iid, min(time) AS t_admin, arg_min(sid, time) AS sid FROM admin GROUP BY iid),
fresh AS (
  SELECT f.*, i.first FROM firsts f JOIN identities i ON i.iid = f.iid
  WHERE epoch(f.t_admin) - epoch(i.first) >= $baseline_hours * 3600
),
hits AS (SELECT a.*, f.first AS seen_since FROM admin a JOIN fresh f ON f.sid = a.sid AND f.iid = a.iid)
SELECT 'f' || substr(md5(s.id || ':unusual_admin'), 1, 16), NULL, s.id, h.sid, NULL, s.identity,
       'anomaly', 'unusual_admin', $severity, $sev_rank,
       $title || ' (' || count(*) || ' admin events)',
       'no admin action since the identity was first seen at ' || strftime(any_value(h.seen_since), '%Y-%m-%d %H:%M:%S') || ' UTC',
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(h.time), max(h.time),
       list(h.eid ORDER BY h.time)[1:50], CAST([] AS VARCHAR[])
FROM hits h JOIN sessions s ON s.sid = h.sid
GROUP BY h.sid, s.id, s.identity

-- name: detect.post-revocation
-- Events on a session after a revocation the case's response log recorded as done (or partly done).
-- Without session keys, the revocation covers the identity's sessions that had started before it.
INSERT INTO findings_raw
WITH rev AS (
  SELECT r.id, coalesce(m.identity, lower(r.identity)) AS identity, r.executed_at, r.action,
         CASE json_type(r.session_keys) WHEN 'ARRAY' THEN json_extract_string(r.session_keys, '$[*]')
                                        WHEN 'OBJECT' THEN json_extract_string(r.session_keys, '$.*')
                                        ELSE CAST([] AS VARCHAR[]) END AS keys
  FROM response_actions r LEFT JOIN identity_map m ON m.alias = lower(r.identity)
  WHERE r.status IN ('done', 'partial') AND r.executed_at IS NOT NULL
    AND r.action IN ('revoke-tokens', 'terminate-session', 'suspend-identity')
),
cut AS (
  SELECT s.sid, rev.id AS action_id, rev.action, rev.executed_at
  FROM sessions s JOIN rev ON s.identity = rev.identity
  WHERE list_contains(rev.keys, s.session_key) OR list_contains(rev.keys, s.id) OR (len(rev.keys) = 0 AND s.start < rev.executed_at)
),
hits AS (SELECT v.eid, v.sid, v.time, c.action_id, c.action, c.executed_at FROM ev v JOIN cut c ON c.sid = v.sid AND v.time > c.executed_at)
SELECT 'f' || substr(md5(s.id || ':post_revocation'), 1, 16), NULL, s.id, h.sid, NULL, s.identity,
       'anomaly', 'post_revocation', $severity, $sev_rank,
       $title || ' (' || count(*) || ' events after ' || any_value(h.action) || ')',
       'response action ' || any_value(h.action_id) || ' executed at ' || strftime(min(h.executed_at), '%Y-%m-%d %H:%M:%S') || ' UTC',
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(h.time), max(h.time),
       list(h.eid ORDER BY h.time)[1:50], CAST([] AS VARCHAR[])
FROM hits h JOIN sessions s ON s.sid = h.sid
GROUP BY h.sid, s.id, s.identity

-- name: detect.mass-access-hot
-- Read bursts per identity and time window above max(type minimum, multiplier × the identity's own median window).
CREATE OR REPLACE TABLE mass_hot AS
WITH b AS (
  SELECT iid, CAST(floor(epoch(time) / ($window_min * 60)) AS BIGINT) AS bucket, count(*) AS n FROM ev WHERE is_read GROUP BY ALL
),
base AS (SELECT iid, median(n) AS med FROM b GROUP BY iid),
thr AS (
  SELECT base.iid, base.med, i.type,
         greatest(CASE i.type WHEN 'agent' THEN $min_agent WHEN 'service' THEN $min_service WHEN 'human' THEN $min_human ELSE $min_unknown END,
                  $multiplier * base.med) AS threshold
  FROM base JOIN identities i ON i.iid = base.iid
),
hot AS (SELECT b.*, t.med, t.type, t.threshold FROM b JOIN thr t ON t.iid = b.iid WHERE b.n > t.threshold),
-- The session that did most of a hot window's reads carries the finding.
owner AS (
  SELECT h.iid, h.bucket, mode(v.sid) AS sid
  FROM ev v JOIN hot h ON h.iid = v.iid AND h.bucket = CAST(floor(epoch(v.time) / ($window_min * 60)) AS BIGINT)
  WHERE v.is_read GROUP BY h.iid, h.bucket
)
SELECT h.*, o.sid FROM hot h JOIN owner o ON o.iid = h.iid AND o.bucket = h.bucket

-- name: detect.mass-access
INSERT INTO findings_raw
SELECT 'f' || substr(md5(s.id || ':mass_access'), 1, 16), NULL, s.id, h.sid, NULL, s.identity,
       'anomaly', 'mass_access', $severity, $sev_rank,
       $title || ': ' || max(h.n) || ' reads in ' || CAST($window_min AS BIGINT) || ' min (' || any_value(h.type) || ' baseline ' || CAST(round(any_value(h.threshold)) AS BIGINT) || ')',
       sum(h.n) || ' reads in ' || count(*) || ' windows; the identity''s median window is ' || any_value(h.med) || ' reads',
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, sum(h.n), to_timestamp(min(h.bucket) * $window_min * 60), to_timestamp((max(h.bucket) + 1) * $window_min * 60),
       CAST([] AS BIGINT[]), CAST([] AS VARCHAR[])
FROM mass_hot h JOIN sessions s ON s.sid = h.sid
GROUP BY h.sid, s.id, s.identity

-- name: detect.mass-access-events
INSERT INTO finding_events
SELECT f.id, v.eid
FROM ev v
JOIN mass_hot h ON h.iid = v.iid AND h.bucket = CAST(floor(epoch(v.time) / ($window_min * 60)) AS BIGINT)
JOIN findings_raw f ON f.sid = h.sid AND f.category = 'mass_access'
WHERE v.is_read

-- name: detect.mass-access-ids
UPDATE findings_raw SET eids = x.eids
FROM (SELECT fe.finding_id, list(fe.eid ORDER BY v.time)[1:50] AS eids
      FROM finding_events fe JOIN ev v ON v.eid = fe.eid
      WHERE fe.finding_id IN (SELECT id FROM findings_raw WHERE category = 'mass_access')
      GROUP BY fe.finding_id) x
WHERE findings_raw.id = x.finding_id

-- name: detect.interactive-login
-- A service account or agent signing in through a browser or console: a person is using a machine identity.
INSERT INTO findings_raw
SELECT 'f' || substr(md5(s.id || ':interactive_login'), 1, 16), NULL, s.id, v.sid, NULL, s.identity,
       'anomaly', 'interactive_login', $severity, $sev_rank,
       $title || ' (' || any_value(i.type) || ')',
       string_agg(DISTINCT e.source_type, ', ' ORDER BY e.source_type) || ' from ' || coalesce(any_value(e.user_agent), 'a browser'),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(v.time), max(v.time),
       list(v.eid ORDER BY v.time)[1:50], CAST([] AS VARCHAR[])
FROM ev v JOIN identities i ON i.iid = v.iid
JOIN sessions s ON s.sid = v.sid
JOIN events e ON e.rowid = v.eid
WHERE v.is_login AND i.type IN ('service', 'agent')
GROUP BY v.sid, s.id, s.identity

-- name: detect.anomaly-events
INSERT INTO finding_events
SELECT id, unnest(eids) FROM findings_raw WHERE kind = 'anomaly' AND category <> 'mass_access'

-- name: detect.event-ids
-- findings is written once, here. Each keeps the row ids of its proving events (eids, in order); their uids, as
-- the UI and the CLI name them, are looked up when a finding is read (queries/sessions/read.sql): resolving all
-- of them here cost seconds on big cases for ids nobody may read.
-- The detectors run while links are still being built: each finding gets its chain here.
CREATE OR REPLACE TABLE findings AS
SELECT f.* EXCLUDE (event_ids) REPLACE (cs.chain_id AS chain_id)
FROM findings_raw f JOIN chain_sessions cs ON cs.sid = f.sid

-- name: detect.finding-types
-- Which event types each finding category fired on, per source (coverage checks and diagnostics).
SELECT DISTINCT f.category, f.kind, e.source, e.source_type
FROM finding_events fe JOIN findings f ON f.id = fe.finding_id JOIN events e ON e.rowid = fe.eid
ORDER BY e.source, f.category, e.source_type
