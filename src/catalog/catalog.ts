/**
 * The agency tree and procedure catalogue in memory: lookups, ancestor paths
 * and inherited policies, so the fold never touches the database.
 */
import { dayFromIsoDate, localDayOf } from '../calendar/local-time.js';
import { resolveLetterSelfApproval, resolvePolicies, type Policies } from '../rules/policies.js';
import type { Agency, Procedure } from './schemas.js';

export class Catalog {
  private readonly agencies = new Map<string, Agency>();
  /** Each code's versions, oldest first. */
  private readonly procedures = new Map<string, Procedure[]>();
  private readonly paths = new Map<string, string[]>();
  private readonly policies = new Map<string, Policies>();
  private readonly children = new Map<string, string[]>();
  private readonly rootCodes: string[] = [];
  /** Names (folded to lower case) that more than one agency bears: such an agency is named with its parent's. */
  private readonly sharedNames = new Set<string>();

  constructor(agencies: Agency[], procedures: Procedure[]) {
    for (const a of agencies) this.agencies.set(a.code, a);
    // Catalogues written before procedures had versions (audit packages) read as one version valid throughout.
    for (const given of procedures) {
      const p = { ...given, validFrom: given.validFrom ?? '2000-01-01', validTo: given.validTo ?? null };
      const versions = this.procedures.get(p.code);
      if (versions) versions.push(p);
      else this.procedures.set(p.code, [p]);
    }
    for (const versions of this.procedures.values()) versions.sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    for (const a of agencies) {
      if (!a.parentCode) this.rootCodes.push(a.code);
      if (a.parentCode) {
        if (!this.agencies.has(a.parentCode)) throw new Error(`agency ${a.code}: unknown parent ${a.parentCode}`);
        const siblings = this.children.get(a.parentCode);
        if (siblings) siblings.push(a.code);
        else this.children.set(a.parentCode, [a.code]);
      }
    }
    const seen = new Set<string>();
    for (const a of agencies) {
      const key = a.name.toLocaleLowerCase('vi');
      if (seen.has(key)) this.sharedNames.add(key);
      seen.add(key);
    }
    for (const a of agencies) {
      const path: string[] = [];
      for (let c: string | null = a.code; c; c = this.agencies.get(c)!.parentCode) {
        if (path.includes(c)) throw new Error(`agency ${a.code}: cycle in the tree`);
        path.unshift(c);
      }
      this.paths.set(a.code, path);
      this.policies.set(a.code, resolvePolicies(path.map((c) => this.agencies.get(c)!.settings)));
    }
  }

  agency(code: string): Agency | undefined {
    return this.agencies.get(code);
  }

  /**
   * The agency's name as pages, exports and messages show it: told apart by its parent's when another agency bears
   * the same name (every ward has its "Bộ phận Một cửa"; issue 28 item 7). The code when there is no such agency.
   */
  nameOf(code: string): string {
    const a = this.agencies.get(code);
    if (!a) return code;
    const parent = a.parentCode ? this.agencies.get(a.parentCode) : undefined;
    return parent && this.sharedNames.has(a.name.toLocaleLowerCase('vi')) ? `${a.name} (${parent.name})` : a.name;
  }

  /** The latest version of a procedure (names and fields for display); `procedureAt` for the rules of a dossier. */
  procedure(code: string): Procedure | undefined {
    return this.procedures.get(code)?.at(-1);
  }

  /** The version in force on the local day of the instant; undefined when none is (not yet, or retired). */
  procedureAt(code: string, instantMs: number): Procedure | undefined {
    const day = localDayOf(instantMs);
    return this.procedures.get(code)?.findLast((p) => dayFromIsoDate(p.validFrom) <= day && (p.validTo === null || day <= dayFromIsoDate(p.validTo)));
  }

  allAgencies(): Agency[] {
    return [...this.agencies.values()];
  }

  /** The latest version of each procedure. */
  allProcedures(): Procedure[] {
    return [...this.procedures.values()].map((v) => v.at(-1)!);
  }

  /** Every version of every procedure. */
  procedureVersions(): Procedure[] {
    return [...this.procedures.values()].flat();
  }

  /** The agencies at the top of the tree (a province's People's Committee). */
  roots(): string[] {
    return this.rootCodes;
  }

  /** Codes from the root down to the agency itself. */
  pathOf(code: string): string[] {
    return this.paths.get(code) ?? [];
  }

  /** The agency and everything below it. */
  descendantsOf(code: string): string[] {
    const out = [code];
    for (let i = 0; i < out.length; i++) out.push(...(this.children.get(out[i]!) ?? []));
    return out;
  }

  policiesOf(code: string): Policies {
    const p = this.policies.get(code);
    if (!p) throw new Error(`unknown agency ${code}`);
    return p;
  }

  /** Whether the agency existed at the instant (validity is by local date, inclusive). */
  /** Whether the agency lets a letter's drafter approve it (policies.ts letterSelfApproval; default no). */
  letterSelfApproval(code: string): boolean {
    return resolveLetterSelfApproval(this.pathOf(code).map((c) => this.agencies.get(c)!.settings));
  }

  isValidAt(code: string, instantMs: number): boolean {
    const a = this.agencies.get(code);
    if (!a) return false;
    const day = localDayOf(instantMs);
    return day >= dayFromIsoDate(a.validFrom) && (a.validTo === null || day <= dayFromIsoDate(a.validTo));
  }
}
