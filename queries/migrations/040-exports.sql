-- Every file the case exported (OCSF, CSV, Parquet, report): where it went and the sha256 it had when written.

CREATE TABLE exports (
  id VARCHAR PRIMARY KEY,
  kind VARCHAR NOT NULL,               -- events-ocsf | findings-ocsf | events-csv | chains-csv | events-parquet | chains-parquet | report-html
  path VARCHAR NOT NULL,
  rows BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  sha256 VARCHAR NOT NULL,
  chain_id VARCHAR,
  created_at TIMESTAMPTZ NOT NULL
);
