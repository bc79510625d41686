/**
 * An agency's warning thresholds (issue 26 item 3): read by anyone covering the agency, set and cleared by an admin.
 * An agency without settings of its own inherits its nearest ancestor's, else the defaults; the answer says which.
 */
import { Router, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { belongsToAgency } from '../../dossiers/holder.js';
import { DEFAULT_WARNING_SETTINGS, namedPeople, resolveWarningSettings, warningSettingsSchema } from '../../rules/warning-thresholds.js';
import { activePeopleByIds, allWarningSettings, deleteWarningSettings, saveWarningSettings } from '../../store/warning-settings.js';
import { resetWarningScan } from '../../store/warning-scans.js';
import { inTransaction } from '../../db/database.js';
import { requireRole, scopeOf } from '../auth.js';
import { HttpError, type FieldIssue } from '../errors.js';
import { noQuery } from '../query.js';

export function warningsRouter(ctx: AppContext): Router {
  const router = Router();
  /** An agency the caller covers: 404 unknown, 403 outside its agencies. */
  const agencyInScope = (res: Response, code: string) => {
    if (!ctx.catalog.agency(code)) throw new HttpError(404, `No agency ${code}.`);
    if (!scopeOf(res).coversPath(ctx.catalog.pathOf(code))) throw new HttpError(403, `Agency ${code} is outside this key's agencies.`);
    return code;
  };
  const answer = async (code: string) => {
    const own = await allWarningSettings(ctx.db.pool);
    const { settings, from } = resolveWarningSettings(ctx.catalog.pathOf(code), own);
    return {
      agencyCode: code,
      own: own.get(code) ?? null,
      effective: settings,
      inheritedFrom: from === code ? null : from,
      defaults: DEFAULT_WARNING_SETTINGS,
    };
  };

  router.get('/agencies/:code/warnings', async (req, res) => {
    noQuery(req);
    res.json(await answer(agencyInScope(res, String(req.params.code))));
  });

  router.put('/agencies/:code/warnings', requireRole('admin'), async (req, res) => {
    const code = agencyInScope(res, String(req.params.code));
    const settings = warningSettingsSchema.parse(req.body);
    // A named person must have an active account and belong to this agency (or a unit below it).
    const named = namedPeople(settings);
    const people = await activePeopleByIds(
      ctx.db.pool,
      named.map((n) => n.personId),
    );
    const issues: FieldIssue[] = named.flatMap(({ personId, path }) => {
      const person = people.get(personId);
      if (!person) return [{ path, message: `unknown person ${personId}` }];
      const pathOf = (c: string) => (ctx.catalog.agency(c) ? ctx.catalog.pathOf(c) : [c]);
      return belongsToAgency(person.agencyCodes, code, pathOf) ? [] : [{ path, message: `person ${personId} does not belong to agency ${code}` }];
    });
    if (issues.length) throw new HttpError(422, "A recipient cannot be told of this agency's dossiers.", issues);
    await inTransaction(ctx.db.pool, async (client) => {
      await saveWarningSettings(client, code, settings, scopeOf(res).actor.id);
      // Thresholds changed: the next warning scan judges every open dossier once with them.
      await resetWarningScan(client);
    });
    res.json(await answer(code));
  });

  router.delete('/agencies/:code/warnings', requireRole('admin'), async (req, res) => {
    const code = agencyInScope(res, String(req.params.code));
    const removed = await inTransaction(ctx.db.pool, async (client) => {
      const done = await deleteWarningSettings(client, code);
      if (done) await resetWarningScan(client);
      return done;
    });
    if (!removed) throw new HttpError(404, `Agency ${code} has no warning settings of its own.`);
    res.status(204).end();
  });
  return router;
}
