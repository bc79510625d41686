/**
 * Migration 017 moves the chain out of the event log into a table of its own (issue 13). A province upgrading
 * keeps its chain as sealed, link for link, and the events a stopped process left unsealed are sealed after it.
 */
import { AppContext } from '../../src/app-context.js';
import { connect, inTransaction, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { dossierEventSchema } from '../../src/dossiers/events.js';
import { sampleProvince } from '../../src/sample/province.js';
import { verifyChain } from '../../src/store/audit-store.js';
import { saveCatalog } from '../../src/store/catalog-store.js';
import { ingestEvents } from '../../src/store/event-store.js';
import { ev } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-app.js';

let database: TestDatabase;
let db: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  db = connect(database.url, 4);
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

test('a log sealed before migration 017 keeps every link, and what was left unsealed is sealed after it', async () => {
  // The schema as the release before left it, with events ingested by that release's functions.
  await migrate(db.pool, { through: '016_open_stock.sql' });
  const { agencies, procedures } = sampleProvince();
  await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
  const ctx = await AppContext.load(db, { now: () => Date.parse('2025-11-20T10:00:00+07:00') });
  const events = (code: string) => [
    ev.received(code, '2025-11-03T08:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }),
    ev.of('supplement_requested', code, '2025-11-04T09:00:00+07:00', { reason: 'Thiếu bản sao giấy tờ' }),
    ev.of('supplement_received', code, '2025-11-05T09:00:00+07:00'),
  ].map((e) => dossierEventSchema.parse(e));
  await ingestEvents(db.pool, ctx.foldContext(), ['OLD-1', 'OLD-2', 'OLD-3'].flatMap(events));
  await ingestEvents(db.pool, ctx.foldContext(), events('OLD-4'), { seal: false }); // a process stopped before its seal
  const { rows: before } = await db.pool.query('SELECT chain_pos AS pos, seq, chain_hash AS hash FROM dossier_events WHERE chain_pos IS NOT NULL ORDER BY chain_pos');
  expect(before.map((r) => r.pos)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);

  expect(await migrate(db.pool)).toEqual(['017_insert_only_log.sql']);
  const { rows: after } = await db.pool.query('SELECT pos, seq, hash FROM event_chain ORDER BY pos');
  expect(after).toEqual(before);
  expect((await db.pool.query('SELECT count(*)::int AS n FROM unsealed_events')).rows[0].n).toBe(3);
  // Verification seals the three first, then recomputes every link: all 12 hold.
  expect(await verifyChain(db.pool)).toMatchObject({ events: 12, head: { pos: 12 }, firstBreak: null });
  const { rows: sealed } = await db.pool.query("SELECT c.pos FROM event_chain c JOIN dossier_events e ON e.seq = c.seq WHERE e.dossier_code = 'OLD-4' ORDER BY c.pos");
  expect(sealed.map((r) => r.pos)).toEqual([10, 11, 12]);
  // The log itself carries no chain columns any more: it is only ever appended to.
  const { rows: columns } = await db.pool.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'dossier_events' AND column_name LIKE 'chain%'");
  expect(columns).toEqual([]);
});
