/**
 * An officer's own list (issue 28 item 5), where a person lands after signing in: the open dossiers that are theirs
 * to do — overdue or due soon at their agencies, or held by them — most urgent first (store/my-work.ts).
 */
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { workingDurationText } from '../../alerts/format.js';
import { yearInVietnam } from '../../calendar/local-time.js';
import { vietnameseShortInstant } from '../../calendar/vietnamese-format.js';
import { STATUS_TEXT } from '../../dossiers/wording.js';
import { myWork } from '../../store/my-work.js';
import { renderPage } from '../../views/render.js';
import { scopeOf } from '../auth.js';
import { pageAuth, PERSON_HOME, viewerOf } from '../page-auth.js';

const SHOWN = 100;

export function myWorkRouter(ctx: AppContext): Router {
  const router = Router();
  router.get(PERSON_HOME, ...pageAuth(ctx), async (_req, res) => {
    const scope = scopeOf(res);
    const now = ctx.now();
    // A key's session holds nothing (steps name people), but its agencies' urgent dossiers are still its to do.
    const { total, items } = await myWork(ctx.db.pool, { personId: scope.principal.id, agencyCodes: scope.principal.agencyCodes }, now, SHOWN);
    const rows = items.map(({ state: s, held, overdue, dueSoon }) => {
      const index = ctx.calendar.workingTime(s.rules.policies.officeHours);
      const dayMinutes = index.dayMs / 60_000;
      const left = index.between(now, s.dueAt) / 60_000;
      const step = s.steps.find((x) => x.endedAt === null);
      return {
        code: s.code,
        procedureName: ctx.catalog.procedure(s.procedureCode)?.name ?? s.procedureCode,
        agencyName: ctx.catalog.agency(s.currentAgencyCode)?.name ?? s.currentAgencyCode,
        statusText: STATUS_TEXT[s.status],
        dueText: vietnameseShortInstant(s.dueAt),
        // While the citizen supplements the clock is stopped: since when, rather than a time left.
        leftText:
          s.pausedSince !== null
            ? `chờ bổ sung từ ${vietnameseShortInstant(s.pausedSince)}`
            : left >= 0
              ? `còn ${workingDurationText(left, dayMinutes)}`
              : `quá hạn ${workingDurationText(-left, dayMinutes)}`,
        urgency: overdue ? 'overdue' : dueSoon ? 'due_soon' : '',
        reasons: [overdue ? 'Quá hạn' : dueSoon ? 'Sắp đến hạn' : null, held ? `Anh/chị đang xử lý${step ? `: ${step.step}` : ''}` : null].filter(Boolean),
      };
    });
    res.type('html').send(
      renderPage('my-work', {
        title: 'Việc của tôi',
        viewer: viewerOf(res),
        currentYear: yearInVietnam(now),
        rows,
        total,
        more: total > rows.length,
        counter: scope.has('counter'),
      }),
    );
  });
  return router;
}
