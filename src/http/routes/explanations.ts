/**
 * A late dossier's explanation (giải trình, issue 25 item 5) from the API: POST …/explanation records the caller's
 * explanation, POST …/explanation/review a supervisor's acknowledgement or return (explain-late.ts, shared with the
 * dossier page's forms), and GET /reports/explanations lists the period's late and overdue dossiers with theirs (JSON,
 * CSV through the writer that neutralises formulas, XLSX).
 */
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { formatLocalInstant } from '../../calendar/local-time.js';
import { exportInstant } from '../../calendar/vietnamese-format.js';
import { EXPLANATION_STATUS_TEXT, reasonText, type ExplanationStatus } from '../../dossiers/explanation.js';
import { toCsv, toXlsx } from '../../reports/export.js';
import type { Column } from '../../reports/columns.js';
import { explanationsQuerySchema, periodOf } from '../../reports/report-query.js';
import { lateDossiersWithExplanations, type LateDossierRow } from '../../store/explanation-report.js';
import { requireRole, scopeOf } from '../auth.js';
import { explainLate, explanationRequestSchema, reviewExplanation, reviewRequestSchema } from '../explain-late.js';
import { noQuery } from '../query.js';
import { filterFor, requireStarted } from '../report-scope.js';
import { loadScopedDossier } from '../scoped-dossier.js';

const RULE =
  'The dossiers the period counts late (finished after their appointment) or overdue (open past it at the judgment instant), by Decision 766 as the rates count them, judged with the events of then; each with its explanation as it stands now. Any dossier late or overdue by either the legal or the 766 judgment may be explained.';

const COLUMNS: Column[] = [
  { key: 'dossierCode', header: 'Mã hồ sơ', kind: 'text' },
  { key: 'procedureName', header: 'Thủ tục', kind: 'text' },
  { key: 'agencyName', header: 'Cơ quan tiếp nhận', kind: 'text' },
  { key: 'dueText', header: 'Hạn trả kết quả', kind: 'text' },
  { key: 'finishedText', header: 'Ngày hoàn thành', kind: 'text' },
  { key: 'latenessText', header: 'Tình trạng', kind: 'text' },
  { key: 'reasonText', header: 'Lý do trễ hạn', kind: 'text' },
  { key: 'note', header: 'Nội dung giải trình', kind: 'text' },
  { key: 'responsibleText', header: 'Đơn vị chịu trách nhiệm', kind: 'text' },
  { key: 'responsibleStep', header: 'Bước xử lý', kind: 'text' },
  { key: 'explainedByName', header: 'Người giải trình', kind: 'text' },
  { key: 'explainedText', header: 'Thời điểm giải trình', kind: 'text' },
  { key: 'statusText', header: 'Xác nhận', kind: 'text' },
  { key: 'reviewedByName', header: 'Người xác nhận', kind: 'text' },
  { key: 'comment', header: 'Ý kiến', kind: 'text' },
];

