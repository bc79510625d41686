/**
 * What the people API, the admin page and their checks share: an admin manages the accounts whose agencies it
 * covers, and gives only agencies it covers (issue 28: an admin's agencies bound it like anyone's, as for keys).
 */
import type { AppContext } from '../app-context.js';
import { findPerson, type Person } from '../store/people.js';
import type { Scope } from './auth.js';
import { HttpError, type FieldIssue } from './errors.js';

/** Unknown agencies (422) and agencies outside the caller (403), each at its field. */
export function checkGrantedAgencies(ctx: AppContext, scope: Scope, codes: string[], field = 'agencyCodes'): void {
  const unknown = codes.filter((c) => !ctx.catalog.agency(c));
  if (unknown.length) {
    throw new HttpError(
      422,
      `Unknown agency ${unknown.join(', ')}.`,
      codes.flatMap((c, i) => (unknown.includes(c) ? [{ path: `${field}[${i}]`, message: 'unknown agency' }] : [])),
    );
  }
  const outside: FieldIssue[] = codes.flatMap((c, i) =>
    scope.coversPath(ctx.catalog.pathOf(c)) ? [] : [{ path: `${field}[${i}]`, message: 'outside your agencies' }],
  );
  if (outside.length) throw new HttpError(403, 'An agency is outside your agencies: an admin grants only its own agencies.', outside);
}

/** Whether the caller manages the person: every agency of theirs is within the caller's. */
export function manages(ctx: AppContext, scope: Scope, person: Pick<Person, 'agencyCodes'>): boolean {
  return person.agencyCodes.every((c) => scope.coversPath(ctx.catalog.pathOf(c)));
}

/** A person the caller manages: 404 when there is none, or when the caller does not manage them (as for an unknown one). */
export async function managedPerson(ctx: AppContext, scope: Scope, id: string): Promise<Person> {
  const person = /^[0-9a-f-]{36}$/i.test(id) ? await findPerson(ctx.db.pool, id) : null;
  if (!person || !manages(ctx, scope, person)) throw new HttpError(404, `No person ${id}.`);
  return person;
}
