/**
 * The legal forms of a dossier as printable A5 HTML: receipt (form 01),
 * apology (form 04, 404 until one was issued), processing control slip (05).
 */
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { receiptWindowOf } from '../../dossiers/fold.js';
import { isProvisional } from '../../dossiers/deadline.js';
import { apologyData, controlSlipData, receiptData, refusalData, supplementRequestData } from '../../letters/letter-data.js';
import { renderLetter } from '../../views/render.js';
import { scopeOf } from '../auth.js';
import { pageAuth } from '../page-auth.js';
import { HttpError } from '../errors.js';
import { recordPersonalDataRead } from '../../store/audit-reads.js';
import { loadLog } from '../../store/dossier-reads.js';
import { loadScopedDossier } from '../scoped-dossier.js';

/** "GIẤY TIẾP NHẬN…" as a page title: "Giấy tiếp nhận…". */
const titleOf = (upper: string) => upper.charAt(0) + upper.slice(1).toLocaleLowerCase('vi');

export function lettersRouter(ctx: AppContext): Router {
  const router = Router();
  const eventsOf = async (code: string) => (await loadLog(ctx.db.pool, code)).map((r) => r.body);
  // Without a session, a person opening a letter's link is taken to the sign-in page and back.
  router.get('/letters/:code/:form', ...pageAuth(ctx), async (req, res) => {
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, String(req.params.code), scope);
    await recordPersonalDataRead(ctx.db.pool, scope.principal, s.code, `letter:${String(req.params.form).slice(0, 20)}`);
    let html: string;
    switch (req.params.form) {
      case 'receipt': {
        // Of the appointment the form prints (the initial one), not of today's due instant after a restart or an apology.
        const index = ctx.calendar.workingTime(s.rules.policies.officeHours);
        const data = receiptData(s, ctx.catalog, isProvisional(index, receiptWindowOf(s)));
        html = renderLetter('receipt', { title: titleOf(data.formSet.forms.receipt.title), ...data });
        break;
      }
      case 'supplement-request': {
        const data = supplementRequestData(s, ctx.catalog, await eventsOf(s.code));
        if (!data) throw new HttpError(404, `No supplementation was requested for dossier ${s.code}.`);
        html = renderLetter('supplement-request', { title: titleOf(data.formSet.forms.supplementRequest.title), ...data });
        break;
      }
      case 'refusal': {
        const data = refusalData(s, ctx.catalog, await eventsOf(s.code));
        if (!data) throw new HttpError(404, `Dossier ${s.code} was not refused.`);
        html = renderLetter('refusal', { title: titleOf(data.formSet.forms.refusal.title), ...data });
        break;
      }
      case 'apology': {
        const data = apologyData(s, ctx.catalog);
        if (!data) throw new HttpError(404, `No apology was issued for dossier ${s.code}.`);
        html = renderLetter('apology', { title: titleOf(data.formSet.forms.apology.title), ...data });
        break;
      }
      case 'control-slip': {
        const data = controlSlipData(s, ctx.catalog);
        html = renderLetter('control-slip', { title: titleOf(data.formSet.forms.controlSlip.title), ...data });
        break;
      }
      default:
        throw new HttpError(404, `No letter "${req.params.form}": receipt, supplement-request, refusal, apology or control-slip.`);
    }
    res.type('html').send(html);
  });
  return router;
}
