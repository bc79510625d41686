/**
 * Staff accounts (people): created by an admin, deactivated rather than deleted. A deactivated person signs in no
 * more and every session they have ends at once (web_sessions is read joined with people, and deactivation also
 * marks the sessions revoked). Passwords are scrypt hashes (accounts/password-hash.ts); the first one, and a reset,
 * is set through a one-time link whose token is stored only as a hash.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import type { Principal } from '../accounts/principal.js';
import { NO_PEOPLE, type PersonDirectory } from '../dossiers/holder.js';
import { hashKey, roleSchema, type Role } from './api-keys.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** In the order the roles are listed everywhere (a person's roles are kept sorted so). */
const ROLE_ORDER = roleSchema.options;

export const personInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  roles: z.array(roleSchema).min(1).max(4),
  agencyCodes: z.array(z.string().min(1).max(64)).min(1).max(50),
});
export type PersonInput = z.infer<typeof personInputSchema>;

export interface Person {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  agencyCodes: string[];
  createdAt: string;
  deactivatedAt: string | null;
  /** Whether a password is set (never the hash). */
  hasPassword: boolean;
  lockedUntil: string | null;
}

const COLUMNS = 'id, name, email, roles, agency_codes, created_at, deactivated_at, password_hash IS NOT NULL AS has_password, locked_until';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a row of the people table, read column by column below
function personOf(r: Record<string, any>): Person {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    roles: r.roles,
    agencyCodes: r.agency_codes,
    createdAt: r.created_at.toISOString(),
    deactivatedAt: iso(r.deactivated_at),
    hasPassword: r.has_password,
    lockedUntil: iso(r.locked_until),
  };
}

export function principalOfPerson(p: Pick<Person, 'id' | 'name' | 'roles' | 'agencyCodes'>): Principal {
  return { kind: 'person', id: p.id, label: p.name, roles: p.roles, agencyCodes: p.agencyCodes };
}

const sortRoles = (roles: Role[]) => ROLE_ORDER.filter((r) => roles.includes(r));

export class EmailTaken extends Error {}

