-- Issue 13: the event log is written once and never updated. The seal used to write each event's chain position
-- and hash back into its row of dossier_events: an UPDATE of a ~1 kB row that changed two indexed columns, so never
-- HOT — a second copy of every event, new entries in all five of the log's indexes, and a dead row for vacuum —
-- about as much as appending the event in the first place. The chain now lives in a narrow table of its own, which
-- the seal only inserts into; the events waiting for it are listed in a queue the append fills and the seal empties.
-- The links are computed exactly as before (event_chain_link), so the chain sealed so far verifies unchanged.

-- Position n of the chain: which event (by its seq in the log) and the hash that links it to position n-1.
CREATE TABLE event_chain (
  pos  bigint PRIMARY KEY,
  seq  bigint NOT NULL UNIQUE,
  hash text NOT NULL
);

-- Events committed and not yet in the chain.
CREATE TABLE unsealed_events (
  seq bigint PRIMARY KEY
);

INSERT INTO event_chain (pos, seq, hash) SELECT chain_pos, seq, chain_hash FROM dossier_events WHERE chain_pos IS NOT NULL;
INSERT INTO unsealed_events (seq) SELECT seq FROM dossier_events WHERE chain_pos IS NULL;
DROP INDEX dossier_events_unsealed;
DROP INDEX dossier_events_chain;
ALTER TABLE dossier_events DROP COLUMN chain_pos, DROP COLUMN chain_hash;
-- Statistics now, so that the first reads of a chain copied here (millions of rows in a province) are planned on them.
ANALYZE event_chain;

-- As in 015, and the appended events join the queue in the same statement.
CREATE OR REPLACE FUNCTION ingest_open(events jsonb) RETURNS TABLE (kind text, id text, seq bigint, doc jsonb) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  codes text[];
  ids uuid[];
BEGIN
  -- Arrays, so that the reads below are index lookups whatever the plan cached for this function.
  SELECT array_agg(DISTINCT r.dossier_code), array_agg(r.event_id) INTO codes, ids
  FROM jsonb_to_recordset(events) AS r(dossier_code text, event_id uuid);
  PERFORM lock_dossiers(codes);
  RETURN QUERY
  WITH appended AS (
    INSERT INTO dossier_events AS e (event_id, dossier_code, type, occurred_at, body, body_hash, key_id, key_role)
    SELECT * FROM jsonb_to_recordset(events) AS r(event_id uuid, dossier_code text, type text, occurred_at timestamptz,
                                                  body jsonb, body_hash text, key_id uuid, key_role text)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING e.event_id, e.seq
  ), queued AS (
    INSERT INTO unsealed_events (seq) SELECT a.seq FROM appended a
  )
  SELECT 'event'::text, a.event_id::text, a.seq, NULL::jsonb FROM appended a
  UNION ALL
  SELECT 'state'::text, d.code, NULL::bigint, d.state FROM dossiers d WHERE d.code = ANY(codes)
  UNION ALL
  -- The statement's snapshot predates its own insert: these are the events already in the log.
  SELECT 'stored'::text, x.event_id::text, NULL::bigint, to_jsonb(x.body_hash) FROM dossier_events x WHERE x.event_id = ANY(ids);
END $$;

-- Seals every committed event still in the queue, in seq order, under the head's lock (so positions follow the
-- order of the seals, and every event committed before a seal is in it or an earlier one).
CREATE OR REPLACE FUNCTION seal_events() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  head record;
  r record;
  p bigint;
  cur text;
  taken bigint[];
  sealed_seqs bigint[] := '{}';
  positions bigint[] := '{}';
  hashes text[] := '{}';
BEGIN
  SELECT pos, hash INTO head FROM event_chain_head FOR UPDATE;
  p := head.pos;
  cur := head.hash;
  -- A statement of its own, after the lock: it takes every event committed before the lock was granted.
  WITH t AS (DELETE FROM unsealed_events RETURNING seq) SELECT array_agg(t.seq) INTO taken FROM t;
  -- By array, so that the read stays index lookups whatever plan is cached (a join to the queue was planned as a
  -- scan of the whole log).
  FOR r IN SELECT e.seq, e.event_id, e.key_id, e.body FROM dossier_events e WHERE e.seq = ANY(taken) ORDER BY e.seq LOOP
    p := p + 1;
    cur := event_chain_link(cur, p, r.event_id, r.key_id, r.body);
    sealed_seqs := sealed_seqs || r.seq;
    positions := positions || p;
    hashes := hashes || cur;
  END LOOP;
  IF p > head.pos THEN
    INSERT INTO event_chain (pos, seq, hash) SELECT * FROM unnest(positions, sealed_seqs, hashes);
    UPDATE event_chain_head SET pos = p, hash = cur;
  END IF;
  RETURN p;
END $$;
