/**
 * API keys for administrators: list (with last use and expiry), create,
 * revoke and rotate. A new key is shown once, in the response that creates it.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { instantSchema } from '../../calendar/instant.js';
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey, roleSchema } from '../../store/api-keys.js';
import { requireRole } from '../auth.js';
import { HttpError } from '../errors.js';
import { noQuery } from '../query.js';

export const createKeySchema = z.strictObject({
  role: roleSchema,
  agencyCodes: z.array(z.string().min(1).max(64)).min(1).max(50),
  label: z.string().trim().min(1).max(200),
  expiresAt: instantSchema.optional(),
});
const rotateKeySchema = z.strictObject({ expiresAt: instantSchema.optional() });
const idSchema = z.uuid();

export function keysRouter(ctx: AppContext): Router {
  const router = Router();
  router.use('/keys', requireRole('admin'));

  router.get('/keys', async (req, res) => {
    noQuery(req);
    res.json({ items: await listApiKeys(ctx.db.pool) });
  });

  router.post('/keys', async (req, res) => {
    const body = createKeySchema.parse(req.body);
    const unknown = body.agencyCodes.filter((a) => !ctx.catalog.agency(a));
    if (unknown.length) throw new HttpError(400, `Unknown agency ${unknown.join(', ')}.`, unknown.map((a) => ({ path: `agencyCodes[${body.agencyCodes.indexOf(a)}]`, message: 'unknown agency' })));
    const created = await createApiKey(ctx.db.pool, { ...body, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null });
    res.status(201).setHeader('Cache-Control', 'no-store').json(created);
  });

  router.post('/keys/:id/revoke', async (req, res) => {
    const id = parseId(req.params.id);
    if (!(await revokeApiKey(ctx.db.pool, id))) throw new HttpError(404, `No live key ${id}.`);
    ctx.keyCache?.clear(); // this process at once; the others on the NOTIFY
    res.json({ id, revoked: true });
  });

  router.post('/keys/:id/rotate', async (req, res) => {
    const id = parseId(req.params.id);
    const body = rotateKeySchema.parse(req.body ?? {});
    const created = await rotateApiKey(ctx.db.pool, id, body.expiresAt ? new Date(body.expiresAt) : undefined);
    if (!created) throw new HttpError(404, `No live key ${id}.`);
    ctx.keyCache?.clear();
    res.status(201).setHeader('Cache-Control', 'no-store').json({ ...created, replaces: id });
  });

  return router;
}

function parseId(raw: unknown): string {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'Invalid key id.', [{ path: 'id', message: 'expected a UUID' }]);
  return parsed.data;
}
