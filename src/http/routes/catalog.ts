/**
 * The agency tree and procedure catalogue, read-only for every key.
 */
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { HttpError } from '../errors.js';
import { noQuery } from '../query.js';

export function catalogRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/agencies', (req, res) => {
    noQuery(req);
    res.json({ items: ctx.catalog.allAgencies().map((a) => ({ ...a, path: ctx.catalog.pathOf(a.code), policies: ctx.catalog.policiesOf(a.code) })) });
  });
  router.get('/procedures', (req, res) => {
    noQuery(req);
    res.json({ items: ctx.catalog.allProcedures() });
  });
  router.get('/procedures/:code', (req, res) => {
    const p = ctx.catalog.procedure(req.params.code);
    if (!p) throw new HttpError(404, `No procedure ${req.params.code}.`);
    // Every version, so a client sees which time applies to a dossier received on a given day.
    res.json({ ...p, versions: ctx.catalog.procedureVersions().filter((v) => v.code === p.code) });
  });
  return router;
}
