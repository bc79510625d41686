-- The dashboard's "explained, waiting for acknowledgement" queue (store/action-queues.ts) read every dossier to find
-- the few with a submitted explanation (90 ms at 100,000 dossiers, on every dashboard): this partial index holds
-- only those, in the queue's order.
CREATE INDEX dossiers_explanation_submitted ON dossiers (due_at, code) WHERE explanation_status = 'submitted';

-- "Late or overdue and not explained" counts the dossiers finished late this year and the open ones: the finished
-- ones by when they finished, the open ones 766-overdue by their instant (the legally overdue come through
-- dossiers_open_due).
CREATE INDEX dossiers_finished_late ON dossiers (finished_at) WHERE finished_at IS NOT NULL AND (outcome = 'late' OR rate_outcome = 'late');
CREATE INDEX dossiers_open_rate_overdue ON dossiers (rate_overdue_after) WHERE finished_at IS NULL;
