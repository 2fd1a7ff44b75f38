-- Findings: catalog matches (risky actions) and session-context anomalies, computed over the narrow `ev`
-- table and its dictionaries. Anomaly parameters ($severity, $sev_rank, $title, $attack JSON array, $nhi)
-- come from the risky-action catalog file. Every finding keeps up to 50 proving events (eids; read.sql names them by uid).

-- name: detect.macro-same-network
-- Where an identity's event came from is a network it knows when one of its other sessions had used it before: the
-- same address, the same AS, or (where either record names no AS) the same country. Read by detect.routine-familiar,
-- detect.new-network and detect.unusual-admin, on the detectors' connection.
CREATE OR REPLACE TEMP MACRO same_network(a_ip, a_asn, a_country, b_ip, b_asn, b_country) AS
  a_ip = b_ip OR a_asn = b_asn OR ((a_asn IS NULL OR b_asn IS NULL) AND a_country = b_country);

-- name: detect.macro-address-block
-- The block an address belongs to for telling an organisation's own egress apart: an IPv4 address's /24, any other
-- address itself.
CREATE OR REPLACE TEMP MACRO address_block(ip) AS coalesce(regexp_extract(ip, '^(\d+\.\d+\.\d+)\.\d+$', 1), ip);

-- name: detect.macro-severity-name
-- A severity's name from its rank (0 info … 4 critical), as policies.ts ranks them.
CREATE OR REPLACE TEMP MACRO severity_name(rank) AS ['info', 'low', 'medium', 'high', 'critical'][rank + 1];

-- name: detect.macro-tried-rank
-- A sign-in finding's severity rank: the anomaly's own when a try succeeded, one lower when every try failed.
CREATE OR REPLACE TEMP MACRO tried_rank(any_ok, rank) AS CASE WHEN any_ok THEN rank ELSE greatest(rank - 1, 0) END;

-- name: detect.macro-tried-severity
-- The same severity by name (after detect.macro-severity-name).
CREATE OR REPLACE TEMP MACRO tried_severity(any_ok, severity, rank) AS CASE WHEN any_ok THEN severity ELSE severity_name(tried_rank(false, rank)) END;

-- name: detect.macro-tried-title
-- A sign-in finding's title: the anomaly's own when a try succeeded, "Failed sign-in …" when every try failed.
CREATE OR REPLACE TEMP MACRO tried_title(any_ok, title) AS CASE WHEN any_ok THEN title ELSE 'Failed ' || lower(title[1]) || title[2:] END;

-- name: detect.macro-refused
-- Why a finding's tries failed, as their records say it: after its title (two reasons, then how many more) and in its
-- detail (five), for an attempt (detect.catalog) and for a sign-in finding whose every try failed
-- (detect.failed-sign-in-refusals). Empty (title) or NULL (detail) without a reason.
CREATE OR REPLACE TEMP MACRO refused_title(reasons) AS
  CASE WHEN len(reasons) > 0 THEN ' — refused: ' || array_to_string(reasons[1:2], '; ') || CASE WHEN len(reasons) > 2 THEN ' (+' || (len(reasons) - 2) || ' more)' ELSE '' END ELSE '' END;
CREATE OR REPLACE TEMP MACRO refused_detail(reasons) AS CASE WHEN len(reasons) > 0 THEN 'refused: ' || array_to_string(reasons[1:5], '; ') END;

-- name: detect.macro-network-name
-- A network as a title names it: country, address and the AS's name ("NL 203.0.113.66 (hosting relay bv)").
CREATE OR REPLACE TEMP MACRO network_name(country, ip, as_org) AS coalesce(country || ' ', '') || ip || coalesce(' (' || as_org || ')', '');

-- name: detect.macro-operation
-- An event's operation as its log names it, without the workload or service before the colon (StopLogging,
-- MailItemsAccessed, org.disable_two_factor_requirement): what an analyst searches the raw log for.
CREATE OR REPLACE TEMP MACRO operation(source_type) AS regexp_extract(source_type, '([^:]+)$', 1);

-- name: detect.macro-api-operation
-- What an event did as a finding's title names it: a Google API call by its method (a token activity's method_name:
-- gmail.users.messages.get, drive.files.list), else its operation. After detect.macro-gws-param and
-- detect.macro-operation.
CREATE OR REPLACE TEMP MACRO api_operation(source, source_type, raw) AS
  coalesce(CASE WHEN source = 'google_workspace' THEN nullif(gws_param(raw, 'method_name'), '') END, operation(source_type), '(no type)');
-- The same as a companion finding lists a session's events: marked " (failed)" where the record says it failed.
CREATE OR REPLACE TEMP MACRO api_operation_tried(source, source_type, raw, outcome) AS
  api_operation(source, source_type, raw) || CASE WHEN outcome = 'failure' THEN ' (failed)' ELSE '' END;

-- name: detect.macro-glaring-rule
-- A rule whose match makes an AI agent's act glaring: high or critical, neither routine nor an attempt (a forwarding
-- rule, a user put in a group). Read by detect.routine-familiar, which keeps the agent's routine matches beside such an
-- act, and detect.agent-around-action, which names the agent's other records beside it.
CREATE OR REPLACE TEMP MACRO glaring_rule(routine, sev_rank, category) AS NOT routine AND sev_rank >= 3 AND category <> 'attempt';

-- name: detect.macro-says-refusals
-- The anomaly findings whose refused records say why after the title (detect.failed-sign-in-records and -refusals): a
-- sign-in finding whose every try failed ("Failed …", what tried_title writes) and the activity from a reported address.
CREATE OR REPLACE TEMP MACRO says_refusals(kind, title, category) AS
  kind = 'anomaly' AND (starts_with(title, 'Failed ') OR category = 'reported_network_activity');

-- name: detect.macro-apps-named
-- The apps a sign-in finding's tries went to, as its title names them after the networks (" to Slack, Okta"): three,
-- sorted; empty when the records name none.
CREATE OR REPLACE TEMP MACRO apps_named(apps) AS
  coalesce(' to ' || nullif(array_to_string(list_sort(list_distinct(list_filter(apps, x -> x IS NOT NULL)))[1:3], ', '), ''), '');
