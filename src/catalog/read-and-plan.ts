/**
 * A catalogue import's CPU part, without I/O: read the files (within the limits) and plan them against the
 * catalogue in force. The API runs it in a worker thread (src/threads/catalog-read.worker.ts), the CLI and the
 * sample loader in their own thread.
 */
import { mergeReads, type ImportIssue } from './catalog-file.js';
import { readCatalogFile, type CatalogFormat } from './catalog-formats.js';
import { planCatalogImport, type CatalogPlan } from './catalog-plan.js';
import type { Catalog } from './catalog.js';
import type { UploadLimits } from './upload-limits.js';

export interface CatalogUpload {
  name: string;
  bytes: Buffer;
  format: CatalogFormat;
}

export type ReadAndPlan = { ok: false; issues: ImportIssue[] } | { ok: true; plan: CatalogPlan };

export async function readAndPlan(files: CatalogUpload[], current: Catalog, limits: UploadLimits): Promise<ReadAndPlan> {
  const parts = [];
  // One file after the other: the rows limit is for the upload as a whole.
  let rows = 0;
  for (const f of files) {
    const part = await readCatalogFile(f.name, f.bytes, f.format, { ...limits, maxRows: limits.maxRows - rows });
    rows += part.input.agencies.length + part.input.procedures.length;
    parts.push(part);
  }
  const read = mergeReads(parts);
  // The rows that parsed are still checked (parents, versions), so one answer names every problem of the file.
  const planned = planCatalogImport(current, read.input);
  const issues = [...read.issues, ...(planned.ok ? [] : planned.issues)];
  if (issues.length || !planned.ok) return { ok: false, issues };
  return { ok: true, plan: planned.value };
}
