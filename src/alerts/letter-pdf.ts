/**
 * The apology letter (form 04) attached to the applicant's e-mail (Decree 118/2025 Art. 19(6): the apology is sent
 * to the applicant): the same document as /letters/:code/apology.pdf, set by letters/letter-pdf.ts.
 */
import type { AppContext } from '../app-context.js';
import { apologyData } from '../letters/letter-data.js';
import { renderLetterPdf } from '../letters/letter-pdf.js';
import { dossierState } from '../store/dossier-reads.js';
import { signedLetterPdf } from '../store/signed-letters.js';
import type { DueMessage } from '../store/outbox-store.js';
import type { Attachment } from './mailer.js';

/** The apology letter of a dossier as PDF bytes (the signed one when issued through the workflow), or null when none was issued. */
export async function apologyPdf(ctx: AppContext, dossierCode: string): Promise<Buffer | null> {
  const s = await dossierState(ctx.db.pool, dossierCode);
  const signed = s?.letters?.apology;
  if (signed?.status === 'issued' && signed.sha256) return signedLetterPdf(ctx.db.pool, dossierCode, signed.sha256);
  const data = s && apologyData(s, ctx.catalog);
  return data ? renderLetterPdf({ form: 'apology', data }) : null;
}

/** The mail sender's attachment for a citizen's apology message (outbox.ts mailSender). */
export function letterAttachment(ctx: AppContext): (m: DueMessage) => Promise<Attachment[]> {
  return async (m) => {
    if (m.payload?.attach !== 'apology' || !m.dossierCode) return [];
    const pdf = await apologyPdf(ctx, m.dossierCode);
    return pdf ? [{ filename: `xin-loi-${m.dossierCode.replace(/[^\w.-]/g, '_')}.pdf`, content: pdf, contentType: 'application/pdf' }] : [];
  };
}
