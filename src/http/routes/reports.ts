/**
 * Compliance reports: rates by agency, procedure, field, channel or month for
 * a period, as JSON, CSV or Excel, and the dossiers behind any cell.
 */
import { Router, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { formatLocalInstant } from '../../calendar/local-time.js';
import { LATENESS_COLUMNS, RATE_COLUMNS, type Column } from '../../reports/columns.js';
import { tableRows, toCsv, toXlsx, type CsvDialect } from '../../reports/export.js';
import { GROUP_TEXT } from '../../reports/vietnamese-terms.js';
import { CHANNEL_TEXT, OUTCOME_TEXT, STATUS_TEXT } from '../../dossiers/wording.js';
import { exportInstant } from '../../calendar/vietnamese-format.js';
import type { DossierStatus } from '../../dossiers/state.js';
import type { Outcome } from '../../dossiers/outcome.js';
import { apologyRegister } from '../../store/apology-register.js';
import { APOLOGY_REGISTER_COLUMNS, apologyEntry, registerLine } from '../../reports/apology-register.js';
import {
  apologyRegisterQuerySchema,
  cellQuerySchema,
  latenessDossiersQuerySchema,
  latenessQuerySchema,
  officialFormQuerySchema,
  periodOf,
  reportQuerySchema,
  whatIfQuerySchema,
} from '../../reports/report-query.js';
import { latenessSources } from '../../reports/lateness-sources.js';
import { lateDossiersAndSteps } from '../../store/step-report.js';
import { officialFormSchema } from '../../reports/official-forms.js';
import { officialReportPdf, officialReportXlsx } from '../../reports/official-form-files.js';
import { officialReport } from '../../store/official-report.js';
import { scopeOf } from '../auth.js';
import { buildReport, cellDossiers, closestOpen, judgedAtOf, periodRevisions, rateRows } from '../../store/report-store.js';
import { whatIf } from '../../reports/what-if.js';
import { indicatorsOf } from '../../reports/rates.js';
import type { Metrics } from '../../observability/metrics.js';
import { HttpError } from '../errors.js';
import { PORTAL_MODE, portalProgress, portalScores } from '../../reports/portal-scores.js';
import { readingsOf } from '../../reports/readings.js';
import { filterFor, readingFor, requireStarted } from '../report-scope.js';

/** A table to send: its columns and rows, the file's name and the sheet's title. */
interface Table {
  columns: Column[];
  rows: object[];
  name: string;
  title: string;
}

function sendTable(res: Response, format: 'csv' | 'xlsx', { columns, rows, name, title }: Table, dialect: CsvDialect): Promise<void> | void {
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
    res.send(toCsv(columns, rows, dialect));
    return;
  }
  return toXlsx(columns, rows, 'Báo cáo', title).then((buffer) => {
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').setHeader('Content-Disposition', `attachment; filename="${name}.xlsx"`);
    res.send(buffer);
  });
}

const JUDGMENT_RULE =
  "Decision 766 as the national portal computes it (DOMAIN §5): finished dossiers by their end of processing against the appointment, by instant, supplementation time subtracted; open ones at the judgment instant, with only the events that had happened by then (an electronic result, an online payment or an apology recorded later does not count in the period); waiting for the citizen judged at the request, overdue if asked more than once; an apology moves the appointment only when it reached the applicant by the law's limit (Decree 118/2025 Art. 19(6): no later than 1 day before the due date; judged at its recorded delivery, else at its issuing), unless the agency's policy lateApology766 is new-appointment.";

const LATENESS_RULE =
  "A step overran when it ran past its due instant (its budget from the next opening after the hand-over, in its agency's working time, moved on by the waits for the citizen); its overrun is the working time past it. The period's overruns: steps that ended in it past their due instant, and steps open and past it at the judgment instant. A dossier made late: one the period counts late or overdue (Decision 766, as the rates), and every step that had run over by its finish (or the judgment instant); unattributed when none had. Judged with the events that had happened by the judgment instant.";

