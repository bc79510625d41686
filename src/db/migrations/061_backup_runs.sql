-- Each `dunghan backup` that completed: where it was written, what it holds, so that `dunghan status` can say when
-- the last one was made and an operator can see whether the schedule runs. Not itself backed up.
CREATE TABLE backup_runs (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  file        text NOT NULL,
  bytes       bigint NOT NULL,
  events      bigint NOT NULL,
  chain_pos   bigint NOT NULL,
  chain_hash  text NOT NULL
);
