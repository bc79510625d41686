/**
 * The log of reads of personal data: who (key and role), which dossier, when
 * and through which page or call. Written before the data is sent.
 */
import type pg from 'pg';
import type { ApiKey } from './api-keys.js';

export async function recordPersonalDataRead(db: Pick<pg.ClientBase, 'query'>, key: ApiKey, dossierCode: string, via: string): Promise<void> {
  await db.query('INSERT INTO personal_data_reads (key_id, role, dossier_code, via) VALUES ($1, $2, $3, $4)', [key.id, key.role, dossierCode, via]);
}