-- The app a sign-in reached: an identity provider's single sign-on names the app it handed the user to as its target
-- (Okta's user.authentication.sso and sign-on policy records: an AppInstance), not the provider itself.
CREATE OR REPLACE TEMP MACRO app_reached(target_type, target_name, app) AS
  CASE WHEN target_type = 'AppInstance' AND target_name IS NOT NULL THEN target_name ELSE app END;

-- name: detect.macro-targets-named
-- The first three things a finding's events were done to, in the order given, each once ("bucket, key, mailbox"):
-- NULL when none is named. list_distinct would sort them; each is kept where it first appears instead, among the first
-- thousand (the search is quadratic).
CREATE OR REPLACE TEMP MACRO targets_named(targets) AS
  nullif(array_to_string(list_filter(targets[1:1000], (x, i) -> x IS NOT NULL AND list_position(targets, x) = i)[1:3], ', '), '');

-- name: detect.macro-operations-named
-- What a session's events did, as a companion finding's title lists it (`ops`: the session's list of {'op', 'time'}):
-- each operation once, with how many when more than one ("GetObject ×12"), in the order each first happened, then by
-- name. Read by the statements that name what a reported address, a consented app, a made credential or a rented
-- network was used for.
CREATE OR REPLACE TEMP MACRO operations_named(ops) AS
  array_to_string(list_transform(list_sort(list_transform(list_distinct(list_transform(ops, x -> x.op)),
    o -> list_transform([list_filter(ops, x -> x.op = o)],
                        m -> {'first': list_min(list_transform(m, x -> x.time)), 'kind': o || CASE WHEN len(m) > 1 THEN ' ×' || len(m) ELSE '' END})[1])),
    k -> k.kind), ', ');

-- name: detect.macro-gws-param
-- A Google Workspace record's event parameter's value, read from the record text ("name": "method_name", "value": …).
CREATE OR REPLACE TEMP MACRO gws_param(raw, name) AS regexp_extract(raw, '"name":\s*"' || name || '"\s*,\s*"value":\s*"([^"]+)"', 1);

-- name: detect.macro-network-detail
-- A network as a finding's detail names it: address, city, country and AS.
CREATE OR REPLACE TEMP MACRO network_detail(ip, city, country, asn, as_org) AS
  concat_ws(', ', ip, city, country) || coalesce(', AS' || asn || coalesce(' ' || as_org, ''), '');

-- name: detect.macro-from-networks
-- Where a finding's events came from, each network once, aggregated over the finding's rows: after its title
-- (" — from NL 203.0.113.9 (hosting bv), …") and in its detail ("; from 203.0.113.9, Amsterdam, NL, AS64511 …").
-- Empty when no event names an address. After detect.macro-network-name and detect.macro-network-detail.
CREATE OR REPLACE TEMP MACRO from_networks(country, ip, as_org) AS
  coalesce(' — from ' || nullif(string_agg(DISTINCT network_name(country, ip, as_org), ', ' ORDER BY network_name(country, ip, as_org)), ''), '');
CREATE OR REPLACE TEMP MACRO from_network_details(ip, city, country, asn, as_org) AS
  coalesce('; from ' || nullif(string_agg(DISTINCT network_detail(ip, city, country, asn, as_org), '; '), ''), '');

-- name: detect.verdict-events
-- The records a vendor's own verdict speaks against (an `afterlogin.verdict` rule matched them: an anonymizing proxy,
-- a sign-in rated high risk, a replayed token, Slack's session anomaly, a pentest distribution), with the identity,
-- the address and the verdict's title. A view: each statement that reads it sees the matches as they then stand (the
-- egress before the routine filter, the flagged-network detector after it). Read by detect.egress,
-- detect.routine-familiar, detect.new-network, detect.at-least and detect.flagged-network.
CREATE OR REPLACE TEMP VIEW verdict_events AS
SELECT m.eid, v.iid, v.gid, r.title
FROM rule_matches m JOIN sigma_rules r ON r.rule_no = m.rule_no JOIN ev v ON v.eid = m.eid
WHERE r.verdict

-- name: detect.rented-addresses
-- The addresses on a network anyone can rent by the hour (policy_rented_asns, from policies/vpn-asns.json: a commercial
-- VPN, the hosts VPN exits run on, server hosting), with why the network is listed, and whether a record from the
-- address says its vendor found no anonymizing proxy there (Okta's securityContext.isProxy false, events.net_proxy): the
-- record's own word on that address wins over the list's on its network. Read by detect.routine-familiar and
-- detect.rented-network.
CREATE OR REPLACE TEMP TABLE rented AS
WITH listed AS (SELECT g.id AS gid, any_value(p.kind) AS kind FROM ip_geo g JOIN policy_rented_asns p ON p.asn = g.asn GROUP BY g.id)
SELECT l.gid, l.kind,
       EXISTS (SELECT 1 FROM ev v JOIN events e ON e.rowid = v.eid WHERE v.gid = l.gid AND e.net_proxy = false) AS cleared
FROM listed l

-- name: detect.egress
-- Who signed in successfully and interactively from which address block: the organisation's own egress is a block
-- that $colleagues other people signed in from (read by the routine filter and the new-network, flagged-network and
-- scripted-sign-in detectors through the colleagues macro; the attacker's own sign-ins minutes before and a password
-- spray make no block the organisation's), nor does one whose sign-ins there a vendor's verdict spoke against (an
-- `afterlogin.verdict` rule matched one of its records at that address: the intruder signing in to one account after
-- another from the proxy Okta flagged). One row per block with the identities that signed in from it; grouped on the
-- integer ids first, then looked up.
CREATE OR REPLACE TEMP TABLE egress AS
SELECT address_block(n.ip) AS block, list(DISTINCT v.iid) AS iids
FROM (SELECT DISTINCT iid, gid FROM ev WHERE is_login AND gid IS NOT NULL) v JOIN ip_geo n ON n.id = v.gid
ANTI JOIN verdict_events j ON j.iid = v.iid AND j.gid = v.gid
WHERE n.ip IS NOT NULL
GROUP BY address_block(n.ip)

-- name: detect.macro-colleagues
-- How many people other than `iid` signed in from an egress block (its `iids`; none for a block nobody signed in from).
CREATE OR REPLACE TEMP MACRO colleagues(iids, iid) AS coalesce(len(iids) - CASE WHEN list_contains(iids, iid) THEN 1 ELSE 0 END, 0);

-- name: detect.withdrawn
-- A refusal that takes back what the case shows given (`afterlogin.withdraws`: an app restricted after it was
-- installed, an OAuth app's access denied after it was approved) is the owner's remediation, not a refused attempt:
-- its match is dropped when an earlier record of the same source matched one of the rules it names (by id, before
-- any filter) and gives the same value at one of its fields (the app's id or name). A refusal with no grant
-- before it, or one naming another app, stays. Only the few matches of such rules and of the rules they name are read.
DELETE FROM rule_matches WHERE (eid, rule_no) IN (
  WITH refusals AS (
    SELECT m.eid, m.rule_no, r.withdraws_rules AS rules, unnest(r.withdraws_fields) AS field
    FROM rule_matches m JOIN sigma_rules r ON r.rule_no = m.rule_no
    WHERE len(r.withdraws_rules) > 0
  ),
  keyed AS (
    SELECT f.eid, f.rule_no, f.rules, f.field, e.source, e.time, json_extract_string(e.raw, '$.' || f.field) AS val
    FROM refusals f JOIN events e ON e.rowid = f.eid
  ),
  grants AS (
    SELECT g.eid, r.id AS rule_id, e.source, e.time, e.raw
    FROM rule_matches g JOIN sigma_rules r ON r.rule_no = g.rule_no JOIN events e ON e.rowid = g.eid
    WHERE r.id IN (SELECT unnest(rules) FROM refusals)
  )
  SELECT DISTINCT k.eid, k.rule_no
  FROM keyed k JOIN grants g ON g.source = k.source AND g.eid <> k.eid AND g.time <= k.time
  WHERE k.val IS NOT NULL AND k.val <> '' AND list_contains(k.rules, g.rule_id)
    AND json_extract_string(g.raw, '$.' || k.field) = k.val
)

-- name: detect.narrowed
-- A change that only narrows who an object lets past (`afterlogin.narrows`: entries taken off a Conditional Access
-- policy's exclusions, the responder removing the backdoor account an intruder excluded) is not reported. The record
-- gives the object before and after (each modified property's old and new values are JSON objects: Entra's
-- modifiedProperties, the unified audit log's ModifiedProperties); once the rule's lists and ignored fields are taken
-- out of both (narrows_patch), the two must read the same, each list afterwards must hold nothing it did not hold
-- before, and one must have lost an entry. A record with any other property, one not an object, one that adds an
-- entry, or one that shows no change, keeps its match. Only the few matches of such rules are read.
DELETE FROM rule_matches WHERE (eid, rule_no) IN (
  WITH changed AS (
    SELECT m.eid, m.rule_no, r.narrows_lists AS lists, r.narrows_patch AS patch,
           unnest(list_concat(
             coalesce(json_extract(e.raw, '$.targetResources[*].modifiedProperties[*]'), []),
             coalesce(json_extract(e.raw, '$.properties.targetResources[*].modifiedProperties[*]'), []),
             coalesce(json_extract(e.raw, '$.ModifiedProperties[*]'), []))) AS prop
    FROM rule_matches m JOIN sigma_rules r ON r.rule_no = m.rule_no JOIN events e ON e.rowid = m.eid
    WHERE r.narrows_patch IS NOT NULL
  ),
  objects AS (
    SELECT eid, rule_no, lists, patch, old, new,
           CASE WHEN json_valid(old) AND json_valid(new) THEN json_type(old) = 'OBJECT' AND json_type(new) = 'OBJECT' ELSE false END AS objects
    FROM (
      SELECT eid, rule_no, lists, patch,
             coalesce(prop ->> 'oldValue', prop ->> 'OldValue') AS old, coalesce(prop ->> 'newValue', prop ->> 'NewValue') AS new
      FROM changed
    )
  ),
  -- Each object's rest (the lists and ignored fields taken out) compared once, and each list read once before and after.
  judged AS (
    SELECT eid, rule_no, objects,
           CASE WHEN objects THEN json_merge_patch(new, patch)::VARCHAR = json_merge_patch(old, patch)::VARCHAR END AS rest_same,
           CASE WHEN objects THEN list_transform(lists, p -> {'before': coalesce(CAST(json_extract(old, p) AS VARCHAR[]), []),
                                                              'after': coalesce(CAST(json_extract(new, p) AS VARCHAR[]), [])}) END AS pairs
    FROM objects
  )
  SELECT eid, rule_no FROM judged
  GROUP BY eid, rule_no
  HAVING bool_and(objects AND rest_same AND list_bool_and(list_transform(pairs, x -> list_has_all(x.before, x.after))))
    -- Something was taken off: an update that changed nothing the record shows is not this.
    AND bool_or(objects AND list_bool_or(list_transform(pairs, x -> NOT list_has_all(x.after, x.before))))
)

-- name: detect.routine-familiar
-- A routine rule's match (`afterlogin.routine`: a help desk's password or factor reset, a key rotation, access to a
-- shared mailbox) is not reported when its event came from a network the identity knows: one another session of the
-- identity had used $familiar_hours before (same_network), or an address block from which at least $colleagues other
-- people signed in (the organisation's own egress, known from the first day of a case). What every user does every day
-- (a routine `attempt` rule: a mistyped code, an app tile the user does not have; a routine `data_export` rule:
-- downloads; a rule marked `routine: everyday`: a user's own password changed; not one marked `routine: strict`:
-- another person's mailbox read) is also known from the network of the identity's first successful interactive sign-in
-- in the case: the person, not someone with their password. Admin actions are not: a case may start with the attacker's
-- sign-in. An address a vendor's verdict flagged, for the identity or anyone, or a rented one
-- (detect.rented-addresses), is never its own, neither first nor through an earlier session (the organisation's egress
-- stays known through the colleagues who sign in from it). A network the identity had signed in from by then with a
-- record that vouches for it (events.vouches: its address block) is its own at once, and what every user does every day
-- is known on a record that itself vouches for them. An AI agent's reads run from its vendor's network, which says
-- nothing: they are judged by volume (mass access). A record without an address (Entra audit records in the unified
-- audit log, Salesforce's setup audit trail) is placed by the addresses of the identity's other records $near_minutes
-- either side of it, in any source, and is familiar only when all of them are. The event keeps its rule (event_rules);
-- only the finding goes. From a new network, or with no address in reach, the match stays. So does an AI agent's
-- routine match within $agent_minutes of a high or critical rule that is not routine matching in the same session of
-- the agent (a forwarding rule, a user put in a group): what a hijacked agent did beside its one glaring act, the mail
-- and files it read, the user and key it made, is that act's company, and no network of an agent's tells it apart.
-- A handoff rule's match (`afterlogin.handoff`: a device code approved) stays when the same session is used from
-- another network within $handoff_minutes after it: the person approved the code at their desk, and the tokens went to
-- a machine elsewhere, the device-code phish.
DELETE FROM rule_matches WHERE (eid, rule_no) IN (
  WITH nets AS (SELECT id, ip, asn, country, address_block(ip) AS block FROM ip_geo WHERE ip IS NOT NULL),
  glaring AS (
    SELECT v.sid, v.time
    FROM rule_matches m JOIN sigma_rules r ON r.rule_no = m.rule_no JOIN ev v ON v.eid = m.eid
    WHERE v.atype = 3 AND glaring_rule(r.routine, r.sev_rank, r.category)
  ),
  -- A handoff rule's match whose session goes on from another network within $handoff_minutes: the code approved here,
  -- the tokens used there.
  handed AS (
    SELECT DISTINCT m.eid, m.rule_no
    FROM rule_matches m JOIN sigma_rules r ON r.rule_no = m.rule_no JOIN ev v ON v.eid = m.eid JOIN nets a ON a.id = v.gid
    JOIN ev w ON w.sid = v.sid AND w.time > v.time AND epoch(w.time) - epoch(v.time) <= $handoff_minutes * 60
    JOIN nets b ON b.id = w.gid
    WHERE r.handoff AND NOT same_network(a.ip, a.asn, a.country, b.ip, b.asn, b.country)
  ),
  routine AS (
    SELECT m.eid, m.rule_no, coalesce(r.everyday, r.category IN ('attempt', 'data_export')) AS everyday,
           r.category = 'data_export' AND v.atype = 3 AS agent_read, v.iid, v.sid, v.time, v.gid
    FROM rule_matches m JOIN sigma_rules r ON r.rule_no = m.rule_no JOIN ev v ON v.eid = m.eid
    WHERE r.routine
      AND NOT (v.atype = 3 AND EXISTS (SELECT 1 FROM glaring g WHERE g.sid = v.sid AND abs(epoch(g.time) - epoch(v.time)) <= $agent_minutes * 60))
      AND (m.eid, m.rule_no) NOT IN (SELECT eid, rule_no FROM handed)
  ),
  placed AS (
    SELECT r.eid, r.rule_no, r.everyday, r.iid, r.sid, r.time, n.ip, n.asn, n.country, n.block
    FROM routine r JOIN nets n ON n.id = r.gid
    UNION
    SELECT r.eid, r.rule_no, r.everyday, r.iid, r.sid, r.time, n.ip, n.asn, n.country, n.block
    FROM routine r LEFT JOIN nets own ON own.id = r.gid JOIN ev w ON w.iid = r.iid JOIN nets n ON n.id = w.gid
    WHERE own.id IS NULL AND abs(epoch(w.time) - epoch(r.time)) <= $near_minutes * 60
  ),
  -- Addresses a vendor's own verdict speaks against (an `afterlogin.verdict` rule matched a record there: an
  -- anonymizing proxy, a sign-in rated high risk, a replayed token, Slack's session anomaly, a pentest distribution),
  -- for this identity or another one (the intruder who took one account signs in to the next from the same
  -- address), and rented addresses (a server rented by the hour, a VPN exit no record cleared: detect.rented-addresses):
  -- never the identity's own network, however early or long ago it was used.
  suspect AS (SELECT DISTINCT gid FROM verdict_events WHERE gid IS NOT NULL UNION SELECT gid FROM rented WHERE kind = 'hosting' OR NOT cleared),
  -- Each session's networks once, with when the session first used them.
  history AS (
    SELECT w.iid, w.sid, min(w.time) AS first, n.ip, n.asn, n.country
    FROM ev w JOIN nets n ON n.id = w.gid
    WHERE w.iid IN (SELECT iid FROM routine) AND w.gid NOT IN (SELECT gid FROM suspect)
    GROUP BY w.iid, w.sid, n.ip, n.asn, n.country
  ),
  -- The first sign-in's address with its own AS and country (one arg_min of each would skip a NULL and take the AS and
  -- country of a later sign-in, perhaps the attacker's). A first sign-in whose record names no address (a GitHub SSO
  -- response) leaves the person without one: the next sign-in with an address may be the attacker's.
  first_sign_in AS (
    SELECT f.iid, n.ip, n.asn, n.country
    FROM (
      SELECT v.iid, arg_min(coalesce(v.gid, -1), v.time) AS gid
      FROM ev v
      WHERE v.is_login AND v.iid IN (SELECT iid FROM routine WHERE everyday) AND coalesce(v.gid NOT IN (SELECT gid FROM suspect), true)
      GROUP BY v.iid
    ) f JOIN nets n ON n.id = f.gid
  ),
  judged AS (
    SELECT p.eid, p.rule_no, p.iid, p.block, p.time,
           EXISTS (
             SELECT 1 FROM history h
             WHERE h.iid = p.iid AND h.sid <> p.sid AND epoch(h.first) <= epoch(p.time) - $familiar_hours * 3600
               AND same_network(h.ip, h.asn, h.country, p.ip, p.asn, p.country)
           )
           OR colleagues(b.iids, p.iid) >= $colleagues
           OR coalesce(p.everyday AND same_network(f.ip, f.asn, f.country, p.ip, p.asn, p.country), false) AS known
    FROM placed p
    LEFT JOIN egress b ON b.block = p.block
    LEFT JOIN first_sign_in f ON f.iid = p.iid
  ),
  -- The address blocks still unknown that the identity had signed in from, by then, on a record that vouches for the
  -- hands behind it (events.vouches, set by the import: a phishing-resistant factor, a joined device, a device the
  -- vendor already knew for the user), from no address a verdict flagged.
  pending AS MATERIALIZED (SELECT DISTINCT iid, block FROM judged WHERE NOT known),
  vouching AS MATERIALIZED (SELECT rowid AS eid, outcome = 'success' AS ok FROM events WHERE vouches),
  vouched AS (
    SELECT v.iid, n.block, min(v.time) AS first
    FROM ev v JOIN vouching o ON o.eid = v.eid JOIN nets n ON n.id = v.gid JOIN pending q ON q.iid = v.iid AND q.block = n.block
    WHERE o.ok AND v.cat = (SELECT code FROM cats WHERE category = 'authentication') AND v.gid NOT IN (SELECT gid FROM suspect)
    GROUP BY v.iid, n.block
  ),
  -- What every user does every day, still unknown, on a record that itself vouches for the hands behind it (the device
  -- Okta's behaviour detection already knew, the user's own security key), from no address a verdict flagged: the
  -- owner locking herself out on her own phone.
  own AS (
    SELECT r.eid, r.rule_no
    FROM routine r JOIN vouching o ON o.eid = r.eid
    WHERE r.everyday AND NOT coalesce(r.gid IN (SELECT gid FROM suspect), false)
  ),
  settled AS (
    SELECT j.eid, j.rule_no,
           j.known OR EXISTS (SELECT 1 FROM vouched u WHERE u.iid = j.iid AND u.block = j.block AND u.first <= j.time) AS known
    FROM judged j
  )
  SELECT eid, rule_no FROM settled GROUP BY eid, rule_no HAVING bool_and(known)
  UNION
  SELECT eid, rule_no FROM routine WHERE agent_read
  UNION
  SELECT eid, rule_no FROM own
)

-- name: detect.allow-list-own
-- A change that lets networks in (`afterlogin.allowList`: an allow list, a trusted zone or named location) is not
-- reported when every network it adds lies in the organisation's own egress: an IPv4 CIDR of /24 or narrower (its
-- slash escaped or not), or an `a.b.c.d to e.f.g.h` / `a.b.c.d-e.f.g.h` range within one /24, whose block
-- $colleagues people other than the one who made the change signed in from (detect.egress, which leaves out sign-ins a
-- vendor's verdict spoke against). The office ranges put back after an incident, a new branch's block: maintenance.
-- What a change adds: where the record gives the values before and after (an Entra or unified audit log record's
-- modified properties), the networks after that were not there before, all of them when the change makes the list
-- trusted; elsewhere every network the record names. A change that only takes networks off a list that still names
-- some (the intruder's range removed from the trusted location) lets nothing in and is not reported either. A record
-- that names no network afterwards (a list cleared, switched off), or adds one wider than a /24 or outside the egress
-- (the intruder's own VPN range, a /32 of their server), keeps its match.
DELETE FROM rule_matches WHERE (eid, rule_no) IN (
  WITH listed AS (
    SELECT m.eid, m.rule_no, v.iid, e.raw,
           nullif(array_to_string(list_concat(
             coalesce(json_extract_string(e.raw, '$.targetResources[*].modifiedProperties[*].newValue'), []),
             coalesce(json_extract_string(e.raw, '$.properties.targetResources[*].modifiedProperties[*].newValue'), []),
             coalesce(json_extract_string(e.raw, '$.ModifiedProperties[*].NewValue'), [])), ' '), '') AS after,
           array_to_string(list_concat(
             coalesce(json_extract_string(e.raw, '$.targetResources[*].modifiedProperties[*].oldValue'), []),
             coalesce(json_extract_string(e.raw, '$.properties.targetResources[*].modifiedProperties[*].oldValue'), []),
             coalesce(json_extract_string(e.raw, '$.ModifiedProperties[*].OldValue'), [])), ' ') AS before
    FROM rule_matches m JOIN sigma_rules r ON r.rule_no = m.rule_no JOIN ev v ON v.eid = m.eid JOIN events e ON e.rowid = v.eid
    WHERE r.allow_list
  ),
  -- The text read for what the list holds afterwards, and for what it held before (none where the record does not say).
  texts AS (
    SELECT eid, rule_no, iid, coalesce(after, raw) AS text,
           CASE WHEN after IS NOT NULL AND NOT (regexp_matches(after, '"isTrusted"\s*:\s*true') AND NOT regexp_matches(coalesce(before, ''), '"isTrusted"\s*:\s*true'))
                THEN coalesce(before, '') END AS prior
    FROM listed
  ),
  nets AS (
    SELECT eid, rule_no, iid, prior, net, lo, lo AS hi, wide
    FROM (
      SELECT eid, rule_no, iid, prior, net, rtrim(split_part(net, '/', 1), '\') AS lo, CAST(split_part(net, '/', 2) AS INTEGER) < 24 AS wide
      FROM (SELECT eid, rule_no, iid, prior, unnest(regexp_extract_all(text, '\b\d{1,3}(?:\.\d{1,3}){3}\\?/\d{1,2}\b')) AS net FROM texts)
    )
    UNION ALL
    SELECT eid, rule_no, iid, prior, net, regexp_extract(net, '^(\d+\.\d+\.\d+\.\d+)', 1), regexp_extract(net, '(\d+\.\d+\.\d+\.\d+)$', 1), false
    FROM (SELECT eid, rule_no, iid, prior, unnest(regexp_extract_all(text, '\b\d{1,3}(?:\.\d{1,3}){3}\s*(?:-|\sto\s)\s*\d{1,3}(?:\.\d{1,3}){3}\b')) AS net FROM texts)
  ),
  judged AS (
    SELECT n.eid, n.rule_no, coalesce(regexp_matches(n.prior, '(^|[^0-9.])' || regexp_escape(n.net) || '($|[^0-9])'), false) AS kept,
           NOT n.wide AND address_block(n.lo) = address_block(n.hi) AND colleagues(b.iids, n.iid) >= $colleagues AS own
    FROM nets n LEFT JOIN egress b ON b.block = address_block(n.lo)
  )
  SELECT eid, rule_no FROM judged GROUP BY eid, rule_no HAVING bool_and(kept OR own)
)

-- name: detect.at-least
-- A rule that needs several matches in one session (`afterlogin.atLeast`, after the routine filter: downloads from a
-- network the user does not work from) keeps none of them in a session with fewer events that it, tried or done, or
-- another rule of its category matched (a repository cloned and another downloaded as an archive are two; so are an
-- object read and another refused), but for those from an address a vendor's verdict spoke against (an anonymizing
-- proxy, a sign-in rated high risk, for anyone): one download from the Tor exit the intruder signed in from is enough.
DELETE FROM rule_matches WHERE (eid, rule_no) IN (
  WITH counted_rules AS (SELECT rule_no, at_least, category FROM sigma_rules WHERE at_least > 1),
  placed AS (SELECT DISTINCT v.sid, v.gid, m.eid, m.rule_no, m.category FROM rule_matches m JOIN ev v ON v.eid = m.eid),
  -- Each counted rule's events in each session: its own matches and those of its category, once each (a session's
  -- thousand downloads are counted, not paired).
  taken AS (
    SELECT p.sid, r.rule_no, p.eid FROM placed p JOIN counted_rules r ON r.rule_no = p.rule_no
    UNION
    SELECT p.sid, r.rule_no, p.eid FROM placed p JOIN counted_rules r ON r.category = p.category
  ),
  counts AS (SELECT sid, rule_no, count(*) AS n FROM taken GROUP BY sid, rule_no)
  SELECT p.eid, p.rule_no
  FROM placed p JOIN counted_rules r ON r.rule_no = p.rule_no JOIN counts c ON c.sid = p.sid AND c.rule_no = p.rule_no
  WHERE c.n < r.at_least AND NOT coalesce(p.gid IN (SELECT gid FROM verdict_events WHERE gid IS NOT NULL), false)
)

-- name: detect.catalog-picks
-- Which rule each matched event is reported under in each category: its worst (several rules may match one event),
-- with the indicators of all of them, the event's session, time and address, and the finding that rule makes in the
-- session.
CREATE OR REPLACE TEMP TABLE catalog_picks AS
WITH m AS (
  SELECT m.eid, m.category, max(m.sev_rank) AS sev_rank, arg_max(m.rule_no, m.sev_rank * 1000000 - m.rule_no) AS rule_no,
         -- Each value once, in the order the rules quote them: two rules quoting the same user or address of an
         -- event (or one rule quoting it from two fields) name it once.
         list_transform([string_split(string_agg(DISTINCT m.ind, ', ' ORDER BY m.ind), ', ')],
                        lambda xs: array_to_string(list_filter(xs, lambda x, i: list_position(xs, x) = i), ', '))[1] AS ind,
         list_distinct(flatten(list(p.attack))) AS attack,
         max(m.refusal) AS refusal
  FROM rule_matches m JOIN sigma_rules p ON p.rule_no = m.rule_no
  GROUP BY m.eid, m.category
)
-- Why it was refused is said once: not again when a rule already quotes it.
SELECT m.* REPLACE (CASE WHEN contains(coalesce(m.ind, ''), m.refusal) THEN NULL ELSE m.refusal END AS refusal),
       v.sid, v.time, v.gid, 'f' || substr(md5(s.id || ':' || m.category || ':' || coalesce(p.id, p.path, p.title)), 1, 16) AS finding_id
FROM m JOIN ev v ON v.eid = m.eid JOIN sessions s ON s.sid = v.sid JOIN sigma_rules p ON p.rule_no = m.rule_no

-- name: detect.catalog
-- One finding per session, category and rule from the rules' per-event matches (catalog_picks): each of a hijacked
-- admin session's changes is named by its own rule, with the operations as the log names them, the indicator values
-- of the rules' `fields:` and the addresses the events came from, each where the title does not already name it.
CREATE OR REPLACE TABLE findings_raw AS
-- An app, service or agent that acted is named with the finding (and the person it acted for): the session's identity
-- says who, but an analyst reading the finding alone must see that a machine did it.
WITH r AS (
  SELECT m.*, e.source_type, a.ip,
         CASE WHEN e.actor_type IN ('service', 'agent') THEN coalesce(e.actor_name, e.actor_id) || coalesce(' for ' || e.acting_for, '') END AS machine
  FROM catalog_picks m JOIN events e ON e.rowid = m.eid LEFT JOIN ip_geo a ON a.id = m.gid
),
grouped AS (
  SELECT finding_id, any_value(sid) AS sid, any_value(category) AS category, max(sev_rank) AS sev_rank,
         arg_max(rule_no, sev_rank * 1000000 - rule_no) AS rule_no,
         list_sort(list_distinct(list(ind) FILTER (WHERE ind IS NOT NULL))) AS inds,
         string_agg(DISTINCT source_type, ', ' ORDER BY source_type) AS types,
         -- The operations as the log names them (StopLogging, org.disable_two_factor_requirement, AnonymousLinkCreated):
         -- what an analyst searches the raw log for.
         list_sort(list_distinct(list(operation(source_type)) FILTER (WHERE source_type IS NOT NULL))) AS ops,
         list_sort(list_distinct(list(machine) FILTER (WHERE machine IS NOT NULL))) AS machines,
         list_sort(list_distinct(list(refusal) FILTER (WHERE refusal IS NOT NULL))) AS refusals,
         list_sort(list_distinct(flatten(list(attack)))) AS attack,
         list_sort(list_distinct(list(ip) FILTER (WHERE ip IS NOT NULL))) AS ips,
         count(*) AS count, min(time) AS first, max(time) AS last, list(eid ORDER BY time)[1:50] AS eids
  FROM r GROUP BY finding_id
),
-- The addresses not already quoted among the indicators, sorted (the same finding reads the same every time), the
-- operations neither the rule's title nor the indicators already name, and the machines the indicators do not name.
g AS (
  SELECT g.* REPLACE (list_filter(g.ips, x -> NOT contains(array_to_string(g.inds, ' '), x)) AS ips,
                      list_filter(g.ops, x -> NOT contains(lower(p.title || ' ' || array_to_string(g.inds, ' ')), lower(x))) AS ops,
                      list_filter(g.machines, x -> NOT contains(lower(array_to_string(g.inds, ' ')), lower(split_part(x, ' for ', 1)))) AS machines)
  FROM grouped g JOIN sigma_rules p ON p.rule_no = g.rule_no
)
SELECT g.finding_id AS id, CAST(NULL AS VARCHAR) AS chain_id, s.id AS session_id, g.sid,
       CAST(NULL AS VARCHAR) AS related_session, s.identity, 'action' AS kind, g.category,
       severity_name(g.sev_rank) AS severity, g.sev_rank,
       CASE WHEN g.category = 'attempt' AND p.category <> 'attempt' THEN 'Attempted: ' ELSE '' END || p.title
         || CASE WHEN len(g.ops) > 0 THEN ' (' || array_to_string(g.ops[1:2], ', ') || CASE WHEN len(g.ops) > 2 THEN ', +' || (len(g.ops) - 2) || ' more' ELSE '' END || ')' ELSE '' END
         || CASE WHEN len(g.inds) > 0 THEN ' → ' || array_to_string(g.inds[1:3], '; ') || CASE WHEN len(g.inds) > 3 THEN ' (+' || (len(g.inds) - 3) || ' more)' ELSE '' END ELSE '' END
         || CASE WHEN len(g.machines) > 0 THEN ' by ' || array_to_string(g.machines[1:2], ', ') || CASE WHEN len(g.machines) > 2 THEN ' (+' || (len(g.machines) - 2) || ' more)' ELSE '' END ELSE '' END
         || CASE WHEN len(g.ips) > 0 THEN ' — from ' || array_to_string(g.ips[1:2], ', ') || CASE WHEN len(g.ips) > 2 THEN ' (+' || (len(g.ips) - 2) || ' more)' ELSE '' END ELSE '' END
         || refused_title(g.refusals)
         || CASE WHEN g.count > 1 THEN ' (' || g.count || ' events)' ELSE '' END AS title,
       'Sigma rule "' || p.title || '" (' || p.id || '): ' || coalesce(g.types, 'events') || CASE WHEN len(g.inds) > 0 THEN '; ' || array_to_string(g.inds[1:20], '; ') ELSE '' END
         || CASE WHEN len(g.ips) > 0 THEN '; from ' || array_to_string(g.ips[1:10], ', ') ELSE '' END
         || coalesce('; ' || refused_detail(g.refusals), '')
         || CASE WHEN len(g.machines) > 0 THEN '; by ' || array_to_string(g.machines[1:5], ', ') || CASE WHEN len(g.machines) > 5 THEN ' (+' || (len(g.machines) - 5) || ' more)' ELSE '' END ELSE '' END AS detail,
       g.attack, p.owasp_nhi, g.count, g.first, g.last, g.eids, CAST([] AS VARCHAR[]) AS event_ids
FROM g JOIN sessions s ON s.sid = g.sid JOIN sigma_rules p ON p.rule_no = g.rule_no

-- name: detect.catalog-events
CREATE OR REPLACE TABLE finding_events AS
SELECT DISTINCT finding_id, eid FROM catalog_picks

-- name: detect.catalog-rules
-- The rules behind each catalog finding: the one it is named after first, then the others that matched its events
-- in its category.
CREATE OR REPLACE TABLE finding_rules AS
SELECT c.finding_id, arg_max(c.rule_no, c.sev_rank * 1000000 - c.rule_no) AS rule_no, list(DISTINCT m.rule_no ORDER BY m.rule_no) AS rules
FROM catalog_picks c JOIN rule_matches m ON m.eid = c.eid AND m.category = c.category
GROUP BY c.finding_id

-- name: detect.named-events
-- The events a finding names so far: what the statements that name the rest (consent companions, the activity from a
-- reported address, the change before a takeover) leave alone. A view: each reads findings_raw as it then stands. A
-- travel hop's event is not among them: the hop tells where the event was, not what it did, and a hop whose other
-- event lies in another chain is dropped once chains exist (detect.event-ids), which would leave the event unnamed.
CREATE OR REPLACE TEMP VIEW named_events AS SELECT DISTINCT unnest(eids) AS eid FROM findings_raw WHERE category <> 'impossible_travel'

-- name: detect.reported-sign-ins
-- The successful sign-ins (a service's events) the sign-in findings report (new_network, flagged_network,
-- scripted_sign_in), not their failed tries nor a push that only went out: where and when the identity was reported
-- signing in. A view over findings_raw as it then stands; read by detect.reported-network-activity and
-- detect.recovery-before-takeover.
CREATE OR REPLACE TEMP VIEW reported_sign_ins AS
SELECT v.iid, v.gid, v.sid, v.time
FROM (SELECT unnest(eids) AS eid FROM findings_raw WHERE category IN ('new_network', 'flagged_network', 'scripted_sign_in')) f
JOIN ev v ON v.eid = f.eid JOIN events e ON e.rowid = f.eid
JOIN sigs c ON c.h = hash(e.source, e.source_type, e.category, e.outcome, e.actor_type)
WHERE e.outcome <> 'failure' AND NOT c.challenge

-- name: detect.consents
-- The consents the consent findings (`oauth_grant`) report that took effect, each with the app its record names (the
-- target: a name, or only an id as the unified audit log's copy gives it). A view over findings_raw as it then stands;
-- read by detect.consent-companions and detect.consented-app-activity.
CREATE OR REPLACE TEMP VIEW consents AS
SELECT f.id, f.eid, v.iid, v.cat, v.time, e.target_name, e.target_id
FROM (SELECT id, unnest(eids) AS eid FROM findings_raw WHERE category = 'oauth_grant') f
JOIN ev v ON v.eid = f.eid JOIN events e ON e.rowid = f.eid
WHERE e.outcome <> 'failure'

-- name: detect.consent-companions
-- A person's consent to an application (an `oauth_grant` finding) also names that person's sign-ins to the app in the
-- same minutes (ten either side) that no finding names: the sign-in the consent prompt came with, the app's first
-- token, the consent as the sign-in log records it; and the record of those minutes of the app itself (its target)
-- that a routine rule matched and a familiar network silenced: the service principal the consent added to the
-- tenant, routine for an admin at the office, is the consent's doing. Not the app's other records: what no rule or a
-- standing one judges is for those rules. The title says which.
UPDATE findings_raw SET eids = list_concat(findings_raw.eids, x.more)[1:50], count = findings_raw.count + len(x.more),
       first = least(findings_raw.first, x.first), last = greatest(findings_raw.last, x.last),
       title = findings_raw.title || ' — with the app''s ' || x.what
FROM (
  WITH granted AS (SELECT id, iid, time, lower(target_name) AS app FROM consents WHERE target_name IS NOT NULL),
  companions AS (
    SELECT DISTINCT g.id, w.eid, w.time, operation(c.source_type) AS op
    FROM granted g JOIN ev w ON w.iid = g.iid AND abs(epoch(w.time) - epoch(g.time)) <= 600
    JOIN events c ON c.rowid = w.eid
    WHERE c.outcome <> 'failure' AND w.eid NOT IN (SELECT eid FROM named_events)
      AND ((w.cat = (SELECT code FROM cats WHERE category = 'authentication') AND lower(c.app) = g.app)
           OR (lower(c.target_name) = g.app AND w.eid IN (SELECT er.eid FROM event_rules er JOIN sigma_rules r ON r.rule_no = er.rule_no WHERE r.routine)))
  )
  SELECT id, list(eid ORDER BY time) AS more, min(time) AS first, max(time) AS last,
         string_agg(DISTINCT op, ', ' ORDER BY op) AS what
  FROM companions GROUP BY id
) x
WHERE findings_raw.id = x.id

-- name: detect.companion-events
-- The events a statement added to a rule's finding (consent companions, the workflow runs a push set off) joined to it:
-- a rule's finding has its events from its matches, an anomaly's are written once at the end (detect.anomaly-events).
INSERT INTO finding_events
SELECT f.id, u.eid FROM findings_raw f, unnest(f.eids) AS u(eid)
WHERE f.kind <> 'anomaly' AND NOT EXISTS (SELECT 1 FROM finding_events x WHERE x.finding_id = f.id AND x.eid = u.eid)

-- name: detect.net-hops
-- Every change of network inside one native session: consecutive events whose addresses lie in another country or
-- AS. Not a change: a new address in the same network, a rotation between known VPN exits, a move a traveller
-- could have made (far apart at a plausible speed, $speed km/h beyond $min_km km), one event's two copies (same
-- time, source and type), or a new network in the same country after a pause of $pause_min minutes or more (the
-- laptop went home, the traveller reached the hotel: a session used from two places at once still shows, each
-- return to the other network within the pause being a change). Kept for the session's pivot
-- (detect.context-changes) as well as the findings.
CREATE OR REPLACE TEMP TABLE net_hops AS
WITH seq AS (
  SELECT v.sid, v.eid, v.time, v.gid, v.src, lag(v.eid) OVER w AS peid, lag(v.time) OVER w AS ptime, lag(v.gid) OVER w AS pgid,
         lag(v.src) OVER w AS psrc
  FROM (
    -- One event's copies (same session, source, category and time) count once, as in detect.travel-hops.
    SELECT v.* FROM ev v WHERE v.keyed AND v.gid IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY v.sid, v.src, v.cat, v.time ORDER BY v.eid) = 1
  ) v JOIN ip_geo g ON g.id = v.gid
  WHERE g.ip IS NOT NULL AND (g.country IS NOT NULL OR g.asn IS NOT NULL)
  WINDOW w AS (PARTITION BY v.sid ORDER BY v.time, v.eid)
),
changed AS (
  SELECT q.*, g.country, p.country AS pcountry, g.asn, p.asn AS pasn,
         CASE WHEN g.lat IS NOT NULL AND p.lat IS NOT NULL THEN
           2 * 6371 * asin(sqrt(pow(sin(radians(g.lat - p.lat) / 2), 2) + cos(radians(p.lat)) * cos(radians(g.lat)) * pow(sin(radians(g.lon - p.lon) / 2), 2))) END AS km,
         greatest(epoch(q.time) - epoch(q.ptime), 60) / 3600.0 AS hours
  FROM seq q JOIN ip_geo g ON g.id = q.gid JOIN ip_geo p ON p.id = q.pgid
  WHERE q.pgid IS NOT NULL AND g.ip <> p.ip
    AND ((g.asn IS NOT NULL AND p.asn IS NOT NULL AND g.asn <> p.asn) OR (g.country IS NOT NULL AND p.country IS NOT NULL AND g.country <> p.country))
    AND NOT (g.vpn AND p.vpn)
    AND NOT (coalesce(g.country = p.country, false) AND epoch(q.time) - epoch(q.ptime) >= $pause_min * 60)
)
SELECT c.sid, c.eid, c.peid, c.time, c.ptime, c.gid, c.pgid, c.km, c.km / c.hours AS kmh,
       row_number() OVER (PARTITION BY c.sid ORDER BY c.time, c.eid) AS n
FROM changed c JOIN events e ON e.rowid = c.eid JOIN events pe ON pe.rowid = c.peid
WHERE NOT (c.km IS NOT NULL AND c.km >= $min_km AND c.km / c.hours <= $speed)
  AND NOT (c.time = c.ptime AND e.source = pe.source AND e.source_type IS NOT DISTINCT FROM pe.source_type)

-- name: detect.ip-change
-- One finding per change of network in a session (the first $max_hops of a session), naming the event out of place
-- (detect.hop-sides); the detail tells both events, places and networks, and the distance, minutes and speed.
INSERT INTO findings_raw
SELECT 'f' || substr(md5(s.id || ':ip_change:' || CAST(h.peid AS VARCHAR) || ':' || CAST(h.eid AS VARCHAR)), 1, 16), NULL, s.id, h.sid, NULL, s.identity,
       'anomaly', 'ip_change', $severity, $sev_rank,
       $title || ': ' || coalesce(p.country, '?') || ' ' || p.ip || ' → ' || coalesce(g.country, '?') || ' ' || g.ip
         || CASE WHEN h.km IS NOT NULL THEN ', ' || CAST(round(h.km) AS BIGINT) || ' km in ' || CAST(round((epoch(h.time) - epoch(h.ptime)) / 60) AS BIGINT) || ' min' ELSE '' END,
       'from ' || pe.uid || ' at ' || strftime(h.ptime, '%Y-%m-%d %H:%M:%S') || ' UTC (' || p.ip || concat_ws(', ', '', p.city, p.country)
         || CASE WHEN p.asn IS NOT NULL THEN ', AS' || p.asn || coalesce(' ' || p.as_org, '') ELSE '' END || ') to ' || e.uid || ' at '
         || strftime(h.time, '%Y-%m-%d %H:%M:%S') || ' UTC (' || g.ip || concat_ws(', ', '', g.city, g.country)
         || CASE WHEN g.asn IS NOT NULL THEN ', AS' || g.asn || coalesce(' ' || g.as_org, '') ELSE '' END || ')'
         || CASE WHEN h.km IS NOT NULL THEN ': ' || CAST(round(h.km) AS BIGINT) || ' km in ' || CAST(round((epoch(h.time) - epoch(h.ptime)) / 60) AS BIGINT)
                 || ' min, ' || CAST(round(h.kmh) AS BIGINT) || ' km/h' ELSE '' END,
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, 1, h.ptime, h.time, [n.named], CAST([] AS VARCHAR[])
FROM net_hops h JOIN hop_sides n ON n.eid = h.eid AND n.peid = h.peid JOIN sessions s ON s.sid = h.sid
JOIN ip_geo g ON g.id = h.gid JOIN ip_geo p ON p.id = h.pgid
JOIN events e ON e.rowid = h.eid JOIN events pe ON pe.rowid = h.peid
WHERE h.n <= $max_hops

-- name: detect.travel-hops
-- Consecutive geolocated events of one identity, across apps, farther apart than a plane could fly: one row per
-- hop. Same-country hops, known VPN exits and one event's two copies (same time, source and type: a 0-minute hop
-- that is no hop) are tolerated. Needs only ev and ip_geo, so it runs while sessions are being stitched; a
-- temporary table of the connection that then writes the findings.
CREATE OR REPLACE TEMP TABLE travel_hops AS
WITH located AS (
  -- Addresses at the same place (to ~1 km) share a location id: only moves between places are measured.
  SELECT id, dense_rank() OVER (ORDER BY round(lat, 2), round(lon, 2)) AS loc FROM ip_geo WHERE lat IS NOT NULL AND lon IS NOT NULL
),
-- Copies of one event (same identity, source, category and time: a record exported twice, through two collectors)
-- count once, so that neither they nor the events after them make a hop of a copy. An event a service ran for the
-- person (an identity provider's provisioning integration creating their account in another app, a CI workflow run
-- they started) is where the service runs, not where the person is: its client says so.
placed AS (
  SELECT v.iid, v.sid, v.eid, v.time, v.gid, l.loc FROM ev v JOIN located l ON l.id = v.gid
  ANTI JOIN (SELECT uaid FROM uas WHERE regexp_matches(ua, '\bIntegration\b|\bSCIM\b|[Pp]rovisioning|^GitHub Actions')) x ON x.uaid = v.uaid
  QUALIFY row_number() OVER (PARTITION BY v.iid, v.src, v.cat, v.time ORDER BY v.eid) = 1
),
-- The identity's previous event (across apps and sessions), and the session's own previous one: a session replayed
-- from elsewhere is measured even while the identity's other sessions interleave with it.
pairs AS (
  SELECT DISTINCT * FROM (
    SELECT iid, sid, eid, time, gid, loc, lag(loc) OVER wi AS ploc, lag(gid) OVER wi AS pgid, lag(time) OVER wi AS ptime,
           lag(eid) OVER wi AS peid, lag(sid) OVER wi AS psid
    FROM placed WINDOW wi AS (PARTITION BY iid ORDER BY time, eid)
    UNION ALL
    SELECT iid, sid, eid, time, gid, loc, lag(loc) OVER ws AS ploc, lag(gid) OVER ws AS pgid, lag(time) OVER ws AS ptime,
           lag(eid) OVER ws AS peid, lag(sid) OVER ws AS psid
    FROM placed WINDOW ws AS (PARTITION BY sid ORDER BY time, eid)
  )
),
hops AS (
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
)
SELECT h.sid, h.psid AS rel_sid, h.eid, h.peid, h.time, h.ptime, h.gid, h.pgid, h.km, h.kmh,
       row_number() OVER (PARTITION BY h.sid ORDER BY h.time, h.eid) AS n
FROM hits h JOIN events e ON e.rowid = h.eid JOIN events pe ON pe.rowid = h.peid
WHERE NOT (h.time = h.ptime AND e.source = pe.source AND e.source_type IS NOT DISTINCT FROM pe.source_type)

-- name: detect.hop-sides
-- Which event of a hop (net_hops, travel_hops) is out of place: the one whose network the identity took up later in
-- the case (its first event on the same network, same_network), the other being where it already worked. The legit
-- office sign-in a stolen session was replayed after, or the owner's return to it, is where the hop started or ended,
-- not what is reported; when both networks are as old, the later event is. Read by detect.impossible-travel and
-- detect.ip-change, which name that event and tell the other in their detail.
CREATE OR REPLACE TEMP TABLE hop_sides AS
WITH hops AS (SELECT DISTINCT eid, peid FROM (SELECT eid, peid FROM net_hops UNION ALL SELECT eid, peid FROM travel_hops)),
ends AS (
  SELECT DISTINCT v.eid, v.iid, g.ip, g.asn, g.country
  FROM (SELECT eid FROM hops UNION SELECT peid FROM hops) x JOIN ev v ON v.eid = x.eid JOIN ip_geo g ON g.id = v.gid
),
-- Each identity of a hop with its addresses once and when it first used them.
known AS (
  SELECT w.iid, w.first, n.ip, n.asn, n.country
  FROM (SELECT iid, gid, min(time) AS first FROM ev WHERE gid IS NOT NULL AND iid IN (SELECT iid FROM ends) GROUP BY iid, gid) w
  JOIN ip_geo n ON n.id = w.gid
),
taken AS (
  SELECT e.eid, min(k.first) AS first
  FROM ends e JOIN known k ON k.iid = e.iid AND coalesce(same_network(k.ip, k.asn, k.country, e.ip, e.asn, e.country), false)
  GROUP BY e.eid
)
SELECT h.eid, h.peid, CASE WHEN epoch(t.first) < epoch(f.first) THEN h.peid ELSE h.eid END AS named
FROM hops h LEFT JOIN taken t ON t.eid = h.eid LEFT JOIN taken f ON f.eid = h.peid

-- name: detect.impossible-travel
-- One finding per hop (the first $max_hops of a session), naming the event out of place (detect.hop-sides) and on its
-- session, the other session related; the detail tells both events, places and networks, the distance, the minutes
-- and the speed. A hop from another chain's session is dropped once chains exist (detect.event-ids).
INSERT INTO findings_raw
SELECT 'f' || substr(md5(s.id || ':impossible_travel:' || CAST(h.peid AS VARCHAR) || ':' || CAST(h.eid AS VARCHAR)), 1, 16), NULL, s.id, h.sid, r.id, s.identity,
       'anomaly', 'impossible_travel', $severity, $sev_rank,
       $title || ': ' || concat_ws(', ', q.city, coalesce(q.country, '?')) || ' → ' || concat_ws(', ', g.city, coalesce(g.country, '?')) || ', '
         || CAST(round(h.km) AS BIGINT) || ' km in ' || CAST(round((epoch(h.time) - epoch(h.ptime)) / 60) AS BIGINT) || ' min',
       'from ' || pe.uid || ' at ' || strftime(h.ptime, '%Y-%m-%d %H:%M:%S') || ' UTC (' || q.ip || concat_ws(', ', '', q.city, q.country)
         || CASE WHEN q.asn IS NOT NULL THEN ', AS' || q.asn || coalesce(' ' || q.as_org, '') ELSE '' END || ') to ' || e.uid || ' at '
         || strftime(h.time, '%Y-%m-%d %H:%M:%S') || ' UTC (' || g.ip || concat_ws(', ', '', g.city, g.country)
         || CASE WHEN g.asn IS NOT NULL THEN ', AS' || g.asn || coalesce(' ' || g.as_org, '') ELSE '' END || '): '
         || CAST(round(h.km) AS BIGINT) || ' km in ' || CAST(round((epoch(h.time) - epoch(h.ptime)) / 60) AS BIGINT) || ' min, '
         || CAST(round(h.kmh) AS BIGINT) || ' km/h',
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, 1, h.ptime, h.time, [n.named], CAST([] AS VARCHAR[])
FROM travel_hops h JOIN hop_sides n ON n.eid = h.eid AND n.peid = h.peid
JOIN sessions s ON s.sid = CASE WHEN n.named = h.eid THEN h.sid ELSE h.rel_sid END
LEFT JOIN sessions r ON r.sid = CASE WHEN n.named = h.eid THEN h.rel_sid ELSE h.sid END
JOIN ip_geo g ON g.id = h.gid JOIN ip_geo q ON q.id = h.pgid
JOIN events e ON e.rowid = h.eid JOIN events pe ON pe.rowid = h.peid
WHERE h.n <= $max_hops

-- name: detect.context-changes
-- Where context changed, as [{field, from, to}] at the first event after the change: network hops in a session
-- (net_hops), place hops of an identity (travel_hops: psid is the session of the earlier event, which may be another
-- session of the same chain), the first event of a new device family (OS + browser) in a native session, and a change
-- the records state themselves (managed device, proxy).
CREATE OR REPLACE TABLE context_changes AS
WITH net AS (
  SELECT h.sid, h.psid, h.eid, h.time, h.peid, h.ptime,
         list_filter([
           CASE WHEN p.country IS DISTINCT FROM g.country AND p.country IS NOT NULL AND g.country IS NOT NULL
                THEN {field: 'country', "from": p.country, "to": g.country} END,
           CASE WHEN p.asn IS DISTINCT FROM g.asn AND p.asn IS NOT NULL AND g.asn IS NOT NULL
                THEN {field: 'network', "from": 'AS' || p.asn || coalesce(' ' || p.as_org, ''), "to": 'AS' || g.asn || coalesce(' ' || g.as_org, '')} END,
           {field: 'ip', "from": p.ip, "to": g.ip}
         ], x -> x IS NOT NULL) AS changes
  FROM (SELECT sid, sid AS psid, eid, time, peid, ptime, gid, pgid FROM net_hops
        UNION ALL SELECT sid, rel_sid, eid, time, peid, ptime, gid, pgid FROM travel_hops) h
  JOIN ip_geo g ON g.id = h.gid JOIN ip_geo p ON p.id = h.pgid
),
place AS (
  SELECT h.sid, h.rel_sid AS psid, h.eid, h.time, h.peid, h.ptime,
         [{field: 'place', "from": concat_ws(', ', p.city, p.country), "to": concat_ws(', ', g.city, g.country)}] AS changes
  FROM travel_hops h JOIN ip_geo g ON g.id = h.gid JOIN ip_geo p ON p.id = h.pgid
),
fam AS (
  SELECT v.sid, v.eid, v.time, u.family, lag(u.family) OVER w AS pfamily, lag(v.eid) OVER w AS peid, lag(v.time) OVER w AS ptime
  FROM ev v JOIN uas u ON u.uaid = v.uaid
  WHERE v.keyed AND u.family IS NOT NULL
  WINDOW w AS (PARTITION BY v.sid ORDER BY v.time, v.eid)
),
device AS (
  SELECT sid, sid AS psid, eid, time, peid, ptime, [{field: 'device', "from": pfamily, "to": family}] AS changes
  FROM fam WHERE pfamily IS NOT NULL AND pfamily <> family
),
-- What the records themselves say changed: the device's managed state, the address being a proxy or anonymiser.
flagged AS (
  SELECT v.sid, v.eid, v.time, e.device_managed AS dm, e.net_proxy AS px,
         lag(e.device_managed IGNORE NULLS) OVER w AS pdm, lag(e.net_proxy IGNORE NULLS) OVER w AS ppx,
         lag(v.eid) OVER w AS peid, lag(v.time) OVER w AS ptime
  FROM ev v JOIN (SELECT rowid AS eid, device_managed, net_proxy FROM events WHERE device_managed IS NOT NULL OR net_proxy IS NOT NULL) e ON e.eid = v.eid
  WHERE v.keyed
  WINDOW w AS (PARTITION BY v.sid ORDER BY v.time, v.eid)
),
stated AS (
  SELECT sid, sid AS psid, eid, time, peid, ptime,
         list_filter([
           CASE WHEN dm IS NOT NULL AND pdm IS NOT NULL AND dm <> pdm
                THEN {field: 'managed device', "from": CASE WHEN pdm THEN 'managed' ELSE 'unmanaged' END, "to": CASE WHEN dm THEN 'managed' ELSE 'unmanaged' END} END,
           CASE WHEN px IS NOT NULL AND ppx IS NOT NULL AND px <> ppx
                THEN {field: 'proxy', "from": CASE WHEN ppx THEN 'proxy' ELSE 'direct' END, "to": CASE WHEN px THEN 'proxy' ELSE 'direct' END} END
         ], x -> x IS NOT NULL) AS changes
  FROM flagged WHERE (dm IS NOT NULL AND pdm IS NOT NULL AND dm <> pdm) OR (px IS NOT NULL AND ppx IS NOT NULL AND px <> ppx)
),
every AS (SELECT * FROM net UNION ALL SELECT * FROM place UNION ALL SELECT * FROM device UNION ALL SELECT * FROM stated)
-- Changes seen at the same event (a new country, network and place at once) are one change of context.
SELECT sid, psid, eid, any_value(time) AS time, any_value(peid) AS peid, any_value(ptime) AS ptime,
       to_json(list_sort(list_distinct(flatten(list(changes)))))::VARCHAR AS changes
FROM every GROUP BY sid, psid, eid

-- name: detect.drop-travel-hops
DROP TABLE IF EXISTS temp.travel_hops

-- name: detect.drop-net-hops
DROP TABLE IF EXISTS temp.net_hops

-- name: detect.device-change
-- A new operating system or browser family inside one native session, naming the events on the new ones (the
-- session's start on its first family is told in the detail). Another browser on the same operating system, at an
-- address the session had already used on its first family, is the same desk: a desktop app's embedded browser
-- refreshing the session beside the user's own; a replayed cookie comes from the thief's address or device.
INSERT INTO findings_raw
WITH per_family AS (
  SELECT v.sid, u.family, min(v.time) AS first, arg_min(v.eid, v.time) AS eid, count(*) AS n, list(DISTINCT v.gid) AS gids
  FROM ev v JOIN uas u ON u.uaid = v.uaid
  WHERE v.keyed AND u.family IS NOT NULL
  GROUP BY v.sid, u.family
),
firsts AS (SELECT sid, arg_min(family, first) AS f0, arg_min(gids, first) AS g0 FROM per_family GROUP BY sid HAVING count(*) > 1),
changed AS (
  SELECT p.* EXCLUDE (gids), f.f0 FROM per_family p JOIN firsts f USING (sid)
  WHERE p.family <> f.f0
    AND (split_part(p.family, ' ', 1) <> split_part(f.f0, ' ', 1) OR len(list_filter(p.gids, g -> NOT list_contains(f.g0, g))) > 0)
)
SELECT 'f' || substr(md5(s.id || ':device_change'), 1, 16), NULL, s.id, c.sid, NULL, s.identity,
       'anomaly', 'device_change', $severity, $sev_rank,
       $title || ': ' || any_value(c.f0) || ' → ' || string_agg(DISTINCT c.family, ', ' ORDER BY c.family),
       'session started on ' || any_value(c.f0) || '; ' || sum(c.n) || ' events from ' || string_agg(DISTINCT c.family, ', ' ORDER BY c.family),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, sum(c.n), min(c.first), max(c.first),
       list(c.eid ORDER BY c.first)[1:50], CAST([] AS VARCHAR[])
FROM changed c JOIN sessions s ON s.sid = c.sid
GROUP BY c.sid, s.id, s.identity

-- name: detect.new-network
-- A person's successful interactive sign-in, or anything a service did, from a network the identity had not used
-- $familiar_hours before (same_network), when it had used others by then: the sign-in that starts a stolen session,
-- a leaked key used from the thief's host, in a case that knows where the identity works. A service's hosts do not move
-- as people do: its networks are its own after $service_hours of its history. A long-lived session (an
-- IAM user's access key, a token) counts its own earlier networks. A person's session whose tries from there all failed
-- is reported as a failed sign-in, one severity lower (someone holding the password tries from elsewhere, and the
-- person denies the push the IdP sent: the push's own record says only that it went out). Not
-- reported: an identity's first day in the case (nothing to compare with), the organisation's own egress (an address
-- block $colleagues other people signed in from), a device the record says the organisation manages (a stolen session
-- runs on the thief's), agents (their networks are their vendor's). One finding per session, naming its sign-ins (a
-- service's events, with what it did there and how many of its calls were refused) from the new network, the apps a
-- person signed in to, and where the identity had worked from before. A network that the record and the offline
-- databases say nothing of (no AS, no country) is compared by its address.
INSERT INTO findings_raw
WITH auth AS (
  SELECT v.iid, v.sid, v.eid, v.time, v.is_login OR i.type = 'service' AS ok, v.gid,
         CASE WHEN i.type = 'service' THEN $service_hours ELSE $familiar_hours END * 3600 AS baseline
  FROM ev v JOIN identities i ON i.iid = v.iid
  WHERE ((v.cat = (SELECT code FROM cats WHERE category = 'authentication') AND i.type = 'human') OR i.type = 'service') AND v.gid IS NOT NULL
    AND epoch(v.time) - epoch(i.first) >= baseline
),
-- Each session's tries (a service's events) from one network, judged once.
tries AS (
  SELECT a.iid, a.sid, a.gid, min(a.time) AS time, bool_or(a.ok) AS ok, any_value(a.baseline) AS baseline, g.ip, g.asn, g.country,
         address_block(g.ip) AS block
  FROM auth a JOIN ip_geo g ON g.id = a.gid
  WHERE g.ip IS NOT NULL
  GROUP BY a.iid, a.sid, a.gid, g.ip, g.asn, g.country
),
-- Each identity's addresses once, with when it first used them (grouped on the integer ids, then looked up).
history AS (
  SELECT w.iid, w.gid, w.first, n.ip, n.asn, n.country
  FROM (SELECT iid, gid, min(time) AS first FROM ev WHERE gid IS NOT NULL AND iid IN (SELECT iid FROM tries) GROUP BY iid, gid) w
  JOIN ip_geo n ON n.id = w.gid
  WHERE n.ip IS NOT NULL
),
-- Tries from an address the identity itself had used by then are known at once; only the others are compared.
fresh AS (
  SELECT t.* FROM tries t JOIN history h ON h.iid = t.iid AND h.gid = t.gid
  WHERE epoch(h.first) > epoch(t.time) - t.baseline
),
earlier AS (
  SELECT t.iid, t.sid, t.gid, t.block, h.ip, h.country, coalesce(same_network(h.ip, h.asn, h.country, t.ip, t.asn, t.country), false) AS same
  FROM fresh t JOIN history h ON h.iid = t.iid AND epoch(h.first) <= epoch(t.time) - t.baseline
),
judged AS (
  SELECT e.iid, e.sid, e.gid, list_sort(list_distinct(list(coalesce(e.country || ' ', '') || e.ip))) AS before
  FROM earlier e
  LEFT JOIN egress b ON b.block = e.block
  WHERE colleagues(b.iids, e.iid) < $colleagues
  GROUP BY e.iid, e.sid, e.gid
  HAVING NOT bool_or(e.same)
),
-- The sign-ins from the new network (or, where none succeeded, the failed tries and the factor challenges the IdP
-- sent for them), on no device the record says is managed.
candidates AS (
  SELECT a.iid, a.sid, a.eid, a.time, a.ok, e.outcome = 'failure' AS refused, app_reached(e.target_type, e.target_name, e.app) AS app, api_operation(e.source, e.source_type, e.raw) AS op,
         coalesce(e.target_name, e.target_id) AS target, j.before, g.ip, g.asn, g.country, g.city, g.as_org, address_block(g.ip) AS block
  FROM judged j JOIN auth a ON a.sid = j.sid AND a.gid = j.gid JOIN events e ON e.rowid = a.eid JOIN ip_geo g ON g.id = a.gid
  JOIN sigs c ON c.h = hash(e.source, e.source_type, e.category, e.outcome, e.actor_type)
  WHERE (a.ok OR e.outcome = 'failure' OR c.challenge) AND NOT coalesce(e.device_managed, false)
),
-- The address blocks the identity signed in from, at any time in the case, on a record that vouches for the hands
-- behind it (events.vouches, set by the import), from no address a verdict flagged: its own.
pending AS MATERIALIZED (SELECT DISTINCT iid, block FROM candidates),
vouched AS (
  SELECT DISTINCT v.iid, q.block
  FROM ev v JOIN (SELECT rowid AS eid FROM events WHERE vouches AND outcome = 'success') o ON o.eid = v.eid
    JOIN ip_geo g ON g.id = v.gid JOIN pending q ON q.iid = v.iid AND q.block = address_block(g.ip)
  WHERE v.cat = (SELECT code FROM cats WHERE category = 'authentication')
    AND v.gid NOT IN (SELECT gid FROM verdict_events WHERE gid IS NOT NULL)
),
named AS (SELECT c.* EXCLUDE (block) FROM candidates c WHERE NOT EXISTS (SELECT 1 FROM vouched u WHERE u.iid = c.iid AND u.block = c.block)),
shown AS (SELECT * FROM named QUALIFY ok OR NOT bool_or(ok) OVER (PARTITION BY sid)),
-- What a service did from there, its most frequent operations first ("GetObject ×12, RunInstances ×8 (+4 more)").
ops AS (
  SELECT sid, array_to_string(list(op || CASE WHEN n > 1 THEN ' ×' || n ELSE '' END ORDER BY n DESC, op)[1:3], ', ')
           || CASE WHEN count(*) > 3 THEN ' (+' || (count(*) - 3) || ' more)' ELSE '' END AS ops
  FROM (SELECT sid, op, count(*) AS n FROM shown WHERE op IS NOT NULL GROUP BY sid, op) GROUP BY sid
),
-- And what it did it to, first things first (the bucket, the object, the mailbox), with the long-term AWS access key
-- (AKIA…) the session ran on: the one to deactivate.
targets AS (
  SELECT j.sid, targets_named(list(j.target ORDER BY j.time) FILTER (WHERE j.target IS NOT NULL)) AS targets
  FROM shown j GROUP BY j.sid
)
SELECT 'f' || substr(md5(s.id || ':new_network'), 1, 16), NULL, s.id, j.sid, NULL, s.identity,
       'anomaly', 'new_network',
       tried_severity(bool_or(j.ok), $severity, $sev_rank),
       tried_rank(bool_or(j.ok), $sev_rank),
       CASE WHEN any_value(i.type) = 'service' THEN 'Service used from a network new to it'
            ELSE tried_title(bool_or(j.ok), $title) END || coalesce(' (' || s.identity || ')', '') || ': '
         || string_agg(DISTINCT network_name(j.country, j.ip, j.as_org), ', ' ORDER BY network_name(j.country, j.ip, j.as_org))
         || CASE WHEN any_value(i.type) = 'service' THEN coalesce(': ' || any_value(o.ops), '') || coalesce(' → ' || any_value(t.targets), '')
                 || CASE WHEN any_value(s.session_key) LIKE 'AKIA%' THEN ' with key ' || any_value(s.session_key) ELSE '' END
            ELSE apps_named(list(j.app)) END
         || CASE WHEN any_value(i.type) = 'service' THEN
              CASE WHEN count(*) > 1 THEN ' (' || count(*) || ' events' || CASE WHEN bool_or(j.refused) THEN ', ' || count(*) FILTER (WHERE j.refused) || ' refused' ELSE '' END || ')'
                   WHEN bool_or(j.refused) THEN ' (refused)' ELSE '' END
            WHEN count(*) > 1 THEN ' (' || count(*) || CASE WHEN bool_or(j.ok) THEN ' sign-ins)' ELSE ' tries)' END ELSE '' END,
       CASE WHEN any_value(i.type) = 'service' THEN 'used from ' WHEN bool_or(j.ok) THEN 'signed in from ' ELSE 'failed to sign in from ' END
         || string_agg(DISTINCT network_detail(j.ip, j.city, j.country, j.asn, j.as_org), '; ')
         || '; earlier from ' || array_to_string(list_sort(list_distinct(flatten(list(j.before))))[1:5], ', '),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(j.time), max(j.time), list(j.eid ORDER BY j.time)[1:50], CAST([] AS VARCHAR[])
FROM shown j JOIN sessions s ON s.sid = j.sid JOIN identities i ON i.iid = j.iid LEFT JOIN ops o ON o.sid = j.sid
LEFT JOIN targets t ON t.sid = j.sid
GROUP BY j.sid, s.id, s.identity

-- name: detect.flagged-network
-- A person's sign-in, in any app, from an address a vendor's own verdict flagged in another record (an
-- `afterlogin.verdict` rule matched it there: Okta's anonymizing proxy, a sign-in Okta or Entra rated high risk, a
-- replayed token, Slack's session anomaly, a pentest distribution), for the same identity or for another one: the same
-- hands signing in to the other apps, or to the next account, which their own records do not say. A verdict about
-- someone else names whom it was about. Any successful sign-in counts, interactive or not (Google's login records and
-- Salesforce's OAuth logins name no browser), not a sign-out (Okta's session end, Google's logout, Slack's
-- user_logout, filed under authentication too). The records the verdict rules matched are theirs; the organisation's
-- own egress (an address block $colleagues other people signed in from) and a device the record says is managed are
-- not reported. One finding per session naming the addresses and the verdicts; a session whose tries from there all
-- failed (a factor challenge the IdP sent is a try, which the answer decides) is a failed sign-in, one severity lower.
INSERT INTO findings_raw
WITH flagged AS (SELECT iid, gid, title FROM verdict_events WHERE gid IS NOT NULL),
tries AS (
  SELECT v.iid, v.sid, v.eid, v.time, e.outcome <> 'failure' AND NOT c.challenge AS ok, app_reached(e.target_type, e.target_name, e.app) AS app, g.ip, g.country, g.city, g.asn, g.as_org,
         list_sort(list_distinct(list(CASE WHEN f.iid = v.iid THEN f.title ELSE f.title || ' (' || fi.identity || ')' END))) AS why
  FROM ev v JOIN identities i ON i.iid = v.iid JOIN flagged f ON f.gid = v.gid JOIN identities fi ON fi.iid = f.iid
  JOIN ip_geo g ON g.id = v.gid JOIN events e ON e.rowid = v.eid
  JOIN sigs c ON c.h = hash(e.source, e.source_type, e.category, e.outcome, e.actor_type)
  LEFT JOIN egress b ON b.block = address_block(g.ip)
  WHERE v.cat = (SELECT code FROM cats WHERE category = 'authentication') AND i.type = 'human'
    AND v.eid NOT IN (SELECT eid FROM verdict_events)
    AND NOT regexp_matches(coalesce(e.source_type, ''), 'log_?out|sign_?out|session\.end', 'i') AND NOT coalesce(e.device_managed, false)
    AND colleagues(b.iids, v.iid) < $colleagues
  GROUP BY ALL
),
shown AS (SELECT * FROM tries QUALIFY ok OR NOT bool_or(ok) OVER (PARTITION BY sid))
SELECT 'f' || substr(md5(s.id || ':flagged_network'), 1, 16), NULL, s.id, j.sid, NULL, s.identity,
       'anomaly', 'flagged_network',
       tried_severity(bool_or(j.ok), $severity, $sev_rank),
       tried_rank(bool_or(j.ok), $sev_rank),
       tried_title(bool_or(j.ok), $title) || coalesce(' (' || s.identity || ')', '') || ': '
         || string_agg(DISTINCT network_name(j.country, j.ip, j.as_org), ', ' ORDER BY network_name(j.country, j.ip, j.as_org))
         || apps_named(list(j.app))
         || ' — ' || array_to_string(list_sort(list_distinct(flatten(list(j.why))))[1:2], '; ')
         || CASE WHEN count(*) > 1 THEN ' (' || count(*) || CASE WHEN bool_or(j.ok) THEN ' sign-ins)' ELSE ' tries)' END ELSE '' END,
       CASE WHEN bool_or(j.ok) THEN 'signed in from ' ELSE 'failed to sign in from ' END
         || string_agg(DISTINCT network_detail(j.ip, j.city, j.country, j.asn, j.as_org), '; ')
         || '; flagged by: ' || array_to_string(list_sort(list_distinct(flatten(list(j.why)))), '; '),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(j.time), max(j.time), list(j.eid ORDER BY j.time)[1:50], CAST([] AS VARCHAR[])
FROM shown j JOIN sessions s ON s.sid = j.sid
GROUP BY j.sid, s.id, s.identity

-- name: detect.scripted-sign-in
-- A person's account signed in by a script: a sign-in whose user agent is an HTTP library ($clients: python-requests,
-- axios, Go's HTTP client, curl), not a browser, an app or the vendor's own tools, from a network the identity's other
-- sessions had not used $familiar_hours before (same_network): a phishing kit replaying a stolen token, the
-- username-password OAuth flow run from a VPS, a backdoor account's first token. Reported on an identity's first day
-- too (a backdoor account has no other). Not reported: services and agents (their integrations are scripts), the
-- organisation's own egress (an address block $colleagues other people signed in from), a device the record says is
-- managed. One finding per session naming the clients and addresses; a session whose tries all failed (a factor
-- challenge the IdP sent is a try) is a failed sign-in, one severity lower.
INSERT INTO findings_raw
WITH tries AS (
  SELECT v.iid, v.sid, v.eid, v.time, e.outcome <> 'failure' AND NOT c.challenge AS ok, app_reached(e.target_type, e.target_name, e.app) AS app, u.ua, v.gid, g.ip, g.asn, g.country,
         g.city, g.as_org, address_block(g.ip) AS block
  FROM ev v JOIN identities i ON i.iid = v.iid JOIN uas u ON u.uaid = v.uaid
  JOIN events e ON e.rowid = v.eid JOIN ip_geo g ON g.id = v.gid
  JOIN sigs c ON c.h = hash(e.source, e.source_type, e.category, e.outcome, e.actor_type)
  WHERE v.cat = (SELECT code FROM cats WHERE category = 'authentication') AND i.type = 'human'
    AND regexp_matches(u.ua, $clients, 'i') AND g.ip IS NOT NULL AND NOT coalesce(e.device_managed, false)
),
history AS (
  SELECT w.iid, w.sid, min(w.time) AS first, n.ip, n.asn, n.country
  FROM ev w JOIN ip_geo n ON n.id = w.gid
  WHERE w.iid IN (SELECT iid FROM tries) AND n.ip IS NOT NULL
  GROUP BY w.iid, w.sid, n.ip, n.asn, n.country
),
judged AS (
  SELECT t.* FROM tries t
  LEFT JOIN egress b ON b.block = t.block
  WHERE colleagues(b.iids, t.iid) < $colleagues
    AND NOT EXISTS (
      SELECT 1 FROM history h
      WHERE h.iid = t.iid AND h.sid <> t.sid AND epoch(h.first) <= epoch(t.time) - $familiar_hours * 3600
        AND same_network(h.ip, h.asn, h.country, t.ip, t.asn, t.country)
    )
),
shown AS (SELECT * FROM judged QUALIFY ok OR NOT bool_or(ok) OVER (PARTITION BY sid))
SELECT 'f' || substr(md5(s.id || ':scripted_sign_in'), 1, 16), NULL, s.id, j.sid, NULL, s.identity,
       'anomaly', 'scripted_sign_in',
       tried_severity(bool_or(j.ok), $severity, $sev_rank),
       tried_rank(bool_or(j.ok), $sev_rank),
       tried_title(bool_or(j.ok), $title) || coalesce(' (' || s.identity || ')', '') || ': '
         || string_agg(DISTINCT j.ua, ', ' ORDER BY j.ua) || ' — from '
         || string_agg(DISTINCT network_name(j.country, j.ip, j.as_org), ', ' ORDER BY network_name(j.country, j.ip, j.as_org))
         || apps_named(list(j.app))
         || CASE WHEN count(*) > 1 THEN ' (' || count(*) || CASE WHEN bool_or(j.ok) THEN ' sign-ins)' ELSE ' tries)' END ELSE '' END,
       CASE WHEN bool_or(j.ok) THEN 'signed in with ' ELSE 'failed to sign in with ' END || string_agg(DISTINCT j.ua, '; ')
         || ' from ' || string_agg(DISTINCT network_detail(j.ip, j.city, j.country, j.asn, j.as_org), '; '),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(j.time), max(j.time), list(j.eid ORDER BY j.time)[1:50], CAST([] AS VARCHAR[])
FROM shown j JOIN sessions s ON s.sid = j.sid
GROUP BY j.sid, s.id, s.identity

-- name: detect.unusual-admin
-- The first admin action of an identity that had been active for a while without any, from a network none of its
-- other sessions had used $familiar_hours before (same_network). An admin action is one a rule reads as a privilege,
-- admin or MFA change, and still does once its filters ran (rule_matches: the intruder's range taken off a trusted
-- location is no longer one): a responder's first clean-up (a webhook deleted, logging restarted, an SSO setting put
-- back) is admin work no rule calls risky, and is not reported as someone's first.
-- An identity's first admin work from where it always works (a help desk's first reset, an analyst cleaning up
-- from the office) is not reported; admin actions whose records carry no address are judged on time alone.
INSERT INTO findings_raw
WITH admin AS (
  SELECT v.iid, v.sid, v.eid, v.time, v.gid FROM ev v
  JOIN (SELECT DISTINCT eid FROM rule_matches WHERE category IN ('privilege_change', 'admin_change', 'mfa_change')) p ON p.eid = v.eid
),
firsts AS (SELECT iid, min(time) AS t_admin, arg_min(sid, time) AS sid FROM admin GROUP BY iid),
fresh AS (
  SELECT f.*, i.first FROM firsts f JOIN identities i ON i.iid = f.iid
  WHERE epoch(f.t_admin) - epoch(i.first) >= $baseline_hours * 3600
),
before AS (
  SELECT DISTINCT v.iid, g.ip, g.asn, g.country FROM ev v JOIN fresh f ON f.iid = v.iid JOIN ip_geo g ON g.id = v.gid
  WHERE epoch(v.time) <= epoch(f.t_admin) - $familiar_hours * 3600 AND v.sid <> f.sid
),
placed AS (
  SELECT a.sid, a.iid, g.ip, g.asn, g.country FROM admin a JOIN fresh f ON f.sid = a.sid AND f.iid = a.iid JOIN ip_geo g ON g.id = a.gid
),
new_place AS (
  SELECT DISTINCT p.sid, p.iid FROM placed p
  WHERE NOT EXISTS (
    SELECT 1 FROM before b
    WHERE b.iid = p.iid
      AND same_network(b.ip, b.asn, b.country, p.ip, p.asn, p.country)
  )
),
judged AS (
  SELECT f.* FROM fresh f
  WHERE EXISTS (SELECT 1 FROM new_place n WHERE n.sid = f.sid AND n.iid = f.iid)
     OR NOT EXISTS (SELECT 1 FROM placed p WHERE p.sid = f.sid AND p.iid = f.iid)
),
hits AS (SELECT a.iid, a.sid, a.eid, a.time, f.first AS seen_since FROM admin a JOIN judged f ON f.sid = a.sid AND f.iid = a.iid)
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
-- A service account or agent signing in through a browser or console: a person is using a machine identity. The
-- title names the identity, where from and the apps signed in to.
INSERT INTO findings_raw
SELECT 'f' || substr(md5(s.id || ':interactive_login'), 1, 16), NULL, s.id, v.sid, NULL, s.identity,
       'anomaly', 'interactive_login', $severity, $sev_rank,
       $title || ' (' || any_value(i.type) || '): ' || s.identity
         || coalesce(' from ' || nullif(string_agg(DISTINCT network_name(g.country, g.ip, g.as_org), ', ' ORDER BY network_name(g.country, g.ip, g.as_org)), ''), '')
         || apps_named(list(app_reached(e.target_type, e.target_name, e.app))),
       string_agg(DISTINCT e.source_type, ', ' ORDER BY e.source_type) || ' from ' || coalesce(any_value(e.user_agent), 'a browser'),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(v.time), max(v.time),
       list(v.eid ORDER BY v.time)[1:50], CAST([] AS VARCHAR[])
FROM ev v JOIN identities i ON i.iid = v.iid
JOIN sessions s ON s.sid = v.sid
JOIN events e ON e.rowid = v.eid
LEFT JOIN ip_geo g ON g.id = v.gid
-- '(unknown)' stands for records whose every actor field was a placeholder: no identity to accuse.
WHERE v.is_login AND i.type IN ('service', 'agent') AND i.identity <> '(unknown)'
GROUP BY v.sid, s.id, s.identity

-- name: detect.failed-sign-in-records
-- The failed tries a sign-in finding whose every try failed is made of ("Failed sign-in from …"), and the refused
-- actions among the activity from a reported address, a page at a time: their records say why they failed
-- (detect.failed-sign-in-refusals), and the finding says it as an attempt does.
SELECT e.rowid AS eid, e.source, e.uid, e.raw
FROM events e
WHERE e.rowid IN (
    SELECT unnest(eids) FROM findings_raw WHERE says_refusals(kind, title, category)
  )
  AND e.outcome = 'failure' AND e.rowid > $after
ORDER BY e.rowid
LIMIT $limit

-- name: detect.failed-sign-in-refusals
-- "— refused: …" after the title of each such finding and in its detail, as an attempt's (detect.macro-refused).
UPDATE findings_raw SET title = findings_raw.title || refused_title(x.reasons), detail = concat_ws('; ', findings_raw.detail, refused_detail(x.reasons))
FROM (
  SELECT f.id, list_sort(list_distinct(list(r.refusal))) AS reasons
  FROM findings_raw f, unnest(f.eids) AS u(eid)
  JOIN (SELECT unnest(from_json($rows::JSON, '[{"eid":"BIGINT","refusal":"VARCHAR"}]'), recursive := true)) r ON r.eid = u.eid
  WHERE says_refusals(f.kind, f.title, f.category)
  GROUP BY f.id
) x
WHERE findings_raw.id = x.id

-- name: detect.any-consent
-- Whether a consent finding stands: what the app did is looked for only then (the search reads the case's records).
SELECT EXISTS (SELECT 1 FROM consents) AS any

-- name: detect.consented-app-activity
-- What an application did after a consent a finding reported (`oauth_grant`: a person's consent, an app authorised, a
-- Slack app installed): its mail reads, Drive listings and downloads, filters and files, in any app, at or after the
-- consent, that no other finding names. The app's records are those its name acts in (the app as the identity, a
-- Microsoft 365 record's client application) or that carry its client id (a Microsoft 365 record's ClientAppId or
-- AppId, a Google API call's client_id, a Drive event's originating_app_id, which is the OAuth client id's project
-- number): a phishing app's reads from its hosting provider with the person's grant, an app given domain-wide
-- delegation reading every mailbox. One finding per session, naming the app, what it did (a Google API call by its
-- method), the first targets and where from.
INSERT INTO findings_raw
WITH granted AS (
  SELECT DISTINCT eid, time, lower(target_name) AS name, target_id AS client,
         CASE WHEN target_name IS DISTINCT FROM target_id THEN target_name END AS label, iid
  FROM consents
  WHERE coalesce(target_name, target_id) IS NOT NULL
    AND cat IS DISTINCT FROM (SELECT code FROM cats WHERE category = 'authentication')  -- not the sign-ins named beside a consent
),
-- Records that may carry a client id, each read once: Microsoft 365 records after a consent that name an app, Google
-- records of an app's own API calls (token activity's client_id: not a person's authorization or revocation), a
-- person's Drive events after theirs that name the app they came through.
carriers AS MATERIALIZED (
  SELECT v.eid, e.time, v.iid,
         CASE WHEN e.source = 'm365' THEN json_extract_string(e.raw, ['$.ClientAppId', '$.AppId', '$.AppAccessContext.ClientAppId'])
              ELSE [gws_param(e.raw, 'client_id')] END AS ids,
         CASE WHEN e.source = 'google_workspace' THEN gws_param(e.raw, 'originating_app_id') END AS project
  FROM ev v JOIN events e ON e.rowid = v.eid
  WHERE e.time >= (SELECT min(time) FROM granted)
    AND ((e.source = 'm365' AND contains(e.raw, 'AppId"'))
         OR (e.source = 'google_workspace' AND e.actor_type <> 'human' AND contains(e.raw, '"client_id"'))
         OR (e.source = 'google_workspace' AND v.iid IN (SELECT iid FROM granted) AND contains(e.raw, '"originating_app_id"')))
),
by_id AS (
  SELECT c.eid, g.time AS granted_at, coalesce(g.label, g.client) AS app, g.label IS NULL AS unnamed
  FROM carriers c JOIN granted g ON c.time >= g.time AND g.client IS NOT NULL
  WHERE list_contains(c.ids, g.client)
     -- A Google OAuth client id begins with its project's number.
     OR (c.iid = g.iid AND g.client LIKE '%.apps.googleusercontent.com' AND c.project = regexp_extract(g.client, '^(\d+)', 1))
),
by_name AS (
  SELECT e.rowid AS eid, g.time AS granted_at, coalesce(g.label, g.client) AS app, g.label IS NULL AS unnamed
  FROM granted g JOIN events e ON (e.identity = g.name OR lower(e.app) = g.name) AND e.time >= g.time
),
acts AS (
  -- A consent that names the app (Entra's, Google's) names it rather than one that gives only its id (the unified
  -- audit log's copy).
  SELECT a.eid, arg_min(a.app, (a.unnamed, a.granted_at)) AS app, min(a.granted_at) AS granted_at
  FROM (SELECT * FROM by_id UNION ALL SELECT * FROM by_name) a
  WHERE a.eid NOT IN (SELECT eid FROM named_events)
  GROUP BY a.eid
),
-- An app that ran before the consent (an existing integration given a new secret or new permissions) keeps running from
-- its own hosts: what the app itself (a service or agent, not the person whose records name it) did from a network it
-- had used before the consent is its everyday work.
done AS (
  SELECT v.sid, a.eid, a.app, v.time, coalesce(e.target_name, e.target_id) AS target, g.ip, g.city, g.country, g.asn, g.as_org,
         api_operation_tried(e.source, e.source_type, e.raw, e.outcome) AS op
  FROM acts a JOIN ev v ON v.eid = a.eid JOIN events e ON e.rowid = a.eid LEFT JOIN ip_geo g ON g.id = v.gid
  WHERE v.atype NOT IN (2, 3) OR NOT EXISTS (
    SELECT 1 FROM ev w JOIN ip_geo h ON h.id = w.gid
    WHERE w.iid = v.iid AND w.time < a.granted_at AND (h.ip = g.ip OR h.asn = g.asn)
  )
)
SELECT 'f' || substr(md5(s.id || ':consented_app_activity'), 1, 16), NULL, s.id, d.sid, NULL, s.identity,
       'anomaly', 'consented_app_activity', $severity, $sev_rank,
       $title || ', ' || string_agg(DISTINCT d.app, ', ' ORDER BY d.app) || ': ' || operations_named(list({'op': d.op, 'time': d.time}))
         || coalesce(' → ' || targets_named(list(d.target ORDER BY d.time) FILTER (WHERE d.target IS NOT NULL AND lower(d.target) <> lower(d.app))), '')
         || from_networks(d.country, d.ip, d.as_org),
       count(*) || CASE WHEN count(*) > 1 THEN ' events' ELSE ' event' END || ' of ' || string_agg(DISTINCT d.app, ', ' ORDER BY d.app)
         || ' after the consent that no other finding names'
         || from_network_details(d.ip, d.city, d.country, d.asn, d.as_org),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(d.time), max(d.time), list(d.eid ORDER BY d.time)[1:50],
       CAST([] AS VARCHAR[])
FROM done d JOIN sessions s ON s.sid = d.sid
GROUP BY d.sid, s.id, s.identity

-- name: detect.created-credential-use
-- What was done with a credential a finding reported being made (`credential_created`: an access key, a client secret
-- or certificate, a token), by the service or agent it was made for (the record's target, by name or id), at or after
-- it, from a network that identity had not used before it (its own hosts go on working with a rotated secret), that no
-- other finding names: the backdoor key's first calls from the intruder's server, the new secret's sign-ins. Not a
-- person's: their first sign-in from home after a help desk's password reset is everyday (the reset before a reported
-- takeover is recovery_before_takeover's). Not the maker's own records either. One finding per session, naming each
-- operation, the first targets and the addresses.
INSERT INTO findings_raw
WITH made AS (
  SELECT DISTINCT v.iid AS maker, v.time, t.name
  FROM (SELECT unnest(eids) AS eid FROM findings_raw WHERE category = 'credential_created') f
  JOIN ev v ON v.eid = f.eid JOIN events e ON e.rowid = f.eid,
  (SELECT unnest([lower(e.target_name), lower(e.target_id)]) AS name) t
  WHERE e.outcome <> 'failure' AND t.name IS NOT NULL
),
used AS (
  SELECT v.eid, v.iid, v.gid, min(m.time) AS made_at
  FROM made m JOIN idents i ON i.identity = m.name JOIN ev v ON v.iid = i.iid AND v.time >= m.time AND v.iid <> m.maker
  WHERE v.atype IN (2, 3) AND v.eid NOT IN (SELECT eid FROM named_events)
  GROUP BY v.eid, v.iid, v.gid
),
done AS (
  SELECT v.sid, u.eid, v.time, coalesce(e.target_name, e.target_id) AS target, g.ip, g.city, g.country, g.asn, g.as_org,
         api_operation_tried(e.source, e.source_type, e.raw, e.outcome) AS op
  FROM used u JOIN ev v ON v.eid = u.eid JOIN events e ON e.rowid = u.eid LEFT JOIN ip_geo g ON g.id = u.gid
  WHERE NOT EXISTS (
    SELECT 1 FROM ev w JOIN ip_geo h ON h.id = w.gid
    WHERE w.iid = u.iid AND w.time < u.made_at AND (h.ip = g.ip OR h.asn = g.asn)
  )
)
SELECT 'f' || substr(md5(s.id || ':created_credential_use'), 1, 16), NULL, s.id, d.sid, NULL, s.identity,
       'anomaly', 'created_credential_use', $severity, $sev_rank,
       $title || ', ' || s.identity || ': ' || operations_named(list({'op': d.op, 'time': d.time}))
         || coalesce(' → ' || targets_named(list(d.target ORDER BY d.time) FILTER (WHERE d.target IS NOT NULL)), '')
         || from_networks(d.country, d.ip, d.as_org),
       count(*) || CASE WHEN count(*) > 1 THEN ' events' ELSE ' event' END
         || ' after a credential was made for the identity, from a network it had not used before, that no other finding names'
         || from_network_details(d.ip, d.city, d.country, d.asn, d.as_org),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(d.time), max(d.time), list(d.eid ORDER BY d.time)[1:50],
       CAST([] AS VARCHAR[])
FROM done d JOIN sessions s ON s.sid = d.sid
GROUP BY d.sid, s.id, s.identity

-- name: detect.personal-exfiltration
-- What a person took around sending data to a personal address. The sending: an event a standing finding names whose
-- rule sends data out (an ATT&CK technique of $techniques, a JSON array, or one of its sub-techniques: a share, a
-- forwarding rule, a guest invitation, a refused one too) and whose indicators name an address at a consumer mail
-- service ($consumer, a JSON array) or a guest account made of one (name_gmail.com#EXT#@tenant). What was taken: the
-- same person's downloads and exports (events a `data_export` rule matched, the routine ones a familiar network
-- silenced included) within $hours of the sending, from its session, address or network (AS; a sending whose record
-- names no address is placed by its session's nearest record that does), that no finding names. The departing
-- employee's downloads at their desk, mailed home the same afternoon; not the takeover victim's own work, which comes
-- from another network than the intruder who forwards their mail. One finding per session, naming the personal
-- addresses, what was taken and the first targets.
INSERT INTO findings_raw
WITH hits AS (
  SELECT v.iid, v.sid, v.time, v.gid,
         unnest(regexp_extract_all(regexp_replace(lower(h.ind), '_([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})#ext#@[a-z0-9.-]+', '@\1', 'g'),
                                   '[a-z0-9._%+''-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}')) AS addr
  FROM rule_hits h JOIN sigma_rules r ON r.rule_no = h.rule_no JOIN ev v ON v.eid = h.eid
  WHERE h.eid IN (SELECT eid FROM named_events) AND v.atype = 1
    AND len(list_filter(r.attack, t -> list_contains(from_json($techniques::JSON, '["VARCHAR"]'), t)
                                       OR list_contains(from_json($techniques::JSON, '["VARCHAR"]'), split_part(t, '.', 1)))) > 0
),
sent AS (
  SELECT iid, sid, time, gid, list(DISTINCT addr) AS addrs
  FROM hits WHERE list_contains(from_json($consumer::JSON, '["VARCHAR"]'), split_part(addr, '@', 2))
  GROUP BY iid, sid, time, gid
),
-- Where the sending came from: its record's address, else (a DLP verdict, an audit record without one) the address of
-- its session's record nearest to it in time (a session may hold the victim's consent and the intruder's downloads).
placed AS (
  SELECT s.iid, s.sid, s.time, arg_min(w.gid, abs(epoch(w.time) - epoch(s.time))) AS gid
  FROM sent s JOIN ev w ON w.sid = s.sid AND w.gid IS NOT NULL
  WHERE s.gid IS NULL
  GROUP BY s.iid, s.sid, s.time
),
sent_from AS (
  SELECT s.iid, s.sid, s.time, s.addrs, g.ip, g.asn
  FROM sent s LEFT JOIN placed p ON s.gid IS NULL AND p.iid = s.iid AND p.sid = s.sid AND p.time = s.time
  LEFT JOIN ip_geo g ON g.id = coalesce(s.gid, p.gid)
),
taken AS (
  SELECT v.sid, v.eid, any_value(v.time) AS time, list_sort(list_distinct(flatten(list(s.addrs)))) AS addrs
  FROM event_rules er JOIN ev v ON v.eid = er.eid LEFT JOIN ip_geo g ON g.id = v.gid
  JOIN sent_from s ON s.iid = v.iid AND abs(epoch(v.time) - epoch(s.time)) <= $hours * 3600
  WHERE er.category = 'data_export' AND v.eid NOT IN (SELECT eid FROM named_events)
    AND (v.sid = s.sid OR g.ip = s.ip OR g.asn = s.asn)
  GROUP BY v.sid, v.eid
),
done AS (
  SELECT t.sid, t.eid, t.time, t.addrs, coalesce(e.target_name, e.target_id) AS target, coalesce(operation(e.source_type), '(no type)') AS op,
         g.ip, g.city, g.country, g.asn, g.as_org
  FROM taken t JOIN events e ON e.rowid = t.eid JOIN ev v ON v.eid = t.eid LEFT JOIN ip_geo g ON g.id = v.gid
)
SELECT 'f' || substr(md5(s.id || ':personal_exfiltration'), 1, 16), NULL, s.id, d.sid, NULL, s.identity,
       'anomaly', 'personal_exfiltration', $severity, $sev_rank,
       $title || ' (' || array_to_string(list_sort(list_distinct(flatten(list(d.addrs)))), ', ') || '): ' || operations_named(list({'op': d.op, 'time': d.time}))
         || coalesce(' → ' || targets_named(list(d.target ORDER BY d.time) FILTER (WHERE d.target IS NOT NULL)), '')
         || from_networks(d.country, d.ip, d.as_org),
       count(*) || CASE WHEN count(*) > 1 THEN ' downloads and exports' ELSE ' download or export' END
         || ' within ' || CAST($hours AS BIGINT) || ' h of data sent to a personal address, from the same session or network'
         || from_network_details(d.ip, d.city, d.country, d.asn, d.as_org),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(d.time), max(d.time), list(d.eid ORDER BY d.time)[1:50],
       CAST([] AS VARCHAR[])
FROM done d JOIN sessions s ON s.sid = d.sid
GROUP BY d.sid, s.id, s.identity

-- name: detect.reported-network-activity
-- What an identity went on to do from an address a sign-in finding reported it signing in from (new_network,
-- flagged_network, scripted_sign_in: a success, not a failed try or a push that went out): the stolen session's mail
-- reads, sends and deletions, file views, channel joins, API calls, the sign-ins refused there, and the sessions it
-- came back in from there once the address had become familiar, in any app, at or after that sign-in. Only what no
-- other finding names: the sign-in findings name the sign-ins, the rules the risky actions; the successful sign-ins and
-- hand-offs to other apps in the reported sessions are the sign-in findings' subject. One finding per session, naming
-- the address, each action (how many, which failed) and the first targets.
INSERT INTO findings_raw
WITH reported AS (
  SELECT iid, gid, min(time) AS since, list(DISTINCT sid) AS sids FROM reported_sign_ins WHERE gid IS NOT NULL GROUP BY iid, gid
),
acts AS (
  SELECT v.sid, v.eid, v.time, coalesce(e.target_name, e.target_id) AS target,
         coalesce(e.source_type, '(no type)') || CASE WHEN e.outcome = 'failure' THEN ' (failed)' ELSE '' END AS op,
         g.ip, g.city, g.country, g.asn, g.as_org
  FROM ev v JOIN reported r ON r.iid = v.iid AND r.gid = v.gid AND v.time >= r.since
  JOIN events e ON e.rowid = v.eid JOIN ip_geo g ON g.id = v.gid
  WHERE (v.cat <> (SELECT code FROM cats WHERE category = 'authentication') OR e.outcome = 'failure' OR NOT list_contains(r.sids, v.sid))
    AND v.eid NOT IN (SELECT eid FROM named_events)
)
SELECT 'f' || substr(md5(s.id || ':reported_network_activity'), 1, 16), NULL, s.id, a.sid, NULL, s.identity,
       'anomaly', 'reported_network_activity', $severity, $sev_rank,
       $title || ', ' || string_agg(DISTINCT network_name(a.country, a.ip, a.as_org), ', ' ORDER BY network_name(a.country, a.ip, a.as_org))
         || ': ' || operations_named(list({'op': a.op, 'time': a.time}))
         || coalesce(' → ' || targets_named(list(a.target ORDER BY a.time) FILTER (WHERE a.target IS NOT NULL)), ''),
       'from ' || string_agg(DISTINCT network_detail(a.ip, a.city, a.country, a.asn, a.as_org), '; ') || '; ' || count(*)
         || CASE WHEN count(*) > 1 THEN ' events' ELSE ' event' END || ' no other finding names',
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(a.time), max(a.time), list(a.eid ORDER BY a.time)[1:50],
       CAST([] AS VARCHAR[])
FROM acts a JOIN sessions s ON s.sid = a.sid
GROUP BY a.sid, s.id, s.identity

-- name: detect.recovery-before-takeover
-- A change someone made to another person's account (a help desk's password or factor reset, a group or role added:
-- the routine work no finding names) in the $hours before that person's successful sign-in from an address a sign-in
-- finding reported (new_network, flagged_network, scripted_sign_in): the caller who talked the service desk into a
-- reset, then signed in with it from their VPN. The reset after the intrusion, the responder's, is followed by no such
-- sign-in. One finding per session of the one who made the change, naming the change, the person and where they then
-- signed in from.
INSERT INTO findings_raw
WITH changes AS (
  SELECT er.eid, r.title, v.iid, v.sid, v.time, e.source_type, lower(e.target_name) AS target
  FROM event_rules er JOIN sigma_rules r ON r.rule_no = er.rule_no JOIN ev v ON v.eid = er.eid JOIN events e ON e.rowid = er.eid
  WHERE er.category <> 'attempt' AND e.outcome <> 'failure' AND e.target_name IS NOT NULL AND er.eid NOT IN (SELECT eid FROM named_events)
),
taken AS (SELECT DISTINCT r.iid, r.time, g.ip, g.country, g.as_org FROM reported_sign_ins r JOIN ip_geo g ON g.id = r.gid),
hits AS (
  SELECT c.eid, c.sid, c.time, c.title, c.source_type, t.identity AS person,
         min(k.time) AS taken_at, arg_min(network_name(k.country, k.ip, k.as_org), k.time) AS taken_from
  FROM changes c JOIN identities t ON t.identity = c.target AND t.iid <> c.iid
  JOIN taken k ON k.iid = t.iid AND epoch(k.time) > epoch(c.time) AND epoch(k.time) <= epoch(c.time) + $hours * 3600
  GROUP BY c.eid, c.sid, c.time, c.title, c.source_type, t.identity
)
SELECT 'f' || substr(md5(s.id || ':recovery_before_takeover'), 1, 16), NULL, s.id, h.sid, NULL, s.identity,
       'anomaly', 'recovery_before_takeover', $severity, $sev_rank,
       $title || ': ' || string_agg(DISTINCT h.title || ' (' || operation(h.source_type) || ')', '; ' ORDER BY h.title || ' (' || operation(h.source_type) || ')')
         || ' → ' || string_agg(DISTINCT h.person, ', ' ORDER BY h.person)
         || ' — ' || CAST(round((epoch(min(h.taken_at)) - epoch(arg_min(h.time, h.taken_at))) / 60) AS INTEGER) || ' min before a sign-in from '
         || arg_min(h.taken_from, h.taken_at),
       string_agg(DISTINCT h.person || ' signed in from ' || h.taken_from || ' at ' || strftime(h.taken_at, '%Y-%m-%d %H:%M:%S UTC'), '; '
                  ORDER BY h.person || ' signed in from ' || h.taken_from || ' at ' || strftime(h.taken_at, '%Y-%m-%d %H:%M:%S UTC')),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(DISTINCT h.eid), min(h.time), max(h.time),
       list(DISTINCT h.eid ORDER BY h.eid)[1:50], CAST([] AS VARCHAR[])
FROM hits h JOIN sessions s ON s.sid = h.sid
GROUP BY h.sid, s.id, s.identity

-- name: detect.forwarded-mail
-- The mail that went to an outside address after a finding reported mail being forwarded or sent there (a forwarding
-- or routing rule, a forwarding setting, a send to a personal address: mail_forwarding, personal_exfiltration), as a
-- mail log records its delivery (Gmail's delivery records name each destination; the unified audit log's Exchange
-- records do where they name one): the term sheet the new rule sent to the intruder's Gmail, the payroll mail a
-- routing rule copied to an outside journal. Addresses of identities in the case are the organisation's own and are
-- not followed. Only what no other finding names; one finding per session, naming the addresses, each operation, the
-- subjects and the networks.
INSERT INTO findings_raw
WITH reported AS (
  SELECT addr, min(first) AS since
  FROM (
    SELECT lower(unnest(regexp_extract_all(title || ' ' || coalesce(detail, ''), '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}'))) AS addr, first
    FROM findings_raw WHERE category IN ('mail_forwarding', 'personal_exfiltration')
  )
  WHERE addr NOT IN (SELECT identity FROM identities)
  GROUP BY addr
),
mail AS (
  SELECT e.rowid AS eid, e.source, e.source_type, e.raw, e.time
  FROM events e
  WHERE (e.source = 'google_workspace' AND starts_with(e.source_type, 'gmail:')) OR (e.source = 'm365' AND starts_with(e.source_type, 'Exchange:'))
),
sent AS (
  SELECT v.sid, v.eid, v.time, list(DISTINCT r.addr) AS addrs, nullif(gws_param(m.raw, 'subject'), '') AS subject,
         api_operation(m.source, m.source_type, m.raw) AS op, g.ip, g.city, g.country, g.asn, g.as_org
  FROM mail m JOIN reported r ON m.time >= r.since AND contains(lower(m.raw), '"' || r.addr || '"')
  JOIN ev v ON v.eid = m.eid LEFT JOIN ip_geo g ON g.id = v.gid
  WHERE m.eid NOT IN (SELECT eid FROM named_events)
  GROUP BY ALL
)
SELECT 'f' || substr(md5(s.id || ':forwarded_mail'), 1, 16), NULL, s.id, d.sid, NULL, s.identity,
       'anomaly', 'forwarded_mail', $severity, $sev_rank,
       $title || ' (' || array_to_string(list_sort(list_distinct(flatten(list(d.addrs)))), ', ') || '): '
         || operations_named(list({'op': d.op, 'time': d.time}))
         || coalesce(' → ' || targets_named(list(d.subject ORDER BY d.time) FILTER (WHERE d.subject IS NOT NULL)), '')
         || from_networks(d.country, d.ip, d.as_org),
       count(*) || CASE WHEN count(*) > 1 THEN ' mail records' ELSE ' mail record' END
         || ' naming an outside address a finding reported mail being forwarded or sent to'
         || from_network_details(d.ip, d.city, d.country, d.asn, d.as_org),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(d.time), max(d.time), list(d.eid ORDER BY d.time)[1:50],
       CAST([] AS VARCHAR[])
FROM sent d JOIN sessions s ON s.sid = d.sid
GROUP BY d.sid, s.id, s.identity

-- name: detect.rented-network
-- What an identity did from an address on a rented network (detect.rented-addresses: a commercial VPN's exit, a server
-- rented by the hour) that no other finding names: a leaked key's first calls from the thief's server, a stolen
-- cookie's channel changes, a guest redeemed from a VPN, an agent's identity used from outside its vendor's cloud. From
-- the identity's first record in the case on: such an address says nothing of who is behind it, so having used it
-- before makes it no one's own. A person at a VPN exit that a record says its vendor checked and found no anonymizing
-- proxy at (Okta's isProxy false) is not reported: the record's own word on the address wins. Nor are the
-- organisation's own egress (an address block $colleagues other people signed in from: a company VPN on a rented host)
-- and a device the record says the organisation manages. One finding per session, naming each operation (how many,
-- which failed), the first targets, the long-term AWS access key (AKIA…) the session ran on and the addresses; a
-- session whose every event there failed is reported one severity lower.
INSERT INTO findings_raw
WITH done AS (
  SELECT v.sid, v.eid, v.time, e.outcome = 'failure' AS refused, coalesce(e.target_name, e.target_id) AS target, r.kind,
         api_operation_tried(e.source, e.source_type, e.raw, e.outcome) AS op,
         g.ip, g.city, g.country, g.asn, g.as_org
  FROM ev v JOIN rented r ON r.gid = v.gid JOIN identities i ON i.iid = v.iid JOIN events e ON e.rowid = v.eid
  JOIN ip_geo g ON g.id = v.gid LEFT JOIN egress b ON b.block = address_block(g.ip)
  WHERE v.eid NOT IN (SELECT eid FROM named_events) AND NOT coalesce(e.device_managed, false)
    AND (r.kind = 'hosting' OR i.type IS DISTINCT FROM 'human' OR NOT r.cleared)
    AND colleagues(b.iids, v.iid) < $colleagues
)
SELECT 'f' || substr(md5(s.id || ':rented_network'), 1, 16), NULL, s.id, d.sid, NULL, s.identity,
       'anomaly', 'rented_network',
       tried_severity(NOT bool_and(d.refused), $severity, $sev_rank),
       tried_rank(NOT bool_and(d.refused), $sev_rank),
       $title || coalesce(' (' || s.identity || ')', '') || ': ' || operations_named(list({'op': d.op, 'time': d.time}))
         || coalesce(' → ' || targets_named(list(d.target ORDER BY d.time) FILTER (WHERE d.target IS NOT NULL)), '')
         || CASE WHEN any_value(s.session_key) LIKE 'AKIA%' THEN ' with key ' || any_value(s.session_key) ELSE '' END
         || from_networks(d.country, d.ip, d.as_org),
       count(*) || CASE WHEN count(*) > 1 THEN ' events' ELSE ' event' END
         || CASE WHEN bool_or(d.refused) THEN ' (' || count(*) FILTER (WHERE d.refused) || ' refused)' ELSE '' END
         || ' that no other finding names, from a rented network ('
         || array_to_string(list_sort(list_distinct(list(CASE d.kind WHEN 'hosting' THEN 'server hosting' ELSE 'VPN' END))), ', ') || ')'
         || from_network_details(d.ip, d.city, d.country, d.asn, d.as_org),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(d.time), max(d.time), list(d.eid ORDER BY d.time)[1:50],
       CAST([] AS VARCHAR[])
FROM done d JOIN sessions s ON s.sid = d.sid
GROUP BY d.sid, s.id, s.identity

-- name: detect.push-runs
-- A push a finding names also names the workflow runs it set off (GitHub's workflows.created_workflow_run and
-- completed_workflow_run triggered by a push, of the same repository and branch, the commit too where both records
-- name it, within an hour after it) that no finding names: the intruder's workflow, run with the repository's secrets
-- in reach, is the push's doing. The run's record has no address, so no network speaks for it. The title says which
-- workflows ran.
UPDATE findings_raw SET eids = list_concat(findings_raw.eids, x.more)[1:50], count = findings_raw.count + len(x.more),
       first = least(findings_raw.first, x.first), last = greatest(findings_raw.last, x.last),
       title = findings_raw.title || ' — with the workflow run' || CASE WHEN x.n > 1 THEN 's' ELSE '' END || ' it set off: ' || x.workflows
FROM (
  WITH pushes AS (
    SELECT f.id, e.time, e.target_name AS repo,
           regexp_replace(p[1], '^refs/heads/', '') AS branch, coalesce(p[2], p[3]) AS sha
    FROM (SELECT id, unnest(eids) AS eid FROM findings_raw WHERE category <> 'impossible_travel') f
    JOIN events e ON e.rowid = f.eid,
    LATERAL (SELECT json_extract_string(e.raw, ['$.ref', '$.after', '$.data.after']) AS p)
    WHERE e.source = 'github' AND e.source_type = 'git.push' AND e.outcome <> 'failure'
  ),
  runs AS (
    SELECT e.rowid AS eid, e.time, e.target_name AS repo, w[1] AS branch, w[2] AS sha, w[3] AS trigger, w[4] AS workflow, w[5] AS run
    FROM events e,
    LATERAL (SELECT json_extract_string(e.raw, ['$.head_branch', '$.head_sha', '$.event', '$.name', '$.workflow_run_id']) AS w)
    WHERE e.source = 'github' AND e.source_type IN ('workflows.created_workflow_run', 'workflows.completed_workflow_run')
      AND e.rowid NOT IN (SELECT eid FROM named_events)
  ),
  set_off AS (
    SELECT DISTINCT p.id, r.eid, r.time, r.workflow, r.branch, coalesce(r.run, r.eid::VARCHAR) AS run
    FROM pushes p JOIN runs r ON r.repo = p.repo AND r.branch = p.branch AND coalesce(r.trigger, 'push') = 'push'
      AND (r.sha IS NULL OR p.sha IS NULL OR r.sha = p.sha)
      AND r.time >= p.time AND epoch(r.time) - epoch(p.time) <= 3600
  )
  SELECT id, list(DISTINCT eid) AS more, min(time) AS first, max(time) AS last, count(DISTINCT run) AS n,
         string_agg(DISTINCT coalesce(workflow, 'a workflow'), ', ' ORDER BY coalesce(workflow, 'a workflow')) || ' on ' || any_value(branch) AS workflows
  FROM set_off GROUP BY id
) x
WHERE findings_raw.id = x.id

-- name: detect.agent-around-action
-- What an AI agent did within $minutes of its own glaring action (a rule that is neither routine nor an attempt, of high
-- or critical level, matched one of its events and stands: a forwarding rule, a user put in a group) that no other
-- finding names, in any app: the hijacked assistant's mail reads and searches, the channel it joined, the file it
-- posted there. An agent runs from its vendor's network on every task, so where it came from tells nothing; what it
-- did beside such an act is that act's company. One finding per session, naming the people it acted for (a delegated
-- key impersonating the CFO), each operation (how many, which failed), the first targets, the act it lay beside and the
-- addresses; a session whose every event there failed is reported one severity lower.
INSERT INTO findings_raw
WITH glaring AS (
  SELECT DISTINCT v.iid, v.time, operation(e.source_type) AS act
  FROM finding_events fe JOIN event_rules er ON er.eid = fe.eid JOIN sigma_rules r ON r.rule_no = er.rule_no
  JOIN ev v ON v.eid = fe.eid JOIN events e ON e.rowid = fe.eid
  WHERE v.atype = 3 AND glaring_rule(r.routine, r.sev_rank, r.category)
),
done AS (
  SELECT v.sid, v.eid, v.time, e.outcome = 'failure' AS refused, coalesce(e.target_name, e.target_id) AS target,
         api_operation_tried(e.source, e.source_type, e.raw, e.outcome) AS op,
         lower(e.acting_for) AS acting_for, list(DISTINCT x.act) AS acts, g.ip, g.city, g.country, g.asn, g.as_org
  FROM ev v JOIN glaring x ON x.iid = v.iid AND abs(epoch(x.time) - epoch(v.time)) <= $minutes * 60
  JOIN events e ON e.rowid = v.eid LEFT JOIN ip_geo g ON g.id = v.gid
  WHERE v.atype = 3 AND v.eid NOT IN (SELECT eid FROM named_events)
  GROUP BY ALL
)
SELECT 'f' || substr(md5(s.id || ':agent_around_action'), 1, 16), NULL, s.id, d.sid, NULL, s.identity,
       'anomaly', 'agent_around_action',
       tried_severity(NOT bool_and(d.refused), $severity, $sev_rank),
       tried_rank(NOT bool_and(d.refused), $sev_rank),
       $title || coalesce(' (' || s.identity || coalesce(' for ' || targets_named(list(d.acting_for ORDER BY d.time) FILTER (WHERE d.acting_for IS NOT NULL)), '') || ')', '')
         || ': ' || operations_named(list({'op': d.op, 'time': d.time}))
         || coalesce(' → ' || targets_named(list(d.target ORDER BY d.time) FILTER (WHERE d.target IS NOT NULL)), '')
         || ' — beside ' || array_to_string(list_sort(list_distinct(flatten(list(d.acts)))), ', ')
         || from_networks(d.country, d.ip, d.as_org),
       count(*) || CASE WHEN count(*) > 1 THEN ' events' ELSE ' event' END
         || CASE WHEN bool_or(d.refused) THEN ' (' || count(*) FILTER (WHERE d.refused) || ' refused)' ELSE '' END
         || ' that no other finding names, within ' || CAST($minutes AS BIGINT) || ' min of the agent''s own '
         || array_to_string(list_sort(list_distinct(flatten(list(d.acts)))), ', ')
         || from_network_details(d.ip, d.city, d.country, d.asn, d.as_org),
       from_json($attack::JSON, '["VARCHAR"]'), $nhi, count(*), min(d.time), max(d.time), list(d.eid ORDER BY d.time)[1:50],
       CAST([] AS VARCHAR[])
FROM done d JOIN sessions s ON s.sid = d.sid
GROUP BY d.sid, s.id, s.identity

-- name: detect.anomaly-events
INSERT INTO finding_events
SELECT id, unnest(eids) FROM findings_raw WHERE kind = 'anomaly' AND category <> 'mass_access'

-- name: detect.corroborated
-- A finding made only by rules marked `afterlogin.corroborated` (everyday work an intruder does too: a new user, a
-- user's own new factor, a report exported) stays only when another finding names the same identity within $hours of
-- it: the backdoor account created in a hijacked session, beside its proxy sign-in, its new network or its other
-- changes, not the new hire onboarded in a quiet one.
-- The identity, not the session: Entra's audit records and the sign-in that carries the verdict are sessions apart. A
-- finding about the same events (the first admin action of an identity, which this creation is) corroborates nothing.
DELETE FROM findings_raw WHERE id IN (
  WITH weak AS (
    SELECT fr.finding_id FROM finding_rules fr JOIN sigma_rules r ON list_contains(fr.rules, r.rule_no)
    GROUP BY fr.finding_id HAVING bool_and(r.corroborated)
  )
  SELECT f.id FROM findings_raw f SEMI JOIN weak w ON w.finding_id = f.id
  WHERE NOT EXISTS (
    SELECT 1 FROM findings_raw o
    WHERE o.identity = f.identity AND o.id NOT IN (SELECT finding_id FROM weak) AND NOT list_has_any(o.eids, f.eids)
      AND epoch(o.first) <= epoch(f.last) + $hours * 3600 AND epoch(o.last) >= epoch(f.first) - $hours * 3600
  )
)

-- name: detect.pivots
-- The pivot of each session and chain: the earliest change of context inside it (both events of a hop in the
-- same session, or in sessions of the same chain), with what changed. A chain without such a change has none.
CREATE OR REPLACE TABLE session_pivots AS
SELECT c.sid, any_value(s.id) AS session_id, min(c.time) AS time, arg_min(c.eid, (c.time, c.eid)) AS eid, arg_min(c.changes, (c.time, c.eid)) AS changes
FROM context_changes c JOIN sessions s ON s.sid = c.sid
WHERE c.psid = c.sid
GROUP BY c.sid

-- name: detect.chain-pivots
CREATE OR REPLACE TABLE chain_pivots AS
SELECT a.chain_id, min(c.time) AS time, arg_min(c.eid, (c.time, c.eid)) AS eid, arg_min(c.changes, (c.time, c.eid)) AS changes
FROM context_changes c JOIN chain_sessions a ON a.sid = c.sid JOIN chain_sessions b ON b.sid = c.psid AND b.chain_id = a.chain_id
GROUP BY a.chain_id

-- name: detect.event-ids
-- findings is written once, here. Each keeps the row ids of its proving events (eids, in order); their uids, as
-- the UI and the CLI name them, are looked up when a finding is read (queries/sessions/read.sql): resolving all
-- of them here cost seconds on big cases for ids nobody may read.
-- The detectors run while links are still being built: each finding gets its chain here, and a travel hop whose
-- other event lies in another chain is dropped (that chain is not this one's evidence). A finding whose last
-- event is at or after its chain's pivot happened after the session changed hands (after_pivot). A finding is
-- break-glass when one of the rules behind it says so (`afterlogin.breakGlass`), whatever its category; an attempt
-- never is.
CREATE OR REPLACE TABLE findings AS
SELECT f.* EXCLUDE (event_ids) REPLACE (cs.chain_id AS chain_id), p.time IS NOT NULL AND f.last >= p.time AS after_pivot,
       f.category <> 'attempt' AND coalesce(g.glass, false) AS break_glass
FROM findings_raw f JOIN chain_sessions cs ON cs.sid = f.sid
LEFT JOIN (
  SELECT fr.finding_id, bool_or(r.break_glass) AS glass
  FROM finding_rules fr JOIN sigma_rules r ON list_contains(fr.rules, r.rule_no) GROUP BY fr.finding_id
) g ON g.finding_id = f.id
-- The travel finding's other session, as one equality: with the category test beside it DuckDB joined by nested loop.
LEFT JOIN sessions r ON r.id = CASE WHEN f.category = 'impossible_travel' THEN f.related_session END
LEFT JOIN chain_sessions rc ON rc.sid = r.sid
LEFT JOIN chain_pivots p ON p.chain_id = cs.chain_id
WHERE rc.chain_id IS NULL OR rc.chain_id = cs.chain_id

-- name: detect.orphan-events
-- The proving events of findings event-ids dropped.
DELETE FROM finding_events WHERE finding_id NOT IN (SELECT id FROM findings)
