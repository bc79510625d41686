-- Accountability: who posted each event, who read personal data, server-side web sessions,
-- key expiry and last use, and a hash chain over the event log that auditors can verify.

ALTER TABLE api_keys
  ADD COLUMN expires_at   timestamptz,
  ADD COLUMN last_used_at timestamptz,
  ADD COLUMN rotated_from uuid REFERENCES api_keys(id);

ALTER TABLE dossier_events
  ADD COLUMN key_id     uuid,
  ADD COLUMN key_role   text,
  ADD COLUMN chain_pos  bigint,
  ADD COLUMN chain_hash text;

-- The web session cookie holds a random id; only its hash is stored.
CREATE TABLE web_sessions (
  id_hash     text PRIMARY KEY,
  key_id      uuid NOT NULL REFERENCES api_keys(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);

-- Reads of personal data (applicant name, ID number, phone, address): who, which dossier, when, through what.
CREATE TABLE personal_data_reads (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  key_id       uuid NOT NULL,
  role         text NOT NULL,
  dossier_code text NOT NULL,
  via          text NOT NULL
);
CREATE INDEX personal_data_reads_by_dossier ON personal_data_reads (dossier_code, at);

-- The chain: event n's hash covers event n-1's hash, its position, id, posting key and stored body, so that
-- editing, deleting or reordering any event breaks every hash after it. One head row serialises the tail of
-- ingesting transactions (held from this call to commit only).
CREATE TABLE event_chain_head (
  id   boolean PRIMARY KEY DEFAULT true CHECK (id),
  pos  bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO event_chain_head VALUES (true, 0, repeat('0', 64));

CREATE FUNCTION event_chain_link(prev text, pos bigint, event_id uuid, key_id uuid, body jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(prev || '|' || pos || '|' || event_id || '|' || coalesce(key_id::text, '-') || '|'
    || encode(sha256(convert_to(body::text, 'UTF8')), 'hex'), 'UTF8')), 'hex')
$$;

CREATE FUNCTION chain_events(seqs bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  head record;
  r record;
  p bigint;
  cur text;
BEGIN
  SELECT pos, hash INTO head FROM event_chain_head FOR UPDATE;
  p := head.pos;
  cur := head.hash;
  FOR r IN SELECT seq, event_id, key_id, body FROM dossier_events WHERE seq = ANY(seqs) AND chain_pos IS NULL ORDER BY seq LOOP
    p := p + 1;
    cur := event_chain_link(cur, p, r.event_id, r.key_id, r.body);
    UPDATE dossier_events SET chain_pos = p, chain_hash = cur WHERE seq = r.seq;
  END LOOP;
  UPDATE event_chain_head SET pos = p, hash = cur;
END $$;

-- Events recorded before the chain existed are sealed now, in arrival order.
SELECT chain_events(coalesce(array_agg(seq ORDER BY seq), '{}')) FROM dossier_events;
CREATE UNIQUE INDEX dossier_events_chain ON dossier_events (chain_pos);
