/**
 * Staff accounts for administrators (`/api/v1/users`): list, create, change name, roles and agencies, deactivate
 * (never delete), and a one-time link to set a password (the first one, or a reset). An admin sees and manages only
 * the people whose agencies it covers; a person outside them answers like an unknown one.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { passwordLinkUrl } from '../../accounts/links.js';
import {
  createPasswordToken,
  createPerson,
  deactivatePerson,
  reactivatePerson,
  EmailTaken,
  listPeople,
  PASSWORD_LINK_HOURS,
  personInputSchema,
  updatePerson,
} from '../../store/people.js';
import { requireRole, scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';
import { checkGrantedAgencies, managedPerson, manages } from '../manage-people.js';
import { noQuery } from '../query.js';

const changeSchema = personInputSchema.pick({ name: true, roles: true, agencyCodes: true }).partial();

export function usersRouter(ctx: AppContext): Router {
  const router = Router();
  router.use('/users', requireRole('admin'));

  router.get('/users', async (req, res) => {
    noQuery(req);
    const scope = scopeOf(res);
    res.json({ items: (await listPeople(ctx.db.pool)).filter((p) => manages(ctx, scope, p)) });
  });

  /** Creates the account and answers its first-password link (shown once: only the token's hash is kept). */
  router.post('/users', async (req, res) => {
    const body = personInputSchema.parse(req.body);
    const scope = scopeOf(res);
    checkGrantedAgencies(ctx, scope, body.agencyCodes);
    let person;
    try {
      person = await createPerson(ctx.db.pool, body, scope.principal.id);
    } catch (err) {
      if (err instanceof EmailTaken)
        throw new HttpError(409, 'Another account has this e-mail address.', [{ path: 'email', message: 'already used by another account' }]);
      throw err;
    }
    const token = (await createPasswordToken(ctx.db.pool, person.id))!;
    res
      .status(201)
      .setHeader('Cache-Control', 'no-store')
      .json({ ...person, passwordLink: passwordLinkUrl(ctx.publicUrl, token), passwordLinkHours: PASSWORD_LINK_HOURS });
  });

  router.patch('/users/:id', async (req, res) => {
    const scope = scopeOf(res);
    const person = await managedPerson(ctx, scope, String(req.params.id));
    const change = changeSchema.parse(req.body);
    if (change.agencyCodes) checkGrantedAgencies(ctx, scope, change.agencyCodes);
    const updated = await updatePerson(ctx.db.pool, person.id, change);
    if (!updated) throw new HttpError(422, `Person ${person.id} is deactivated.`);
    res.json(updated);
  });

  router.post('/users/:id/deactivate', async (req, res) => {
    const scope = scopeOf(res);
    const person = await managedPerson(ctx, scope, String(req.params.id));
    if (person.id === scope.principal.id)
      throw new HttpError(422, 'An admin does not deactivate their own account (another admin does).', [{ path: 'id', message: 'your own account' }]);
    if (!(await deactivatePerson(ctx.db.pool, person.id))) throw new HttpError(422, `Person ${person.id} is already deactivated.`);
    res.json({ id: person.id, deactivated: true });
  });

  // A person who comes back (deactivated, never deleted): active again, with no session until they sign in.
  router.post('/users/:id/reactivate', async (req, res) => {
    z.strictObject({}).parse(req.body ?? {});
    const person = await managedPerson(ctx, scopeOf(res), String(req.params.id));
    if (!(await reactivatePerson(ctx.db.pool, person.id)))
      throw new HttpError(422, `Person ${person.id} is active.`, [{ path: 'id', message: 'already active' }]);
    res.json({ id: person.id, deactivated: false });
  });

  router.post('/users/:id/password-link', async (req, res) => {
    z.strictObject({}).parse(req.body ?? {});
    const person = await managedPerson(ctx, scopeOf(res), String(req.params.id));
    const token = await createPasswordToken(ctx.db.pool, person.id);
    if (!token) throw new HttpError(422, `Person ${person.id} is deactivated.`);
    res
      .status(201)
      .setHeader('Cache-Control', 'no-store')
      .json({ id: person.id, passwordLink: passwordLinkUrl(ctx.publicUrl, token), passwordLinkHours: PASSWORD_LINK_HOURS });
  });

  return router;
}
