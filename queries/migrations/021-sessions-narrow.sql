-- The per-event analysis table holds integers only (row id, session, identity, IP, user agent, target,
-- category codes): writing a million strings again after the import is what made analysis slow. Strings
-- live once in small dictionaries (idents, uas, targets, srcs, cats, ip_geo).

DROP TABLE ev;
CREATE TABLE ev (
  eid BIGINT,            -- events.rowid
  time TIMESTAMPTZ,
  sid INTEGER,           -- sessions.sid
  iid INTEGER,           -- idents.iid (resolved identity)
  src UTINYINT,          -- srcs.code
  keyed BOOLEAN,         -- the session comes from a native key (else identity + idle gap)
  gid INTEGER,           -- ip_geo.id
  uaid INTEGER,          -- uas.uaid
  tid INTEGER,           -- targets.tid
  cat UTINYINT,          -- cats.code (the event's own category)
  rule_no SMALLINT,      -- matched risky-action rule
  is_read BOOLEAN,
  is_login BOOLEAN,      -- a successful sign-in from a browser or console
  atype UTINYINT         -- 0 unknown, 1 human, 2 service, 3 agent, as the log says
);

CREATE TABLE idents (iid INTEGER, identity VARCHAR);
CREATE TABLE ident_raw (raw VARCHAR, iid INTEGER);
CREATE TABLE uas (uaid INTEGER, ua VARCHAR, family VARCHAR);
CREATE TABLE targets (tid INTEGER, target VARCHAR, h VARCHAR);
CREATE TABLE srcs (code UTINYINT, source VARCHAR);
CREATE TABLE cats (code UTINYINT, category VARCHAR);
CREATE TABLE skeys (sid INTEGER, source VARCHAR, native_key VARCHAR, id VARCHAR);

DROP TABLE sessions;
CREATE TABLE sessions (
  sid INTEGER, id VARCHAR, source VARCHAR, src UTINYINT, identity VARCHAR, iid INTEGER, session_key VARCHAR, start TIMESTAMPTZ,
  "end" TIMESTAMPTZ, events BIGINT, first_gid INTEGER, first_uaid INTEGER, first_ip VARCHAR, first_ua VARCHAR, ips VARCHAR[],
  countries VARCHAR[], idp BOOLEAN, console BOOLEAN
);

DROP TABLE chain_sessions;
CREATE TABLE chain_sessions (chain_id VARCHAR, session_id VARCHAR, sid INTEGER, parent VARCHAR);

DROP TABLE identities;
CREATE TABLE identities (
  identity VARCHAR, type VARCHAR, reason VARCHAR, events BIGINT, sources VARCHAR[], first TIMESTAMPTZ, last TIMESTAMPTZ, iid INTEGER
);

DROP TABLE findings;
CREATE TABLE findings (
  id VARCHAR, chain_id VARCHAR, session_id VARCHAR, sid INTEGER, related_session VARCHAR, identity VARCHAR, kind VARCHAR,
  category VARCHAR, severity VARCHAR, sev_rank INTEGER, title VARCHAR, detail VARCHAR, attack VARCHAR[],
  owasp_nhi VARCHAR, count BIGINT, first TIMESTAMPTZ, last TIMESTAMPTZ, eids BIGINT[], event_ids VARCHAR[]
);

DROP TABLE finding_events;
CREATE TABLE finding_events (finding_id VARCHAR, eid BIGINT);

-- The IP cache is rebuilt, now with ids.
DROP TABLE ip_geo;
CREATE TABLE ip_geo (
  raw VARCHAR PRIMARY KEY,
  ip VARCHAR,
  city VARCHAR,
  country VARCHAR,
  lat DOUBLE,
  lon DOUBLE,
  asn INTEGER,
  as_org VARCHAR,
  origin VARCHAR NOT NULL,
  vpn BOOLEAN NOT NULL,
  id INTEGER NOT NULL
);
