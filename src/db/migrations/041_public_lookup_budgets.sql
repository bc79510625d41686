-- Issue 27 item 6: the public lookup finds a code in any letter case, and failed tries are budgeted per code and for
-- the whole service (the per-address limit alone let 500 addresses find one dossier's 4 digits within 15 minutes).
CREATE INDEX dossiers_code_upper ON dossiers (upper(code));

-- Failed lookups per code (upper-cased; the empty key '' counts every code: the global budget), in windows of one
-- hour; `unseen`: failures since the owner's last successful lookup, which is then told of them.
CREATE TABLE lookup_failures (
  code_key        text PRIMARY KEY,
  failures        integer NOT NULL,
  window_start    timestamptz NOT NULL,
  unseen          integer NOT NULL DEFAULT 0,
  last_failure_at timestamptz NOT NULL
);
CREATE INDEX lookup_failures_last ON lookup_failures (last_failure_at);
