-- The dashboard's "explained, waiting for acknowledgement" queue (store/action-queues.ts) read every dossier to find
-- the few with a submitted explanation (90 ms at 100,000 dossiers, on every dashboard): this partial index holds
-- only those, in the queue's order.
CREATE INDEX dossiers_explanation_submitted ON dossiers (due_at, code) WHERE explanation_status = 'submitted';
