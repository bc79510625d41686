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
import { lettersWaitingFor, type LetterWait } from '../../dossiers/letter-workflow.js';
import type { DossierState } from '../../dossiers/state.js';
import { legalMomentOf } from '../letter-workflow.js';
import { apologyRegister } from '../../store/apology-register.js';
import { APOLOGY_REGISTER_COLUMNS, apologyEntry, registerLine } from '../../reports/apology-register.js';
import { buildReport, cellDossiers, closestOpen, OpenStock, periodRevisions } from '../../store/report-store.js';
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
import { apologyRegisterQuerySchema, cellQuerySchema, periodOf, reportQuerySchema } from '../../reports/report-query.js';
import { CELL_TEXT } from '../../reports/vietnamese-terms.js';
import { STATUS_TEXT } from '../../dossiers/wording.js';
import { missingTetSchedule } from '../../calendar/year-readiness.js';
import { dossiersReaching } from '../../store/provisional-dossiers.js';
import { pageAuth, viewerOf } from '../page-auth.js';
import { replicaNotice } from '../../db/replica.js';

// No dossiers to judge: N/A, never 0 % (DOMAIN §5).
const WAITING_TOO_LONG_DAYS = 14;
const EXPORT_GROUPS = [
  ['agency', 'theo cơ quan'],
  ['month', 'theo tháng'],
  ['procedure', 'theo thủ tục'],
  ['field', 'theo lĩnh vực'],
] as const;
const LINKED_CELLS = ['received', 'received_online', 'finished', 'early', 'on_time', 'late', 'on_track', 'overdue'] as const;

