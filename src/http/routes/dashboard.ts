/**
 * The dashboard: a province (or the caller's agencies) overview with rates per
 * agency as a table and a chart, the trend by month; and an agency page with
 * its rates and the dossiers that need action. Server-rendered, no script,
 * charts as inline SVG: nothing is loaded from outside.
 */
import { Router, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { formatLocalInstant } from '../../calendar/local-time.js';
import { vietnameseShortInstant } from '../../calendar/vietnamese-format.js';
import { workingDurationText } from '../../alerts/format.js';
import type { DossierState } from '../../dossiers/fold.js';
import { legalOpenSql } from '../../dossiers/progress-sql.js';
import type { ReportRow } from '../../store/report-store.js';
import { buildReport, cellDossiers, closestOpen } from '../../store/report-store.js';
import { renderPage } from '../../views/render.js';
import { scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';
import { filterFor, requireStarted } from './reports.js';
import { whatIf } from '../../reports/what-if.js';
import { periodOf, reportQuerySchema } from '../../reports/report-query.js';
import { missingTetSchedule } from '../../calendar/year-readiness.js';
import { dossiersReaching } from '../../alerts/calendar-reminder.js';
import { pageAuth, viewerOf } from './session.js';

// No dossiers to judge: N/A, never 0 % (DOMAIN §5).
const pctText = (v: number | null) => (v === null ? 'N/A' : `${(v * 100).toFixed(2).replace('.', ',')} %`);

function chartOf(rows: ReportRow[]) {
  const bars = rows.map((r, i) => {
    const rate = r.progressRate ?? 0;
    const width = Math.round(rate * 380);
    return {
      label: r.label.length > 44 ? `${r.label.slice(0, 43)}…` : r.label,
      y: 8 + i * 22,
      textY: 20 + i * 22,
      width,
      textX: 306 + width,
      text: pctText(r.progressRate),
      color: rate >= 0.95 ? '#2e7d32' : rate >= 0.8 ? '#f9a825' : '#c62828',
    };
  });
  return { bars, height: 16 + rows.length * 22 };
}

function trendOf(rows: ReportRow[]) {
  const w = Math.max(8, Math.min(50, Math.floor(680 / Math.max(1, rows.length)) - 6));
  return {
    points: rows.map((r, i) => {
      const h = Math.round((r.progressRate ?? 0) * 130);
      return { x: 44 + i * (w + 6), y: 150 - h, w, h, label: r.label, short: r.key.slice(5), text: pctText(r.progressRate) };
    }),
  };
}

async function render(ctx: AppContext, res: Response, query: Record<string, unknown>, agency: string | null) {
  const now = ctx.now();
  const q = reportQuerySchema.parse({ period: String(new Date(now + 7 * 3_600_000).getUTCFullYear()), ...query, agency: agency ?? undefined, groupBy: 'agency' });
  const filter = filterFor(ctx, res, q);
  requireStarted(periodOf(q), now);
  const report = await buildReport(ctx.db.pool, ctx.catalog, q, filter, now);
  const trend = await buildReport(ctx.db.pool, ctx.catalog, { ...q, groupBy: 'month' }, filter, now);
  const scope = scopeOf(res);
  const roots = agency ? [agency] : scope.all ? ctx.catalog.allAgencies().filter((a) => !a.parentCode).map((a) => a.code) : scope.key.agencyCodes;
  // From 1 October, while next year's Tết schedule is missing: say so, with the dossiers it already touches.
  const missingYear = missingTetSchedule(ctx.calendar, now);
  const reaching = missingYear === null ? null : await dossiersReaching(ctx.db.pool, missingYear, scope.all ? null : scope.key.agencyCodes, 20);
  const calendarBanner = reaching && {
    year: missingYear,
    total: reaching.total,
    items: reaching.items.map((d) => ({ code: d.code, dueText: vietnameseShortInstant(d.dueAt) })),
  };
  const depthOf = (code: string) => ctx.catalog.pathOf(code).length;
  const rootDepth = Math.min(...roots.map(depthOf));
  // The roots and their direct children; deeper agencies are one click away.
  const rows = report.rows.filter((r) => depthOf(r.key) <= rootDepth + 1);
  const children = rows.filter((r) => depthOf(r.key) === rootDepth + 1);

  let lists: unknown[] | undefined;
  let whatIfView: unknown;
  if (agency) {
    const open = async (where: string) =>
      (
        await ctx.db.pool.query<{ state: DossierState }>(
          `SELECT state FROM dossiers WHERE agency_codes @> ARRAY[$1]::text[] AND ${where} ORDER BY due_at LIMIT 200`,
          [agency, new Date(now)],
        )
      ).rows.map(({ state }) => {
        const index = ctx.calendar.workingTime(state.rules.policies.officeHours);
        const left = index.between(now, state.dueAt) / 60_000;
        return {
          code: state.code,
          procedureName: ctx.catalog.procedure(state.procedureCode)?.name ?? state.procedureCode,
          dueText: vietnameseShortInstant(state.dueAt),
          left: left >= 0 ? `còn ${workingDurationText(left, index.dayMs / 60_000)}` : `quá hạn ${workingDurationText(-left, index.dayMs / 60_000)}`,
        };
      });
    const late = (await cellDossiers(ctx.db.pool, ctx.catalog, report.period, 'late', filter, 200, now)).map((r) => ({
      code: r.code,
      procedureName: ctx.catalog.procedure(r.procedure_code)?.name ?? r.procedure_code,
      dueText: vietnameseShortInstant(new Date(r.due_at).getTime()),
      left: `hoàn thành ${vietnameseShortInstant(new Date(r.finished_at).getTime())}`,
    }));
    if (report.period.to > now) {
      const target = 0.98;
      const w = whatIf(report.totalCounts, target);
      const closest = await closestOpen(ctx.db.pool, ctx.catalog, filter, now, 10);
      whatIfView = {
        targetText: pctText(target),
        ...w,
        bestText: pctText(w.bestPossibleRate),
        items: closest.map((r) => ({ code: r.code, procedureName: ctx.catalog.procedure(r.procedure_code)?.name ?? r.procedure_code, dueText: vietnameseShortInstant(r.rate_due_at.getTime()), waiting: r.paused })),
      };
    }
    lists = [
      { id: 'overdue', title: 'Đang quá hạn', items: await open(legalOpenSql.overdue('$2')) },
      { id: 'due-soon', title: 'Sắp đến hạn', items: await open(legalOpenSql.due_soon('$2')) },
      { id: 'late', title: 'Đã giải quyết quá hạn trong kỳ', items: late },
    ];
  }

  res.type('html').send(
    renderPage('dashboard', {
        viewer: viewerOf(res),
      title: agency ? ctx.catalog.agency(agency)!.name : 'Báo cáo tình hình giải quyết hồ sơ',
      heading: agency ? ctx.catalog.agency(agency)!.name : 'Tình hình giải quyết hồ sơ thủ tục hành chính',
      currentYear: new Date(now).getUTCFullYear(),
      period: { label: report.period.label, fromText: formatLocalInstant(report.period.from).slice(0, 10), toText: formatLocalInstant(report.period.to - 1).slice(0, 10) },
      convention: q.convention,
      agency,
      total: agency ? (report.rows.find((r) => r.key === agency) ?? report.total) : report.total,
      rows: rows.map((r) => ({ ...r, indent: depthOf(r.key) > rootDepth ? 'padding-left: 1.2rem' : 'font-weight: 600' })),
      chart: chartOf(children.length ? children : rows),
      trend: trendOf(trend.rows),
      lists,
      whatIf: whatIfView,
      running: report.period.to > now,
      calendarBanner,
    }),
  );
}

export function dashboardRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/dashboard', ...pageAuth(ctx), async (req, res) => {
    await render(ctx, res, req.query, null);
  });
  router.get('/dashboard/agencies/:code', ...pageAuth(ctx), async (req, res) => {
    const code = String(req.params.code);
    if (!ctx.catalog.agency(code)) throw new HttpError(404, `No agency ${code}.`);
    await render(ctx, res, req.query, code);
  });
  return router;
}
