/**
 * Who acts: an API key (software, a counter's integration) or a person (a civil servant signed in). Both have
 * agencies (an agency covers its descendants) and roles; a key has exactly one role, a person one or more. What an
 * action records is the actor: the key's or the person's id and the roles it held (dossier_events.key_id and
 * key_role, personal_data_reads.key_id and role; migration 050).
 */
import type { Role } from '../store/api-keys.js';

export interface Principal {
  kind: 'key' | 'person';
  id: string;
  /** The key's label, or the person's name. */
  label: string;
  roles: Role[];
  agencyCodes: string[];
}

/** What an event or a read records of its actor: the id and the roles held then (a person's, comma-separated). */
export function actorOf(p: Principal): { id: string; role: string } {
  return { id: p.id, role: p.roles.join(',') };
}
