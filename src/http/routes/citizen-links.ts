/**
 * What a link in a citizen's message opens, no key needed: the letter it announces (apology, supplementation
 * request, refusal), the dossier's lookup page, or the page that stops the messages. The token (alerts/citizen-links.ts)
 * names one dossier and expires: a forged, altered or expired one, or one for a dossier that no longer exists,
 * answers the same 404. Stopping is a POST from that page (a mail scanner that opens every link stops nothing) and is
 * recorded as a `consent_withdrawn` event `via: link`, through the one ingestion path.
 */
import { randomUUID } from 'node:crypto';
import express, { Router, type Request } from 'express';
import type { AppContext } from '../../app-context.js';
import { verifyLink, type LinkPurpose } from '../../alerts/citizen-links.js';
import { publicProgress } from '../../dossiers/public-view.js';
import type { DossierState } from '../../dossiers/state.js';
import { dossierState } from '../../store/dossier-reads.js';
import { renderPage } from '../../views/render.js';
import { formatLocalInstant } from '../../calendar/local-time.js';
import { letterPage } from '../letter-page.js';

const INVALID = 'Đường dẫn không hợp lệ hoặc đã hết hạn. Xin tra cứu hồ sơ bằng mã hồ sơ và 4 số cuối số điện thoại.';

export function citizenLinksRouter(ctx: AppContext): Router {
  const router = Router();

  const open = async (token: unknown): Promise<{ purpose: LinkPurpose; s: DossierState } | null> => {
    const secret = ctx.citizen?.linkSecret;
    const link = secret ? verifyLink(secret, String(token ?? ''), ctx.now()) : null;
    const s = link && (await dossierState(ctx.db.pool, link.dossierCode));
    return link && s ? { purpose: link.purpose, s } : null;
  };
  const invalid = (res: express.Response) =>
    res
      .status(404)
      .type('html')
      .send(renderPage('lookup', { title: 'Tra cứu hồ sơ', form: {}, notFound: INVALID }));
  const tokenOf = (req: Request) => (typeof req.query.t === 'string' ? req.query.t : typeof req.body?.t === 'string' ? req.body.t : '');

  router.get('/thu', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const opened = await open(tokenOf(req));
    if (!opened) return invalid(res);
    const { purpose, s } = opened;
    if (purpose === 'lookup') {
      res.type('html').send(renderPage('lookup', { title: 'Tra cứu hồ sơ', form: { code: s.code }, found: publicProgress(s, ctx.catalog, ctx.now()) }));
      return;
    }
    if (purpose === 'stop') {
      res
        .type('html')
        .send(
          renderPage('stop-messages', { title: 'Ngừng nhận thông báo', code: s.code, token: tokenOf(req), stopped: (s.consent?.contacts.length ?? 0) === 0 }),
        );
      return;
    }
    const html = await letterPage(ctx, s, purpose);
    if (html === null) return invalid(res);
    res.type('html').send(html);
  });

  router.post('/thu/ngung', express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 2 }), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const opened = await open(tokenOf(req));
    if (!opened || opened.purpose !== 'stop') return invalid(res);
    const { s } = opened;
    // Already stopped (a second click): nothing more to record.
    if ((s.consent?.contacts.length ?? 0) > 0) {
      await ctx.ingest([
        {
          eventId: randomUUID(),
          type: 'consent_withdrawn',
          dossierCode: s.code,
          occurredAt: formatLocalInstant(Math.max(ctx.now(), s.lastOccurredAt)),
          via: 'link',
        },
      ]);
    }
    res.type('html').send(renderPage('stop-messages', { title: 'Ngừng nhận thông báo', code: s.code, stopped: true }));
  });
  return router;
}
