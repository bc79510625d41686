/**
 * The Decision 766 report to a file or stdout (`dunghan report …`).
 */
import fs from 'node:fs/promises';
import { periodOf, reportQuerySchema } from '../reports/report-query.js';
import { indicatorsOf } from '../reports/rates.js';
import { formatLocalInstant } from '../calendar/local-time.js';
import { buildReport } from '../store/report-store.js';
import { RATE_COLUMNS } from '../reports/columns.js';
import { tableRows, toCsv, toXlsx } from '../reports/export.js';
import { flags, UsageError, withContext } from './support.js';

export async function reportCommand(args: string[]): Promise<number> {
  const { values } = flags(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    period: { type: 'string' },
    convention: { type: 'string' },
    'group-by': { type: 'string' },
    agency: { type: 'string' },
    format: { type: 'string' },
    dialect: { type: 'string' },
    out: { type: 'string' },
  });
  const { 'group-by': groupBy, out: _out, ...rest } = values;
  const parsed = reportQuerySchema.safeParse({ ...rest, ...(groupBy ? { groupBy } : {}) });
  const flagName = (key: string) => (key === 'groupBy' ? 'group-by' : key);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${flagName(String(i.path[0] ?? ''))}: ${i.message}`).join('\n'));
  const q = parsed.data;
  return withContext(
    async (ctx) => {
      if (q.agency && !ctx.catalog.agency(q.agency)) throw new UsageError(`unknown agency ${q.agency}`);
      const period = periodOf(q);
      if (period.from > ctx.now()) throw new UsageError(`--period: ${period.label} has not started yet (it starts ${formatLocalInstant(period.from)})`);
      const filter = { agencies: q.agency ? [q.agency] : null };
      const progress = process.stderr.isTTY
        ? (done: number, total: number) => process.stderr.write(`\r[${'#'.repeat(Math.round((done / total) * 30)).padEnd(30)}] ${done}/${total}`)
        : undefined;
      const result = await buildReport(ctx.reading(), q, filter, { onProgress: progress });
      if (progress) process.stderr.write('\n');
      const rows = tableRows(result, q.groupBy);
      let output: string | Buffer;
      if (q.format === 'json')
        output =
          JSON.stringify(
            {
              period: result.period,
              running: result.period.to > ctx.now(),
              rows: result.rows,
              total: result.total,
              indicators: indicatorsOf(result.totalCounts),
            },
            null,
            2,
          ) + '\n';
      else if (q.format === 'csv') output = toCsv(RATE_COLUMNS, rows, q.dialect);
      else output = await toXlsx(RATE_COLUMNS, rows, 'Báo cáo', `Tình hình giải quyết hồ sơ TTHC ${result.period.label}`);
      if (values.out) {
        await fs.writeFile(values.out, output);
        console.error(`wrote ${rows.length} rows to ${values.out}`);
      } else if (typeof output === 'string') process.stdout.write(output);
      else throw new UsageError('--format xlsx needs --out FILE');
    },
    { existing: true, replica: true },
  );
}
