/**
 * `POST /api/v1/catalog/import`: an administrator's catalogue file as the body
 * (JSON, CSV or XLSX by its Content-Type), previewed with `?dryRun=true`,
 * otherwise applied as one catalogue revision. Mounted before the JSON-only
 * guard: it is the one API route that reads spreadsheets.
 *
 * The body is read up to UPLOAD_MAX_BYTES (a larger one is refused, 413, the
 * rest unread); reading and planning run in a worker thread within the rows
 * and cell limits, so a large or hostile file never holds the request loop
 * (issue 29). Too large for the API: the answer says to use the CLI.
 */
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import type { CatalogFormat } from '../../catalog/catalog-formats.js';
import { CLI_ADVICE, UploadLimitError, type UploadLimits } from '../../catalog/upload-limits.js';
import { importCatalog } from '../../store/catalog-import.js';
import { WorkerBoundsError, type WorkerBounds } from '../../threads/run-worker.js';
import { requireRole, scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TYPES: Array<[string, CatalogFormat]> = [
  ['application/json', 'json'],
  ['text/csv', 'csv'],
  [XLSX, 'xlsx'],
];
const querySchema = z.strictObject({
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  /** The file's name, echoed in the messages (`procedures.csv row 4, column durationValue: …`). */
  name: z.string().trim().min(1).max(200).optional(),
});

/** A file within the limits reads and plans in well under a second; these bound what a hostile one can take. */
const WORKER_BOUNDS: WorkerBounds = { timeoutMs: 60_000, maxMemoryMb: 512 };

/** The raw body up to the byte limit; past it, a 413 naming the limit and the connection closed, the rest unread. */
function rawBody(limits: UploadLimits): RequestHandler {
  const parse = express.raw({ type: TYPES.map(([t]) => t), limit: limits.maxBytes });
  return (req, res, next) =>
    parse(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type !== 'entity.too.large') return next(err);
      res.setHeader('Connection', 'close');
      next(
        new HttpError(413, `The file is larger than ${limits.maxBytes} bytes (UPLOAD_MAX_BYTES); ${CLI_ADVICE}.`, [
          { path: '(body)', message: `limit: ${limits.maxBytes} bytes` },
        ]),
      );
    });
}

export function catalogImportRouter(ctx: AppContext, limits: UploadLimits): Router {
  const router = Router();
  router.post('/catalog/import', requireRole('admin'), rawBody(limits), async (req, res) => {
    const scope = scopeOf(res);
    // The catalogue is the whole province's (its agency tree and procedures): an admin of a part of it cannot
    // rewrite the rest (issue 28).
    if (!scope.all) throw new HttpError(403, 'The catalogue is the province’s: importing it needs an admin key for the province’s root agency.');
    const q = querySchema.parse(req.query);
    const format = TYPES.find(([t]) => req.is(t))?.[1];
    if (!format || !Buffer.isBuffer(req.body)) throw new HttpError(415, `Send the catalogue as ${TYPES.map(([t]) => t).join(', ')}.`);
    let result;
    try {
      result = await importCatalog(ctx.catalogImportTarget(), [{ name: q.name ?? `upload.${format}`, bytes: req.body, format }], {
        dryRun: q.dryRun,
        by: scope.principal.label,
        limits,
        offThread: WORKER_BOUNDS,
      });
    } catch (err) {
      if (err instanceof UploadLimitError) {
        const status = err.tooLarge ? 413 : 400;
        throw new HttpError(status, `${err.message}; nothing changed${err.tooLarge ? `: ${CLI_ADVICE}` : ''}.`, [
          { path: '(body)', message: `limit ${err.limit}: ${err.max}` },
        ]);
      }
      if (err instanceof WorkerBoundsError) throw new HttpError(413, `Reading the file ${err.message}; nothing changed: ${CLI_ADVICE}.`);
      throw err;
    }
    if (!result.ok) {
      throw new HttpError(
        400,
        `The catalogue is refused whole (${result.issues.length} problems); nothing changed.`,
        result.issues.slice(0, 200).map((i) => ({
          path: [i.file, i.row !== undefined ? `row ${i.row}` : null, i.column].filter(Boolean).join(' › '),
          message: i.message,
          ...(i.row !== undefined ? { index: i.row } : {}),
        })),
      );
    }
    const { ok: _ok, ...body } = result;
    res.json(body);
  });
  return router;
}
