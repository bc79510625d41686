-- Issue 26 item 3: warnings that climb. An agency's thresholds (src/rules/warning-thresholds.ts) are data set through
-- the admin API; an agency without a row inherits its nearest ancestor's, and the defaults apply above the root.
CREATE TABLE warning_settings (
  agency_code text PRIMARY KEY,
  settings    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  -- The actor (a key's or a person's id) who set them.
  updated_by  uuid
);

-- Issue 26 item 5: where the warning scan looks next. One row per open dossier with a threshold still ahead (or a
-- warning held back until office hours): the instant of its next crossing, so a scan reads the dossiers whose
-- crossing is due (an index range up to now) and those with events since its watermark, never the backlog.
-- Written only by the scan (src/store/warning-scans.ts); emptied with the scan's watermark when settings change.
CREATE TABLE warning_plan (
  dossier_code text PRIMARY KEY,
  next_at      timestamptz NOT NULL
);
CREATE INDEX warning_plan_next ON warning_plan (next_at);

-- Warnings are outbox messages of their own kind (one per recipient per scan, listing that scan's warnings).
ALTER TABLE alert_outbox DROP CONSTRAINT alert_outbox_kind_check;
ALTER TABLE alert_outbox ADD CONSTRAINT alert_outbox_kind_check
  CHECK (kind IN ('due_soon', 'overdue', 'digest', 'calendar_reminder', 'receipt', 'supplement_request', 'apology', 'result_ready', 'refusal', 'warning'));
