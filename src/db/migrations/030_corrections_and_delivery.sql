-- State version 6 (issue 28 item 6, issue 27 item 4): the fold reads a dossier's log with voided events left out and
-- corrected ones replaced (src/dossiers/corrections.ts), and judges an apology at its delivery when one is recorded
-- (`apology_delivered`, src/dossiers/apology.ts apologyJudgedAt). Stored states are replayed at the next start
-- (AppContext.load); the counters are recounted from the replayed states, as for every bump.
DELETE FROM daily_counts;
-- The voids and corrections recorded after a period's end that touch it: a report of an ended period says it was
-- revised (store/report-store.ts). Few rows: a partial index on them.
CREATE INDEX dossier_events_corrections ON dossier_events (occurred_at) INCLUDE (dossier_code) WHERE type IN ('voided', 'corrected');
