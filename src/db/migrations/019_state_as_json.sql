-- Issue 13: the folded state is a document the application writes whole and reads whole; PostgreSQL never looks
-- inside it on a hot path. As jsonb, every write parsed ~2 kB of JSON into the binary form (measured: nearly 60 % of the
-- projection statement's time for a batch, more than the row's insert and its eleven indexes together) and every read
-- rendered it back to text. As json it is checked and stored as written, and read back as stored.
-- The one question asked of the document in SQL, "was it folded by the current rules?", gets a typed column: the
-- start-up check reads it without detoasting ~2 kB per dossier.
-- The type change rewrites the table under an exclusive lock: 167 s for 1.0 M dossiers (2.8 GB with its indexes) on
-- the 2-core machine of the benchmarks, so a large province upgrades outside office hours, with free disk for two
-- more copies of the table (the update's row versions, then the rewrite's compact copy, which leaves only that).
ALTER TABLE dossiers ADD COLUMN state_version integer;
UPDATE dossiers SET state_version = (state->>'stateVersion')::integer;
-- After the update: the rewrite keeps only the rows' current versions.
ALTER TABLE dossiers ALTER COLUMN state TYPE json USING state::json;
-- Every process start asks it (AppContext.load). A block range index keeps a version range per 128 pages, changed
-- only when a row's version falls outside it: the check reads just the pages holding another version. At 1.0 M
-- dossiers: 0.8–1.8 ms, against 325–380 ms for the scan of the whole heap it replaces (and minutes, cold, at 17 M).
-- Ranges filled since are read whole until summarized: autosummarize has autovacuum summarize each as it fills.
CREATE INDEX dossiers_state_version ON dossiers USING brin (state_version) WITH (autosummarize = on);

-- As in 017, answering the stored states as json (no conversion either way).
DROP FUNCTION ingest_open(jsonb);
CREATE FUNCTION ingest_open(events jsonb) RETURNS TABLE (kind text, id text, seq bigint, doc json) LANGUAGE plpgsql AS $$
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
  SELECT 'event'::text, a.event_id::text, a.seq, NULL::json FROM appended a
  UNION ALL
  SELECT 'state'::text, d.code, NULL::bigint, d.state FROM dossiers d WHERE d.code = ANY(codes)
  UNION ALL
  -- The statement's snapshot predates its own insert: these are the events already in the log.
  SELECT 'stored'::text, x.event_id::text, NULL::bigint, to_json(x.body_hash) FROM dossier_events x WHERE x.event_id = ANY(ids);
END $$;
