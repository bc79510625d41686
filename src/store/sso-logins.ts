/**
 * Single sign-on attempts under way (migration 051): written when the browser is sent to the provider, taken once
 * by the callback. Only the hash of the browser's binding cookie is stored.
 */
import type pg from 'pg';
import { hashKey } from './api-keys.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface SsoLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
}

export async function startSsoLogin(db: Queryable, binding: string, login: SsoLogin): Promise<void> {
  // Old attempts go as new ones come: the table holds only the last minutes' sign-ins.
  await db.query("DELETE FROM sso_logins WHERE expires_at < now() - interval '1 day'");
  await db.query(
    `INSERT INTO sso_logins (binding_hash, state, nonce, code_verifier, next, expires_at) VALUES ($1, $2, $3, $4, $5, now() + interval '10 minutes')`,
    [hashKey(binding), login.state, login.nonce, login.codeVerifier, login.next],
  );
}

/** The live attempt the binding cookie names, used up by this read (a replayed callback finds nothing). */
export async function takeSsoLogin(db: Queryable, binding: string): Promise<SsoLogin | null> {
  const { rows } = await db.query(
    `UPDATE sso_logins SET used_at = now() WHERE binding_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING state, nonce, code_verifier, next`,
    [hashKey(binding)],
  );
  const r = rows[0];
  return r ? { state: r.state, nonce: r.nonce, codeVerifier: r.code_verifier, next: r.next } : null;
}
