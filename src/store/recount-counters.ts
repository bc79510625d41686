/**
 * The daily counters recounted from the dossiers table and its judgment
 * history in SQL: for bulk loads that write dossiers directly (the report
 * benchmark). Each flow is its row of the count table (count-table.ts), as
 * contributions.ts applies it incrementally; the projection test checks the two agree.
 */
import type pg from 'pg';
import { COUNTER_FIELDS } from '../reports/contributions.js';
import { ANCHORS, COUNT_TABLE, type Anchor } from '../reports/count-table.js';

const day = (column: string) => `(${column} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date`;

/** Per anchor, the flows anchored to it: each dossier gives a counter name for every row of the count table it counts in. */
const FLOW_PIECES = (Object.keys(ANCHORS) as Anchor[])
  .map((anchor) => {
    const rows = COUNT_TABLE.filter((d) => d.anchor === anchor);
    if (!rows.length) return null;
    const column = ANCHORS[anchor].column;
    return `SELECT receiving_agency_code AS a, ${day(column)} AS d, f, 1 AS n FROM dossiers, LATERAL unnest(ARRAY[
      ${rows.map((d) => `CASE WHEN ${d.sql(null)} THEN '${d.column}' END`).join(', ')}]) AS f
    WHERE ${column} IS NOT NULL AND f IS NOT NULL`;
  })
  .filter((piece): piece is string => piece !== null);

/** (agency, day, counter, n) for every flow and stock delta of every dossier. */
const PIECES = `
  ${FLOW_PIECES.join('\n  UNION ALL\n  ')}
  UNION ALL
  SELECT receiving_agency_code, ${day('received_at')}, 'open_delta', 1 FROM dossiers
  UNION ALL
  SELECT receiving_agency_code, ${day('finished_at')}, 'open_delta', -1 FROM dossiers WHERE finished_at IS NOT NULL
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
