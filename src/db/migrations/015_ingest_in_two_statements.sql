-- Issue 13: counter software posts one event per request, so the round trips of an ingesting transaction are its
-- cost. Ingestion now takes two statements between BEGIN and COMMIT: ingest_open (lock, append, read what the fold
-- needs) and one statement writing the projection, counters and pinned rules (dossier-projection.ts); then one more,
-- after the commit, seals the events into the chain.

-- The per-dossier lock every writer of the projection takes, in code order so that two writers never deadlock.
CREATE FUNCTION lock_dossiers(codes text[]) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtextextended(c, 42)) FROM (SELECT DISTINCT unnest(codes) AS c ORDER BY 1) s
$$;

-- Locks the events' dossiers, appends the events (a known event_id is left alone) and answers, in one result:
--   ('event', event_id, seq, NULL)        each event appended now;
--   ('state', dossier code, NULL, state)  the stored state of each dossier the events belong to;
--   ('stored', event_id, NULL, body_hash) each event that was already in the log.
-- The reads run after the locks are granted, so they see every event committed by an earlier holder.
CREATE FUNCTION ingest_open(events jsonb) RETURNS TABLE (kind text, id text, seq bigint, doc jsonb) LANGUAGE plpgsql AS $$
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
  )
  SELECT 'event'::text, a.event_id::text, a.seq, NULL::jsonb FROM appended a
  UNION ALL
  SELECT 'state'::text, d.code, NULL::bigint, d.state FROM dossiers d WHERE d.code = ANY(codes)
  UNION ALL
  -- The statement's snapshot predates its own insert: these are the events already in the log.
  SELECT 'stored'::text, x.event_id::text, NULL::bigint, to_jsonb(x.body_hash) FROM dossier_events x WHERE x.event_id = ANY(ids);
END $$;

-- Sealing moves out of the ingesting transaction. It held the chain head from the projection write to the commit,
-- so every ingesting transaction in the province queued behind one another's commit. Now an ingesting transaction
-- commits without touching the head, and the ingesting process then seals every committed event still outside the
-- chain, in one statement of its own, before it answers (event-store.ts): the request is answered only once its
-- events are both committed and sealed, and one seal covers every transaction committed before it. Positions are
-- still given in commit order under the head's lock, so the alert scans' "events since" misses none.
CREATE INDEX dossier_events_unsealed ON dossier_events (seq) WHERE chain_pos IS NULL;

CREATE FUNCTION seal_events() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  head record;
  r record;
  p bigint;
  cur text;
  sealed_seqs bigint[] := '{}';
  positions bigint[] := '{}';
  hashes text[] := '{}';
BEGIN
  SELECT pos, hash INTO head FROM event_chain_head FOR UPDATE;
  p := head.pos;
  cur := head.hash;
  -- A statement of its own, after the lock: it sees every event committed before the lock was granted.
  FOR r IN SELECT seq, event_id, key_id, body FROM dossier_events WHERE chain_pos IS NULL ORDER BY seq LOOP
    p := p + 1;
    cur := event_chain_link(cur, p, r.event_id, r.key_id, r.body);
    sealed_seqs := sealed_seqs || r.seq;
    positions := positions || p;
    hashes := hashes || cur;
  END LOOP;
  IF p > head.pos THEN
    UPDATE dossier_events e SET chain_pos = u.pos, chain_hash = u.hash
    FROM unnest(sealed_seqs, positions, hashes) AS u(seq, pos, hash) WHERE e.seq = ANY(sealed_seqs) AND e.seq = u.seq;
    UPDATE event_chain_head SET pos = p, hash = cur;
  END IF;
  RETURN p;
END $$;

-- Sealing inside the ingesting transaction is gone.
DROP FUNCTION chain_events(bigint[]);
