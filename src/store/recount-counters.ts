/**
 * The daily counters recounted from the dossiers table and its judgment
 * history in SQL: for bulk loads that write dossiers directly (the report
 * benchmark). The same definitions as contributions.ts, which ingestion
 * applies incrementally; the projection test checks the two agree.
 */
import type pg from 'pg';
import { COUNTER_FIELDS } from '../reports/contributions.js';

const day = (column: string) => `(${column} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;
const RESULT_OK = '(NOT paper_result OR electronic_result)';

/** (agency, day, counter, n) for every flow and stock delta of every dossier. */
const PIECES = `
  SELECT receiving_agency_code AS a, ${day('received_at')} AS d, f, 1 AS n FROM dossiers, LATERAL unnest(ARRAY[
    'received', 'open_delta',
    CASE WHEN channel = 'online' THEN 'received_online' END, CASE WHEN channel = 'postal' THEN 'received_postal' END,
    CASE WHEN channel = 'online' AND ${RESULT_OK} THEN 'online_full' END, CASE WHEN paper_result THEN 'paper_result' END,
    CASE WHEN paper_result AND electronic_result THEN 'electronic_result' END, CASE WHEN digitized THEN 'digitized' END,
    CASE WHEN digitized AND ${RESULT_OK} THEN 'digitized_full' END, CASE WHEN reused_data THEN 'reused_data' END,
    CASE WHEN flags @> ARRAY['late_online_acceptance'] THEN 'late_online_acceptance' END]) AS f
  WHERE f IS NOT NULL
  UNION ALL
  SELECT receiving_agency_code, ${day('started_at')}, f, 1 FROM dossiers, LATERAL unnest(ARRAY['fee_required', CASE WHEN paid_online THEN 'paid_online' END]) AS f
  WHERE fee_procedure AND fee_required AND f IS NOT NULL
  UNION ALL
  SELECT receiving_agency_code, ${day('finished_at')}, f, CASE WHEN f = 'open_delta' THEN -1 ELSE 1 END FROM dossiers, LATERAL unnest(ARRAY[
    'finished', 'open_delta', rate_outcome, CASE WHEN flags @> ARRAY['late_without_apology'] THEN 'late_without_apology' END,
    CASE WHEN status = 'closed' THEN 'closed' END]) AS f
  WHERE finished_at IS NOT NULL AND f IS NOT NULL
  UNION ALL
  SELECT receiving_agency_code, ${day('apology_at')}, f, 1 FROM dossiers, LATERAL unnest(ARRAY['rescheduled', CASE WHEN flags @> ARRAY['apology_too_late'] THEN 'apology_too_late' END]) AS f
  WHERE apology_at IS NOT NULL AND f IS NOT NULL
  UNION ALL
  SELECT receiving_agency_code, ${day('second_supplement_at')}, 'repeated_supplement', 1 FROM dossiers WHERE second_supplement_at IS NOT NULL
  UNION ALL
  SELECT receiving_agency_code, ${day('late_request_at')}, 'late_supplement_request', 1 FROM dossiers WHERE late_request_at IS NOT NULL
  UNION ALL
  SELECT receiving_agency_code, ${day('dissatisfied_at')}, 'dissatisfied', 1 FROM dossiers WHERE dissatisfied_at IS NOT NULL
  UNION ALL
  SELECT a, d, 'overdue_delta', n FROM (
    SELECT receiving_agency_code AS a, ${day('s')} AS sd, ${day('e')} AS ed FROM (
      SELECT receiving_agency_code, greatest(judged_from, rate_overdue_after + interval '1 millisecond') AS s, finished_at AS e
      FROM dossiers WHERE rate_overdue_after IS NOT NULL
      UNION ALL
      SELECT d.receiving_agency_code, greatest(h.valid_from, h.rate_overdue_after + interval '1 millisecond'), least(h.valid_to, d.finished_at)
      FROM dossier_judgments h JOIN dossiers d ON d.code = h.dossier_code WHERE h.rate_overdue_after IS NOT NULL
    ) i WHERE e IS NULL OR s < e
  ) o, LATERAL (VALUES (sd, 1), (ed, -1)) AS v(d, n)
  WHERE d IS NOT NULL AND (ed IS NULL OR sd < ed)`;

export async function recountDailyCounts(client: pg.ClientBase | pg.Pool): Promise<void> {
  await client.query('DELETE FROM daily_counts');
  await client.query(
    `INSERT INTO daily_counts (agency_code, day, shard, ${COUNTER_FIELDS.join(', ')})
     SELECT a, d, 0, ${COUNTER_FIELDS.map((f) => `coalesce(sum(n) FILTER (WHERE f = '${f}'), 0)`).join(', ')}
     FROM (${PIECES}) p GROUP BY a, d`,
  );
}
