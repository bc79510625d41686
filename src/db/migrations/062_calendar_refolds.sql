-- A calendar import's re-fold, recorded with its revision so that one interrupted (a SIGTERM whose grace ran out, a
-- kill) is finished later (issue 29): the dossiers the revision touches, in the order they are re-folded, and how
-- many are done. Each batch advances `done` in the transaction that re-folds it, so an interruption loses at most
-- the batch in flight, which is done again. A start of `serve` or `worker`, or the next alert scan, resumes it.
-- Not backed up: a restore replays every dossier with the calendar of its last revision.
CREATE TABLE calendar_refolds (
  revision    integer PRIMARY KEY,
  codes       text[] NOT NULL,
  done        integer NOT NULL DEFAULT 0,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX calendar_refolds_running ON calendar_refolds (revision) WHERE finished_at IS NULL;
