/**
 * Supervisors (lãnh đạo) who receive alerts for an agency and everything below it.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { requireRole, scopeOf } from '../auth.js';
import { resetScanWatermarks } from '../../store/scan-watermarks.js';
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
    const { rows } = await ctx.db.pool.query(
      `INSERT INTO supervisors (id, agency_code, name, email) VALUES ($1, $2, $3, $4)
       ON CONFLICT (agency_code, email) DO UPDATE SET name = excluded.name RETURNING id, agency_code, name, email`,
      [randomUUID(), code, body.name, body.email.toLowerCase()],
    );
    // Someone new to tell: the next alert scans look at the dossiers already due soon or overdue, once.
    await resetScanWatermarks(ctx.db.pool);
    res.status(201).json({ id: rows[0].id, agencyCode: rows[0].agency_code, name: rows[0].name, email: rows[0].email });
  });

  router.get('/agencies/:code/supervisors', async (req, res) => {
    noQuery(req);
    const code = agencyInScope(res, String(req.params.code));
    const { rows } = await ctx.db.pool.query('SELECT id, agency_code, name, email FROM supervisors WHERE agency_code = $1 ORDER BY email', [code]);
    res.json({ items: rows.map((r) => ({ id: r.id, agencyCode: r.agency_code, name: r.name, email: r.email })) });
  });

  router.delete('/agencies/:code/supervisors/:id', requireRole('admin'), async (req, res) => {
    const code = agencyInScope(res, String(req.params.code));
    const { rowCount } = await ctx.db.pool.query('DELETE FROM supervisors WHERE agency_code = $1 AND id::text = $2', [code, String(req.params.id)]);
    if (!rowCount) throw new HttpError(404, 'No such supervisor.');
    res.status(204).end();
  });
  return router;
}
