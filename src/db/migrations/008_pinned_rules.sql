-- The rules a dossier was received under, recorded once at receipt, so that a replay (rebuild, calendar
-- import, audit) judges it by them and not by today's catalogue.
CREATE TABLE dossier_rules (
  code  text PRIMARY KEY,
  rules jsonb NOT NULL
);

-- The Decision 766 judgment beside the legal one: the reports count these.
ALTER TABLE dossiers ADD COLUMN rate_due_at timestamptz, ADD COLUMN rate_outcome text;
UPDATE dossiers SET rate_due_at = due_at, rate_outcome = outcome;
ALTER TABLE dossiers ALTER COLUMN rate_due_at SET NOT NULL;

-- The counters count the 766 judgment, like the reports.
CREATE OR REPLACE FUNCTION recount_daily_counts() RETURNS void LANGUAGE sql AS $$
DELETE FROM daily_counts;
INSERT INTO daily_counts (agency_code, day, shard, received, received_online, fee_required, paid_online, digitized, open_delta)
SELECT receiving_agency_code, (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 0, count(*), count(*) FILTER (WHERE channel = 'online'),
       count(*) FILTER (WHERE fee_required), count(*) FILTER (WHERE fee_required AND paid_online), count(*) FILTER (WHERE digitized), count(*)
FROM dossiers GROUP BY 1, 2
ON CONFLICT (agency_code, day, shard) DO UPDATE SET received = excluded.received, received_online = excluded.received_online,
  fee_required = excluded.fee_required, paid_online = excluded.paid_online, digitized = excluded.digitized, open_delta = daily_counts.open_delta + excluded.open_delta;
INSERT INTO daily_counts AS c (agency_code, day, shard, finished, early, on_time, late, open_delta)
SELECT receiving_agency_code, (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 0, count(*), count(*) FILTER (WHERE rate_outcome = 'early'),
       count(*) FILTER (WHERE rate_outcome = 'on_time'), count(*) FILTER (WHERE rate_outcome = 'late'), -count(*)
FROM dossiers WHERE finished_at IS NOT NULL GROUP BY 1, 2
ON CONFLICT (agency_code, day, shard) DO UPDATE SET finished = excluded.finished, early = excluded.early, on_time = excluded.on_time,
  late = excluded.late, open_delta = c.open_delta + excluded.open_delta;
INSERT INTO daily_counts AS c (agency_code, day, shard, overdue_delta)
SELECT receiving_agency_code, d, 0, sum(n) FROM (
  SELECT receiving_agency_code, (rate_due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS d, 1 AS n FROM dossiers
  WHERE finished_at IS NULL OR (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date > (rate_due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
  UNION ALL
  SELECT receiving_agency_code, (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, -1 FROM dossiers
  WHERE finished_at IS NOT NULL AND (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date > (rate_due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
) x GROUP BY 1, 2
ON CONFLICT (agency_code, day, shard) DO UPDATE SET overdue_delta = c.overdue_delta + excluded.overdue_delta;
$$;
