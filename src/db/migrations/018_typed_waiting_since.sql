-- Issue 13: every change of a dossier rewrote all its indexes (no HOT update, 0 of 18,894 in bench:ingest), because
-- 016 indexed an expression on the state document, which every event changes. When the wait for the citizen began
-- is now a typed column, indexed instead; an event that moves no indexed column (a payment, a return, a rating) can
-- then update the row in place of its page. Left room in each page for that new version of the row.
ALTER TABLE dossiers ADD COLUMN waiting_since timestamptz;
UPDATE dossiers SET waiting_since = 'epoch'::timestamptz + (state->>'pausedSince')::bigint * interval '1 millisecond'
WHERE state->>'pausedSince' IS NOT NULL;
DROP INDEX dossiers_waiting_since;
CREATE INDEX dossiers_waiting_since ON dossiers (waiting_since) WHERE finished_at IS NULL AND paused;
ALTER TABLE dossiers SET (fillfactor = 80);
