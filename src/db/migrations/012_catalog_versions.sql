-- A procedure's processing time changes by a decision with an effective date: dossiers received before it keep the
-- old time (pinned at receipt), those received from it take the new one. Each version is a row.
ALTER TABLE procedures
  ADD COLUMN valid_from date NOT NULL DEFAULT '2000-01-01',
  ADD COLUMN valid_to date,
  ADD COLUMN field_code text;
ALTER TABLE procedures DROP CONSTRAINT procedures_pkey;
ALTER TABLE procedures ADD PRIMARY KEY (code, valid_from);
ALTER TABLE procedures ADD CONSTRAINT procedures_validity CHECK (valid_to IS NULL OR valid_to >= valid_from);

-- Each applied catalogue import: who, when, from what, and what it added, changed and retired.
CREATE TABLE catalog_revisions (
  id          serial PRIMARY KEY,
  applied_at  timestamptz NOT NULL DEFAULT now(),
  applied_by  text NOT NULL,
  source      text NOT NULL,
  summary     jsonb NOT NULL
);
