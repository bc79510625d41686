/**
 * What the province's identity provider says about a person, read from the ID token's claims (pure). The person is
 * matched by one configured claim (default `email`), compared with the account's e-mail. Optional claims carry the
 * roles (our role names: counter, supervisor, auditor, admin) and the agency codes; values that are not ours are
 * dropped, so a provider cannot grant what this service does not know.
 */
import { roleSchema, type Role } from '../store/api-keys.js';

export interface ClaimSettings {
  matchClaim: string;
  rolesClaim?: string;
  agenciesClaim?: string;
}

export interface ClaimedPerson {
  /** The value the account is matched by (an e-mail address); null when the claim is missing. */
  match: string | null;
  name: string | null;
  /** Undefined when the provider does not carry roles (then the admin sets them). */
  roles?: Role[];
  agencyCodes?: string[];
}

/** A claim as a list of strings: an array, or one string with values separated by commas or spaces. */
function listClaim(v: unknown): string[] | undefined {
  if (Array.isArray(v))
    return v
      .filter((x): x is string => typeof x === 'string')
      .map((x) => x.trim())
      .filter(Boolean);
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean);
  return undefined;
}

export function readClaims(claims: Record<string, unknown>, settings: ClaimSettings, knownAgency: (code: string) => boolean): ClaimedPerson {
  const raw = claims[settings.matchClaim];
  const match = typeof raw === 'string' && raw.trim() ? raw.trim() : null;
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : null;
  const roles = settings.rolesClaim ? listClaim(claims[settings.rolesClaim]) : undefined;
  const agencies = settings.agenciesClaim ? listClaim(claims[settings.agenciesClaim]) : undefined;
  return {
    match,
    name,
    ...(roles !== undefined ? { roles: roleSchema.options.filter((r) => roles.includes(r)) } : {}),
    ...(agencies !== undefined ? { agencyCodes: [...new Set(agencies.filter(knownAgency))] } : {}),
  };
}
