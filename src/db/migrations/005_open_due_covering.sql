-- The overdue and due-soon scans read only open, running dossiers by due instant: a covering partial
-- index lets them answer from the index alone.
DROP INDEX dossiers_open_due;
CREATE INDEX dossiers_open_due ON dossiers (due_at) INCLUDE (code) WHERE finished_at IS NULL AND NOT paused;
