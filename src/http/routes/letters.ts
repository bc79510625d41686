/**
 * The legal forms of a dossier as printable A5 HTML: receipt (form 01),
 * apology (form 04, 404 until one was issued), processing control slip (05).
 */
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import type { DossierState } from '../../dossiers/fold.js';
import { apologyData, controlSlipData, receiptData } from '../../letters/letter-data.js';
import { renderLetter } from '../../views/render.js';
import { authenticate, scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';
import { recordPersonalDataRead } from '../../store/audit-reads.js';

/**
 * A dossier the key covers. One outside its agencies is answered exactly as
 * one that does not exist: the answer must not tell another agency it is there.
 */
export async function loadScopedDossier(ctx: AppContext, code: string, scope: ReturnType<typeof scopeOf>): Promise<DossierState> {
  const row = await ctx.db.kysely.selectFrom('dossiers').select(['state', 'agency_codes']).where('code', '=', code).executeTakeFirst();
  if (!row || !scope.coversPath(row.agency_codes)) throw new HttpError(404, `No dossier ${code}.`);
  return row.state as DossierState;
}

export function lettersRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/letters/:code/:form', authenticate(ctx), async (req, res) => {
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, String(req.params.code), scope);
    await recordPersonalDataRead(ctx.db.pool, scope.key, s.code, `letter:${String(req.params.form).slice(0, 20)}`);
    let html: string;
    switch (req.params.form) {
      case 'receipt':
        html = renderLetter('receipt', { title: 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả', ...receiptData(s, ctx.catalog) });
        break;
      case 'apology': {
        const data = apologyData(s, ctx.catalog);
        if (!data) throw new HttpError(404, `No apology was issued for dossier ${s.code}.`);
        html = renderLetter('apology', { title: 'Phiếu xin lỗi và hẹn lại ngày trả kết quả', ...data });
        break;
      }
      case 'control-slip':
        html = renderLetter('control-slip', { title: 'Phiếu kiểm soát quá trình giải quyết hồ sơ', ...controlSlipData(s, ctx.catalog) });
        break;
      default:
        throw new HttpError(404, `No letter "${req.params.form}": receipt, apology or control-slip.`);
    }
    res.type('html').send(html);
  });
  return router;
}
