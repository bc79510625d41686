-- Migration 080 rebuilt the event log as a table partitioned by month: the partial indexes that migrations 023 (the
-- register of apology letters reads issued apologies by instant) and 030 (the reports find the voids and corrections
-- of a period) had made on the old table went with it. The same indexes on the partitioned log (each month gets its own).
CREATE INDEX IF NOT EXISTS dossier_events_apologies ON dossier_events (occurred_at) WHERE type = 'apology_issued';
CREATE INDEX IF NOT EXISTS dossier_events_corrections ON dossier_events (occurred_at) INCLUDE (dossier_code) WHERE type IN ('voided', 'corrected');
