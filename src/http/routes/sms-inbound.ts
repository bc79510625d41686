/**
 * POST /api/v1/sms/inbound: the SMS gateway forwards a citizen's reply (MO) here, with the phone it came from and its
 * text, authenticated by the shared secret SMS_INBOUND_SECRET in the `X-Dunghan-Secret` header (no API key: the
 * gateway is no staff member). A stop reply naming a dossier ("TC <mã hồ sơ>", alerts/sms-keyword.ts) from the phone
 * that dossier's SMS messages go to is recorded as `consent_withdrawn` of the SMS channel `via: keyword`, through the
 * one ingestion path. Anything else is acknowledged and ignored, with the same answer whether or not the dossier
 * exists: the webhook tells nobody which dossiers there are. Unset secret: the route does not exist (404).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { uuidFrom } from '../../dossiers/name-based-id.js';
import express, { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { formatLocalInstant } from '../../calendar/local-time.js';
import { stopReplyCode } from '../../alerts/sms-keyword.js';
import { internationalPhone } from '../../dossiers/consent.js';
import { dossiersByCodeAnyCase } from '../../store/public-lookup.js';
import { HttpError } from '../errors.js';
import { IngestConflict } from '../../store/event-store.js';

export const smsInboundSchema = z.object({
  phone: z
    .string()
    .trim()
    .regex(/^\+?\d[\d .-]{7,15}$/, 'expected a phone number'),
  text: z.string().max(1000),
});

const sameSecret = (given: string, expected: string) => {
  // Hashed first: timingSafeEqual needs equal lengths, and the length of the secret is not told either.
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(expected));
};

export function smsInboundRouter(ctx: AppContext, secret: string | undefined): Router {
  const router = Router();
  if (!secret) return router;
  router.post('/sms/inbound', express.json({ limit: '4kb' }), express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }), async (req, res) => {
    const given = req.headers['x-dunghan-secret'];
    if (typeof given !== 'string' || !sameSecret(given, secret)) throw new HttpError(401, 'The X-Dunghan-Secret header is missing or wrong.');
    const { phone, text } = smsInboundSchema.parse(req.body ?? {});
    const code = stopReplyCode(text);
    if (code === null) return void res.json({ result: 'ignored', reason: 'not a stop keyword' });
    if (code === 'missing') return void res.json({ result: 'ignored', reason: 'no dossier code after the keyword' });
    const from = internationalPhone(phone);
    // The dossier whose SMS messages go to this phone: another phone cannot stop someone else's messages.
    const s = (await dossiersByCodeAnyCase(ctx.db.pool, code)).find((d) =>
      d.consent?.contacts.some((c) => c.channel === 'sms' && internationalPhone(c.phone) === from),
    );
    if (!s) return void res.json({ result: 'ignored', reason: 'no dossier with SMS messages to this phone under that code' });
    // The id is the fact's (this phone stopping this dossier's SMS, after its latest event): a gateway that sends the
    // same reply twice at once records it once (the other try finds the same id: already recorded, answered alike);
    // a try after it finds the SMS stopped and is ignored; a stop after consent was given again is a new fact.
    try {
      await ctx.ingest([
        {
          eventId: uuidFrom(`sms-stop:${s.code}:${from}:${s.lastEventSeq}`),
          type: 'consent_withdrawn',
          dossierCode: s.code,
          occurredAt: formatLocalInstant(Math.max(ctx.now(), s.lastOccurredAt)),
          channels: ['sms'],
          via: 'keyword',
        },
      ]);
    } catch (err) {
      if (!(err instanceof IngestConflict && err.status === 409)) throw err;
    }
    res.json({ result: 'withdrawn' });
  });
  return router;
}
