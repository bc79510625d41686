/**
 * Supervisors (lãnh đạo) who receive alerts for an agency and everything below it.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { requireRole, scopeOf } from '../auth.js';
import { resetScanWatermarks } from '../../store/scan-watermarks.js';
import { removeSupervisor, supervisorsOf, upsertSupervisor } from '../../store/supervisors.js';
import { HttpError } from '../errors.js';
import { noQuery } from '../query.js';

export const supervisorSchema = z.object({ name: z.string().trim().min(1).max(200), email: z.email() });

export function supervisorsRouter(ctx: AppContext): Router {
  const router = Router();
  /** An agency the caller covers: 404 unknown, 403 outside its agencies (an admin's too: issue 28). */
  const agencyInScope = (res: Response, code: string) => {
    if (!ctx.catalog.agency(code)) throw new HttpError(404, `No agency ${code}.`);
    if (!scopeOf(res).coversPath(ctx.catalog.pathOf(code))) throw new HttpError(403, `Agency ${code} is outside this key's agencies.`);
    return code;
  };

  router.post('/agencies/:code/supervisors', requireRole('admin'), async (req, res) => {
    const code = agencyInScope(res, String(req.params.code));
    const body = supervisorSchema.parse(req.body);
    const supervisor = await upsertSupervisor(ctx.db.pool, code, body.name, body.email);
    // Someone new to tell: the next alert scans look at the dossiers already due soon or overdue, once.
    await resetScanWatermarks(ctx.db.pool);
    res.status(201).json(supervisor);
  });

  router.get('/agencies/:code/supervisors', async (req, res) => {
    noQuery(req);
    const code = agencyInScope(res, String(req.params.code));
    res.json({ items: await supervisorsOf(ctx.db.pool, code) });
  });

  router.delete('/agencies/:code/supervisors/:id', requireRole('admin'), async (req, res) => {
    const code = agencyInScope(res, String(req.params.code));
    if (!(await removeSupervisor(ctx.db.pool, code, String(req.params.id)))) throw new HttpError(404, 'No such supervisor.');
    res.status(204).end();
  });
  return router;
}
