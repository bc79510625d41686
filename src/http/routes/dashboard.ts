/**
 * The dashboard: a province (or the caller's agencies) overview with rates per
 * agency as a table and a chart, the trend by month; and an agency page with
 * its rates and the dossiers that need action. Server-rendered, no script,
 * charts as inline SVG: nothing is loaded from outside.
 */
import { Router, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { formatLocalInstant, yearInVietnam } from '../../calendar/local-time.js';
import { vietnameseShortInstant } from '../../calendar/vietnamese-format.js';
import { workingDurationText } from '../../alerts/format.js';
import type { DossierStatus } from '../../dossiers/state.js';
import { actionQueue, type ActionQueue } from '../../store/action-queues.js';
import { buildReport, cellDossiers, closestOpen, OpenStock } from '../../store/report-store.js';
import { renderPage } from '../../views/render.js';
import { chartOf, pctText, trendOf } from '../../views/charts.js';
import { scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';
import { filterFor, readingFor, requireStarted } from '../report-scope.js';
import { whatIf } from '../../reports/what-if.js';
import { portalProgress } from '../../reports/portal-scores.js';
import type { RateRow } from '../../reports/rates.js';

/** A total row with the portal's progress score beside the product's rate (portal-compatible mode, DOMAIN §5). */
const withPortal = (r: RateRow) => ({ ...r, portal: portalProgress(r) });
import { cellQuerySchema, periodOf, reportQuerySchema } from '../../reports/report-query.js';
import { CELL_TEXT } from '../../reports/vietnamese-terms.js';
import { STATUS_TEXT } from '../../dossiers/wording.js';
import { missingTetSchedule } from '../../calendar/year-readiness.js';
import { dossiersReaching } from '../../store/provisional-dossiers.js';
import { pageAuth, viewerOf } from '../page-auth.js';
import { replicaNotice } from '../../db/replica.js';

// No dossiers to judge: N/A, never 0 % (DOMAIN §5).
const WAITING_TOO_LONG_DAYS = 14;
const LINKED_CELLS = ['received', 'received_online', 'finished', 'early', 'on_time', 'late', 'on_track', 'overdue'] as const;

async function render(ctx: AppContext, res: Response, query: Record<string, unknown>, agency: string | null) {
  const now = ctx.now();
  const q = reportQuerySchema.parse({ period: String(yearInVietnam(now + 7 * 3_600_000)), ...query, agency: agency ?? undefined, groupBy: 'agency' });
  const filter = filterFor(ctx, res, q);
  requireStarted(periodOf(q), now);
  // Independent reads go out together (the pool has connections to spare; the page waits for the slowest, not the sum).
  // Both reports judge the open stock now: read once.
  const stock = new OpenStock(readingFor(ctx, res, now), filter);
  const [report, trend] = await Promise.all([
    buildReport(readingFor(ctx, res, now), q, filter, { openStock: stock }),
    buildReport(readingFor(ctx, res, now), { ...q, groupBy: 'month' }, filter, { openStock: stock }),
  ]);
  const scope = scopeOf(res);
  const roots = agency ? [agency] : scope.all ? ctx.catalog.roots() : scope.principal.agencyCodes;
  // From 1 October, while next year's Tết schedule is missing: say so, with the dossiers it already touches.
  const missingYear = missingTetSchedule(ctx.calendar, now);
  const reaching = missingYear === null ? null : await dossiersReaching(ctx.db.pool, missingYear, scope.all ? null : scope.principal.agencyCodes, 20);
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

  // The action queue, for the page's agency or the key's scope: what needs action now, most urgent first.
  const queueScope = {
    now,
    agencies: agency ? [agency] : scope.all ? null : scope.principal.agencyCodes,
    // Waiting for the citizen longer than WAITING_TOO_LONG_DAYS: worth a call (no legal limit; a display threshold).
    waitingSince: now - WAITING_TOO_LONG_DAYS * 86_400_000,
  };
  const open = async (queue: ActionQueue) => {
    const { total, states } = await actionQueue(ctx.db.pool, queue, queueScope);
    return {
      total,
      more: total > states.length,
      items: states.map((state) => {
        const index = ctx.calendar.workingTime(state.rules.policies.officeHours);
        const left = index.between(now, state.dueAt) / 60_000;
        const dayMinutes = index.dayMs / 60_000;
        return {
          code: state.code,
          procedureName: ctx.catalog.procedure(state.procedureCode)?.name ?? state.procedureCode,
          dueText: vietnameseShortInstant(state.dueAt),
          // While the citizen supplements, the clock is stopped: say since when instead of a time left.
          left:
            state.pausedSince !== null
              ? `chờ bổ sung từ ${vietnameseShortInstant(state.pausedSince)}`
              : left >= 0
                ? `còn ${workingDurationText(left, dayMinutes)}`
                : `quá hạn ${workingDurationText(-left, dayMinutes)}`,
        };
      }),
    };
  };
  const [undelivered, lateWithoutApology, overdue, dueSoon, closureDue, waiting] = await Promise.all([
    open('message_undelivered'),
    open('late_without_apology'),
    open('overdue'),
    open('due_soon'),
    open('closure_due'),
    open('waiting_too_long'),
  ]);
  const lists = [
    { id: 'message-undelivered', title: 'Văn bản xin lỗi chưa đến được người nộp trước thời hạn: cần liên hệ trực tiếp', ...undelivered },
    { id: 'late-without-apology', title: 'Quá hạn chưa có văn bản xin lỗi', ...lateWithoutApology },
    { id: 'overdue', title: 'Đang quá hạn', ...overdue },
    { id: 'due-soon', title: 'Sắp đến hạn', ...dueSoon },
    { id: 'closure-due', title: 'Quá 15 ngày không bổ sung: cần đóng hồ sơ', ...closureDue },
    { id: 'waiting', title: `Chờ công dân bổ sung quá ${WAITING_TOO_LONG_DAYS} ngày`, ...waiting },
  ];
  let whatIfView: unknown;
  if (agency && report.period.to > now) {
    const target = 0.98;
    const w = whatIf(report.totalCounts, target);
    const closest = await closestOpen(readingFor(ctx, res, now), filter, 10);
    whatIfView = {
      targetText: pctText(target),
      ...w,
      bestText: pctText(w.bestPossibleRate),
      items: closest.map((r) => ({
        code: r.code,
        procedureName: ctx.catalog.procedure(r.procedure_code)?.name ?? r.procedure_code,
        dueText: vietnameseShortInstant(r.rate_due_at.getTime()),
        waiting: r.paused,
      })),
    };
  }
  // Every count links to the dossiers behind it.
  const linksOf = (key: string | null) => Object.fromEntries(LINKED_CELLS.map((c) => [c, cellLink(key, c)]));
  const cellLink = (key: string | null, cell: string) =>
    `/dashboard/dossiers?period=${encodeURIComponent(report.period.label)}&convention=${q.convention}${key ? `&agency=${encodeURIComponent(key)}` : ''}&outcome=${cell}`;

  res.type('html').send(
    renderPage('dashboard', {
      viewer: viewerOf(res),
      title: agency ? ctx.catalog.agency(agency)!.name : 'Báo cáo tình hình giải quyết hồ sơ',
      heading: agency ? ctx.catalog.agency(agency)!.name : 'Tình hình giải quyết hồ sơ thủ tục hành chính',
      currentYear: yearInVietnam(now),
      period: {
        label: report.period.label,
        fromText: formatLocalInstant(report.period.from).slice(0, 10),
        toText: formatLocalInstant(report.period.to - 1).slice(0, 10),
      },
      convention: q.convention,
      agency,
      total: withPortal(agency ? (report.rows.find((r) => r.key === agency) ?? report.total) : report.total),
      rows: rows.map((r) => ({ ...r, indent: depthOf(r.key) > rootDepth ? 'padding-left: 1.2rem' : 'font-weight: 600', links: linksOf(r.key) })),
      totalLinks: linksOf(agency),
      chart: chartOf(children.length ? children : rows),
      trend: trendOf(trend.rows),
      lists,
      whatIf: whatIfView,
      running: report.period.to > now,
      calendarBanner,
      // Where the figures come from, with a read replica: how far behind it is, or that the primary answers.
      replicaNotice: replicaNotice(ctx.replica?.current()),
    }),
  );
}

export function dashboardRouter(ctx: AppContext): Router {
  const router = Router();
  // The dossiers behind a count on the dashboard, by the report's own definitions.
  router.get('/dashboard/dossiers', ...pageAuth(ctx), async (req, res) => {
    const q = cellQuerySchema.parse(req.query);
    const period = periodOf(q);
    requireStarted(period, ctx.now());
    const found = await cellDossiers(readingFor(ctx, res), period, q.outcome, filterFor(ctx, res, q), q.limit);
    res.type('html').send(
      renderPage('cell', {
        viewer: viewerOf(res),
        title: `Hồ sơ: ${CELL_TEXT[q.outcome] ?? q.outcome}`,
        heading: `${CELL_TEXT[q.outcome] ?? q.outcome} — kỳ ${period.label}${q.agency ? `, ${ctx.catalog.agency(q.agency)?.name ?? q.agency}` : ''}`,
        currentYear: yearInVietnam(ctx.now()),
        count: found.length,
        limit: q.limit,
        items: found.map((r) => ({
          code: r.code,
          procedureName: ctx.catalog.procedure(r.procedure_code)?.name ?? r.procedure_code,
          agencyName: ctx.catalog.agency(r.receiving_agency_code)?.name ?? r.receiving_agency_code,
          receivedText: vietnameseShortInstant(new Date(r.received_at).getTime()),
          dueText: vietnameseShortInstant(new Date(r.due_at).getTime()),
          finishedText: r.finished_at ? vietnameseShortInstant(new Date(r.finished_at).getTime()) : '',
          statusText: STATUS_TEXT[r.status as DossierStatus] ?? r.status,
        })),
        csvUrl: `/api/v1/reports/dossiers.csv?${new URLSearchParams({ ...(req.query as Record<string, string>), dialect: 'vn' }).toString()}`,
      }),
    );
  });
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
