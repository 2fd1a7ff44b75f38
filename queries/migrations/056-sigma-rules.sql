-- Sigma rules: what the last analysis loaded, which events each rule matched and the rules behind each finding.
-- Analysis rebuilds all of them; they exist from the start so that a case analysed before rules existed reads.

CREATE TABLE sigma_rules (
  rule_no INTEGER, id VARCHAR, title VARCHAR, path VARCHAR, kind VARCHAR, source VARCHAR,
  status VARCHAR,                      -- ok | not_applicable | unsupported | error
  reason VARCHAR, level VARCHAR, severity VARCHAR, sev_rank INTEGER, category VARCHAR, attack VARCHAR[],
  owasp_nhi VARCHAR, break_glass BOOLEAN, reported BOOLEAN, description VARCHAR, "references" VARCHAR[],
  falsepositives VARCHAR[], author VARCHAR, rule_status VARCHAR, fields VARCHAR[]
);
CREATE TABLE rule_hits (eid BIGINT, rule_no INTEGER, ind VARCHAR);
CREATE TABLE rule_matches (eid BIGINT, rule_no INTEGER, ind VARCHAR, category VARCHAR, sev_rank INTEGER);
CREATE TABLE event_rules (eid BIGINT, rule_no INTEGER, category VARCHAR, id VARCHAR);
CREATE TABLE finding_rules (finding_id VARCHAR, rule_no INTEGER, rules INTEGER[]);
-- Files that failed to load, with their reason (listed beside the rules in Settings).
CREATE TABLE sigma_rule_errors (path VARCHAR, reason VARCHAR);
