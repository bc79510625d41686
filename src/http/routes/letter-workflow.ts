/**
 * The letters' approval from the API (letter-workflow.ts does the steps): GET /dossiers/:code/letters/:form, where an
 * apology or a refusal stands; POST …/draft, …/submit, …/approve, …/return, …/sign, …/issue. Drafting, submitting and
 * issuing are the handling officer's (counter, supervisor, admin); approving, returning and signing the leader's
 * (supervisor, admin), as the existing signed-PDF route.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { formatLocalInstant } from '../../calendar/local-time.js';
import { letterKindSchema } from '../../dossiers/events.js';
import type { LetterKind } from '../../dossiers/letter-workflow.js';
import { actorNames } from '../../store/people.js';
import { requireRole, scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';
import { draftLetter, issueLetter, legalMomentOf, moveLetter, returnLetterSchema, signLetter } from '../letter-workflow.js';
import { noQuery } from '../query.js';
import { loadScopedDossier } from '../scoped-dossier.js';
import type { DossierState } from '../../dossiers/state.js';

export function formOf(req: Request): LetterKind {
  const form = letterKindSchema.safeParse(req.params.form);
  if (!form.success) throw new HttpError(404, `No letter workflow for "${String(req.params.form)}": apology or refusal.`);
  return form.data;
}

/** A workflow letter as the API shows it (instants in local time, actors with their names). */
export async function letterStatus(ctx: AppContext, s: DossierState, form: LetterKind) {
  const l = s.letters?.[form];
  const iso = (ms: number | null) => (ms === null ? null : formatLocalInstant(ms));
  if (!l) return { form, status: null, legalMoment: iso(legalMomentOf(s, form)) };
  const names = await actorNames(
    ctx.db.pool,
    [l.draftedBy, l.approvedBy, l.returnedBy, l.signedBy].filter((x): x is string => x !== null),
  );
  const who = (id: string | null) => id && { id, name: names.get(id) ?? null };
  return {
    form,
    status: l.status,
    reason: l.reason,
    newDueAt: iso(l.newDueAt),
    drafted: { by: who(l.draftedBy), at: iso(l.draftedAt) },
    submittedAt: iso(l.submittedAt),
    approved: l.approvedBy ? { by: who(l.approvedBy), at: iso(l.approvedAt) } : null,
    returned: l.returnedBy ? { by: who(l.returnedBy), comment: l.returnComment } : null,
    signed: l.signedBy ? { by: who(l.signedBy), at: iso(l.signedAt), sha256: l.sha256 } : null,
    issuedAt: iso(l.issuedAt),
    // The first instant the letter is too late for the law (the apology: no later than 1 day before the due date).
    legalMoment: iso(legalMomentOf(s, form)),
  };
}

export function letterWorkflowRouter(ctx: AppContext): Router {
  const router = Router();
  const load = (req: Request, res: Response) => loadScopedDossier(ctx, String(req.params.code), scopeOf(res));
  const answer = async (req: Request, res: Response, status: number, extra: object) => {
    const s = await load(req, res);
    res.status(status).json({ ...extra, letter: await letterStatus(ctx, s, formOf(req)) });
  };

  router.get('/dossiers/:code/letters/:form', async (req, res) => {
    noQuery(req);
    const form = formOf(req);
    res.json(await letterStatus(ctx, await load(req, res), form));
  });
  router.post('/dossiers/:code/letters/:form/draft', requireRole('counter', 'supervisor', 'admin'), async (req, res) => {
    noQuery(req);
    const form = formOf(req);
    const done = await draftLetter(ctx, await load(req, res), scopeOf(res), form, req.body);
    await answer(req, res, 201, done);
  });
  router.post('/dossiers/:code/letters/:form/submit', requireRole('counter', 'supervisor', 'admin'), async (req, res) => {
    noQuery(req);
    const form = formOf(req);
    await answer(req, res, 200, await moveLetter(ctx, await load(req, res), scopeOf(res), form, { type: 'letter_submitted' }));
  });
  router.post('/dossiers/:code/letters/:form/approve', requireRole('supervisor', 'admin'), async (req, res) => {
    noQuery(req);
    const form = formOf(req);
    await answer(req, res, 200, await moveLetter(ctx, await load(req, res), scopeOf(res), form, { type: 'letter_approved' }));
  });
  router.post('/dossiers/:code/letters/:form/return', requireRole('supervisor', 'admin'), async (req, res) => {
    noQuery(req);
    const form = formOf(req);
    const { comment } = returnLetterSchema.parse(req.body);
    await answer(req, res, 200, await moveLetter(ctx, await load(req, res), scopeOf(res), form, { type: 'letter_returned', comment }));
  });
  router.post('/dossiers/:code/letters/:form/sign', requireRole('supervisor', 'admin'), async (req, res) => {
    noQuery(req);
    const form = formOf(req);
    const signed = await signLetter(ctx, await load(req, res), scopeOf(res), form);
    await answer(req, res, 201, { ...signed, pdfUrl: `${ctx.publicUrl}/letters/${encodeURIComponent(String(req.params.code))}/${form}.pdf` });
  });
  router.post('/dossiers/:code/letters/:form/issue', requireRole('counter', 'supervisor', 'admin'), async (req, res) => {
    noQuery(req);
    const form = formOf(req);
    await answer(req, res, 201, await issueLetter(ctx, await load(req, res), scopeOf(res), form));
  });
  return router;
}
