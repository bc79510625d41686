/**
 * What every report request checks before it reads (the reports API, the dashboard, reconciliation, the portal
 * export): which agencies the caller may see, narrowed to the one asked for, and that the period has begun.
 */
import type { Response } from 'express';
import type { AppContext } from '../app-context.js';
import { formatLocalInstant } from '../calendar/local-time.js';
import { vietnameseShortDate } from '../calendar/vietnamese-format.js';
import type { Period } from '../reports/periods.js';
import type { ReportFilter, ReportReading } from '../store/report-store.js';
import { scopeOf } from './auth.js';
import { DomainError } from '../domain-error.js';

/** The caller's agencies, narrowed to `agency` when asked (403 outside them). */
export function filterFor(ctx: AppContext, res: Response, q: { agency?: string; procedure?: string; field?: string; channel?: string }): ReportFilter {
  const scope = scopeOf(res);
  let agencies = scope.all ? null : scope.principal.agencyCodes;
  if (q.agency) {
    if (!ctx.catalog.agency(q.agency)) throw new DomainError('unknown_agency', `Unknown agency ${q.agency}.`, [{ path: 'agency', message: 'unknown agency' }]);
    if (!scope.coversPath(ctx.catalog.pathOf(q.agency)))
      throw new DomainError('not_in_scope', `Agency ${q.agency} is outside this key's agencies.`, [{ path: 'agency', message: 'outside your agencies' }]);
    agencies = [q.agency];
  }
  return { agencies, procedure: q.procedure, field: q.field, channel: q.channel };
}

/** A period that has not started has nothing to report: 400, not a table of zeros. */
export function requireStarted(period: Period, nowMs: number): void {
  if (period.from > nowMs) {
    throw new DomainError(
      'period_not_started',
      `The period ${period.label} has not started yet.`,
      [{ path: 'period', message: `starts ${formatLocalInstant(period.from)}, after now` }],
      `Kỳ báo cáo ${period.label} chưa bắt đầu (bắt đầu từ ${vietnameseShortDate(period.from)}) nên chưa có số liệu. Hãy chọn một kỳ đã bắt đầu.`,
    );
  }
}

/**
 * The report reading for this response (the read replica while it is usable, else the primary), saying which
 * answers in `X-Dunghan-Read-From` (`replica; lag-ms=120`, or `primary`) so an operator can see it.
 */
export function readingFor(ctx: AppContext, res: Response, at?: number): ReportReading {
  const rd = ctx.reading(at);
  if (ctx.replica && !res.headersSent) {
    const lag = ctx.replica.current().lagMs;
    res.setHeader('X-Dunghan-Read-From', rd.from === 'replica' ? `replica; lag-ms=${lag ?? 0}` : 'primary');
  }
  return rd;
}
