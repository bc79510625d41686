/**
 * The legal forms of a dossier: printable A5 HTML for the screen
 * (`/letters/:code/:form`) and the same letter as a PDF document
 * (`/letters/:code/:form.pdf`, set on the server with the Tinos font): receipt
 * (form 01), supplement request (02), refusal (03), apology (04, 404 until one
 * was issued), processing control slip (05).
 */
import { Router, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { receiptWindowOf, type DossierState } from '../../dossiers/fold.js';
import { isProvisional } from '../../dossiers/deadline.js';
import { apologyData, controlSlipData, receiptData, refusalData, supplementRequestData } from '../../letters/letter-data.js';
import { LETTER_FORM_KEY, renderLetterPdf, type LetterPdf } from '../../letters/letter-pdf.js';
import { renderLetter } from '../../views/render.js';
import { requireRole, scopeOf } from '../auth.js';
import { signPdf, SigningCertificateError } from '../../pdf/sign.js';
import { pageAuth } from '../page-auth.js';
import { HttpError } from '../errors.js';
import { recordPersonalDataRead } from '../../store/audit-reads.js';
import { loadLog } from '../../store/dossier-reads.js';
import { loadScopedDossier } from '../scoped-dossier.js';

/** "GIẤY TIẾP NHẬN…" as a page title: "Giấy tiếp nhận…". */
const titleOf = (upper: string) => upper.charAt(0) + upper.slice(1).toLocaleLowerCase('vi');

/** Which letter, with its data from the dossier; 404 for a form that does not exist or does not apply to it. */
async function letterOf(ctx: AppContext, s: DossierState, form: string): Promise<LetterPdf> {
  const eventsOf = async (code: string) => (await loadLog(ctx.db.pool, code)).map((r) => r.body);
  switch (form) {
    case 'receipt': {
      // Of the appointment the form prints (the initial one), not of today's due instant after a restart or an apology.
      const index = ctx.calendar.workingTime(s.rules.policies.officeHours);
      return { form, data: receiptData(s, ctx.catalog, isProvisional(index, receiptWindowOf(s))) };
    }
    case 'supplement-request': {
      const data = supplementRequestData(s, ctx.catalog, await eventsOf(s.code));
      if (!data) throw new HttpError(404, `No supplementation was requested for dossier ${s.code}.`);
      return { form, data };
    }
    case 'refusal': {
      const data = refusalData(s, ctx.catalog, await eventsOf(s.code));
      if (!data) throw new HttpError(404, `Dossier ${s.code} was not refused.`);
      return { form, data };
    }
    case 'apology': {
      const data = apologyData(s, ctx.catalog);
      if (!data) throw new HttpError(404, `No apology was issued for dossier ${s.code}.`);
      return { form, data };
    }
    case 'control-slip':
      return { form, data: controlSlipData(s, ctx.catalog) };
    default:
      throw new HttpError(404, `No letter "${form}": receipt, supplement-request, refusal, apology or control-slip.`);
  }
}

export function lettersRouter(ctx: AppContext): Router {
  const router = Router();
  const load = async (code: string, form: string, res: Response) => {
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, code, scope);
    await recordPersonalDataRead(ctx.db.pool, scope.key, s.code, `letter:${form.slice(0, 20)}`);
    return letterOf(ctx, s, form);
  };
  // Without a session, a person opening a letter's link is taken to the sign-in page and back.
  // The PDF first: `:form` alone would take "apology.pdf" whole.
  router.get('/letters/:code/:form.pdf', ...pageAuth(ctx), async (req, res) => {
    const letter = await load(String(req.params.code), String(req.params.form), res);
    const pdf = await renderLetterPdf(letter);
    res
      .type('application/pdf')
      .set('Content-Disposition', `inline; filename="${letter.data.code.replace(/[^\w.-]/g, '_')}-${letter.form}.pdf"`)
      .send(pdf);
  });
  // The letter signed with the organisation's certificate (a leader's act: supervisor or admin). The signed PDF is
  // answered, not kept: issuing it is the caller's step.
  router.post('/letters/:code/:form/signed.pdf', ...pageAuth(ctx), requireRole('supervisor', 'admin'), async (req, res) => {
    const letter = await load(String(req.params.code), String(req.params.form), res);
    if (!ctx.signing) throw new HttpError(503, 'No signing certificate is configured (SIGNING_P12_PATH).');
    const pdf = await renderLetterPdf(letter);
    try {
      const signed = await signPdf(pdf, ctx.signing, {
        reason: `${letter.data.formSet.forms[LETTER_FORM_KEY[letter.form]].title} — ${letter.data.code}`,
        name: letter.data.agencyName,
        location: letter.data.dateLine?.split(',')[0] ?? '',
        signingTime: new Date(ctx.now()),
      });
      res.type('application/pdf').set('Content-Disposition', `attachment; filename="${letter.data.code.replace(/[^\w.-]/g, '_')}-${letter.form}-signed.pdf"`).send(signed);
    } catch (e) {
      if (e instanceof SigningCertificateError) throw new HttpError(422, e.message, [{ path: 'certificate', message: e.problem }]);
      throw e;
    }
  });
  router.get('/letters/:code/:form', ...pageAuth(ctx), async (req, res) => {
    const letter = await load(String(req.params.code), String(req.params.form), res);
    const title = titleOf(letter.data.formSet.forms[LETTER_FORM_KEY[letter.form]].title);
    const pdfHref = `/letters/${encodeURIComponent(letter.data.code)}/${letter.form}.pdf`;
    res.type('html').send(renderLetter(letter.form, { title, pdfHref, ...letter.data }));
  });
  return router;
}