export function reportsRouter(ctx: AppContext, metrics?: Metrics): Router {
  const router = Router();

  router.get(['/reports/rates', '/reports/rates.csv', '/reports/rates.xlsx'], async (req, res) => {
    const suffix = req.path.endsWith('.csv') ? 'csv' : req.path.endsWith('.xlsx') ? 'xlsx' : undefined;
    const q = reportQuerySchema.parse({ ...req.query, ...(suffix ? { format: suffix } : {}) });
    requireStarted(periodOf(q), ctx.now());
    const done = metrics?.reportDuration.startTimer({ format: q.format });
    res.on('finish', () => done?.());
    const filter = filterFor(ctx, res, q);
    const report = await buildReport(readingFor(ctx, res), q, filter);
    const window = { from: formatLocalInstant(report.period.from), to: formatLocalInstant(report.period.to) };
    if (q.format === 'json') {
      const judgedAt = judgedAtOf(report.period, ctx.now());
      const revised = await periodRevisions(ctx.reading(), report.period, filter);
      res.json({
        period: { label: report.period.label, convention: q.convention, ...window },
        // A running period judges its open dossiers now; an ended one at its last instant, with the events of then.
        judgment: {
          running: report.period.to > ctx.now(),
          openJudgedAt: formatLocalInstant(judgedAt),
          rule: JUDGMENT_RULE,
          readings: readingsOf(ctx.catalog, filter.agencies),
        },
        groupBy: q.groupBy,
        rows: report.rows.map((r) => ({ ...r, portal: portalProgress(r) })),
        total: { ...report.total, portal: portalProgress(report.total) },
        indicators: indicatorsOf(report.totalCounts),
        // The portal's own scores, by its conventions (an empty denominator scores 0 there; N/A in the figures above).
        portal: { mode: PORTAL_MODE, scores: portalScores(report.totalCounts) },
        // An ended period whose history a void or correction changed after its end: its figures follow the corrected
        // log (what happened), and say so.
        ...(revised ? { revisions: { count: revised.count, latestAt: formatLocalInstant(revised.latestAt) } } : {}),
      });
      return;
    }
    const title = `Tình hình giải quyết hồ sơ TTHC kỳ ${report.period.label} (từ ${exportInstant(report.period.from).slice(0, 10)} đến hết ${exportInstant(report.period.to - 1).slice(0, 10)}), theo ${GROUP_TEXT[q.groupBy]}`;
    await sendTable(
      res,
      q.format,
      { columns: RATE_COLUMNS, rows: tableRows(report, q.groupBy), name: `bao-cao-${report.period.label.replace(/\W+/g, '-')}-${q.groupBy}`, title },
      q.dialect,
    );
  });

  // The register of apology letters (sổ theo dõi xin lỗi): every apology issued in the period, with who signed it.
  router.get(['/reports/apologies', '/reports/apologies.xlsx'], async (req, res) => {
    const q = apologyRegisterQuerySchema.parse({ ...req.query, ...(req.path.endsWith('.xlsx') ? { format: 'xlsx' } : {}) });
    const period = periodOf(q);
    requireStarted(period, ctx.now());
    const filter = filterFor(ctx, res, q);
    const entries = (await apologyRegister(ctx.db.pool, period, filter.agencies)).map((r) => apologyEntry(r, ctx.catalog));
    if (q.format === 'json') {
      const at = (ms: number) => formatLocalInstant(ms);
      res.json({
        period: { label: period.label, from: at(period.from), to: at(period.to) },
        entries: entries.map((e) => ({
          ...e,
          receivedAt: at(e.receivedAt),
          originalDueAt: at(e.originalDueAt),
          newDueAt: at(e.newDueAt),
          issuedAt: at(e.issuedAt),
          signed: e.signed && { ...e.signed, at: at(e.signed.at) },
        })),
      });
      return;
    }
    const title = `Sổ theo dõi văn bản xin lỗi và hẹn lại ngày trả kết quả kỳ ${period.label} (từ ${exportInstant(period.from).slice(0, 10)} đến hết ${exportInstant(period.to - 1).slice(0, 10)})`;
    const buffer = await toXlsx(APOLOGY_REGISTER_COLUMNS, entries.map(registerLine), 'Sổ xin lỗi', title);
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .setHeader('Content-Disposition', `attachment; filename="so-xin-loi-${period.label.replace(/\W+/g, '-')}.xlsx"`)
      .send(buffer);
  });

  // The official forms (Biểu II.06a, 06b, 07a, 07b/VPCP/KSTT) as XLSX and PDF (and JSON): the same counts as /rates.
  router.get('/reports/forms/:file', async (req, res) => {
    const m = /^(\w+)\.(xlsx|pdf|json)$/.exec(String(req.params.file));
    const form = officialFormSchema.safeParse(m?.[1]);
    if (!m || !form.success) throw new HttpError(404, 'No such report form: 06a, 06b, 07a or 07b, as .xlsx, .pdf or .json.');
    const q = officialFormQuerySchema.parse(req.query);
    const period = periodOf(q);
    requireStarted(period, ctx.now());
    const scope = scopeOf(res);
    const mine = scope.all ? [ctx.catalog.pathOf(scope.principal.agencyCodes[0] ?? '')[0] ?? ''] : scope.principal.agencyCodes;
    // A unit's form ("a") speaks for one agency: the one asked for, or the key's own when it has only one.
    if (form.data.endsWith('a') && !q.agency && mine.length !== 1)
      throw new HttpError(400, `Form ${form.data} is one unit's report: give the agency.`, [
        { path: 'agency', message: 'required for a unit form when the key has several agencies' },
      ]);
    const filter = filterFor(ctx, res, form.data.endsWith('a') ? { agency: q.agency ?? mine[0] } : q);
    const units = q.agency ? [q.agency] : mine;
    const report = await officialReport(readingFor(ctx, res), form.data, period, filter, units);
    const name = `bieu-${form.data}-${period.label.replace(/\W+/g, '-')}`;
    if (m[2] === 'json') {
      res.json(report);
      return;
    }
    const body = m[2] === 'pdf' ? await officialReportPdf(report) : await officialReportXlsx(report);
    res
      .type(m[2] === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .setHeader('Content-Disposition', `attachment; filename="${name}.${m[2]}"`);
    res.send(body);
  });

  router.get('/reports/what-if', async (req, res) => {
    const q = whatIfQuerySchema.parse(req.query);
    const period = periodOf(q);
    requireStarted(period, ctx.now());
    if (period.to <= ctx.now())
      throw new HttpError(400, `The period ${period.label} has ended: its figures can no longer change.`, [
        { path: 'period', message: 'give a running period' },
      ]);
    const filter = filterFor(ctx, res, q);
    const { total, totalCounts } = await rateRows(readingFor(ctx, res), period, 'all', filter);
    const closest = await closestOpen(readingFor(ctx, res), filter, q.limit);
    res.json({
      period: { label: period.label, from: formatLocalInstant(period.from), to: formatLocalInstant(period.to) },
      agency: q.agency ?? null,
      judgedAt: formatLocalInstant(ctx.now()),
      ...whatIf(totalCounts, q.target),
      progressRate: total.progressRate,
      closest: closest.map((r) => ({
        code: r.code,
        procedureCode: r.procedure_code,
        dueAt: formatLocalInstant(r.due_at.getTime()),
        rateDueAt: formatLocalInstant(r.rate_due_at.getTime()),
        waitingForCitizen: r.paused,
      })),
    });
  });

  // Where lateness comes from: by agency and step, the steps that ran over and the dossiers they made late.
  router.get(['/reports/lateness', '/reports/lateness.csv', '/reports/lateness.xlsx'], async (req, res) => {
    const suffix = req.path.endsWith('.csv') ? 'csv' : req.path.endsWith('.xlsx') ? 'xlsx' : undefined;
    const q = latenessQuerySchema.parse({ ...req.query, ...(suffix ? { format: suffix } : {}) });
    const period = periodOf(q);
    requireStarted(period, ctx.now());
    const filter = filterFor(ctx, res, q);
    const read = await lateDossiersAndSteps(readingFor(ctx, res).pool, ctx.catalog, period, filter.agencies, ctx.now());
    const report = latenessSources(read.steps, read.late, period, read.judgedAt, ctx.calendar);
    const rows = report.rows.map((r) => ({ ...r, agencyName: ctx.catalog.nameOf(r.agencyCode) }));
    if (q.format === 'json') {
      res.json({
        period: { label: period.label, convention: q.convention, from: formatLocalInstant(period.from), to: formatLocalInstant(period.to) },
        judgment: { running: period.to > ctx.now(), judgedAt: formatLocalInstant(read.judgedAt), rule: LATENESS_RULE },
        rows,
        total: report.total,
      });
      return;
    }
    const title = `Nguồn gốc trễ hạn theo cơ quan và bước xử lý, kỳ ${period.label} (từ ${exportInstant(period.from).slice(0, 10)} đến hết ${exportInstant(period.to - 1).slice(0, 10)})`;
    await sendTable(res, q.format, { columns: LATENESS_COLUMNS, rows, name: `tre-han-theo-buoc-${period.label.replace(/\W+/g, '-')}`, title }, q.dialect);
  });

  router.get(['/reports/lateness/dossiers', '/reports/lateness/dossiers.csv'], async (req, res) => {
    const q = latenessDossiersQuerySchema.parse({ ...req.query, ...(req.path.endsWith('.csv') ? { format: 'csv' } : {}) });
    const period = periodOf(q);
    requireStarted(period, ctx.now());
    const filter = filterFor(ctx, res, q);
    const read = await lateDossiersAndSteps(readingFor(ctx, res).pool, ctx.catalog, period, filter.agencies, ctx.now());
    const { entries } = latenessSources(read.steps, read.late, period, read.judgedAt, ctx.calendar);
    const items = entries
      .filter(
        (e) =>
          (!q.stepAgency || e.agencyCode === q.stepAgency) &&
          (!q.step || e.step === q.step) &&
          (q.cell === undefined || (q.cell === 'overrun' ? e.overrun : e.madeLate)),
      )
      .slice(0, q.limit)
      .map((e) => ({
        dossierCode: e.dossierCode,
        agencyCode: e.agencyCode,
        step: e.step,
        overrunWorkingMinutes: Math.round(e.overrunMs / 60_000),
        open: e.open,
        overrun: e.overrun,
        madeLate: e.madeLate,
      }));
    if (q.format === 'json') {
      res.json({
        period: { label: period.label, from: formatLocalInstant(period.from), to: formatLocalInstant(period.to) },
        judgedAt: formatLocalInstant(read.judgedAt),
        items,
      });
      return;
    }
    const columns: Column[] = [
      { key: 'dossierCode', header: 'Mã hồ sơ', kind: 'text' },
      { key: 'agencyName', header: 'Cơ quan xử lý', kind: 'text' },
      { key: 'step', header: 'Bước xử lý', kind: 'text' },
      { key: 'overrunWorkingMinutes', header: 'Quá hạn (phút làm việc)', kind: 'count' },
      { key: 'state', header: 'Tình trạng bước', kind: 'text' },
      { key: 'madeLate', header: 'Làm hồ sơ trễ hạn', kind: 'text' },
    ];
    const people = items.map((i) => ({
      ...i,
      agencyName: ctx.catalog.nameOf(i.agencyCode),
      state: i.open ? 'Đang xử lý' : 'Đã chuyển',
      madeLate: i.madeLate ? 'Có' : 'Không',
    }));
    await sendTable(res, 'csv', { columns, rows: people, name: `tre-han-theo-buoc-ho-so-${period.label.replace(/\W+/g, '-')}`, title: '' }, q.dialect);
  });

  router.get(['/reports/dossiers', '/reports/dossiers.csv'], async (req, res) => {
    const q = cellQuerySchema.parse({ ...req.query, ...(req.path.endsWith('.csv') ? { format: 'csv' } : {}) });
    const period = periodOf(q);
    requireStarted(period, ctx.now());
    const found = await cellDossiers(readingFor(ctx, res), period, q.outcome, filterFor(ctx, res, q), q.limit);
    const rows = found.map((r) => ({
      code: r.code,
      status: r.status,
      procedureCode: r.procedure_code,
      procedureName: ctx.catalog.procedure(r.procedure_code)?.name ?? '',
      receivingAgencyCode: r.receiving_agency_code,
      channel: r.channel,
      receivedAt: formatLocalInstant(new Date(r.received_at).getTime()),
      dueAt: formatLocalInstant(new Date(r.due_at).getTime()),
      finishedAt: r.finished_at ? formatLocalInstant(new Date(r.finished_at).getTime()) : null,
      outcome: r.outcome,
    }));
    if (q.format === 'json') {
      res.json({ period: { label: period.label, from: formatLocalInstant(period.from), to: formatLocalInstant(period.to) }, cell: q.outcome, items: rows });
      return;
    }
    // For people: names instead of codes, Vietnamese states, dates as dd/MM/yyyy HH:mm.
    const people = found.map((r) => ({
      code: r.code,
      procedureName: ctx.catalog.procedure(r.procedure_code)?.name ?? r.procedure_code,
      agencyName: ctx.catalog.nameOf(r.receiving_agency_code),
      channel: CHANNEL_TEXT[r.channel as keyof typeof CHANNEL_TEXT] ?? r.channel,
      receivedAt: exportInstant(new Date(r.received_at).getTime()),
      dueAt: exportInstant(new Date(r.due_at).getTime()),
      finishedAt: r.finished_at ? exportInstant(new Date(r.finished_at).getTime()) : '',
      status: STATUS_TEXT[r.status as DossierStatus] ?? r.status,
      outcome: r.outcome ? OUTCOME_TEXT[r.outcome as Outcome] : '',
    }));
    const columns: Column[] = [
      { key: 'code', header: 'Mã hồ sơ', kind: 'text' },
      { key: 'procedureName', header: 'Thủ tục', kind: 'text' },
      { key: 'agencyName', header: 'Cơ quan tiếp nhận', kind: 'text' },
      { key: 'channel', header: 'Kênh tiếp nhận', kind: 'text' },
      { key: 'receivedAt', header: 'Tiếp nhận', kind: 'text' },
      { key: 'dueAt', header: 'Hạn trả kết quả', kind: 'text' },
      { key: 'finishedAt', header: 'Hoàn thành', kind: 'text' },
      { key: 'status', header: 'Trạng thái', kind: 'text' },
      { key: 'outcome', header: 'Kết quả', kind: 'text' },
    ];
    await sendTable(res, 'csv', { columns, rows: people, name: `ho-so-${q.outcome}-${period.label.replace(/\W+/g, '-')}`, title: '' }, q.dialect);
  });

  return router;
}
