/**
 * API keys for administrators: list (with last use and expiry), create,
 * revoke and rotate. A new key is shown once, in the response that creates it.
 * An admin manages the keys whose agencies it covers, and no others (issue 28:
 * an admin's agencies bound it like anyone's, so it cannot mint or take away
 * another agency's access).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { instantSchema } from '../../calendar/instant.js';
import { createApiKey, listApiKeys, liveKeyAgencies, revokeApiKey, rotateApiKey, roleSchema } from '../../store/api-keys.js';
import { requireRole, scopeOf, type Scope } from '../auth.js';
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
  /** The agencies among `codes` the caller does not cover. */
  const outside = (scope: Scope, codes: string[]) => codes.filter((c) => !scope.coversPath(ctx.catalog.pathOf(c)));
  /** A live key the caller manages: 404 when there is none, 403 when one of its agencies is outside the caller's. */
  const managedKey = async (scope: Scope, id: string) => {
    const agencies = await liveKeyAgencies(ctx.db.pool, id);
    if (!agencies) throw new HttpError(404, `No live key ${id}.`);
    if (outside(scope, agencies).length) throw new HttpError(403, `Key ${id} is for agencies outside this key's agencies.`);
  };

  router.get('/keys', async (req, res) => {
    noQuery(req);
    const scope = scopeOf(res);
    res.json({ items: (await listApiKeys(ctx.db.pool)).filter((k) => !outside(scope, k.agencyCodes).length) });
  });

  router.post('/keys', async (req, res) => {
    const body = createKeySchema.parse(req.body);
    const unknown = body.agencyCodes.filter((a) => !ctx.catalog.agency(a));
    if (unknown.length)
      throw new HttpError(
        400,
        `Unknown agency ${unknown.join(', ')}.`,
        unknown.map((a) => ({ path: `agencyCodes[${body.agencyCodes.indexOf(a)}]`, message: 'unknown agency' })),
      );
    const foreign = outside(scopeOf(res), body.agencyCodes);
    if (foreign.length)
      throw new HttpError(
        403,
        `Agency ${foreign.join(', ')} is outside this key's agencies.`,
        foreign.map((a) => ({ path: `agencyCodes[${body.agencyCodes.indexOf(a)}]`, message: "outside this key's agencies" })),
      );
    const created = await createApiKey(ctx.db.pool, { ...body, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null });
    res.status(201).setHeader('Cache-Control', 'no-store').json(created);
  });

  router.post('/keys/:id/revoke', async (req, res) => {
    const id = parseId(req.params.id);
    await managedKey(scopeOf(res), id);
    if (!(await revokeApiKey(ctx.db.pool, id))) throw new HttpError(404, `No live key ${id}.`);
    ctx.keyCache?.clear(); // this process at once; the others on the NOTIFY
    res.json({ id, revoked: true });
  });

  router.post('/keys/:id/rotate', async (req, res) => {
    const id = parseId(req.params.id);
    const body = rotateKeySchema.parse(req.body ?? {});
    await managedKey(scopeOf(res), id);
    const created = await rotateApiKey(ctx.db.pool, id, body.expiresAt ? new Date(body.expiresAt) : undefined);
    if (!created) throw new HttpError(404, `No live key ${id}.`);
    ctx.keyCache?.clear();
    res
      .status(201)
      .setHeader('Cache-Control', 'no-store')
      .json({ ...created, replaces: id });
  });

  return router;
}

function parseId(raw: unknown): string {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success) throw new HttpError(400, 'Invalid key id.', [{ path: 'id', message: 'expected a UUID' }]);
  return parsed.data;
}
