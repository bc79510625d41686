-- Issue 28: staff accounts. A person has a name, an e-mail, agencies and roles (the roles keys have), is created by
-- an admin and deactivated, never deleted: the events, letters and reads they did keep pointing at them.
CREATE TABLE people (
  id              uuid PRIMARY KEY,
  name            text NOT NULL,
  email           text NOT NULL,
  roles           text[] NOT NULL CHECK (cardinality(roles) > 0),
  agency_codes    text[] NOT NULL CHECK (cardinality(agency_codes) > 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- The key or person who created it (an actor id, as dossier_events.key_id).
  created_by      uuid,
  deactivated_at  timestamptz,
  -- scrypt, with its parameters and salt (src/accounts/password-hash.ts); NULL until the first password is set.
  password_hash   text,
  password_set_at timestamptz,
  -- Consecutive failed password sign-ins; at the limit the account is locked until locked_until.
  failed_logins   integer NOT NULL DEFAULT 0,
  locked_until    timestamptz
);
-- One account per address, whatever its case.
CREATE UNIQUE INDEX people_email ON people (lower(email));

-- One-time links: the first password, and a reset. Only the token's hash is stored.
CREATE TABLE password_tokens (
  token_hash  text PRIMARY KEY,
  person_id   uuid NOT NULL REFERENCES people(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX password_tokens_by_person ON password_tokens (person_id);

-- A web session is opened by a key (the earlier sign-in) or by a person.
ALTER TABLE web_sessions
  ALTER COLUMN key_id DROP NOT NULL,
  ADD COLUMN person_id uuid REFERENCES people(id),
  -- How the person signed in ('password', 'oidc'), and for the provider's sign-out the ID token it gave.
  ADD COLUMN method text,
  ADD COLUMN id_token text,
  ADD CONSTRAINT web_sessions_one_owner CHECK ((key_id IS NULL) <> (person_id IS NULL));
CREATE INDEX web_sessions_by_person ON web_sessions (person_id) WHERE person_id IS NOT NULL;

-- Who acted. Key ids and person ids are both random UUIDs, so the column that recorded the key records a person in
-- the same place, and the hash chain (event_chain_link covers key_id) covers the person without a change to it.
COMMENT ON COLUMN dossier_events.key_id IS 'the actor: an api_keys.id or a people.id (see the actors view)';
COMMENT ON COLUMN dossier_events.key_role IS 'the actor''s role (a person''s roles, comma-separated) when it acted';
COMMENT ON COLUMN personal_data_reads.key_id IS 'the reader: an api_keys.id or a people.id (see the actors view)';

-- Whom an actor id names, for auditors' queries: SELECT … FROM dossier_events e JOIN actors a ON a.id = e.key_id.
CREATE VIEW actors AS
  SELECT id, 'key'::text AS kind, label AS name, ARRAY[role] AS roles, agency_codes FROM api_keys
  UNION ALL
  SELECT id, 'person'::text, name, roles, agency_codes FROM people;
