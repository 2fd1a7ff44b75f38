-- The case's own facts: name, creation time, demo flag.
CREATE TABLE case_meta (
  key VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);
