-- Issue 27: the applicant is told (receipt, supplement request, apology, result, refusal) through the outbox the
-- alerts already use. A citizen's message is a row like an alert's, keyed citizen:<dossier>:<kind>:<channel>:<round>
-- (dedupe_key, unique), written in the ingestion transaction of the event that causes it.
ALTER TABLE alert_outbox DROP CONSTRAINT alert_outbox_kind_check;
ALTER TABLE alert_outbox ADD CONSTRAINT alert_outbox_kind_check
  CHECK (kind IN ('due_soon', 'overdue', 'digest', 'calendar_reminder', 'receipt', 'supplement_request', 'apology', 'result_ready', 'refusal'));
-- The channel that carries it (alerts: e-mail); the supplementation request's number; the legal moment it must reach
-- the applicant by (the apology: the day before the due date, Decree 118/2025 Art. 19(6)); what a channel needs
-- beside the text (Zalo ZNS parameters, the apology letter attached to the e-mail).
ALTER TABLE alert_outbox ADD COLUMN channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'sms', 'zalo'));
ALTER TABLE alert_outbox ADD COLUMN round integer;
ALTER TABLE alert_outbox ADD COLUMN deliver_by timestamptz;
ALTER TABLE alert_outbox ADD COLUMN payload jsonb;
-- One channel's backlog is taken without reading another's: a gateway that fails holds up nothing else.
DROP INDEX alert_outbox_pending;
CREATE INDEX alert_outbox_pending ON alert_outbox (channel, next_attempt_at) WHERE status = 'pending';
-- The supervisor's queue: messages not delivered by their legal moment.
CREATE INDEX alert_outbox_undelivered ON alert_outbox (deliver_by) WHERE deliver_by IS NOT NULL AND status <> 'sent';
CREATE INDEX alert_outbox_dossier ON alert_outbox (dossier_code) WHERE dossier_code IS NOT NULL;

-- Secrets the application generates for itself when the environment gives none (the citizen link key), so every
-- process and every restart signs and checks links alike.
CREATE TABLE app_secrets (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