/** A new person; EmailTaken when another account has the address (whatever its case). */
export async function createPerson(db: Queryable, input: PersonInput, createdBy: string | null): Promise<Person> {
  try {
    const { rows } = await db.query(
      `INSERT INTO people (id, name, email, roles, agency_codes, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [randomUUID(), input.name, input.email, sortRoles(input.roles), input.agencyCodes, createdBy],
    );
    return personOf(rows[0]!);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new EmailTaken(input.email);
    throw err;
  }
}

export async function listPeople(db: Queryable): Promise<Person[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM people ORDER BY name, id`);
  return rows.map(personOf);
}

export async function findPerson(db: Queryable, id: string): Promise<Person | null> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM people WHERE id = $1`, [id]);
  return rows[0] ? personOf(rows[0]) : null;
}

/** An active person by e-mail (case-insensitive), with the password hash, for signing in. */
export async function findActivePersonByEmail(db: Queryable, email: string): Promise<(Person & { passwordHash: string | null; failedLogins: number }) | null> {
  const { rows } = await db.query(`SELECT ${COLUMNS}, password_hash, failed_logins FROM people WHERE lower(email) = lower($1) AND deactivated_at IS NULL`, [
    email,
  ]);
  const r = rows[0];
  return r ? { ...personOf(r), passwordHash: r.password_hash, failedLogins: r.failed_logins } : null;
}

/** The password hash of an active person (changing one's password checks the current one). */
export async function passwordHashOf(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ password_hash: string | null }>('SELECT password_hash FROM people WHERE id = $1 AND deactivated_at IS NULL', [id]);
  return rows[0]?.password_hash ?? null;
}

/** Whether anyone has an active account: from then on keys no longer open web sessions (unless configured). */
export async function activePeopleExist(db: Queryable): Promise<boolean> {
  const { rows } = await db.query('SELECT EXISTS (SELECT 1 FROM people WHERE deactivated_at IS NULL) AS e');
  return rows[0].e;
}

/** Changes name, roles or agencies; null when there is no such active person. */
export async function updatePerson(db: Queryable, id: string, change: Partial<Pick<PersonInput, 'name' | 'roles' | 'agencyCodes'>>): Promise<Person | null> {
  const { rows } = await db.query(
    `UPDATE people SET name = coalesce($2, name), roles = coalesce($3, roles), agency_codes = coalesce($4, agency_codes)
     WHERE id = $1 AND deactivated_at IS NULL RETURNING ${COLUMNS}`,
    [id, change.name ?? null, change.roles ? sortRoles(change.roles) : null, change.agencyCodes ?? null],
  );
  return rows[0] ? personOf(rows[0]) : null;
}

/** Deactivates a person and ends their sessions and unused links at once. False when there is no such active person. */
export async function deactivatePerson(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE people SET deactivated_at = now() WHERE id = $1 AND deactivated_at IS NULL', [id]);
  if (!rowCount) return false;
  await db.query('UPDATE web_sessions SET revoked_at = now() WHERE person_id = $1 AND revoked_at IS NULL', [id]);
  await db.query('UPDATE password_tokens SET used_at = now() WHERE person_id = $1 AND used_at IS NULL', [id]);
  return true;
}

/**
 * Makes a deactivated person active again (issue 28: deactivated, never deleted, so a person who comes back keeps
 * their history). Their sessions stayed ended; failed sign-ins and the lock are cleared. False when there is no such
 * deactivated person.
 */
export async function reactivatePerson(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE people SET deactivated_at = NULL, failed_logins = 0, locked_until = NULL WHERE id = $1 AND deactivated_at IS NOT NULL',
    [id],
  );
  return rowCount === 1;
}

/**
 * A self-service reset's token (the "forgot password" form): for an active person with this e-mail, unless an unused
 * one was issued in the last `quietMinutes` (so that a stranger typing someone's address cannot keep replacing their link
 * or flood their mailbox). Null otherwise; the caller answers the same either way.
 */
export async function createSelfServiceToken(db: Queryable, email: string, quietMinutes: number): Promise<{ person: Person; token: string } | null> {
  const person = await findActivePersonByEmail(db, email);
  if (!person) return null;
  const { rows } = await db.query('SELECT 1 FROM password_tokens WHERE person_id = $1 AND used_at IS NULL AND created_at > now() - make_interval(mins => $2)', [
    person.id,
    quietMinutes,
  ]);
  if (rows.length) return null;
  const token = await createPasswordToken(db, person.id);
  const { passwordHash: _hash, failedLogins: _failures, ...plain } = person;
  return token ? { person: plain, token } : null;
}

/** Hours a one-time password link stays valid. */
export const PASSWORD_LINK_HOURS = 72;

/** A one-time link's token for an active person (earlier unused links stop working); null when there is none. */
export async function createPasswordToken(db: Queryable, personId: string): Promise<string | null> {
  const { rows } = await db.query('SELECT 1 FROM people WHERE id = $1 AND deactivated_at IS NULL', [personId]);
  if (!rows.length) return null;
  await db.query('UPDATE password_tokens SET used_at = now() WHERE person_id = $1 AND used_at IS NULL', [personId]);
  const token = randomBytes(32).toString('base64url');
  await db.query(`INSERT INTO password_tokens (token_hash, person_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`, [
    hashKey(token),
    personId,
    PASSWORD_LINK_HOURS,
  ]);
  return token;
}

/** The active person a live (unused, unexpired) token is for. */
export async function personOfPasswordToken(db: Queryable, token: string): Promise<Person | null> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS.split(', ')
      .map((c) => `p.${c}`)
      .join(', ')} FROM password_tokens t JOIN people p ON p.id = t.person_id
     WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now() AND p.deactivated_at IS NULL`,
    [hashKey(token)],
  );
  return rows[0] ? personOf(rows[0]) : null;
}

