/**
 * The worker thread of a catalogue upload: rebuilds the catalogue in force from plain data, reads and plans the
 * files (catalog/read-and-plan.ts) and answers with the plan, the problems, or the limit that was passed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Catalog } from '../catalog/catalog.js';
import { readAndPlan, type ReadAndPlan } from '../catalog/read-and-plan.js';
import type { CatalogFormat } from '../catalog/catalog-formats.js';
import type { Agency, Procedure } from '../catalog/schemas.js';
import { UploadLimitError, type LimitName, type UploadLimits } from '../catalog/upload-limits.js';

export interface CatalogReadInput {
  files: Array<{ name: string; bytes: Uint8Array; format: CatalogFormat }>;
  limits: UploadLimits;
  agencies: Agency[];
  procedureVersions: Procedure[];
}

export type CatalogReadOutput = { result: ReadAndPlan } | { limit: { limit: LimitName; max: number; message: string } };

const { input } = workerData as { input: CatalogReadInput };
let out: CatalogReadOutput;
try {
  const files = input.files.map((f) => ({ ...f, bytes: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength) }));
  out = { result: await readAndPlan(files, new Catalog(input.agencies, input.procedureVersions), input.limits) };
} catch (err) {
  if (!(err instanceof UploadLimitError)) throw err;
  out = { limit: { limit: err.limit, max: err.max, message: err.message } };
}
parentPort!.postMessage(out);
