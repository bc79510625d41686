-- Supervisors receive alerts for their agency and everything below it.
CREATE TABLE supervisors (
  id          uuid PRIMARY KEY,
  agency_code text NOT NULL REFERENCES agencies(code),
  name        text NOT NULL,
  email       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_code, email)
);

-- The outbox: an alert is written in the same transaction that detects it, keyed so
-- that overlapping scans never write it twice; the sender marks it sent once.
CREATE TABLE alert_outbox (
  id              bigserial PRIMARY KEY,
  dedupe_key      text NOT NULL UNIQUE,
  kind            text NOT NULL CHECK (kind IN ('due_soon', 'overdue', 'digest')),
  dossier_code    text,
  agency_code     text,
  due_at          timestamptz,
  recipient       text NOT NULL,
  subject         text NOT NULL,
  html            text NOT NULL,
  text            text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX alert_outbox_pending ON alert_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX alert_outbox_recent ON alert_outbox (created_at DESC);
