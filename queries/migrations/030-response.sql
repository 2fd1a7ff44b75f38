-- Response actions (the durable outbox), their attempts, and the hash-chained audit trail.

CREATE TABLE response_actions (
  id VARCHAR PRIMARY KEY,
  batch_id VARCHAR,                    -- actions confirmed together (one per connector) share it
  created_at TIMESTAMPTZ NOT NULL,
  analyst VARCHAR NOT NULL,
  reason VARCHAR NOT NULL,
  connector VARCHAR NOT NULL,          -- okta | entra | google | slack | github | salesforce | aws | ssf
  action VARCHAR NOT NULL,             -- step-up | revoke-tokens | terminate-session | suspend-identity
  identity VARCHAR NOT NULL,           -- the resolved identity the action targets
  chain_id VARCHAR,                    -- the chain it was taken from, when any
  session_keys JSON,                   -- native session keys the action is meant to cut
  dry_run BOOLEAN NOT NULL,
  status VARCHAR NOT NULL,             -- pending | running | done | failed | partial | dry-run
  plan JSON NOT NULL,                  -- the previewed calls (method, url, body) — never a secret
  executed_at TIMESTAMPTZ,             -- when the last call succeeded: the revocation time post_revocation compares with
  finished_at TIMESTAMPTZ,
  error VARCHAR                        -- why it failed or waits, in one line (never a secret)
);

-- The concrete calls an action sent, written before each is sent (write-ahead), in order.
CREATE TABLE response_calls (
  action_id VARCHAR NOT NULL,
  call_no INTEGER NOT NULL,
  call_key VARCHAR NOT NULL,           -- stable identity of the call, so a resumed action skips what is done
  method VARCHAR NOT NULL,
  url VARCHAR NOT NULL,
  body JSON,                           -- never a secret
  purpose VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,               -- lookup | change
  safe_to_repeat BOOLEAN NOT NULL,
  status VARCHAR NOT NULL,             -- queued | sending | done | failed | unknown | skipped
  http_status INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  request_id VARCHAR,
  error VARCHAR,
  PRIMARY KEY (action_id, call_no)
);

CREATE TABLE response_attempts (
  action_id VARCHAR NOT NULL,
  call_no INTEGER NOT NULL,            -- the call in response_calls
  attempt INTEGER NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ,
  method VARCHAR NOT NULL,
  url VARCHAR NOT NULL,
  http_status INTEGER,
  request_id VARCHAR,
  error VARCHAR,
  PRIMARY KEY (action_id, call_no, attempt)
);

CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  recorded_at TIMESTAMPTZ NOT NULL,   -- `at` is a reserved word in DuckDB
  actor VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,               -- response.intent | response.attempt | response.result | identity.map | link.reject | …
  subject VARCHAR,
  detail JSON NOT NULL,
  prev_hash VARCHAR NOT NULL,
  hash VARCHAR NOT NULL                -- sha256(prev_hash || canonical JSON of the record)
);
