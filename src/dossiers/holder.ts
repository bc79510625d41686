/**
 * Who holds a dossier (người đang xử lý): the person an `assigned` event names, or only its agency.
 *
 * A holder is carried by the event as a name, an e-mail address and, for a person with an account, its id
 * (`personId`). The id is checked against the person directory at ingestion (the accounts: store/people.ts
 * `peopleDirectory`; an unknown or deactivated person, or one outside the agency the dossier is handed to, is
 * refused with 422 at `holder.personId`), never by the fold, so a replay does not depend on who has an account today.
 */
import { z } from 'zod';

export const holderSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).optional(),
  /** A person account's id (people.id): the officer's own list finds the dossiers they hold by it. */
  personId: z.string().trim().min(1).max(64).optional(),
});
export type Holder = z.infer<typeof holderSchema>;

/** The people with accounts, by id: the agencies each belongs to. */
export interface PersonDirectory {
  person(id: string): { agencyCodes: string[] } | undefined;
}

/** A directory that knows nobody (a batch that names no person). */
export const NO_PEOPLE: PersonDirectory = { person: () => undefined };

/**
 * Why a holder cannot hold a dossier handed to `agencyCode`, or null when they can. A person belongs to the
 * agency when one of their agencies is it or a unit below it (a division of a department holds the department's
 * dossiers); `pathOf` gives an agency's path from the root.
 */
export function holderProblem(holder: Holder | undefined, agencyCode: string, people: PersonDirectory, pathOf: (code: string) => string[]): string | null {
  if (!holder?.personId) return null;
  const person = people.person(holder.personId);
  if (!person) return `unknown person ${holder.personId}`;
  if (!belongsToAgency(person.agencyCodes, agencyCode, pathOf)) return `person ${holder.personId} does not belong to agency ${agencyCode}`;
  return null;
}

/** A person belongs to an agency when one of their agencies is it or a unit below it (the holder, a warning's recipient). */
export function belongsToAgency(personAgencyCodes: string[], agencyCode: string, pathOf: (code: string) => string[]): boolean {
  return personAgencyCodes.some((code) => pathOf(code).includes(agencyCode));
}