/**
 * Sets a password through a one-time token, in one statement: the token is used up, the lock lifted, and every
 * session of the person ends (a reset is what one does after a password leaks). Null when the token is not live.
 */
export async function setPasswordWithToken(db: Queryable, token: string, passwordHash: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `WITH used AS (
       UPDATE password_tokens t SET used_at = now() FROM people p
       WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now() AND p.id = t.person_id AND p.deactivated_at IS NULL
       RETURNING t.person_id
     ), person AS (
       UPDATE people SET password_hash = $2, password_set_at = now(), failed_logins = 0, locked_until = NULL
       WHERE id = (SELECT person_id FROM used) RETURNING id
     ), ended AS (
       UPDATE web_sessions SET revoked_at = now() WHERE person_id = (SELECT id FROM person) AND revoked_at IS NULL
     )
     SELECT id FROM person`,
    [hashKey(token), passwordHash],
  );
  return rows[0]?.id ?? null;
}

/** A signed-in person changes their password: their other sessions end. */
export async function changePassword(db: Queryable, id: string, passwordHash: string, keepSession: string): Promise<void> {
  await db.query('UPDATE people SET password_hash = $2, password_set_at = now() WHERE id = $1 AND deactivated_at IS NULL', [id, passwordHash]);
  await db.query('UPDATE web_sessions SET revoked_at = now() WHERE person_id = $1 AND revoked_at IS NULL AND id_hash <> $2', [id, hashKey(keepSession)]);
}

/**
 * A failed password for the person: counted, and at `limit` consecutive failures the account is locked for
 * `lockMinutes` (the count starts again then). Returns whether it is now locked.
 */
export async function recordFailedLogin(db: Queryable, id: string, limit: number, lockMinutes: number): Promise<boolean> {
  const { rows } = await db.query<{ locked: boolean }>(
    `UPDATE people SET
       failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
       locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
     WHERE id = $1 RETURNING locked_until > now() AS locked`,
    [id, limit, lockMinutes],
  );
  return rows[0]?.locked ?? false;
}

/** Whether the person is locked out now. */
export async function isLocked(db: Queryable, id: string): Promise<boolean> {
  const { rows } = await db.query('SELECT coalesce(locked_until > now(), false) AS locked FROM people WHERE id = $1', [id]);
  return rows[0]?.locked ?? false;
}

export async function recordSuccessfulLogin(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE people SET failed_logins = 0 WHERE id = $1 AND failed_logins <> 0', [id]);
}

/** A person by e-mail (case-insensitive), active or not: single sign-on tells a deactivated account from none. */
export async function findPersonByEmail(db: Queryable, email: string): Promise<Person | null> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM people WHERE lower(email) = lower($1)`, [email]);
  return rows[0] ? personOf(rows[0]) : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The directory a batch's hand-overs are checked against (`holder.personId`, dossiers/holder.ts): the active people
 * among the ids named, with their agencies, read once before the batch is ingested. An id that is not an account's
 * (not a UUID, unknown, deactivated) names nobody.
 */
export async function peopleDirectory(db: Queryable, ids: string[]): Promise<PersonDirectory> {
  const wanted = [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
  if (!wanted.length) return NO_PEOPLE;
  const { rows } = await db.query<{ id: string; agency_codes: string[] }>(
    'SELECT id::text, agency_codes FROM people WHERE id = ANY($1::uuid[]) AND deactivated_at IS NULL',
    [wanted],
  );
  const found = new Map(rows.map((r) => [r.id, r.agency_codes]));
  return {
    person: (id) => {
      const agencyCodes = found.get(id.toLowerCase());
      return agencyCodes && { agencyCodes };
    },
  };
}

/** Whom actor ids name (a person's name, a key's label; the actors view of migration 050): for pages and registers. */
export async function actorNames(db: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; name: string }>('SELECT id::text AS id, name FROM actors WHERE id::text = ANY($1::text[])', [ids]);
  return new Map(rows.map((r) => [r.id, r.name]));
}
