/**
 * What the province publishes, no key needed (DOMAIN §6):
 * - a citizen's lookup of their own dossier by its code and the last four
 *   digits of the phone on it (page `/tra-cuu`, API `POST /api/v1/public/lookup`).
 *   A wrong code and wrong digits answer the same "not found", with the same
 *   work done, and lookups are rate-limited per address;
 * - each agency's on-time, online-submission and online-payment figures by
 *   month for the last 12 months (page `/cong-khai/:agency`, JSON and CSV).
 */
import express, { Router, type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { phoneMatches, publicProgress, type PublicProgress } from '../../dossiers/public-view.js';
import type { DossierState } from '../../dossiers/state.js';
import { toCsv } from '../../reports/export.js';
import type { Column } from '../../reports/columns.js';
import { publicFigures } from '../../store/public-figures.js';
import { dossiersByCodeAnyCase, lookupBudget, recordLookupFailure, takeUnseenFailures } from '../../store/public-lookup.js';
import { renderPage } from '../../views/render.js';
import { trendOf } from '../../views/charts.js';
import { vietnameseInstant, vietnameseShortInstant } from '../../calendar/vietnamese-format.js';
import { HttpError, problem, sendProblem } from '../errors.js';
import { hasBadText } from '../input-guards.js';
import { readingFor } from '../report-scope.js';

const lookupSchema = z.strictObject({
  code: z.string().trim().min(1, 'nhập mã hồ sơ').max(64),
  phoneLast4: z
    .string()
    .trim()
    .regex(/^\d{4}$/, 'nhập đúng 4 chữ số cuối của số điện thoại'),
});

const NOT_FOUND = 'Không tìm thấy hồ sơ với mã và 4 số cuối điện thoại này. Xin kiểm tra lại mã trên phiếu tiếp nhận và số điện thoại đã khai.';

const FIGURE_COLUMNS: Column[] = [
  { key: 'month', header: 'Tháng', kind: 'text' },
  { key: 'received', header: 'Hồ sơ tiếp nhận', kind: 'count' },
  { key: 'receivedOnline', header: 'Tiếp nhận trực tuyến', kind: 'count' },
  { key: 'finishedOnTime', header: 'Giải quyết đúng hạn', kind: 'count' },
  { key: 'finishedLate', header: 'Giải quyết quá hạn', kind: 'count' },
  { key: 'openOnTrack', header: 'Đang giải quyết trong hạn', kind: 'count' },
  { key: 'openOverdue', header: 'Đang giải quyết quá hạn', kind: 'count' },
  { key: 'feeRequired', header: 'Hồ sơ có phí lệ phí', kind: 'count' },
  { key: 'paidOnline', header: 'Thanh toán trực tuyến', kind: 'count' },
  { key: 'onTimeRate', header: 'Tỷ lệ đúng hạn', kind: 'rate' },
  { key: 'onlineSubmissionRate', header: 'Tỷ lệ nộp trực tuyến', kind: 'rate' },
  { key: 'onlinePaymentRate', header: 'Tỷ lệ thanh toán trực tuyến', kind: 'rate' },
  { key: 'runningText', header: 'Ghi chú', kind: 'text' },
];

export interface PublicOptions {
  /** Lookups per address per 15 minutes before 429. */
  lookupAttempts?: number;
  /** Failed lookups of one code per hour before it is held for everyone until the hour ends. */
  codeFailures?: number;
  /** Failed lookups of all codes per hour before every lookup is held until the hour ends. */
  globalFailures?: number;
}

/**
 * The budgets' defaults. Per address, 20 tries in 15 minutes; but addresses are cheap, and 10,000 possible endings
 * fall to 500 addresses in minutes. Per code, 10 failed tries an hour: finding one code's 4 digits then takes 500
 * hours on average (5,000 tries), and its owner is told at the next lookup. Globally, 1,000 failed tries an hour: a
 * sweep over many codes stops the lookup for everyone rather than leaking, visibly.
 */
export const CODE_FAILURES_PER_HOUR = 10;
export const GLOBAL_FAILURES_PER_HOUR = 1000;

export function publicRouter(ctx: AppContext, options: PublicOptions = {}): Router {
  const router = Router();
  const limiter = rateLimit({
    windowMs: 15 * 60_000,
    limit: options.lookupAttempts ?? 20,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) => {
      if (req.path.startsWith('/api/')) return sendProblem(res, problem(429, 'Too many lookups from this address; try again in 15 minutes.'));
      res
        .status(429)
        .type('html')
        .send(renderPage('lookup', { title: 'Tra cứu hồ sơ', form: {}, error: 'Bạn đã tra cứu quá nhiều lần. Xin thử lại sau 15 phút.' }));
    },
  });

  const codeBudget = options.codeFailures ?? CODE_FAILURES_PER_HOUR;
  const globalBudget = options.globalFailures ?? GLOBAL_FAILURES_PER_HOUR;

  /**
   * The same work whether the code is unknown or the digits are wrong: one read, one comparison per candidate. The
   * code in any letter case. Failures are counted per code (existing or not) and globally; a code or the service over
   * its budget answers 429 until its hour ends, before anything is compared.
   */
  const lookup = async (code: string, last4: string): Promise<{ found: PublicProgress | null; held?: string; warned?: number }> => {
    const now = ctx.now();
    const budget = await lookupBudget(ctx.db.pool, code, now);
    if (budget.all && budget.all.failures >= globalBudget)
      return { found: null, held: `Hệ thống tạm ngừng tra cứu do có quá nhiều lần tra cứu sai; xin thử lại sau ${vietnameseShortInstant(budget.all.until)}.` };
    if (budget.code && budget.code.failures >= codeBudget)
      return {
        found: null,
        held: `Mã hồ sơ này đã bị tra cứu sai nhiều lần nên tạm khóa tra cứu đến ${vietnameseShortInstant(budget.code.until)}. Nếu không phải ông/bà, xin liên hệ nơi tiếp nhận hồ sơ.`,
      };
    const states = await dossiersByCodeAnyCase(ctx.db.pool, code);
    const candidates = states.length ? states : [{ applicant: { phone: '0000000000' } } as DossierState];
    const matches = candidates.map((s) => phoneMatches(s, last4));
    const state = states.find((_, i) => matches[i]);
    if (!state) {
      await recordLookupFailure(ctx.db.pool, code, now);
      return { found: null };
    }
    return { found: publicProgress(state, ctx.catalog, now), warned: await takeUnseenFailures(ctx.db.pool, code) };
  };
  const heldPage = (res: express.Response, form: Record<string, string>, message: string) =>
    res
      .status(429)
      .setHeader('Cache-Control', 'no-store')
      .type('html')
      .send(renderPage('lookup', { title: 'Tra cứu hồ sơ', form, error: message }));
  const warning = (n: number | undefined) =>
    n
      ? `Lưu ý: đã có ${n} lần tra cứu hồ sơ này với số điện thoại sai kể từ lần tra cứu thành công trước. Nếu không phải ông/bà, xin báo nơi tiếp nhận hồ sơ.`
      : undefined;

  router.get('/tra-cuu', (_req, res) => {
    res.type('html').send(renderPage('lookup', { title: 'Tra cứu hồ sơ', form: {} }));
  });

  router.post('/tra-cuu', limiter, express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 4 }), async (req, res) => {
    const form = { code: String(req.body?.code ?? ''), phoneLast4: String(req.body?.phoneLast4 ?? '') };
    const parsed = lookupSchema.safeParse(form);
    if (!parsed.success || hasBadText(form.code)) {
      res
        .status(400)
        .type('html')
        .send(
          renderPage('lookup', {
            title: 'Tra cứu hồ sơ',
            form,
            error: parsed.success ? 'Mã hồ sơ không hợp lệ.' : parsed.error.issues.map((i) => i.message).join('; '),
          }),
        );
      return;
    }
    const { found, held, warned } = await lookup(parsed.data.code, parsed.data.phoneLast4);
    if (held) return heldPage(res, { code: parsed.data.code }, held);
    res.setHeader('Cache-Control', 'no-store');
    res
      .status(found ? 200 : 404)
      .type('html')
      .send(
        renderPage('lookup', {
          title: 'Tra cứu hồ sơ',
          form: found ? { code: found.code } : {},
          found,
          notFound: found ? undefined : NOT_FOUND,
          warning: warning(warned),
        }),
      );
  });

  router.post('/api/v1/public/lookup', limiter, express.json({ limit: '2kb' }), async (req, res) => {
    const parsed = lookupSchema.safeParse(req.body);
    if (!parsed.success) throw parsed.error;
    if (hasBadText(parsed.data.code))
      throw new HttpError(400, 'The code contains a NUL character or a lone UTF-16 surrogate.', [{ path: 'code', message: 'invalid text' }]);
    const { found, held, warned } = await lookup(parsed.data.code, parsed.data.phoneLast4);
    res.setHeader('Cache-Control', 'no-store');
    if (held) throw new HttpError(429, held);
    if (!found) throw new HttpError(404, NOT_FOUND);
    res.json({ ...found, failedLookupsSinceLast: warned ?? 0 });
  });

  const agencyOf = (req: Request): string => {
    const code = String(req.params.agency);
    if (!ctx.catalog.agency(code)) throw new HttpError(404, `No agency ${code}.`);
    return code;
  };

  router.get('/cong-khai', (_req, res) => {
    const agencies = ctx.catalog
      .allAgencies()
      .filter((a) => a.validTo === null)
      .map((a) => ({ code: a.code, name: a.name, depth: ctx.catalog.pathOf(a.code).length - 1 }))
      .sort((a, b) => ctx.catalog.pathOf(a.code).join('/').localeCompare(ctx.catalog.pathOf(b.code).join('/')));
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('html').send(renderPage('public-index', { title: 'Công khai kết quả giải quyết TTHC', agencies }));
  });

  router.get('/cong-khai/:agency', async (req, res) => {
    const figures = await publicFigures(readingFor(ctx, res).pool, ctx.catalog, agencyOf(req), ctx.now());
    res.setHeader('Cache-Control', 'public, max-age=300');
    const trend = trendOf(figures.months.map((m) => ({ key: m.month, label: m.label, progressRate: m.onTimePercent === null ? null : m.onTimePercent / 100 })));
    res.type('html').send(
      renderPage('public-agency', {
        title: `Kết quả giải quyết TTHC — ${figures.agency.name}`,
        ...figures,
        months: [...figures.months].reverse(),
        trend,
        generatedText: vietnameseInstant(Date.parse(figures.generatedAt)),
      }),
    );
  });

  router.get(['/api/v1/public/agencies/:agency/figures', '/api/v1/public/agencies/:agency/figures.csv'], async (req, res) => {
    const figures = await publicFigures(readingFor(ctx, res).pool, ctx.catalog, agencyOf(req), ctx.now());
    res.setHeader('Cache-Control', 'public, max-age=300');
    if (req.path.endsWith('.csv')) {
      res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="cong-khai-${figures.agency.code}.csv"`);
      const fraction = (p: number | null) => (p === null ? null : p / 100);
      const rows = figures.months.map((m) => ({
        ...m,
        onTimeRate: fraction(m.onTimePercent),
        onlineSubmissionRate: fraction(m.onlineSubmissionPercent),
        onlinePaymentRate: fraction(m.onlinePaymentPercent),
        runningText: m.running ? 'Tháng đang diễn ra, số liệu tạm tính' : '',
      }));
      res.send(toCsv(FIGURE_COLUMNS, rows));
      return;
    }
    res.json(figures);
  });

  return router;
}
