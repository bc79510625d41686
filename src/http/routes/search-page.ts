/**
 * Finding dossiers (issue 28 item 7): the header's search box and the list page behind it. A code typed in full
 * opens the dossier; anything else lists the dossiers whose code holds it, or, for staff who may read personal data
 * (counter, supervisor, admin; not an auditor), whose applicant's name or phone does, with tones or without. Filters
 * by state and agency, sorted by due instant, receipt or code, 50 to a page. Every dossier listed with a name is a
 * read of personal data, recorded before the page is sent.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { yearInVietnam } from '../../calendar/local-time.js';
import { vietnameseShortInstant } from '../../calendar/vietnamese-format.js';
import { dossierStatusSchema } from '../../dossiers/state.js';
import { foldForSearch, phoneDigits } from '../../dossiers/search-text.js';
import { progressAt } from '../../dossiers/progress.js';
import { PROGRESS_TEXT, STATUS_TEXT } from '../../dossiers/wording.js';
import { recordPersonalDataReads } from '../../store/audit-reads.js';
import { listDossiers, type DossierListQuery } from '../../store/dossier-list.js';
import { scopedDossier } from '../../store/dossier-reads.js';
import { renderPage } from '../../views/render.js';
import { scopeOf } from '../auth.js';
import { pageAuth, viewerOf } from '../page-auth.js';
import { DomainError } from '../../domain-error.js';

const PAGE_SIZE = 50;
const PROGRESS_FILTERS = ['overdue', 'due_soon', 'on_track', 'waiting_for_citizen'] as const;
const SORTS = { due: 'Hạn xử lý', received: 'Ngày tiếp nhận', code: 'Mã hồ sơ' } as const;

/** What the page takes; an empty field is no filter (a form sends every field, filled or not). */
const empty = (v: unknown) => (v === '' ? undefined : v);
export const searchQuerySchema = z.strictObject({
  q: z.preprocess(empty, z.string().trim().max(100, 'dài quá 100 ký tự').optional()),
  /** The header form's name for it, before the list page existed. */
  code: z.preprocess(empty, z.string().trim().max(100).optional()),
  status: z.preprocess(empty, dossierStatusSchema.optional()),
  progress: z.preprocess(empty, z.enum(PROGRESS_FILTERS).optional()),
  agency: z.preprocess(empty, z.string().max(64).optional()),
  sort: z.preprocess(empty, z.enum(['due', 'received', 'code']).default('due')),
  page: z.preprocess(empty, z.coerce.number().int().min(1).max(10_000).default(1)),
});

export function searchPageRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/search', ...pageAuth(ctx), async (req, res) => {
    const scope = scopeOf(res);
    const q = searchQuerySchema.parse(req.query);
    const typed = q.q ?? q.code ?? '';
    if (q.agency) {
      if (!ctx.catalog.agency(q.agency))
        throw new DomainError('unknown_agency', `Unknown agency ${q.agency}.`, [{ path: 'agency', message: 'unknown agency' }]);
      if (!scope.coversPath(ctx.catalog.pathOf(q.agency))) throw new DomainError('not_in_scope', `Agency ${q.agency} is outside your agencies.`);
    }
    const now = ctx.now();
    // A whole code opens its dossier (the header box's old behaviour); out of scope reads as not found there.
    const exact =
      typed && !q.status && !q.progress && !q.agency
        ? ((await scopedDossier(ctx.db.pool, typed, scope)) ?? (await scopedDossier(ctx.db.pool, typed.toUpperCase(), scope)))
        : null;
    if (exact) {
      res.redirect(303, `/dossiers/${encodeURIComponent(exact.code)}`);
      return;
    }
    const mayReadPersonal = scope.has('counter', 'supervisor', 'admin');
    const digits = phoneDigits(typed);
    const text: DossierListQuery['text'] = typed
      ? {
          code: typed,
          ...(mayReadPersonal && foldForSearch(typed).length >= 2 ? { name: foldForSearch(typed) } : {}),
          // At least 4 digits: fewer would match most phones.
          ...(mayReadPersonal && digits.length >= 4 && /^[\d\s.+-]+$/.test(typed) ? { phone: digits } : {}),
        }
      : undefined;
    const rows = await listDossiers(ctx.db.pool, {
      scope: scope.all ? null : scope.principal.agencyCodes,
      agency: q.agency,
      status: q.status,
      outcome: q.progress,
      text,
      sort: q.sort,
      offset: (q.page - 1) * PAGE_SIZE,
      now: new Date(now),
      // One more than the page: whether there is a next one.
      limit: PAGE_SIZE + 1,
    });
    const shown = rows.slice(0, PAGE_SIZE);
    if (mayReadPersonal && shown.length)
      await recordPersonalDataReads(
        ctx.db.pool,
        scope.principal,
        shown.map((r) => r.code),
        'page:search',
        req.ip,
      );
    const link = (changes: Record<string, string | number | undefined>) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({
        q: typed || undefined,
        status: q.status,
        progress: q.progress,
        agency: q.agency,
        sort: q.sort,
        page: q.page,
        ...changes,
      }))
        if (v !== undefined && v !== '' && !(k === 'page' && v === 1)) params.set(k, String(v));
      return `/search?${params.toString()}`;
    };
    const agencies = (scope.all ? ctx.catalog.allAgencies().map((a) => a.code) : scope.principal.agencyCodes.flatMap((c) => ctx.catalog.descendantsOf(c)))
      .map((code) => ({ code, name: ctx.catalog.nameOf(code), selected: code === q.agency }))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    res.type('html').send(
      renderSearch({
        viewer: viewerOf(res),
        currentYear: yearInVietnam(now),
        typed,
        mayReadPersonal,
        items: shown.map(({ state: s }) => {
          const judged = s.finishedAt === null ? progressAt(s, Math.max(now, s.receivedAt)) : null;
          const legal = judged?.legal;
          return {
            code: s.code,
            applicant: mayReadPersonal ? s.applicant.name : '',
            procedureName: ctx.catalog.procedure(s.procedureCode)?.name ?? s.procedureCode,
            agencyName: ctx.catalog.nameOf(s.currentAgencyCode ?? s.receivingAgencyCode),
            dueText: vietnameseShortInstant(s.dueAt),
            stateText: legal && legal in PROGRESS_TEXT ? PROGRESS_TEXT[legal as keyof typeof PROGRESS_TEXT] : STATUS_TEXT[s.status],
            late: legal === 'overdue' || s.outcome === 'late',
          };
        }),
        filters: {
          statuses: Object.entries(STATUS_TEXT).map(([value, text]) => ({ value, text, selected: value === q.status })),
          progress: PROGRESS_FILTERS.map((value) => ({ value, text: PROGRESS_TEXT[value], selected: value === q.progress })),
          agencies,
          sorts: Object.entries(SORTS).map(([value, text]) => ({ value, text, selected: value === q.sort })),
        },
        page: q.page,
        previous: q.page > 1 ? link({ page: q.page - 1 }) : null,
        next: rows.length > PAGE_SIZE ? link({ page: q.page + 1 }) : null,
      }),
    );
  });
  return router;
}

function renderSearch(data: Record<string, unknown>): string {
  return renderPage('search', { title: 'Tìm hồ sơ', ...data });
}
