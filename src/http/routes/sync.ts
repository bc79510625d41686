/**
 * The national portal's records in and out. POST: records in the portal's
 * sync shape become the events they imply (all or nothing; a resend or a
 * later snapshot adds only what is new; an older snapshot is a 409 naming
 * the field). GET: the caller's dossiers of a period in the same shape.
 */
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { periodOf, syncExportQuerySchema } from '../../reports/report-query.js';
import { recordPersonalDataReads } from '../../store/audit-reads.js';
import { exportRecords } from '../../store/portal-export.js';
import { SyncConflict, syncRecords } from '../../store/portal-sync.js';
import { portalRecordSchema, type PortalRecord } from '../../sync/portal-record.js';
import { requireRole, scopeOf } from '../auth.js';
import { fieldIssues, HttpError, type FieldIssue } from '../errors.js';
import { noQuery } from '../query.js';
import { filterFor, readingFor, requireStarted } from '../report-scope.js';

export const MAX_SYNC_BATCH = 1000;

export function syncRouter(ctx: AppContext): Router {
  const router = Router();

  router.post('/sync/dossiers', requireRole('counter', 'supervisor', 'admin'), async (req, res) => {
    noQuery(req);
    const raw: unknown[] = Array.isArray(req.body) ? req.body : Array.isArray(req.body?.records) ? req.body.records : [req.body];
    if (raw.length === 0) throw new HttpError(400, 'No records.');
    if (raw.length > MAX_SYNC_BATCH)
      throw new HttpError(400, `A request holds at most ${MAX_SYNC_BATCH} records; this one has ${raw.length}. Use \`dunghan sync import FILE\` for files.`);
    const records: PortalRecord[] = [];
    const invalid: FieldIssue[] = [];
    raw.forEach((item, index) => {
      const parsed = portalRecordSchema.safeParse(item);
      if (parsed.success) records.push(parsed.data);
      else invalid.push(...fieldIssues(parsed.error, `[${index}]`).map((i) => ({ ...i, index })));
    });
    if (invalid.length) throw new HttpError(400, `Some records are invalid; nothing was applied.`, invalid);

    const scope = scopeOf(res);
    try {
      const result = await syncRecords(ctx.db.pool, ctx.catalog, ctx.ingest, records, { scope, actor: scope.actor });
      res.status(result.eventsAdded > 0 ? 201 : 200).json(result);
    } catch (err) {
      if (!(err instanceof SyncConflict)) throw err;
      const title = {
        400: 'Some records cannot be read as dossier events',
        403: 'Some records are outside this key’s agencies',
        409: 'Some records contradict or go back from what is recorded',
        422: 'Some records cannot apply',
      }[err.status];
      throw new HttpError(
        err.status,
        `${title}; nothing was applied.`,
        err.issues.map((i) => ({ path: `[${i.index}].${i.field}`, message: `${i.MaHoSo}: ${i.message}`, index: i.index })),
      );
    }
  });

  router.get('/sync/dossiers', requireRole('supervisor', 'auditor', 'admin'), async (req, res) => {
    const q = syncExportQuerySchema.parse(req.query);
    const period = periodOf(q);
    requireStarted(period, ctx.now());
    const filter = filterFor(ctx, res, q);
    const scope = scopeOf(res);
    const jsonl = q.format === 'jsonl';
    res.type(jsonl ? 'application/x-ndjson; charset=utf-8' : 'application/json; charset=utf-8');
    if (!jsonl)
      res.write(
        `{"period":${JSON.stringify({ label: period.label, from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString() })},"records":[`,
      );
    let first = true;
    for await (const page of exportRecords(readingFor(ctx, res).pool, ctx.catalog, filter.agencies, period)) {
      // Who read which dossier's personal data is written before the data leaves.
      await recordPersonalDataReads(
        ctx.db.pool,
        scope.principal,
        page.map((r) => String(r.MaHoSo)),
        'GET /api/v1/sync/dossiers',
        req.ip,
      );
      const text = page.map((r) => JSON.stringify(r)).join(jsonl ? '\n' : ',');
      res.write(jsonl ? `${text}\n` : `${first ? '' : ','}${text}`);
      first = false;
    }
    res.end(jsonl ? '' : ']}');
  });

  return router;
}