async function render(ctx: AppContext, res: Response, query: Record<string, unknown>, agency: string | null) {
  const now = ctx.now();
  const q = reportQuerySchema.parse({ period: String(yearInVietnam(now + 7 * 3_600_000)), ...query, agency: agency ?? undefined, groupBy: 'agency' });
  const filter = filterFor(ctx, res, q);
  requireStarted(periodOf(q), now);
  // Independent reads go out together (the pool has connections to spare; the page waits for the slowest, not the sum).
  // Both reports judge the open stock now: read once.
  const stock = new OpenStock(readingFor(ctx, res, now), filter);
  const [report, trend, revised] = await Promise.all([
    buildReport(readingFor(ctx, res, now), q, filter, { openStock: stock }),
    buildReport(readingFor(ctx, res, now), { ...q, groupBy: 'month' }, filter, { openStock: stock }),
    periodRevisions(readingFor(ctx, res, now), periodOf(q), filter),
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
  // A letter's queue counts down to the letter's legal moment (the apology: by the day before the due date), not the due instant.
  const letterMoment = (wait: LetterWait) => (state: DossierState) => Math.min(...lettersWaitingFor(state.letters, wait).map((f) => legalMomentOf(state, f)));
  const open = async (queue: ActionQueue, momentOf: (state: DossierState) => number = (state) => state.dueAt) => {
    const { total, states } = await actionQueue(ctx.db.pool, queue, queueScope);
    return {
      total,
      more: total > states.length,
      items: states.map((state) => {
        const index = ctx.calendar.workingTime(state.rules.policies.officeHours);
        const moment = momentOf(state);
        const left = index.between(now, moment) / 60_000;
        const dayMinutes = index.dayMs / 60_000;
        return {
          code: state.code,
          procedureName: ctx.catalog.procedure(state.procedureCode)?.name ?? state.procedureCode,
          dueText: vietnameseShortInstant(moment),
          // While the citizen supplements, the clock is stopped: say since when instead of a time left.
          // A dossier finished late (the explanation queues): when it finished, not a time left.
          left:
            state.finishedAt !== null
              ? `hoàn thành trễ hạn ${vietnameseShortInstant(state.finishedAt)}`
              : state.pausedSince !== null
                ? `chờ bổ sung từ ${vietnameseShortInstant(state.pausedSince)}`
                : left >= 0
                  ? `còn ${workingDurationText(left, dayMinutes)}`
                  : `quá hạn ${workingDurationText(-left, dayMinutes)}`,
        };
      }),
    };
  };
  const [approval, signature, undelivered, lateWithoutApology, overdue, dueSoon, closureDue, waiting, unexplained, unacknowledged] = await Promise.all([
    open('letter_approval', letterMoment('approval')),
    open('letter_signature', letterMoment('signature')),
    open('message_undelivered'),
    open('late_without_apology'),
    open('overdue'),
    open('due_soon'),
    open('closure_due'),
    open('waiting_too_long'),
    open('unexplained'),
    open('unacknowledged'),
  ]);
  const lists = [
    { id: 'letter-approval', title: 'Dự thảo văn bản chờ duyệt (hạn: thời hạn phát hành văn bản)', ...approval },
    { id: 'letter-signature', title: 'Văn bản đã duyệt chờ ký số (hạn: thời hạn phát hành văn bản)', ...signature },
    { id: 'message-undelivered', title: 'Văn bản xin lỗi chưa đến được người nộp trước thời hạn: cần liên hệ trực tiếp', ...undelivered },
    { id: 'late-without-apology', title: 'Quá hạn chưa có văn bản xin lỗi', ...lateWithoutApology },
    { id: 'overdue', title: 'Đang quá hạn, đã có văn bản xin lỗi', ...overdue },
    { id: 'due-soon', title: 'Sắp đến hạn', ...dueSoon },
    { id: 'closure-due', title: 'Quá 15 ngày không bổ sung: cần đóng hồ sơ', ...closureDue },
    { id: 'waiting', title: `Chờ công dân bổ sung quá ${WAITING_TOO_LONG_DAYS} ngày`, ...waiting },
    // Giải trình (issue 25 item 5): late or overdue dossiers no one has explained, and explanations awaiting a supervisor.
    { id: 'unexplained', title: 'Trễ hạn trong năm, đang quá hạn: chưa giải trình', ...unexplained },
    { id: 'unacknowledged', title: 'Giải trình chờ lãnh đạo xác nhận', ...unacknowledged },
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
      title: agency ? ctx.catalog.nameOf(agency) : 'Báo cáo tình hình giải quyết hồ sơ',
      heading: agency ? ctx.catalog.nameOf(agency) : 'Tình hình giải quyết hồ sơ thủ tục hành chính',
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
      // The period's figures to take away, by each grouping a report form needs (issue 28 item 7).
      exports: EXPORT_GROUPS.map(([groupBy, text]) => {
        const query = `period=${encodeURIComponent(report.period.label)}&convention=${q.convention}&groupBy=${groupBy}${agency ? `&agency=${encodeURIComponent(agency)}` : ''}`;
        return { text, csv: `/api/v1/reports/rates.csv?dialect=vn&${query}`, xlsx: `/api/v1/reports/rates.xlsx?${query}` };
      }),
      running: report.period.to > now,
      // An ended period whose history a void or correction changed after its end: the figures follow it, and say so.
      revisedText: revised
        ? `Số liệu của kỳ đã kết thúc này đã được điều chỉnh theo ${revised.count} lần hủy, sửa sự kiện ghi nhầm (lần gần nhất ${vietnameseShortInstant(revised.latestAt)}).`
        : '',
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
        heading: `${CELL_TEXT[q.outcome] ?? q.outcome} — kỳ ${period.label}${q.agency ? `, ${ctx.catalog.nameOf(q.agency)}` : ''}`,
        currentYear: yearInVietnam(ctx.now()),
        count: found.length,
        limit: q.limit,
        items: found.map((r) => ({
          code: r.code,
          procedureName: ctx.catalog.procedure(r.procedure_code)?.name ?? r.procedure_code,
          agencyName: ctx.catalog.nameOf(r.receiving_agency_code),
          receivedText: vietnameseShortInstant(new Date(r.received_at).getTime()),
          dueText: vietnameseShortInstant(new Date(r.due_at).getTime()),
          finishedText: r.finished_at ? vietnameseShortInstant(new Date(r.finished_at).getTime()) : '',
          statusText: STATUS_TEXT[r.status as DossierStatus] ?? r.status,
        })),
        csvUrl: `/api/v1/reports/dossiers.csv?${new URLSearchParams({ ...(req.query as Record<string, string>), dialect: 'vn' }).toString()}`,
      }),
    );
  });
  // The register of apology letters of a period (sổ theo dõi xin lỗi), as the API's, with its XLSX a click away.
  router.get('/dashboard/apologies', ...pageAuth(ctx), async (req, res) => {
    const q = apologyRegisterQuerySchema.parse(req.query);
    const period = periodOf(q);
    requireStarted(period, ctx.now());
    const filter = filterFor(ctx, res, q);
    const lines = (await apologyRegister(ctx.db.pool, period, filter.agencies)).map((r, i) => registerLine(apologyEntry(r, ctx.catalog), i));
    res.type('html').send(
      renderPage('apology-register', {
        viewer: viewerOf(res),
        title: `Sổ theo dõi văn bản xin lỗi kỳ ${period.label}`,
        heading: `Sổ theo dõi văn bản xin lỗi và hẹn lại ngày trả kết quả — kỳ ${period.label}${q.agency ? `, ${ctx.catalog.agency(q.agency)?.name ?? q.agency}` : ''}`,
        currentYear: yearInVietnam(ctx.now()),
        columns: APOLOGY_REGISTER_COLUMNS,
        lines: lines.map((l) => APOLOGY_REGISTER_COLUMNS.map((c) => ({ key: c.key, value: l[c.key as keyof typeof l] }))),
        count: lines.length,
        xlsxUrl: `/api/v1/reports/apologies.xlsx?${new URLSearchParams(req.query as Record<string, string>).toString()}`,
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
