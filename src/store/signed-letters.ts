/**
 * The signed letters' bytes (migration 023): a workflow letter's signed PDF, kept so that what is issued, served and
 * attached to the applicant's message is exactly the document whose SHA-256 the `letter_signed` event recorded.
 */
import type pg from 'pg';

export interface SignedLetter {
  sha256: string;
  dossierCode: string;
  form: 'apology' | 'refusal';
  eventId: string;
  signedAt: number;
  pdf: Buffer;
}

/** Kept before the `letter_signed` event is ingested (the event names it by its hash). */
export async function saveSignedLetter(pool: pg.Pool, l: SignedLetter): Promise<void> {
  await pool.query(
    'INSERT INTO signed_letters (digest, dossier_code, form, event_id, signed_at, pdf) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (digest) DO NOTHING',
    [l.sha256, l.dossierCode, l.form, l.eventId, new Date(l.signedAt), l.pdf],
  );
}

/** Removes the bytes of a signature whose event was refused: no event names them. */
export async function dropSignedLetter(pool: pg.Pool, eventId: string): Promise<void> {
  await pool.query('DELETE FROM signed_letters WHERE event_id = $1 AND NOT EXISTS (SELECT 1 FROM dossier_events WHERE event_id = $1)', [eventId]);
}

/** The signed PDF of a dossier's letter by its hash; null when none is kept. */
export async function signedLetterPdf(pool: pg.Pool, dossierCode: string, sha256: string): Promise<Buffer | null> {
  const { rows } = await pool.query<{ pdf: Buffer }>('SELECT pdf FROM signed_letters WHERE dossier_code = $1 AND digest = $2', [dossierCode, sha256]);
  return rows[0]?.pdf ?? null;
}
