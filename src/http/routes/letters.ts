/**
 * The legal forms of a dossier as printable A5 HTML: receipt (form 01),
 * apology (form 04, 404 until one was issued), processing control slip (05).
 */
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { scopeOf } from '../auth.js';
import { pageAuth } from '../page-auth.js';
import { HttpError } from '../errors.js';
import { recordPersonalDataRead } from '../../store/audit-reads.js';
import { loadScopedDossier } from '../scoped-dossier.js';
import { LETTER_FORMS, letterPage, type LetterForm } from '../letter-page.js';

const MISSING: Record<string, (code: string) => string> = {
  'supplement-request': (code) => `No supplementation was requested for dossier ${code}.`,
  refusal: (code) => `Dossier ${code} was not refused.`,
  apology: (code) => `No apology was issued for dossier ${code}.`,
};

export function lettersRouter(ctx: AppContext): Router {
  const router = Router();
  // Without a session, a person opening a letter's link is taken to the sign-in page and back.
  router.get('/letters/:code/:form', ...pageAuth(ctx), async (req, res) => {
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, String(req.params.code), scope);
    await recordPersonalDataRead(ctx.db.pool, scope.key, s.code, `letter:${String(req.params.form).slice(0, 20)}`);
    const form = String(req.params.form);
    if (!(LETTER_FORMS as readonly string[]).includes(form)) throw new HttpError(404, `No letter "${form}": receipt, supplement-request, refusal, apology or control-slip.`);
    const html = await letterPage(ctx, s, form as LetterForm);
    if (html === null) throw new HttpError(404, MISSING[form]!(s.code));
    res.type('html').send(html);
  });
  return router;
}
