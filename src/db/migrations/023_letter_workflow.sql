-- Issue 25 item 2: an apology or a refusal is drafted, approved, signed and only then issued.
-- What the letters of an open dossier wait for (letter-workflow.ts lettersWaiting: 'approval', 'signature'), written by
-- the projection from the fold's state, so the action queues find them without reading states. Existing dossiers
-- have no workflow letter: the default is their value.
ALTER TABLE dossiers ADD COLUMN letters_waiting text[] NOT NULL DEFAULT '{}';
CREATE INDEX dossiers_letters_waiting ON dossiers (due_at, code) WHERE letters_waiting <> '{}';

-- The signed PDFs, byte for byte: the letter issued (served, attached to the applicant's e-mail) is exactly the
-- document whose SHA-256 the letter_signed event recorded. Written before the event is ingested (a row no event
-- names is the trace of a failed ingestion, and is removed by it); not rebuildable, so in the backup.
CREATE TABLE signed_letters (
  digest       text PRIMARY KEY CHECK (digest ~ '^[0-9a-f]{64}$'), -- the PDF's SHA-256 in hex (column names in backups are letters and _)
  dossier_code text NOT NULL,
  form         text NOT NULL CHECK (form IN ('apology', 'refusal')),
  event_id     uuid NOT NULL UNIQUE,
  signed_at    timestamptz NOT NULL,
  pdf          bytea NOT NULL
);
CREATE INDEX signed_letters_by_dossier ON signed_letters (dossier_code);

-- The register of apology letters (sổ theo dõi xin lỗi, store/apology-register.ts): the apologies issued in a period,
-- read from the log by their instant, without scanning every event.
CREATE INDEX dossier_events_apologies ON dossier_events (occurred_at) WHERE type = 'apology_issued';
