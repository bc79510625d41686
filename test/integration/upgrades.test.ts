/**
 * A province upgrading keeps its data: each migration that moves data is run here on a database as the release
 * before left it, and what it produced is checked against what the current code would have written.
 */
import fs from 'node:fs';
import { AppContext } from '../../src/app-context.js';
import { connect, inTransaction, type Db } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { dossierEventSchema } from '../../src/dossiers/events.js';
import { sampleProvince } from '../../src/sample/province.js';
import { replayAndCompare, verifyChain } from '../../src/store/audit-store.js';
import { saveCatalog } from '../../src/store/catalog-store.js';
import { bodyHash, ingestEvents } from '../../src/store/event-store.js';
import { STALE_STATES_SQL } from '../../src/store/dossier-projection.js';
import { STATE_VERSION } from '../../src/dossiers/state.js';
import { ev } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-app.js';

const AGENCY = { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' };
const lifeOf = (code: string) =>
  [
    ev.received(code, '2025-11-03T08:00:00+07:00', AGENCY),
    ev.of('supplement_requested', code, '2025-11-04T09:00:00+07:00', { reason: 'Thiếu bản sao giấy tờ' }),
    ev.of('supplement_received', code, '2025-11-05T09:00:00+07:00'),
  ].map((e) => dossierEventSchema.parse(e));

let database: TestDatabase;
let db: Db;
beforeEach(async () => {
  database = await createTestDatabase();
  db = connect(database.url, 4);
});
afterEach(async () => {
  await db.close();
  await database.drop();
});

test('017: a chain sealed before keeps every link, and what a stopped process left unsealed is sealed after', async () => {
  // The schema as release 016 left it, written by its own SQL functions (the log part of ingestion, then its seal).
  await migrate(db.pool, { through: '016_open_stock.sql' });
  const append = (events: ReturnType<typeof lifeOf>) =>
    db.pool.query('SELECT * FROM ingest_open($1::jsonb)', [
      JSON.stringify(
        events.map((e) => ({
          event_id: e.eventId,
          dossier_code: e.dossierCode,
          type: e.type,
          occurred_at: e.occurredAt,
          body: e,
          body_hash: bodyHash(e),
          key_id: null,
          key_role: null,
        })),
      ),
    ]);
  await append(['OLD-1', 'OLD-2', 'OLD-3'].flatMap(lifeOf));
  await db.pool.query('SELECT seal_events()');
  await append(lifeOf('OLD-4')); // a process stopped before its seal
  const { rows: before } = await db.pool.query(
    'SELECT chain_pos AS pos, seq, chain_hash AS hash FROM dossier_events WHERE chain_pos IS NOT NULL ORDER BY chain_pos',
  );
  expect(before.map((r) => r.pos)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);

  await migrate(db.pool, { through: '017_insert_only_log.sql' });
  const { rows: after } = await db.pool.query('SELECT pos, seq, hash FROM event_chain ORDER BY pos');
  expect(after).toEqual(before);
  expect((await db.pool.query('SELECT count(*)::int AS n FROM unsealed_events')).rows[0].n).toBe(3);
  // The current code verifies on the current schema: the rest of the migrations carry the chain and the queue on.
  await migrate(db.pool);
  // Verification seals the three first, then recomputes every link: all 12 hold.
  expect(await verifyChain(db.pool)).toMatchObject({ events: 12, head: { pos: 12 }, firstBreak: null });
  const { rows: sealed } = await db.pool.query(
    "SELECT c.pos FROM event_chain c JOIN dossier_events e ON e.seq = c.seq WHERE e.dossier_code = 'OLD-4' ORDER BY c.pos",
  );
  expect(sealed.map((r) => r.pos)).toEqual([10, 11, 12]);
  // The log itself carries no chain columns any more: it is only ever appended to.
  const { rows: columns } = await db.pool.query(
    "SELECT column_name FROM information_schema.columns WHERE table_name = 'dossier_events' AND column_name LIKE 'chain%'",
  );
  expect(columns).toEqual([]);
});

test('018: when a paused dossier began waiting moves from its state into a column, to the millisecond', async () => {
  await migrate(db.pool);
  const { agencies, procedures } = sampleProvince();
  await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
  const ctx = await AppContext.load(db, { now: () => Date.parse('2025-11-20T10:00:00+07:00') });
  // One dossier waiting since an instant with milliseconds, one that resumed, one never paused.
  const waiting = dossierEventSchema.parse(ev.of('supplement_requested', 'W-1', '2025-11-04T09:00:00.123+07:00', { reason: 'Thiếu tờ khai' }));
  await ingestEvents(db.pool, ctx.foldContext(), [
    dossierEventSchema.parse(ev.received('W-1', '2025-11-03T08:00:00+07:00', AGENCY)),
    waiting,
    ...lifeOf('W-2'),
  ]);
  await ingestEvents(db.pool, ctx.foldContext(), [dossierEventSchema.parse(ev.received('W-3', '2025-11-03T08:00:00+07:00', AGENCY))]);
  // Back to the shape 017 left: no column, the expression index on the state document.
  await db.pool.query(`DROP INDEX dossiers_waiting_since; ALTER TABLE dossiers DROP COLUMN waiting_since, RESET (fillfactor);
    CREATE INDEX dossiers_waiting_since ON dossiers (((state->>'pausedSince')::bigint)) WHERE finished_at IS NULL AND paused;
    DELETE FROM schema_migrations WHERE name = '018_typed_waiting_since.sql'`);

  expect(await migrate(db.pool)).toEqual(['018_typed_waiting_since.sql']);
  const { rows } = await db.pool.query<{ code: string; waiting_since: Date | null }>('SELECT code, waiting_since FROM dossiers ORDER BY code');
  expect(rows).toEqual([
    { code: 'W-1', waiting_since: new Date('2025-11-04T09:00:00.123+07:00') },
    { code: 'W-2', waiting_since: null },
    { code: 'W-3', waiting_since: null },
  ]);
  // And it is what the current code writes: the replay of the log finds nothing different.
  expect(await replayAndCompare(db.pool, ctx.foldContext())).toMatchObject({ dossiers: 3, firstDivergence: null });
});

test('019: the state document becomes json as written, its version a column, and ingestion goes on', async () => {
  // Up to the last schema whose log 019's ingest_open can write (080 moved the idempotency key out of the log), with
  // every column the current projection writes.
  await migrate(db.pool, { through: '073_zalo_tokens.sql' });
  const { agencies, procedures } = sampleProvince();
  await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
  const ctx = await AppContext.load(db, { now: () => Date.parse('2025-11-20T10:00:00+07:00') });
  await ingestEvents(db.pool, ctx.foldContext(), [...lifeOf('J-1'), ...lifeOf('J-2')]);
  const read = async () =>
    new Map((await db.pool.query<{ code: string; state: object }>('SELECT code, state FROM dossiers')).rows.map((r) => [r.code, r.state]));
  const before = await read();
  // Back to the shape 018 left: a jsonb document, no version column, and 017's ingest_open (answering jsonb). One
  // state as an older release folded it.
  const release017 = fs.readFileSync(new URL('../../src/db/migrations/017_insert_only_log.sql', import.meta.url), 'utf8');
  const ingestOpen017 = release017.match(/CREATE OR REPLACE FUNCTION ingest_open[\s\S]*?END \$\$;/)![0];
  await db.pool.query(`ALTER TABLE dossiers DROP COLUMN state_version, ALTER COLUMN state TYPE jsonb USING state::jsonb;
    DROP FUNCTION ingest_open(jsonb);
    ${ingestOpen017}
    UPDATE dossiers SET state = state || '{"stateVersion": 2}' WHERE code = 'J-2';
    DELETE FROM schema_migrations WHERE name = '019_state_as_json.sql'`);

  // 019 again, then the migrations after 070.
  expect((await migrate(db.pool)).filter((m) => m < '071')).toEqual(['019_state_as_json.sql']);
  const { rows: type } = await db.pool.query("SELECT data_type FROM information_schema.columns WHERE table_name = 'dossiers' AND column_name = 'state'");
  expect(type).toEqual([{ data_type: 'json' }]);
  expect((await db.pool.query('SELECT code, state_version FROM dossiers ORDER BY code')).rows).toEqual([
    { code: 'J-1', state_version: STATE_VERSION },
    { code: 'J-2', state_version: 2 },
  ]);
  expect((await read()).get('J-1')).toEqual(before.get('J-1'));
  // The start-up check finds the older state by its column and replays it, and only it; it is a question the block
  // range index can answer (asked of millions of rows at every start), not a scan of the heap.
  const plan = await inTransaction(db.pool, async (c) => {
    await c.query('SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off');
    return (await c.query(`EXPLAIN ${STALE_STATES_SQL}`, [3])).rows.map((r) => r['QUERY PLAN']).join('\n');
  });
  expect(plan).toMatch(/Bitmap Index Scan on dossiers_state_version/);
  const lines: string[] = [];
  const started = await AppContext.load(db, { now: () => Date.parse('2025-11-20T10:00:00+07:00'), log: (l) => lines.push(l) });
  expect(lines.join('\n')).toMatch(/Replayed 1 dossiers/);
  expect(await read()).toEqual(before);
  // Ingestion reads the stored states through the new ingest_open and folds on from them.
  const withdrawn = dossierEventSchema.parse(ev.of('withdrawn', 'J-1', '2025-11-06T09:00:00+07:00', { reason: 'Công dân rút hồ sơ' }));
  await ingestEvents(db.pool, started.foldContext(), [withdrawn]);
  expect((await read()).get('J-1')).toMatchObject({ status: 'withdrawn', stateVersion: STATE_VERSION });
  expect(await replayAndCompare(db.pool, started.foldContext())).toMatchObject({ dossiers: 2, firstDivergence: null });
});

test('020: states folded by version 3 are replayed at start, their provisional flags redone, the counters recounted', async () => {
  await migrate(db.pool);
  const { agencies, procedures } = sampleProvince();
  await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
  const now = () => Date.parse('2027-01-05T10:00:00+07:00');
  const ctx = await AppContext.load(db, { now });
  // Thu 31 Dec 2026 18:00: the clock waits over Fri 1 Jan 2027, a holiday by statute whose schedule is not yet
  // announced, so the deadline is provisional (version 3 looked only from the clock start, Mon 4 Jan, and said no).
  const newYear = dossierEventSchema.parse(ev.received('NY-1', '2026-12-31T18:00:00+07:00', AGENCY));
  await ingestEvents(db.pool, ctx.foldContext(), [newYear, ...lifeOf('J-1'), ...lifeOf('J-2')]);
  const read = async () =>
    new Map((await db.pool.query<{ code: string; state: object }>('SELECT code, state FROM dossiers')).rows.map((r) => [r.code, r.state]));
  const counts = async () => (await db.pool.query('SELECT * FROM daily_counts ORDER BY agency_code, day, shard')).rows;
  const before = { states: await read(), counts: await counts() };
  expect(before.states.get('NY-1')).toMatchObject({ provisional: true });
  expect(before.counts.length).toBeGreaterThan(0);
  // As release 019 left it: every state of version 3, the New Year dossier not provisional.
  await db.pool.query(`UPDATE dossiers SET state = (state::jsonb || '{"stateVersion": 3}')::json, state_version = 3;
    UPDATE dossiers SET state = (state::jsonb || '{"provisional": false}')::json, provisional = false WHERE code = 'NY-1';
    DELETE FROM schema_migrations WHERE name = '020_deciding_days.sql'`);

  expect(await migrate(db.pool)).toEqual(['020_deciding_days.sql']);
  expect(await counts()).toEqual([]);
  const lines: string[] = [];
  const started = await AppContext.load(db, { now, log: (l) => lines.push(l) });
  expect(lines.join('\n')).toMatch(/Replayed 3 dossiers/);
  expect(await read()).toEqual(before.states);
  expect((await db.pool.query("SELECT provisional FROM dossiers WHERE code = 'NY-1'")).rows).toEqual([{ provisional: true }]);
  expect(await counts()).toEqual(before.counts);
  expect(await replayAndCompare(db.pool, started.foldContext())).toMatchObject({ dossiers: 3, firstDivergence: null });
});
