/**
 * The legal forms of a dossier: printable A5 HTML for the screen
 * (`/letters/:code/:form`) and the same letter as a PDF document
 * (`/letters/:code/:form.pdf`, set on the server with the Tinos font): receipt
 * (form 01), supplement request (02), refusal (03), apology (04, 404 until one
 * was issued), processing control slip (05/06), stop notice (closed or withdrawn dossiers).
 */
import { Router, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { LETTER_FORM_KEY, renderLetterPdf } from '../../letters/letter-pdf.js';
import { requireRole, scopeOf } from '../auth.js';
import { signPdf, SigningCertificateError } from '../../pdf/sign.js';
import { pageAuth } from '../page-auth.js';
import { HttpError } from '../errors.js';
import { recordPersonalDataRead } from '../../store/audit-reads.js';
import { loadScopedDossier } from '../scoped-dossier.js';
import { isLetterForm, letterHtml, letterOf } from '../letter-page.js';
import { letterKindSchema } from '../../dossiers/events.js';
import { signedLetterPdf } from '../../store/signed-letters.js';
import { workflowLetter } from '../letter-workflow.js';

const MISSING: Record<string, (code: string) => string> = {
  'supplement-request': (code) => `No supplementation was requested for dossier ${code}.`,
  refusal: (code) => `Dossier ${code} was not refused.`,
  apology: (code) => `No apology was issued for dossier ${code}.`,
  'stop-notice': (code) => `Dossier ${code} was neither closed nor withdrawn.`,
};

export function lettersRouter(ctx: AppContext): Router {
  const router = Router();
  const load = async (code: string, form: string, res: Response) => {
    const ip = res.req.ip;
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, code, scope);
    await recordPersonalDataRead(ctx.db.pool, scope.principal, s.code, `letter:${form.slice(0, 20)}`, ip);
    if (!isLetterForm(form)) throw new HttpError(404, `No letter "${form}": receipt, supplement-request, refusal, apology, control-slip or stop-notice.`);
    const letter = await letterOf(ctx, s, form);
    if (!letter) throw new HttpError(404, MISSING[form]!(s.code));
    return letter;
  };
  const signedWorkflowPdf = async (code: string, form: string, res: Response) => {
    const kind = letterKindSchema.safeParse(form);
    if (!kind.success) return null;
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, code, scope);
    const sha256 = s.letters?.[kind.data]?.sha256;
    const pdf = sha256 ? await signedLetterPdf(ctx.db.pool, s.code, sha256) : null;
    if (!pdf) return null;
    await recordPersonalDataRead(ctx.db.pool, scope.principal, s.code, `letter:${form}`, res.req.ip);
    return { pdf, name: `${s.code.replace(/[^\w.-]/g, '_')}-${form}-signed.pdf` };
  };
  // Without a session, a person opening a letter's link is taken to the sign-in page and back.
  // The PDF first: `:form` alone would take "apology.pdf" whole.
  router.get('/letters/:code/:form.pdf', ...pageAuth(ctx), async (req, res) => {
    // A letter signed through the workflow is its signed bytes, before it is issued (for the staff to see what was
    // signed) and after (what the applicant received): never a new rendering.
    const signed = await signedWorkflowPdf(String(req.params.code), String(req.params.form), res);
    if (signed) {
      res.type('application/pdf').set('Content-Disposition', `inline; filename="${signed.name}"`).send(signed.pdf);
      return;
    }
    const letter = await load(String(req.params.code), String(req.params.form), res);
    const pdf = await renderLetterPdf(letter);
    res
      .type('application/pdf')
      .set('Content-Disposition', `inline; filename="${letter.data.code.replace(/[^\w.-]/g, '_')}-${letter.form}.pdf"`)
      .send(pdf);
  });
  // A workflow letter not yet signed, as it would be signed now (dated today, moving today's appointment): for the
  // approver to read before approving. Never sent: the applicant gets only the signed, issued document.
  router.get('/letters/:code/:form/draft.pdf', ...pageAuth(ctx), async (req, res) => {
    const kind = letterKindSchema.safeParse(req.params.form);
    if (!kind.success) throw new HttpError(404, 'Only an apology or a refusal has a draft.');
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, String(req.params.code), scope);
    const letter = s.letters?.[kind.data];
    if (!letter || letter.status === 'issued') throw new HttpError(404, `No ${kind.data} letter in progress for dossier ${s.code}.`);
    await recordPersonalDataRead(ctx.db.pool, scope.principal, s.code, `letter:${kind.data}-draft`, req.ip);
    res
      .type('application/pdf')
      .set('Content-Disposition', `inline; filename="${s.code.replace(/[^\w.-]/g, '_')}-${kind.data}-draft.pdf"`)
      .send(await renderLetterPdf(workflowLetter(s, ctx, kind.data, letter, ctx.now())));
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
      res
        .type('application/pdf')
        .set('Content-Disposition', `attachment; filename="${letter.data.code.replace(/[^\w.-]/g, '_')}-${letter.form}-signed.pdf"`)
        .send(signed);
    } catch (e) {
      if (e instanceof SigningCertificateError) throw new HttpError(422, e.message, [{ path: 'certificate', message: e.problem }]);
      throw e;
    }
  });
  router.get('/letters/:code/:form', ...pageAuth(ctx), async (req, res) => {
    const letter = await load(String(req.params.code), String(req.params.form), res);
    const pdfHref = `/letters/${encodeURIComponent(letter.data.code)}/${letter.form}.pdf`;
    res.type('html').send(letterHtml(letter, { pdfHref }));
  });
  return router;
}
