-- Issue 29: the event log is partitioned by the month it was recorded in (local time, UTC+7), so that a month that
-- has ended is a table of its own: vacuumed, backed up and checked once and then left alone, and never written again.
--
-- * dossier_events becomes a table partitioned by RANGE (recorded_at), one partition per local month
--   (dossier_events_YYYY_MM). Its key is (seq, recorded_at): a unique index on a partitioned table must contain the
--   partition key.
-- * The idempotency key moves to event_ids (event_id PRIMARY KEY, with the body's hash a resend is compared with):
--   the event's uniqueness can no longer be an index of the log. Ingestion inserts the id and the event in one
--   statement (ingest_open below), so they commit together, and a concurrent duplicate waits on the id's row and is
--   detected exactly once, as the log's unique index did before.
-- * The chain's links and the seal's queue carry the event's recorded_at beside its seq, so that the readers that go
--   from a position to its event (audit verify, the alert scans) reach one partition, not every month's.
-- * There is no DEFAULT partition: a default would be written by every event whose month is missing and scanned
--   whenever a month is added (to prove it holds none of that month's rows), and its rows would have to be moved out
--   later — a partition written for ever. Instead the scheduler creates the coming months ahead (event-partitions
--   job, at start and daily), and an insert that finds no partition (the scheduler did not run) creates the month and
--   is retried once by ingestion (store/event-partitions.ts).
-- * A month is closed an hour after it ends: its partition gets triggers that refuse INSERT, UPDATE, DELETE and
--   TRUNCATE. Events are recorded at now(), so only a transaction begun before the month's end could still write to
--   it; the hour covers those, and creating the trigger waits for any writer still holding the partition.
--   A restore loads the months first and closes them after (store/backup-store.ts).
--
-- The conversion copies the existing log in bounded batches (by seq; `dunghan.migration_batch`, default 50,000
-- events per statement), building the indexes after the copy. It runs in the migration's transaction like every
-- migration: an interruption leaves the old log as it was. It needs free disk for a second copy of the log (and of
-- the chain) until it commits.

-- A month's partition, created if missing; true when created. Serialised by an advisory lock, so two processes
-- creating the same month do not collide.
CREATE FUNCTION create_event_partition(t timestamptz) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  local_start timestamp := date_trunc('month', t AT TIME ZONE 'Asia/Ho_Chi_Minh');
  name text := 'dossier_events_' || to_char(local_start, 'YYYY_MM');
BEGIN
  PERFORM pg_advisory_xact_lock(4242080);
  IF to_regclass(name) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF dossier_events FOR VALUES FROM (%L) TO (%L)', name,
                 local_start AT TIME ZONE 'Asia/Ho_Chi_Minh', (local_start + interval '1 month') AT TIME ZONE 'Asia/Ho_Chi_Minh');
  RETURN true;
END $$;

-- The partitions of every local month from `from_t`'s to `to_t`'s; how many were created. Months are stepped in
-- local time (timestamp without zone, from the 1st): a month added to a timestamptz is counted in the session's zone,
-- where the local 1st is the previous day's evening and months of different lengths move it.
CREATE FUNCTION create_event_partitions(from_t timestamptz, to_t timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  m timestamp := date_trunc('month', from_t AT TIME ZONE 'Asia/Ho_Chi_Minh');
  last_month timestamp := date_trunc('month', to_t AT TIME ZONE 'Asia/Ho_Chi_Minh');
  created integer := 0;
BEGIN
  WHILE m <= last_month LOOP
    IF create_event_partition((m + interval '1 day') AT TIME ZONE 'Asia/Ho_Chi_Minh') THEN
      created := created + 1;
    END IF;
    m := m + interval '1 month';
  END LOOP;
  RETURN created;
END $$;

-- This month's partition and the next `ahead` months'; how many were created.
CREATE FUNCTION ensure_event_partitions(ahead integer) RETURNS integer LANGUAGE sql AS $$
  SELECT create_event_partitions(now(), (date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') + make_interval(months => ahead)) AT TIME ZONE 'Asia/Ho_Chi_Minh')
$$;

-- Refuses every write to a closed month's partition (the log's rows are never changed; a closed month also gets no
-- new ones).
CREATE FUNCTION refuse_closed_month() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the event log''s partition % is a month that has ended: it is read-only', TG_TABLE_NAME
    USING ERRCODE = 'read_only_sql_transaction';
END $$;

-- Closes every month that ended by `ended_by`; the names of those closed now.
CREATE FUNCTION close_event_months(ended_by timestamptz) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
  p record;
BEGIN
  PERFORM pg_advisory_xact_lock(4242080);
  FOR p IN SELECT name FROM event_partitions WHERE NOT closed AND month_end <= ended_by ORDER BY month_start LOOP
    EXECUTE format('CREATE TRIGGER dossier_events_closed BEFORE INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION refuse_closed_month()', p.name);
    EXECUTE format('CREATE TRIGGER dossier_events_closed_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION refuse_closed_month()', p.name);
    RETURN NEXT p.name;
  END LOOP;
END $$;

-- The log as it was, out of the way (its constraints and index keep their names otherwise).
ALTER TABLE dossier_events RENAME TO dossier_events_unpartitioned;
ALTER TABLE dossier_events_unpartitioned RENAME CONSTRAINT dossier_events_pkey TO dossier_events_unpartitioned_pkey;
ALTER TABLE dossier_events_unpartitioned RENAME CONSTRAINT dossier_events_event_id_key TO dossier_events_unpartitioned_event_id_key;
ALTER INDEX dossier_events_by_dossier RENAME TO dossier_events_unpartitioned_by_dossier;

-- The same columns in the same order (backups list them in that order).
CREATE TABLE dossier_events (
  seq          bigint NOT NULL DEFAULT nextval('dossier_events_seq_seq'),
  event_id     uuid NOT NULL,
  dossier_code text NOT NULL,
  type         text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  body         jsonb NOT NULL,
  body_hash    text NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  key_id       uuid,
  key_role     text
) PARTITION BY RANGE (recorded_at);
-- The sequence goes with the new table (dropping the old one would drop it) and restore finds it as before.
ALTER SEQUENCE dossier_events_seq_seq OWNED BY dossier_events.seq;
COMMENT ON COLUMN dossier_events.key_id IS 'the actor: an api_keys.id or a people.id (see the actors view)';
COMMENT ON COLUMN dossier_events.key_role IS 'the actor''s role (a person''s roles, comma-separated) when it acted';

-- The log's partitions (after the table: the view names it by oid), their month's bounds and whether they are closed.
CREATE VIEW event_partitions AS
  SELECT c.relname::text AS name,
         (to_date(right(c.relname, 7), 'YYYY_MM')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') AS month_start,
         ((to_date(right(c.relname, 7), 'YYYY_MM') + interval '1 month')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh') AS month_end,
         EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'dossier_events_closed') AS closed
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = 'dossier_events'::regclass;

-- Every event id ever accepted: the log's idempotency key.
CREATE TABLE event_ids (
  event_id  uuid NOT NULL,
  body_hash text NOT NULL
);

-- The chain, rebuilt with each link's recorded_at (copied, not updated in place: no dead copy of every link).
ALTER TABLE event_chain RENAME TO event_chain_unpartitioned;
ALTER TABLE event_chain_unpartitioned RENAME CONSTRAINT event_chain_pkey TO event_chain_unpartitioned_pkey;
ALTER TABLE event_chain_unpartitioned RENAME CONSTRAINT event_chain_seq_key TO event_chain_unpartitioned_seq_key;
-- recorded_at is null only between a restore of a file written before this migration and the restore's fill.
CREATE TABLE event_chain (
  pos         bigint NOT NULL,
  seq         bigint NOT NULL,
  hash        text NOT NULL,
  recorded_at timestamptz
);

ALTER TABLE unsealed_events ADD COLUMN recorded_at timestamptz;
UPDATE unsealed_events u SET recorded_at = e.recorded_at FROM dossier_events_unpartitioned e WHERE e.seq = u.seq;

-- Every month the log spans, to this month and three ahead; the copy in batches.
DO $$
DECLARE
  lo bigint;
  hi bigint;
  step bigint := coalesce(nullif(current_setting('dunghan.migration_batch', true), '')::bigint, 50000);
BEGIN
  -- From the first event's month to this one (or the last event's, should a clock have run ahead).
  PERFORM create_event_partitions(min(recorded_at), greatest(max(recorded_at), now())) FROM dossier_events_unpartitioned HAVING count(*) > 0;
  PERFORM ensure_event_partitions(3);

  SELECT min(seq), max(seq) INTO lo, hi FROM dossier_events_unpartitioned;
  WHILE lo <= hi LOOP
    INSERT INTO dossier_events SELECT * FROM dossier_events_unpartitioned WHERE seq >= lo AND seq < lo + step;
    INSERT INTO event_ids SELECT event_id, body_hash FROM dossier_events_unpartitioned WHERE seq >= lo AND seq < lo + step;
    lo := lo + step;
  END LOOP;

  SELECT min(pos), max(pos) INTO lo, hi FROM event_chain_unpartitioned;
  WHILE lo <= hi LOOP
    INSERT INTO event_chain (pos, seq, hash, recorded_at)
    SELECT c.pos, c.seq, c.hash, e.recorded_at FROM event_chain_unpartitioned c JOIN dossier_events_unpartitioned e ON e.seq = c.seq
    WHERE c.pos >= lo AND c.pos < lo + step;
    lo := lo + step;
  END LOOP;
END $$;

-- Indexes after the copy: one sorted build per partition instead of an insert per row.
ALTER TABLE dossier_events ADD PRIMARY KEY (seq, recorded_at);
CREATE INDEX dossier_events_by_dossier ON dossier_events (dossier_code, occurred_at, seq);
ALTER TABLE event_ids ADD PRIMARY KEY (event_id);
ALTER TABLE event_chain ADD PRIMARY KEY (pos);
ALTER TABLE event_chain ADD CONSTRAINT event_chain_seq_key UNIQUE (seq);

DROP TABLE event_chain_unpartitioned;
DROP TABLE dossier_events_unpartitioned;
SELECT count(*) FROM close_event_months(now() - interval '1 hour');
ANALYZE dossier_events;
ANALYZE event_ids;
ANALYZE event_chain;

-- As in 019, with the id and the event appended in one statement: the id first (ON CONFLICT waits for a concurrent
-- writer of the same id and then leaves it alone), the event only when its id was new. The appended events join the
-- seal's queue with their recorded_at; the stored hashes of known ids are read from event_ids.
CREATE OR REPLACE FUNCTION ingest_open(events jsonb) RETURNS TABLE (kind text, id text, seq bigint, doc json) LANGUAGE plpgsql AS $$
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
  WITH input AS (
    SELECT * FROM jsonb_to_recordset(events) AS r(event_id uuid, dossier_code text, type text, occurred_at timestamptz,
                                                  body jsonb, body_hash text, key_id uuid, key_role text)
  ), accepted AS (
    INSERT INTO event_ids AS i (event_id, body_hash) SELECT n.event_id, n.body_hash FROM input n
    ON CONFLICT (event_id) DO NOTHING
    RETURNING i.event_id
  ), appended AS (
    INSERT INTO dossier_events AS e (event_id, dossier_code, type, occurred_at, body, body_hash, key_id, key_role)
    SELECT n.event_id, n.dossier_code, n.type, n.occurred_at, n.body, n.body_hash, n.key_id, n.key_role
    FROM input n WHERE n.event_id IN (SELECT a.event_id FROM accepted a)
    RETURNING e.event_id, e.seq, e.recorded_at
  ), queued AS (
    INSERT INTO unsealed_events (seq, recorded_at) SELECT a.seq, a.recorded_at FROM appended a
  )
  SELECT 'event'::text, a.event_id::text, a.seq, NULL::json FROM appended a
  UNION ALL
  SELECT 'state'::text, d.code, NULL::bigint, d.state FROM dossiers d WHERE d.code = ANY(codes)
  UNION ALL
  -- The statement's snapshot predates its own insert: these are the ids already accepted.
  SELECT 'stored'::text, x.event_id::text, NULL::bigint, to_json(x.body_hash) FROM event_ids x WHERE x.event_id = ANY(ids);
END $$;

-- As in 017; the events are read from the months the queue names (the oldest queued recorded_at bounds the read, so
-- older months are pruned), and each link keeps its event's recorded_at.
CREATE OR REPLACE FUNCTION seal_events() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  head record;
  r record;
  p bigint;
  cur text;
  taken bigint[];
  since timestamptz;
  sealed_seqs bigint[] := '{}';
  positions bigint[] := '{}';
  hashes text[] := '{}';
  stamps timestamptz[] := '{}';
BEGIN
  SELECT pos, hash INTO head FROM event_chain_head FOR UPDATE;
  p := head.pos;
  cur := head.hash;
  -- A statement of its own, after the lock: it takes every event committed before the lock was granted.
  -- A queued row without recorded_at (restored from an older file) leaves the read unbounded.
  WITH t AS (DELETE FROM unsealed_events RETURNING seq, recorded_at)
  SELECT array_agg(t.seq), CASE WHEN count(*) = count(t.recorded_at) THEN min(t.recorded_at) ELSE '-infinity' END INTO taken, since FROM t;
  IF taken IS NULL THEN
    RETURN p;
  END IF;
  FOR r IN SELECT e.seq, e.event_id, e.key_id, e.body, e.recorded_at FROM dossier_events e
           WHERE e.seq = ANY(taken) AND e.recorded_at >= since ORDER BY e.seq LOOP
    p := p + 1;
    cur := event_chain_link(cur, p, r.event_id, r.key_id, r.body);
    sealed_seqs := sealed_seqs || r.seq;
    positions := positions || p;
    hashes := hashes || cur;
    stamps := stamps || r.recorded_at;
  END LOOP;
  IF p > head.pos THEN
    INSERT INTO event_chain (pos, seq, hash, recorded_at) SELECT * FROM unnest(positions, sealed_seqs, hashes, stamps);
    UPDATE event_chain_head SET pos = p, hash = cur;
  END IF;
  RETURN p;
END $$;
