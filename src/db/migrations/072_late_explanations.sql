-- Issue 25 item 5: a late dossier's explanation (giải trình) and its review are events folded into the state
-- (src/dossiers/explanation.ts); the projection copies where each dossier stands as typed columns, so the dashboard
-- counts the late dossiers still unexplained or unacknowledged without reading states. Existing dossiers have no
-- explanation event: null is their true value, no replay is needed.
ALTER TABLE dossiers
  ADD COLUMN explanation_status text CHECK (explanation_status IN ('submitted', 'acknowledged', 'returned')),
  ADD COLUMN explained_at timestamptz;

-- The dashboard's "finished late and not explained" reads the late finished dossiers not yet acknowledged: a small
-- part of the table, found by this partial index (the open overdue ones come through dossiers' open indexes).
CREATE INDEX dossiers_late_unexplained ON dossiers (due_at)
  WHERE finished_at IS NOT NULL AND (outcome = 'late' OR rate_outcome = 'late') AND explanation_status IS DISTINCT FROM 'acknowledged';
