/**
 * What telling the applicant costs ingestion (issue 27): receipts whose applicant chose e-mail and SMS, each writing
 * 2 outbox rows in its ingestion transaction (rendered from the templates, inserted by the projection's statement),
 * beside the same receipts without consent (no message), in batches of BATCH, RUNS rounds alternating.
 *
 *   npm run bench:messages            # DOSSIERS=20000, BATCH=100, RUNS=3
 */
import { randomUUID } from 'node:crypto';
import { AppContext } from '../src/app-context.js';
import { citizenMessages } from '../src/alerts/citizen-messages.js';
import type { DossierEvent } from '../src/dossiers/events.js';
import { ingestEvents } from '../src/store/event-store.js';
import { openBenchDatabase } from './bench-database.js';
import { alternate, record } from './results.js';

const DOSSIERS = Number(process.env.DOSSIERS ?? 20_000);
const BATCH = Number(process.env.BATCH ?? 100);
const RUNS = Number(process.env.RUNS ?? 3);
const NOW = Date.parse('2026-03-16T09:00:00+07:00');

function receipts(prefix: string, consent: boolean): DossierEvent[] {
  return Array.from({ length: DOSSIERS }, (_, i) => ({
    eventId: randomUUID(),
    type: 'received' as const,
    dossierCode: `${prefix}-${String(i).padStart(6, '0')}`,
    occurredAt: '2026-03-16T09:00:00+07:00',
    procedureCode: '1.004194',
    receivingAgencyCode: 'SLA.P.TOHIEU.TTPV',
    channel: 'online' as const,
    applicant: { name: 'Lò Văn Hùng', phone: '0912345678' },
    feeRequired: true,
    digitized: false,
    ...(consent
      ? {
          consent: [
            { channel: 'email' as const, address: `nguoidan${i}@example.vn` },
            { channel: 'sms' as const, phone: '0912345678' },
          ],
        }
      : {}),
  }));
}

async function main(): Promise<void> {
  const bench = await openBenchDatabase(4);
  try {
    const ctx = await AppContext.load(bench.db, { now: () => NOW, publicUrl: 'https://dichvucong.sonla.gov.vn' });
    const env = ctx.citizenEnv()!;
    const messages = (before: Parameters<typeof citizenMessages>[0], after: Parameters<typeof citizenMessages>[1], events: DossierEvent[]) =>
      citizenMessages(before, after, events, env);
    let run = 0;
    const side = (consent: boolean) => async () => {
      const events = receipts(`${consent ? 'M' : 'N'}${run++}`, consent);
      const before = Number((await bench.db.pool.query('SELECT count(*) AS n FROM alert_outbox')).rows[0].n);
      const t0 = performance.now();
      for (let i = 0; i < events.length; i += BATCH) await ingestEvents(bench.db.pool, ctx.foldContext(), events.slice(i, i + BATCH), { messages, nowMs: NOW });
      const seconds = (performance.now() - t0) / 1000;
      const written = Number((await bench.db.pool.query('SELECT count(*) AS n FROM alert_outbox')).rows[0].n) - before;
      if (written !== (consent ? 2 * DOSSIERS : 0)) throw new Error(`wrote ${written} messages`);
      return consent ? written / seconds : events.length / seconds;
    };
    const [withMessages, without] = await alternate(RUNS, () => bench.db.pool.query('CHECKPOINT'), [side(true), side(false)]);
    record({
      bench: 'messages',
      what: `receipts with consent (e-mail + SMS: 2 messages each) through ingestion, batches of ${BATCH}`,
      unit: 'messages queued/s',
      values: withMessages!,
      higherIsBetter: true,
      baseline: { what: 'the same receipts without consent (no message), events/s', values: without! },
    });
    console.log(`  ${DOSSIERS.toLocaleString('en-US')} receipts a side; with messages, receipts/s = messages/s ÷ 2`);
  } finally {
    await bench.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
