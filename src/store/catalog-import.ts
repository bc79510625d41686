/**
 * An administrator's catalogue import, shared by the CLI, the API and the
 * sample province: read the files, plan against the catalogue in force, say
 * what it does to dossiers already received, then (unless a dry run) apply
 * it as one recorded revision and reload.
 */
import type pg from 'pg';
import type { Catalog } from '../catalog/catalog.js';
import type { ImportIssue } from '../catalog/catalog-file.js';
import type { PlanEntry } from '../catalog/catalog-plan.js';
import { readAndPlan, type CatalogUpload, type ReadAndPlan } from '../catalog/read-and-plan.js';
import { CLI_UPLOAD_LIMITS, UploadLimitError, type UploadLimits } from '../catalog/upload-limits.js';
import type { CatalogReadInput, CatalogReadOutput } from '../threads/catalog-read.worker.js';
import { runInWorker, type WorkerBounds } from '../threads/run-worker.js';
import { applyCatalogPlan, receivedSince } from './catalog-store.js';

export type { CatalogUpload };

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

export interface CatalogImportOptions {
  dryRun: boolean;
  by: string;
  /** Default: the CLI's (no size limit). */
  limits?: UploadLimits;
  /** Read and plan in a worker thread within these bounds (the API), rather than in the caller's thread. */
  offThread?: WorkerBounds;
}

/** What an import needs of the application: the database, the catalogue in force, and its reload once written. */
export interface CatalogImportTarget {
  pool: pg.Pool;
  catalog: Catalog;
  reloadCatalog(): Promise<void>;
}

// Under src/ from either src/store or dist/store: the worker is TypeScript, run by the boot file through tsx.
const WORKER = new URL('../../src/threads/catalog-read.worker.ts', import.meta.url);

/** Throws UploadLimitError when a limit is passed, WorkerBoundsError when the thread's time or memory ran out. */
async function readAndPlanFor(
  ctx: CatalogImportTarget,
  files: CatalogUpload[],
  limits: UploadLimits,
  offThread: WorkerBounds | undefined,
): Promise<ReadAndPlan> {
  if (!offThread) return readAndPlan(files, ctx.catalog, limits);
  const input: CatalogReadInput = { files, limits, agencies: ctx.catalog.allAgencies(), procedureVersions: ctx.catalog.procedureVersions() };
  const out = await runInWorker<CatalogReadOutput>(WORKER, input, offThread);
  if ('limit' in out) throw new UploadLimitError(out.limit.limit, out.limit.max, out.limit.message);
  return out.result;
}

export async function importCatalog(ctx: CatalogImportTarget, files: CatalogUpload[], options: CatalogImportOptions): Promise<CatalogImportResult> {
  const planned = await readAndPlanFor(ctx, files, options.limits ?? CLI_UPLOAD_LIMITS, options.offThread);
  if (!planned.ok) return { ok: false, issues: planned.issues };
  const plan = planned.plan;

  const ruled = [...plan.added, ...plan.changed].filter(
    (e) => e.kind === 'procedure' && (e.note?.startsWith('new version') || e.changes.some((c) => RULE_FIELDS.has(c.field))),
  );
  const counts = await receivedSince(
    ctx.pool,
    ruled.map((e) => ({ code: e.code, validFrom: e.validFrom! })),
  );
  const warnings = ruled.flatMap((e) => {
    const n = counts.get(`${e.code}@${e.validFrom}`) ?? 0;
    return n
      ? [
          `${n} dossiers of ${e.code} received since ${e.validFrom} keep the rules they were received under (pinned at receipt); the new ones apply to dossiers received from now on.`,
        ]
      : [];
  });

  let revision: number | null = null;
  if (!options.dryRun && (plan.write.agencies.length || plan.write.procedures.length)) {
    revision = await applyCatalogPlan(ctx.pool, plan, options.by, files.map((f) => f.name).join(', '));
    await ctx.reloadCatalog();
  }
  const { write: _write, ...shown } = plan;
  return { ok: true, dryRun: options.dryRun, revision, ...shown, warnings };
}
