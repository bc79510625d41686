/**
 * `POST /api/v1/catalog/import`: an administrator's catalogue file as the body
 * (JSON, CSV or XLSX by its Content-Type), previewed with `?dryRun=true`,
 * otherwise applied as one catalogue revision. Mounted before the JSON-only
 * guard: it is the one API route that reads spreadsheets.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import type { CatalogFormat } from '../../catalog/catalog-formats.js';
import { importCatalog } from '../../store/catalog-import.js';
import { requireRole, scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TYPES: Array<[string, CatalogFormat]> = [
  ['application/json', 'json'],
  ['text/csv', 'csv'],
  [XLSX, 'xlsx'],
];
const querySchema = z.strictObject({
  dryRun: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  /** The file's name, echoed in the messages (`procedures.csv row 4, column durationValue: …`). */
  name: z.string().trim().min(1).max(200).optional(),
});

export function catalogImportRouter(ctx: AppContext): Router {
  const router = Router();
  router.post('/catalog/import', requireRole('admin'), express.raw({ type: TYPES.map(([t]) => t), limit: '10mb' }), async (req, res) => {
    const scope = scopeOf(res);
    // The catalogue is the whole province's (its agency tree and procedures): an admin of a part of it cannot
    // rewrite the rest (issue 28).
    if (!scope.all) throw new HttpError(403, 'The catalogue is the province’s: importing it needs an admin key for the province’s root agency.');
    const q = querySchema.parse(req.query);
    const format = TYPES.find(([t]) => req.is(t))?.[1];
    if (!format || !Buffer.isBuffer(req.body)) throw new HttpError(415, `Send the catalogue as ${TYPES.map(([t]) => t).join(', ')}.`);
    const result = await importCatalog(ctx, [{ name: q.name ?? `upload.${format}`, bytes: req.body, format }], { dryRun: q.dryRun, by: scope.principal.label });
    if (!result.ok) {
      throw new HttpError(
        400,
        `The catalogue is refused whole (${result.issues.length} problems); nothing changed.`,
        result.issues.slice(0, 200).map((i) => ({ path: [i.file, i.row !== undefined ? `row ${i.row}` : null, i.column].filter(Boolean).join(' › '), message: i.message, ...(i.row !== undefined ? { index: i.row } : {}) })),
      );
    }
    const { ok: _ok, ...body } = result;
    res.json(body);
  });
  return router;
}
