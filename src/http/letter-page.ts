/**
 * One legal form of a dossier as its printable page: for staff (routes/letters.ts, with a key) and for the applicant
 * who follows the link in a message (routes/citizen-links.ts). Null when the dossier has no such letter (yet).
 */
import type { AppContext } from '../app-context.js';
import { receiptWindowOf, type DossierState } from '../dossiers/fold.js';
import { isProvisional } from '../dossiers/deadline.js';
import { apologyData, controlSlipData, receiptData, refusalData, supplementRequestData } from '../letters/letter-data.js';
import { loadLog } from '../store/dossier-reads.js';
import { renderLetter } from '../views/render.js';

export const LETTER_FORMS = ['receipt', 'supplement-request', 'refusal', 'apology', 'control-slip'] as const;
export type LetterForm = (typeof LETTER_FORMS)[number];

/** "GIẤY TIẾP NHẬN…" as a page title: "Giấy tiếp nhận…". */
const titleOf = (upper: string) => upper.charAt(0) + upper.slice(1).toLocaleLowerCase('vi');

export async function letterPage(ctx: AppContext, s: DossierState, form: LetterForm, extra: Record<string, unknown> = {}): Promise<string | null> {
  const eventsOf = async () => (await loadLog(ctx.db.pool, s.code)).map((r) => r.body);
  switch (form) {
    case 'receipt': {
      // Of the appointment the form prints (the initial one), not of today's due instant after a restart or an apology.
      const index = ctx.calendar.workingTime(s.rules.policies.officeHours);
      const data = receiptData(s, ctx.catalog, isProvisional(index, receiptWindowOf(s)));
      return renderLetter('receipt', { title: titleOf(data.formSet.forms.receipt.title), ...data, lookupPage: `${ctx.publicUrl.replace(/\/$/, '')}/tra-cuu`, ...extra });
    }
    case 'supplement-request': {
      const data = supplementRequestData(s, ctx.catalog, await eventsOf());
      return data && renderLetter('supplement-request', { title: titleOf(data.formSet.forms.supplementRequest.title), ...data, ...extra });
    }
    case 'refusal': {
      const data = refusalData(s, ctx.catalog, await eventsOf());
      return data && renderLetter('refusal', { title: titleOf(data.formSet.forms.refusal.title), ...data, ...extra });
    }
    case 'apology': {
      const data = apologyData(s, ctx.catalog);
      return data && renderLetter('apology', { title: titleOf(data.formSet.forms.apology.title), ...data, ...extra });
    }
    case 'control-slip': {
      const data = controlSlipData(s, ctx.catalog);
      return renderLetter('control-slip', { title: titleOf(data.formSet.forms.controlSlip.title), ...data, ...extra });
    }
  }
}
