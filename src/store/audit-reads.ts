/**
 * The log of reads of personal data: who (the key or the person, and the roles
 * held), which dossier, when, through which page or call and from which
 * address (the client's, under TRUST_PROXY). Written before the data is sent.
 */
import type pg from 'pg';
import { actorOf, type Principal } from '../accounts/principal.js';

export async function recordPersonalDataRead(
  db: Pick<pg.ClientBase, 'query'>,
  who: Principal,
  dossierCode: string,
  via: string,
  clientAddress?: string,
): Promise<void> {
  await db.query('INSERT INTO personal_data_reads (key_id, role, dossier_code, via, client_address) VALUES ($1, $2, $3, $4, $5)', [
    actorOf(who).id,
    actorOf(who).role,
    dossierCode,
    via,
    clientAddress ?? null,
  ]);
}

/** One row per dossier of an export page, in one statement. */
export async function recordPersonalDataReads(
  db: Pick<pg.ClientBase, 'query'>,
  who: Principal,
  dossierCodes: string[],
  via: string,
  clientAddress?: string,
): Promise<void> {
  if (!dossierCodes.length) return;
  await db.query('INSERT INTO personal_data_reads (key_id, role, dossier_code, via, client_address) SELECT $1, $2, unnest($3::text[]), $4, $5', [
    actorOf(who).id,
    actorOf(who).role,
    dossierCodes,
    via,
    clientAddress ?? null,
  ]);
}