export function explanationsRouter(ctx: AppContext): Router {
  const router = Router();

  router.post('/dossiers/:code/explanation', requireRole('counter', 'supervisor', 'admin'), async (req, res) => {
    noQuery(req);
    const body = explanationRequestSchema.parse(req.body);
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, String(req.params.code), scope);
    const { eventId } = await explainLate(ctx, s, scope, body);
    res.status(201).json({ eventId, status: 'submitted' });
  });

  router.post('/dossiers/:code/explanation/review', requireRole('supervisor', 'admin'), async (req, res) => {
    noQuery(req);
    const body = reviewRequestSchema.parse(req.body);
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, String(req.params.code), scope);
    const { eventId } = await reviewExplanation(ctx, s, scope, body);
    res.status(201).json({ eventId, status: body.decision === 'acknowledge' ? 'acknowledged' : 'returned' });
  });

  router.get(['/reports/explanations', '/reports/explanations.csv', '/reports/explanations.xlsx'], async (req, res) => {
    const suffix = req.path.endsWith('.csv') ? 'csv' : req.path.endsWith('.xlsx') ? 'xlsx' : undefined;
    const q = explanationsQuerySchema.parse({ ...req.query, ...(suffix ? { format: suffix } : {}) });
    const period = periodOf(q);
    requireStarted(period, ctx.now());
    const filter = filterFor(ctx, res, q);
    const { judgedAt, rows } = await lateDossiersWithExplanations(ctx.db.pool, period, filter.agencies, ctx.now());
    const items = rows.map(itemOf);
    const count = (status: ExplanationStatus | 'none') => items.filter((i) => (i.explanation?.status ?? 'none') === status).length;
    if (q.format === 'json') {
      res.json({
        period: { label: period.label, convention: q.convention, from: formatLocalInstant(period.from), to: formatLocalInstant(period.to) },
        judgment: { running: period.to > ctx.now(), judgedAt: formatLocalInstant(judgedAt), rule: RULE },
        total: {
          late: items.length,
          unexplained: count('none'),
          submitted: count('submitted'),
          acknowledged: count('acknowledged'),
          returned: count('returned'),
        },
        items,
      });
      return;
    }
    const agencyName = (code: string) => ctx.catalog.agency(code)?.name ?? code;
    const table = rows.map((r) => {
      const e = r.explanation;
      return {
        dossierCode: r.code,
        procedureName: ctx.catalog.procedure(r.procedure_code)?.name ?? r.procedure_code,
        agencyName: agencyName(r.receiving_agency_code),
        dueText: exportInstant(r.rate_due_at.getTime()),
        finishedText: r.finished_late && r.finished_at ? exportInstant(r.finished_at.getTime()) : '',
        latenessText: r.finished_late ? 'Hoàn thành trễ hạn' : 'Đang quá hạn',
        reasonText: e ? reasonText(e.reason) : '',
        note: e?.note ?? '',
        responsibleText: e ? agencyName(e.responsibleAgencyCode) : '',
        responsibleStep: e?.responsibleStep ?? '',
        explainedByName: e ? (r.explained_by_name ?? e.by) : '',
        explainedText: e ? exportInstant(e.at) : '',
        statusText: EXPLANATION_STATUS_TEXT[e?.status ?? 'none'],
        reviewedByName: e?.reviewedBy ? (r.reviewed_by_name ?? e.reviewedBy) : '',
        comment: e?.comment ?? '',
      };
    });
    const name = `giai-trinh-tre-han-${period.label.replace(/\W+/g, '-')}`;
    if (q.format === 'csv') {
      res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
      res.send(toCsv(COLUMNS, table, q.dialect));
      return;
    }
    const title = `Giải trình hồ sơ trễ hạn, kỳ ${period.label} (từ ${exportInstant(period.from).slice(0, 10)} đến hết ${exportInstant(period.to - 1).slice(0, 10)})`;
    const buffer = await toXlsx(COLUMNS, table, 'Giải trình', title);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').setHeader('Content-Disposition', `attachment; filename="${name}.xlsx"`);
    res.send(buffer);
  });

  return router;
}

function itemOf(r: LateDossierRow) {
  const iso = (d: Date | null) => (d === null ? null : formatLocalInstant(d.getTime()));
  const e = r.explanation;
  return {
    dossierCode: r.code,
    procedureCode: r.procedure_code,
    receivingAgencyCode: r.receiving_agency_code,
    dueAt: iso(r.due_at),
    rateDueAt: iso(r.rate_due_at),
    finishedAt: r.finished_late ? iso(r.finished_at) : null,
    lateness: r.finished_late ? ('finished_late' as const) : ('overdue' as const),
    explanation: e && {
      reason: e.reason,
      reasonText: reasonText(e.reason),
      note: e.note,
      responsibleAgencyCode: e.responsibleAgencyCode,
      responsibleStep: e.responsibleStep,
      by: e.by,
      byName: r.explained_by_name,
      at: formatLocalInstant(e.at),
      status: e.status,
      reviewedBy: e.reviewedBy,
      reviewedByName: r.reviewed_by_name,
      reviewedAt: e.reviewedAt === null ? null : formatLocalInstant(e.reviewedAt),
      comment: e.comment,
    },
  };
}
