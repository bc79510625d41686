-- The event log is the truth; dossiers is its projection (rebuildable by replay).

CREATE TABLE agencies (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  kind        text NOT NULL,
  parent_code text REFERENCES agencies(code),
  valid_from  date NOT NULL,
  valid_to    date,
  email       text,
  settings    jsonb NOT NULL DEFAULT '{}',
  source      text NOT NULL
);

CREATE TABLE procedures (
  code            text PRIMARY KEY,
  name            text NOT NULL,
  field           text NOT NULL,
  duration_value  numeric NOT NULL,
  duration_unit   text NOT NULL,
  online_level    text NOT NULL,
  fee_required    boolean NOT NULL,
  steps           jsonb NOT NULL DEFAULT '[]',
  receipt_cutoff  text,
  source          text NOT NULL
);

-- Official day-off schedules loaded by administrators; they replace the built-in year.
CREATE TABLE calendar_years (
  year        integer PRIMARY KEY,
  schedule    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL
);
CREATE SEQUENCE calendar_revision;

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY,
  label        text NOT NULL,
  role         text NOT NULL CHECK (role IN ('counter', 'supervisor', 'auditor', 'admin')),
  agency_codes text[] NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);

CREATE TABLE dossier_events (
  seq          bigserial PRIMARY KEY,
  event_id     uuid NOT NULL UNIQUE,
  dossier_code text NOT NULL,
  type         text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  body         jsonb NOT NULL,
  body_hash    text NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossier_events_by_dossier ON dossier_events (dossier_code, occurred_at, seq);

CREATE TABLE dossiers (
  code                   text PRIMARY KEY,
  status                 text NOT NULL,
  procedure_code         text NOT NULL,
  field                  text NOT NULL,
  receiving_agency_code  text NOT NULL,
  current_agency_code    text NOT NULL,
  agency_codes           text[] NOT NULL,
  channel                text NOT NULL,
  fee_required           boolean NOT NULL,
  paid_online            boolean NOT NULL,
  digitized              boolean NOT NULL,
  received_at            timestamptz NOT NULL,
  clock_starts_at        timestamptz NOT NULL,
  due_at                 timestamptz NOT NULL,
  original_due_at        timestamptz NOT NULL,
  due_soon_at            timestamptz NOT NULL,
  paused                 boolean NOT NULL,
  provisional            boolean NOT NULL,
  finished_at            timestamptz,
  outcome                text,
  flags                  text[] NOT NULL,
  calendar_version       text NOT NULL,
  last_event_seq         bigint NOT NULL,
  state                  jsonb NOT NULL
);
CREATE INDEX dossiers_agency_codes ON dossiers USING gin (agency_codes);
CREATE INDEX dossiers_received_at ON dossiers (received_at, code);
CREATE INDEX dossiers_open_due ON dossiers (due_at) WHERE finished_at IS NULL;
CREATE INDEX dossiers_open_due_soon ON dossiers (due_soon_at) WHERE finished_at IS NULL;
CREATE INDEX dossiers_flags ON dossiers USING gin (flags);
