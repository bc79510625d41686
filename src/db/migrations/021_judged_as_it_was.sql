-- Issue 23: a period is judged with the events of then (DOMAIN §5). An electronic result given, or an online payment
-- made, after a period ended must not change that period's 3.3, 4.1, 4.2 or 3.6: the dossiers table now says when
-- each happened, and the report counts ask "by the period's end" (src/reports/counts-sql.ts). The daily counters keep
-- counting what is known now; a period's counts subtract the dossiers whose result or payment came after its end
-- (report-store.ts lateFactCorrections), read through the two partial indexes below.
-- An apology issued after the law's limit no longer moves the appointment (src/dossiers/apology.ts lawfulApology),
-- and the state records the first online payment: the state version is 5, every stored state is replayed at the
-- next start and the counters are recounted from the replayed states, as for versions 3 and 4 (migrations 011, 020).
-- Measured by bench:upgrade on the 2-core machine (other work running): 100,000 dossiers (461,539 events) replayed at
-- 2,434–3,385 a second, beside 1,143 a second loading them through ingestion: about 7 minutes per million dossiers
-- before the service listens.
ALTER TABLE dossiers
  ADD COLUMN electronic_result_at timestamptz,
  ADD COLUMN paid_online_at timestamptz;
CREATE INDEX dossiers_electronic_result_at ON dossiers (received_at)
  INCLUDE (electronic_result_at, receiving_agency_code, channel, paper_result, digitized) WHERE electronic_result_at IS NOT NULL;
CREATE INDEX dossiers_paid_online_at ON dossiers (started_at)
  INCLUDE (paid_online_at, receiving_agency_code, fee_procedure, fee_required) WHERE paid_online_at IS NOT NULL;
-- Decree 118/2025 as written (issue 23 items 1–2): a dossier closed for want of a supplement (Art. 19(5)) and an online
-- dossier accepted later than 8 working hours after its submission (Art. 17(2)) are counted on their days; a dossier
-- waiting for its supplement is due to be closed from closure_due_at (the action queue reads it).
ALTER TABLE daily_counts
  ADD COLUMN closed integer NOT NULL DEFAULT 0,
  ADD COLUMN late_online_acceptance integer NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN closure_due_at timestamptz;
CREATE INDEX dossiers_closure_due ON dossiers (closure_due_at) INCLUDE (due_at) WHERE finished_at IS NULL AND closure_due_at IS NOT NULL;
DELETE FROM daily_counts;
