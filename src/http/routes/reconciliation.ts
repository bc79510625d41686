/**
 * Reconciliation with the national portal: an administrator records the
 * figures the portal published for an agency and period (PUT), and anyone who
 * may read the agency's reports compares them with dunghan's (GET): each
 * figure and rate side by side, and the dossiers that explain the difference.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { periodOf } from '../../reports/report-query.js';
import { periodSchema } from '../../reports/periods.js';
import { byDateReading, explainDifferences, FIGURE_TEXT, ourFigures, portalUploadSchema, ratesOf, type PortalFigures } from '../../reports/reconciliation.js';
import { judgedAtOf, judgedDossiers, rateRows } from '../../store/report-store.js';
import { portalFiguresOf, savePortalFigures } from '../../store/portal-figures.js';
import { requireRole, scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';
import { filterFor, readingFor, requireStarted } from '../report-scope.js';
import { readingsOf } from '../../reports/readings.js';

const querySchema = z.strictObject({ agency: z.string().min(1).max(64), period: periodSchema, convention: z.enum(['calendar', 'report']).default('calendar') });

export function reconciliationRouter(ctx: AppContext): Router {
  const router = Router();

  router.put('/reconciliation/figures', requireRole('admin'), async (req, res) => {
    const upload = portalUploadSchema.parse(req.body);
    if (!ctx.catalog.agency(upload.agency)) throw new HttpError(400, `Unknown agency ${upload.agency}.`, [{ path: 'agency', message: 'unknown agency' }]);
    // An admin records figures for its own agencies only (issue 28: its agencies bound it like anyone's).
    if (!scopeOf(res).coversPath(ctx.catalog.pathOf(upload.agency))) throw new HttpError(403, `Agency ${upload.agency} is outside this key's agencies.`);
    const period = periodOf({ period: upload.period, convention: upload.convention });
    requireStarted(period, ctx.now());
    await savePortalFigures(ctx.db.pool, { ...upload, enteredBy: scopeOf(res).principal.label });
    res.status(204).end();
  });

  router.get('/reconciliation', requireRole('supervisor', 'auditor', 'admin'), async (req, res) => {
    const q = querySchema.parse(req.query);
    const period = periodOf(q);
    requireStarted(period, ctx.now());
    const filter = filterFor(ctx, res, { agency: q.agency });
    const portal = await portalFiguresOf(ctx.db.pool, q.agency, q.period, q.convention);
    if (!portal)
      throw new HttpError(
        404,
        `No portal figures recorded for ${q.agency} in ${q.period}: an administrator records them with PUT /api/v1/reconciliation/figures.`,
      );
    const now = ctx.now();
    const { totalCounts } = await rateRows(readingFor(ctx, res, now), period, 'all', filter);
    const ours = ourFigures(totalCounts);
    const judged = (await judgedDossiers(readingFor(ctx, res, now), period, filter)).map((d) => ({
      code: d.code,
      judged: d.judged,
      dueAt: d.due_at.getTime(),
      rateDueAt: d.rate_due_at.getTime(),
      finishedAt: d.finished_at?.getTime() ?? null,
      outcome: d.outcome,
      flags: d.flags,
    }));
    const explained = explainDifferences(judged, portal.dossiers ?? undefined);
    // Both readings of "late" beside the portal's (issue 23 item 5): by instant (or the agency's own), and by date.
    const byDate = byDateReading(ours, judged, judgedAtOf(period, now));
    const theirRates = ratesOf(portal.figures);
    res.json({
      agency: q.agency,
      period: { label: period.label, judgedAt: new Date(judgedAtOf(period, now)).toISOString() },
      portal: { source: portal.source, enteredBy: portal.entered_by, enteredAt: portal.entered_at.toISOString(), withDossierList: portal.dossiers !== null },
      rule: "dunghan: Decision 766 as the national portal computes it (DOMAIN §5), judged by instant (or by the agency's latenessReading); dunghanByDate: the same read by date (finished on the due day = on time); the portal: its published figures as entered.",
      readings: readingsOf(ctx.catalog, filter.agencies),
      figures: (Object.keys(FIGURE_TEXT) as Array<keyof PortalFigures>).map((key) => ({
        key,
        name: FIGURE_TEXT[key],
        dunghan: ours[key],
        dunghanByDate: byDate[key],
        portal: portal.figures[key] ?? null,
        difference: portal.figures[key] === undefined ? null : ours[key] - portal.figures[key]!,
      })),
      rates: ratesOf(ours).map((r, i) => {
        const theirs = theirRates[i]!.percent;
        return {
          indicator: r.indicator,
          name: r.name,
          dunghan: r.percent,
          dunghanByDate: ratesOf(byDate)[i]!.percent,
          portal: theirs,
          difference: r.percent === null || theirs === null ? null : Math.round((r.percent - theirs) * 100) / 100,
        };
      }),
      dossiers: explained.slice(0, 1000),
      dossiersTotal: explained.length,
    });
  });

  return router;
}
