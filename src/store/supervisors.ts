/**
 * Supervisors (lãnh đạo): who hears the alerts of an agency and everything below it. Added and removed by an
 * administrator (the API), a few by the sample loader, read by the alert scans and the calendar reminder.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface Supervisor {
  id: string;
  agencyCode: string;
  name: string;
  email: string;
}

const supervisorOf = (r: { id: string; agency_code: string; name: string; email: string }): Supervisor => ({
  id: r.id,
  agencyCode: r.agency_code,
  name: r.name,
  email: r.email,
});

/** Adds a supervisor to an agency, or renames the one with that address there. Emails are kept in lower case. */
export async function upsertSupervisor(db: Queryable, agencyCode: string, name: string, email: string): Promise<Supervisor> {
  const { rows } = await db.query(
    `INSERT INTO supervisors (id, agency_code, name, email) VALUES ($1, $2, $3, $4)
     ON CONFLICT (agency_code, email) DO UPDATE SET name = excluded.name RETURNING id, agency_code, name, email`,
    [randomUUID(), agencyCode, name, email.toLowerCase()],
  );
  return supervisorOf(rows[0]);
}

/** Adds a supervisor unless that address is already one of the agency's (the sample loader: a second load changes nothing). */
export async function addSupervisorIfAbsent(db: Queryable, agencyCode: string, name: string, email: string): Promise<void> {
  await db.query('INSERT INTO supervisors (id, agency_code, name, email) VALUES (gen_random_uuid(), $1, $2, $3) ON CONFLICT DO NOTHING', [
    agencyCode,
    name,
    email,
  ]);
}

export async function supervisorsOf(db: Queryable, agencyCode: string): Promise<Supervisor[]> {
  const { rows } = await db.query('SELECT id, agency_code, name, email FROM supervisors WHERE agency_code = $1 ORDER BY email', [agencyCode]);
  return rows.map(supervisorOf);
}

/** False when the agency has no supervisor with that id. */
export async function removeSupervisor(db: Queryable, agencyCode: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM supervisors WHERE agency_code = $1 AND id::text = $2', [agencyCode, id]);
  return !!rowCount;
}

/** Every supervisor, by the agency they supervise, each agency's in order of address. */
export async function supervisorsByAgency(db: Queryable): Promise<Map<string, Array<Omit<Supervisor, 'id'>>>> {
  const { rows } = await db.query<{ agency_code: string; name: string; email: string }>('SELECT agency_code, name, email FROM supervisors ORDER BY email');
  const map = new Map<string, Array<Omit<Supervisor, 'id'>>>();
  for (const r of rows) map.set(r.agency_code, [...(map.get(r.agency_code) ?? []), { agencyCode: r.agency_code, name: r.name, email: r.email }]);
  return map;
}

/** The addresses of the supervisors of the root agencies (the province), once each. */
export async function rootSupervisorEmails(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ email: string }>(
    'SELECT DISTINCT s.email FROM supervisors s JOIN agencies a ON a.code = s.agency_code WHERE a.parent_code IS NULL',
  );
  return rows.map((r) => r.email);
}
