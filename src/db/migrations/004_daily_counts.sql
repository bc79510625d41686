-- Report counters per receiving agency and local day, maintained in the ingestion transaction.
-- Flows (received, finished…) count on their day; stocks (open, overdue) are difference arrays:
-- +1 on the day a dossier becomes open (or overdue), −1 on the day it is finished, so the stock at a
-- midnight is the sum of the deltas of the days before it. Rows are spread over shards so that
-- concurrent batches for the same agency and day do not wait for each other's row locks.
CREATE TABLE daily_counts (
  agency_code     text NOT NULL,
  day             date NOT NULL,
  shard           smallint NOT NULL,
  received        integer NOT NULL DEFAULT 0,
  received_online integer NOT NULL DEFAULT 0,
  finished        integer NOT NULL DEFAULT 0,
  early           integer NOT NULL DEFAULT 0,
  on_time         integer NOT NULL DEFAULT 0,
  late            integer NOT NULL DEFAULT 0,
  open_delta      integer NOT NULL DEFAULT 0,
  overdue_delta   integer NOT NULL DEFAULT 0,
  fee_required    integer NOT NULL DEFAULT 0,
  paid_online     integer NOT NULL DEFAULT 0,
  digitized       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (agency_code, day, shard)
);
-- Recounts the counters from the dossiers table (used here for existing data, and by bulk loads that write
-- dossiers directly, such as the report benchmark). Same rules as src/reports/contributions.ts.
CREATE FUNCTION recount_daily_counts() RETURNS void LANGUAGE sql AS $$
DELETE FROM daily_counts;
INSERT INTO daily_counts (agency_code, day, shard, received, received_online, fee_required, paid_online, digitized, open_delta)
SELECT receiving_agency_code, (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 0, count(*), count(*) FILTER (WHERE channel = 'online'),
       count(*) FILTER (WHERE fee_required), count(*) FILTER (WHERE fee_required AND paid_online), count(*) FILTER (WHERE digitized), count(*)
FROM dossiers GROUP BY 1, 2
ON CONFLICT (agency_code, day, shard) DO UPDATE SET received = excluded.received, received_online = excluded.received_online,
  fee_required = excluded.fee_required, paid_online = excluded.paid_online, digitized = excluded.digitized, open_delta = daily_counts.open_delta + excluded.open_delta;
INSERT INTO daily_counts AS c (agency_code, day, shard, finished, early, on_time, late, open_delta)
SELECT receiving_agency_code, (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 0, count(*), count(*) FILTER (WHERE outcome = 'early'),
       count(*) FILTER (WHERE outcome = 'on_time'), count(*) FILTER (WHERE outcome = 'late'), -count(*)
FROM dossiers WHERE finished_at IS NOT NULL GROUP BY 1, 2
ON CONFLICT (agency_code, day, shard) DO UPDATE SET finished = excluded.finished, early = excluded.early, on_time = excluded.on_time,
  late = excluded.late, open_delta = c.open_delta + excluded.open_delta;
INSERT INTO daily_counts AS c (agency_code, day, shard, overdue_delta)
SELECT receiving_agency_code, d, 0, sum(n) FROM (
  SELECT receiving_agency_code, (due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS d, 1 AS n FROM dossiers
  WHERE finished_at IS NULL OR (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date > (due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
  UNION ALL
  SELECT receiving_agency_code, (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, -1 FROM dossiers
  WHERE finished_at IS NOT NULL AND (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date > (due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
) x GROUP BY 1, 2
ON CONFLICT (agency_code, day, shard) DO UPDATE SET overdue_delta = c.overdue_delta + excluded.overdue_delta;
$$;

SELECT recount_daily_counts();
