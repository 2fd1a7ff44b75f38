-- Sessions, chains and findings. The analyst's own inputs (identity map, rejected links) are kept;
-- everything else is derived by analyzeCase and rebuilt in full after every import or edit.

CREATE TABLE identity_map (
  alias VARCHAR PRIMARY KEY,          -- lower-cased login/email as a log names it (alice-acme)
  identity VARCHAR NOT NULL,          -- the identity it stands for (alice@acme.example)
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE link_rejections (
  link_id VARCHAR PRIMARY KEY,
  from_session VARCHAR NOT NULL,
  to_session VARCHAR NOT NULL,
  rule VARCHAR NOT NULL,
  reason VARCHAR,
  rejected_at TIMESTAMPTZ NOT NULL
);

-- One row per distinct IP text as the logs wrote it (with ports, brackets…): enrichment runs per IP, not per event.
CREATE TABLE ip_geo (
  raw VARCHAR PRIMARY KEY,
  ip VARCHAR,                         -- cleaned address, null when the text is not an IP
  city VARCHAR,
  country VARCHAR,                    -- ISO 3166-1 alpha-2
  lat DOUBLE,
  lon DOUBLE,
  asn INTEGER,
  as_org VARCHAR,
  origin VARCHAR NOT NULL,            -- log | mmdb | private | unknown
  vpn BOOLEAN NOT NULL
);

-- Derived tables (schemas repeated by the CREATE OR REPLACE statements in queries/sessions/analyze.sql).
CREATE TABLE ev (
  uid VARCHAR, source VARCHAR, time TIMESTAMPTZ, identity VARCHAR, session_id VARCHAR, native_key VARCHAR,
  category VARCHAR, source_type VARCHAR, action VARCHAR, outcome VARCHAR, app VARCHAR, actor_type VARCHAR, ua VARCHAR,
  ip VARCHAR, country VARCHAR, lat DOUBLE, lon DOUBLE, asn INTEGER, vpn BOOLEAN, target VARCHAR,
  rule_no INTEGER, risk_category VARCHAR, is_read BOOLEAN
);

CREATE TABLE sessions (
  id VARCHAR, source VARCHAR, identity VARCHAR, session_key VARCHAR, app VARCHAR, start TIMESTAMPTZ, "end" TIMESTAMPTZ,
  events BIGINT, first_ip VARCHAR, first_ua VARCHAR, ips VARCHAR[], countries VARCHAR[], idp BOOLEAN, console BOOLEAN
);

CREATE TABLE links (
  id VARCHAR, from_session VARCHAR, to_session VARCHAR, rule VARCHAR, matched JSON, delta_seconds DOUBLE,
  rejected BOOLEAN, reason VARCHAR
);

CREATE TABLE chain_sessions (chain_id VARCHAR, session_id VARCHAR, parent VARCHAR);

CREATE TABLE identities (
  identity VARCHAR, type VARCHAR, reason VARCHAR, events BIGINT, sources VARCHAR[], first TIMESTAMPTZ, last TIMESTAMPTZ
);

CREATE TABLE findings (
  id VARCHAR, chain_id VARCHAR, session_id VARCHAR, related_session VARCHAR, identity VARCHAR, kind VARCHAR,
  category VARCHAR, severity VARCHAR, sev_rank INTEGER, title VARCHAR, detail VARCHAR, attack VARCHAR[],
  owasp_nhi VARCHAR, count BIGINT, first TIMESTAMPTZ, last TIMESTAMPTZ, event_ids VARCHAR[]
);

CREATE TABLE finding_events (finding_id VARCHAR, uid VARCHAR);

CREATE TABLE chains (
  id VARCHAR, root_session VARCHAR, identity VARCHAR, identity_type VARCHAR, apps VARCHAR[], ips VARCHAR[],
  countries VARCHAR[], start TIMESTAMPTZ, "end" TIMESTAMPTZ, events BIGINT, sessions BIGINT,
  risk INTEGER, response VARCHAR, reasons VARCHAR[]
);

CREATE TABLE analysis_runs (
  ran_at TIMESTAMPTZ NOT NULL,
  ms DOUBLE NOT NULL,
  events BIGINT NOT NULL,
  steps JSON NOT NULL,
  policies JSON NOT NULL
);
