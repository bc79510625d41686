/**
 * The figures a province publishes per agency (DOMAIN §6): on-time,
 * online-submission and online-payment rates by month for the last 12 months
 * (this month included, marked running), with the counts behind them and no
 * personal data. The same report code as the auditors' pages.
 */
import type pg from 'pg';
import type { Catalog } from '../catalog/catalog.js';
import { dayFromParts, isoDateOf, localDayOf, partsOf } from '../calendar/local-time.js';
import { percentOf } from '../reports/rates.js';
import { reportQuerySchema } from '../reports/report-query.js';
import { buildReport } from './report-store.js';

export const PUBLIC_FIGURES_RULE =
  'Decision 766 as the national portal computes it (DOMAIN §5): 2.1 progress (finished early or on time, and open within time at the month’s end, over all finished in the month or open at its end), 3.3 online submission, 3.6 online payment; 2 decimals, N/A (null) when nothing to judge.';

export async function publicFigures(pool: Pick<pg.Pool, 'query'>, catalog: Catalog, agencyCode: string, nowMs: number) {
  const today = partsOf(localDayOf(nowMs));
  const firstMonth = today.month - 11 <= 0 ? { year: today.year - 1, month: today.month + 1 } : { year: today.year, month: today.month - 11 };
  const lastDay = dayFromParts(today.month === 12 ? today.year + 1 : today.year, today.month === 12 ? 1 : today.month + 1, 1) - 1;
  const q = reportQuerySchema.parse({ from: isoDateOf(dayFromParts(firstMonth.year, firstMonth.month, 1)), to: isoDateOf(lastDay), groupBy: 'month' });
  const report = await buildReport({ pool, catalog, nowMs }, q, { agencies: [agencyCode] });
  const current = `${today.year}-${String(today.month).padStart(2, '0')}`;
  return {
    agency: { code: agencyCode, name: catalog.nameOf(agencyCode) },
    generatedAt: new Date(nowMs).toISOString(),
    rule: PUBLIC_FIGURES_RULE,
    months: report.rows.map((r) => ({
      month: r.key,
      label: r.label,
      running: r.key === current,
      received: r.received,
      receivedOnline: r.receivedOnline,
      finishedOnTime: r.early + r.onTime,
      finishedLate: r.late,
      openOnTrack: r.openOnTrack,
      openOverdue: r.openOverdue,
      feeRequired: r.feeRequired,
      paidOnline: r.paidOnline,
      onTimePercent: percentOf(r.progressRate),
      onlineSubmissionPercent: percentOf(r.onlineSubmissionRate),
      onlinePaymentPercent: percentOf(r.onlinePaymentRate),
    })),
  };
}

export type PublicFigures = Awaited<ReturnType<typeof publicFigures>>;
