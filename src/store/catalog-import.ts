/**
 * An administrator's catalogue import, shared by the CLI, the API and the
 * sample province: read the files, plan against the catalogue in force, say
 * what it does to dossiers already received, then (unless a dry run) apply
 * it as one recorded revision and reload.
 */
import type { AppContext } from '../app-context.js';
import { mergeReads, type ImportIssue } from '../catalog/catalog-file.js';
import { readCatalogFile, type CatalogFormat } from '../catalog/catalog-formats.js';
import { planCatalogImport, type PlanEntry } from '../catalog/catalog-plan.js';
import { applyCatalogPlan, receivedSince } from './catalog-store.js';

export interface CatalogUpload {
  name: string;
  bytes: Buffer;
  format: CatalogFormat;
}

/** A procedure version that changes the rules: dossiers received since its first day keep the time they were received under. */
const RULE_FIELDS = new Set(['duration', 'steps', 'receiptCutoff', 'paperResult', 'feeRequired']);

export type CatalogImportResult =
  | { ok: false; issues: ImportIssue[] }
  | {
      ok: true;
      dryRun: boolean;
      revision: number | null;
      summary: { added: number; changed: number; retired: number; unchanged: number };
      added: PlanEntry[];
      changed: PlanEntry[];
      retired: PlanEntry[];
      warnings: string[];
    };

export async function importCatalog(ctx: AppContext, files: CatalogUpload[], options: { dryRun: boolean; by: string }): Promise<CatalogImportResult> {
  const read = mergeReads(await Promise.all(files.map((f) => readCatalogFile(f.name, f.bytes, f.format))));
  // The rows that parsed are still checked (parents, versions), so one answer names every problem of the file.
  const planned = planCatalogImport(ctx.catalog, read.input);
  const issues = [...read.issues, ...(planned.ok ? [] : planned.issues)];
  if (issues.length || !planned.ok) return { ok: false, issues };
  const plan = planned.value;

  const ruled = [...plan.added, ...plan.changed].filter((e) => e.kind === 'procedure' && (e.note?.startsWith('new version') || e.changes.some((c) => RULE_FIELDS.has(c.field))));
  const counts = await receivedSince(ctx.db.pool, ruled.map((e) => ({ code: e.code, validFrom: e.validFrom! })));
  const warnings = ruled.flatMap((e) => {
    const n = counts.get(`${e.code}@${e.validFrom}`) ?? 0;
    return n ? [`${n} dossiers of ${e.code} received since ${e.validFrom} keep the rules they were received under (pinned at receipt); the new ones apply to dossiers received from now on.`] : [];
  });

  let revision: number | null = null;
  if (!options.dryRun && (plan.write.agencies.length || plan.write.procedures.length)) {
    revision = await applyCatalogPlan(ctx.db.pool, plan, options.by, files.map((f) => f.name).join(', '));
    await ctx.reloadCatalog();
  }
  const { write: _write, ...shown } = plan;
  return { ok: true, dryRun: options.dryRun, revision, ...shown, warnings };
}
