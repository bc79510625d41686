/**
 * POST /api/v1/dossiers/:code/apology: records an apology approved and signed outside dunghan (a paper letter signed
 * by hand), like the events API records another system's facts (issue-apology.ts checks the new appointment and
 * records the apology_issued event; a second one is refused with 422, and so is one while a letter of the workflow is
 * under way: letter-workflow.ts issueProblem). Letters made in dunghan go through the workflow's routes
 * (routes/letter-workflow.ts), whose last step records the same fact.
 */
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { requireRole, scopeOf } from '../auth.js';
import { loadScopedDossier } from '../scoped-dossier.js';
import { noQuery } from '../query.js';
import { apologyRequestSchema, issueApology } from '../issue-apology.js';

export function apologyRouter(ctx: AppContext): Router {
  const router = Router();
  router.post('/dossiers/:code/apology', requireRole('counter', 'supervisor', 'admin'), async (req, res) => {
    noQuery(req);
    const body = apologyRequestSchema.parse(req.body);
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, String(req.params.code), scope);
    const issued = await issueApology(ctx, s, scope.actor, body);
    res.status(201).json({ ...issued, letterUrl: `${ctx.publicUrl}/letters/${encodeURIComponent(s.code)}/apology` });
  });
  return router;
}
