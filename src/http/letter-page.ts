/**
 * One legal form of a dossier: its data, as a printable page and as the PDF document. For staff (routes/letters.ts,
 * with a key) and for the applicant who follows the link in a message (routes/citizen-links.ts). Null when the
 * dossier has no such letter (yet).
 */
import type { AppContext } from '../app-context.js';
import { receiptWindowOf } from '../dossiers/fold.js';
import { type DossierState } from '../dossiers/state.js';
import { isProvisional } from '../dossiers/deadline.js';
import { apologyData, controlSlipData, receiptData, refusalData, stopNoticeData, supplementRequestData } from '../letters/letter-data.js';
import { LETTER_FORM_KEY, type LetterPdf } from '../letters/letter-pdf.js';
import { loadLog } from '../store/dossier-reads.js';
import { resolvedFacts } from '../dossiers/corrections.js';
import { renderLetter } from '../views/render.js';

export const LETTER_FORMS = ['receipt', 'supplement-request', 'refusal', 'apology', 'control-slip', 'stop-notice'] as const;
export type LetterForm = (typeof LETTER_FORMS)[number];

export function isLetterForm(form: string): form is LetterForm {
  return (LETTER_FORMS as readonly string[]).includes(form);
}

/** "GIẤY TIẾP NHẬN…" as a page title: "Giấy tiếp nhận…". */
const titleOf = (upper: string) => upper.charAt(0) + upper.slice(1).toLocaleLowerCase('vi');

/** The letter's data from the dossier (what both the page and the PDF print), or null when it does not apply. */
export async function letterOf(ctx: AppContext, s: DossierState, form: LetterForm): Promise<LetterPdf | null> {
  // What happened, as the fold reads it: a voided supplement request prints no letter, a corrected one its correction.
  const eventsOf = async () => resolvedFacts((await loadLog(ctx.db.pool, s.code)).map((r) => ({ seq: r.seq, event: r.body })));
  switch (form) {
    case 'receipt': {
      // Of the appointment the form prints (the initial one), not of today's due instant after a restart or an apology.
      const index = ctx.calendar.workingTime(s.rules.policies.officeHours);
      // The receipt says where the applicant looks the dossier up (issue 27), on the page and in the PDF alike.
      return {
        form,
        data: { ...receiptData(s, ctx.catalog, isProvisional(index, receiptWindowOf(s))), lookupPage: `${ctx.publicUrl.replace(/\/$/, '')}/tra-cuu` },
      };
    }
    case 'supplement-request': {
      const data = supplementRequestData(s, ctx.catalog, await eventsOf());
      return data && { form, data };
    }
    case 'refusal': {
      const data = refusalData(s, ctx.catalog, await eventsOf());
      return data && { form, data };
    }
    case 'apology': {
      const data = apologyData(s, ctx.catalog);
      return data && { form, data };
    }
    case 'control-slip':
      return { form, data: controlSlipData(s, ctx.catalog) };
    case 'stop-notice': {
      const data = stopNoticeData(s, ctx.catalog, await eventsOf());
      return data && { form, data };
    }
  }
}

/** The letter as its printable page (the receipt also says where the applicant looks the dossier up). */
export function letterHtml(letter: LetterPdf, extra: Record<string, unknown> = {}): string {
  const title = titleOf(letter.data.formSet.forms[LETTER_FORM_KEY[letter.form]].title);
  return renderLetter(letter.form, { title, ...letter.data, ...extra });
}

export async function letterPage(ctx: AppContext, s: DossierState, form: LetterForm, extra: Record<string, unknown> = {}): Promise<string | null> {
  const letter = await letterOf(ctx, s, form);
  return letter && letterHtml(letter, extra);
}
