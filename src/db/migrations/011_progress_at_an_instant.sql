-- Issue 9: one definition of progress at an instant, the past judged as it was, the 766 indicators.
ALTER TABLE procedures ADD COLUMN paper_result boolean NOT NULL DEFAULT true;

-- The judgment segment in force now (src/dossiers/progress.ts) and what the indicators count.
ALTER TABLE dossiers
  ADD COLUMN judged_from timestamptz,
  ADD COLUMN rate_overdue_after timestamptz,
  ADD COLUMN started_at timestamptz,
  ADD COLUMN paper_result boolean NOT NULL DEFAULT true,
  ADD COLUMN fee_procedure boolean NOT NULL DEFAULT false,
  ADD COLUMN electronic_result boolean NOT NULL DEFAULT false,
  ADD COLUMN reused_data boolean NOT NULL DEFAULT false,
  ADD COLUMN processing_time double precision,
  ADD COLUMN apology_at timestamptz,
  ADD COLUMN dissatisfied_at timestamptz,
  ADD COLUMN second_supplement_at timestamptz,
  ADD COLUMN late_request_at timestamptz;

-- Segments a later event superseded: the judgment of a past instant is a lookup here when the dossier
-- changed after it (judged_from > t), and the dossiers row otherwise.
CREATE TABLE dossier_judgments (
  dossier_code       text NOT NULL,
  valid_from         timestamptz NOT NULL,
  valid_to           timestamptz NOT NULL,
  due_at             timestamptz NOT NULL,
  due_soon_at        timestamptz NOT NULL,
  waiting            boolean NOT NULL,
  rate_overdue_after timestamptz,
  PRIMARY KEY (dossier_code, valid_from)
);

-- New counters, flows on their day (src/reports/contributions.ts).
ALTER TABLE daily_counts
  ADD COLUMN received_postal integer NOT NULL DEFAULT 0,
  ADD COLUMN online_full integer NOT NULL DEFAULT 0,
  ADD COLUMN paper_result integer NOT NULL DEFAULT 0,
  ADD COLUMN electronic_result integer NOT NULL DEFAULT 0,
  ADD COLUMN digitized_full integer NOT NULL DEFAULT 0,
  ADD COLUMN reused_data integer NOT NULL DEFAULT 0,
  ADD COLUMN rescheduled integer NOT NULL DEFAULT 0,
  ADD COLUMN apology_too_late integer NOT NULL DEFAULT 0,
  ADD COLUMN late_without_apology integer NOT NULL DEFAULT 0,
  ADD COLUMN repeated_supplement integer NOT NULL DEFAULT 0,
  ADD COLUMN late_supplement_request integer NOT NULL DEFAULT 0,
  ADD COLUMN dissatisfied integer NOT NULL DEFAULT 0;

-- Every stored state is replayed at start (state version 3); the counters are then recounted from the states.
DELETE FROM daily_counts;
DROP FUNCTION recount_daily_counts();

-- A running period reads the open dossiers and those touched since midnight, not its whole history.
CREATE INDEX dossiers_open ON dossiers (receiving_agency_code) WHERE finished_at IS NULL;
CREATE INDEX dossiers_dissatisfied_at ON dossiers (dissatisfied_at) WHERE dissatisfied_at IS NOT NULL;
