-- The context a record gives about itself beyond its address: the network (AS) it names, and the identity an AI
-- agent acts for. Then what analysis derives from it: the pivot of a chain (the first event after its context
-- changed) and whether a finding happened after it. Derived tables are rebuilt by every analysis; the columns are
-- added here too so that a case analysed by an earlier build still opens and reads.

ALTER TABLE events ADD COLUMN as_number INTEGER;      -- the record's own AS number (Okta securityContext.asNumber…)
ALTER TABLE events ADD COLUMN as_org VARCHAR;         -- the record's own AS organisation / ISP
ALTER TABLE events ADD COLUMN acting_for VARCHAR;     -- the human or service identity an AI agent acted for
ALTER TABLE events ADD COLUMN net_proxy BOOLEAN;      -- the record says the address is a proxy/anonymiser (Okta securityContext.isProxy)
ALTER TABLE events ADD COLUMN device_managed BOOLEAN; -- the record says the device is managed (Okta device.managed, Entra deviceDetail.isManaged)

ALTER TABLE chains ADD COLUMN acting_for VARCHAR;
ALTER TABLE chains ADD COLUMN pivot_time TIMESTAMPTZ;
ALTER TABLE chains ADD COLUMN pivot_eid BIGINT;
ALTER TABLE chains ADD COLUMN pivot_changes VARCHAR;  -- JSON [{field, from, to}]
ALTER TABLE findings ADD COLUMN after_pivot BOOLEAN;

-- One row per change of context inside a session (network, place, device): written by the detectors.
CREATE TABLE context_changes (
  sid INTEGER, psid INTEGER, eid BIGINT, time TIMESTAMPTZ, peid BIGINT, ptime TIMESTAMPTZ, changes VARCHAR
);
CREATE TABLE chain_pivots (chain_id VARCHAR, time TIMESTAMPTZ, eid BIGINT, changes VARCHAR);
CREATE TABLE session_pivots (sid INTEGER, session_id VARCHAR, time TIMESTAMPTZ, eid BIGINT, changes VARCHAR);
