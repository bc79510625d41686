/**
 * The event log by month (migration 080): an existing log converted in place, batch by batch, with every dossier,
 * event and link as before; a month that has ended refuses every write; a resend of an old event is still a
 * duplicate; a backup of several months restores into the same partitions; a month without a partition is created
 * when an event needs it, and the scheduler's job creates the coming months.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { AppContext } from '../../src/app-context.js';
import type { Mailer } from '../../src/alerts/mailer.js';
import { verifyBackup } from '../../src/backup/backup-file.js';
import { connect, inTransaction, type Db } from '../../src/db/database.js';
import { migrate, migrationFiles } from '../../src/db/migrate.js';
import { dossierEventSchema } from '../../src/dossiers/events.js';
import { STATE_VERSION } from '../../src/dossiers/state.js';
import { runJob } from '../../src/jobs/jobs.js';
import { sampleProvince } from '../../src/sample/province.js';
import { replayAndCompare, verifyChain } from '../../src/store/audit-store.js';
import { restoreTables, writeBackup } from '../../src/store/backup-store.js';
import { saveCatalog } from '../../src/store/catalog-store.js';
import { listEventPartitions } from '../../src/store/event-partitions.js';
import { ingestEvents } from '../../src/store/event-store.js';
import { rebuildDossiers } from '../../src/store/rebuild.js';
import { ev } from '../support/events.js';
import { createTestDatabase, type TestDatabase } from '../support/test-app.js';

const AGENCY = { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' };
const lifeOf = (code: string) =>
  [
    ev.received(code, '2025-11-03T08:00:00+07:00', AGENCY),
    ev.of('supplement_requested', code, '2025-11-04T09:00:00+07:00', { reason: 'Thiếu bản sao giấy tờ' }),
    ev.of('supplement_received', code, '2025-11-05T09:00:00+07:00'),
  ].map((e) => dossierEventSchema.parse(e));
const codes = Array.from({ length: 30 }, (_, i) => `M-${String(i).padStart(2, '0')}`);
const now = () => Date.parse('2025-11-20T10:00:00+07:00');

/** The partition's name of the local month (UTC+7) `k` months from the database's now (the clock events are recorded by). */
const monthName = (dbNow: Date, k: number) => {
  const local = new Date(dbNow.getTime() + 7 * 3600_000);
  const index = local.getUTCFullYear() * 12 + local.getUTCMonth() + k;
  return `dossier_events_${Math.floor(index / 12)}_${String((index % 12) + 1).padStart(2, '0')}`;
};

const databases: TestDatabase[] = [];
const dbs: Db[] = [];
afterAll(async () => {
  for (const d of dbs) await d.close();
  for (const d of databases) await d.drop();
});

async function freshDatabase(settings: Record<string, string> = {}): Promise<Db> {
  const database = await createTestDatabase();
  databases.push(database);
  if (Object.keys(settings).length) {
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    const { rows } = await c.query<{ name: string }>('SELECT current_database() AS name');
    for (const [k, v] of Object.entries(settings)) await c.query(`ALTER DATABASE ${rows[0]!.name} SET ${k} = '${v}'`);
    await c.end();
  }
  const db = connect(database.url, 4);
  dbs.push(db);
  return db;
}

test('080: a log of three months is converted in batches; dossiers, events, links and the queue are as before; ended months refuse writes', async () => {
  // Batches of 7 events: 90 events take 13 of them, the last one partial.
  const db = await freshDatabase({ 'dunghan.migration_batch': '7' });
  // The schema before the log's conversion (the last migration before 080), written by the current code through its
  // ingest_open and seal.
  await migrate(db.pool, { through: '073_zalo_tokens.sql' });
  const { agencies, procedures } = sampleProvince();
  await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
  const ctx = await AppContext.load(db, { now });
  for (let b = 0; b < 3; b++)
    // The third batch is left unsealed, as by a process stopped between its commit and its seal.
    await ingestEvents(db.pool, ctx.foldContext(), codes.slice(b * 10, b * 10 + 10).flatMap(lifeOf), { seal: b < 2 });
  // Recorded in three months: M-00…M-09 three months ago, M-10…M-19 two months ago (both ended), the rest now.
  await db.pool.query(`UPDATE dossier_events SET recorded_at = recorded_at - interval '3 months' WHERE dossier_code < 'M-10';
    UPDATE dossier_events SET recorded_at = recorded_at - interval '2 months' WHERE dossier_code >= 'M-10' AND dossier_code < 'M-20'`);
  const q = async (sql: string) => (await db.pool.query(sql)).rows;
  const snapshot = async () => ({
    dossiers: await q('SELECT * FROM dossiers ORDER BY code'),
    counts: await q('SELECT * FROM daily_counts ORDER BY agency_code, day, shard'),
    log: await q('SELECT * FROM dossier_events ORDER BY seq'),
    head: await q('SELECT pos, hash FROM event_chain_head'),
    chain: await q('SELECT pos, seq, hash FROM event_chain ORDER BY pos'),
    queue: await q('SELECT seq FROM unsealed_events ORDER BY seq'),
  });
  const before = await snapshot();
  expect(before.log).toHaveLength(90);
  expect(before.chain).toHaveLength(60);
  expect(before.queue).toHaveLength(30);

  expect((await migrate(db.pool)).filter((m) => m < '081')).toContain('080_event_log_by_month.sql');
  expect(await snapshot()).toEqual(before);
  // Every accepted id with its body's hash, as the log has them.
  expect(await q('SELECT event_id, body_hash FROM event_ids ORDER BY event_id')).toEqual(
    await q('SELECT event_id, body_hash FROM dossier_events ORDER BY event_id'),
  );
  // Each link and queued event knows its event's month.
  expect(await q('SELECT count(*)::int AS n FROM event_chain c JOIN dossier_events e ON e.seq = c.seq AND e.recorded_at = c.recorded_at')).toEqual([{ n: 60 }]);
  expect(await q('SELECT count(*)::int AS n FROM unsealed_events u JOIN dossier_events e ON e.seq = u.seq AND e.recorded_at = u.recorded_at')).toEqual([
    { n: 30 },
  ]);

  // Partitions: every month from the first event's on, the ended ones closed (last month too, though it had none),
  // this month and three ahead open; 30 events in each month that has any.
  const dbNow = (await q('SELECT now() AS t'))[0].t as Date;
  const partitions = await listEventPartitions(db.pool);
  expect(partitions.map((p) => [p.name, p.closed])).toEqual([
    [monthName(dbNow, -3), true],
    [monthName(dbNow, -2), true],
    [monthName(dbNow, -1), true],
    [monthName(dbNow, 0), false],
    [monthName(dbNow, 1), false],
    [monthName(dbNow, 2), false],
    [monthName(dbNow, 3), false],
  ]);
  expect(await q('SELECT tableoid::regclass::text AS name, count(*)::int AS n FROM dossier_events GROUP BY 1 ORDER BY 1')).toEqual([
    { name: monthName(dbNow, -3), n: 30 },
    { name: monthName(dbNow, -2), n: 30 },
    { name: monthName(dbNow, 0), n: 30 },
  ]);

  // The chain holds (the queued 30 sealed first, at positions 61–90), and replaying the log gives every dossier.
  const started = await AppContext.load(db, { now });
  expect(await verifyChain(db.pool)).toMatchObject({ events: 90, head: { pos: 90 }, firstBreak: null });
  expect(await replayAndCompare(db.pool, started.foldContext())).toEqual({ dossiers: 30, firstDivergence: null, counterDivergence: null });

  // An ended month is read-only: no row changed, removed or added, the partition not emptied.
  const readOnly = /month that has ended: it is read-only/;
  await expect(db.pool.query("UPDATE dossier_events SET body = body WHERE dossier_code = 'M-00'")).rejects.toThrow(readOnly);
  await expect(db.pool.query("DELETE FROM dossier_events WHERE dossier_code = 'M-15'")).rejects.toThrow(readOnly);
  await expect(
    db.pool.query(`INSERT INTO dossier_events (event_id, dossier_code, type, occurred_at, body, body_hash, recorded_at)
                   SELECT gen_random_uuid(), 'M-15', type, occurred_at, body, body_hash, recorded_at FROM dossier_events WHERE dossier_code = 'M-15' LIMIT 1`),
  ).rejects.toThrow(readOnly);
  await expect(db.pool.query(`TRUNCATE ${monthName(dbNow, -3)}`)).rejects.toThrow(readOnly);
  expect(await q('SELECT count(*)::int AS n FROM dossier_events')).toEqual([{ n: 90 }]);

  // A resend of an event of an ended month is a duplicate (its id is in event_ids); another body under its id a conflict.
  const old = dossierEventSchema.parse((await q("SELECT body FROM dossier_events WHERE dossier_code = 'M-01' AND type = 'received'"))[0].body);
  const again = await ingestEvents(db.pool, started.foldContext(), [old]);
  expect(again.results).toEqual([{ eventId: old.eventId, status: 'duplicate' }]);
  const altered = dossierEventSchema.parse({ ...old, digitized: true });
  await expect(ingestEvents(db.pool, started.foldContext(), [altered])).rejects.toMatchObject({ status: 409 });
  // This month takes new events: the dossier of an old month goes on.
  const withdrawn = dossierEventSchema.parse(ev.of('withdrawn', 'M-01', '2025-11-06T09:00:00+07:00', { reason: 'Công dân rút hồ sơ' }));
  expect((await ingestEvents(db.pool, started.foldContext(), [withdrawn])).results).toEqual([{ eventId: withdrawn.eventId, status: 'accepted' }]);
  expect(await q(`SELECT tableoid::regclass::text AS name FROM dossier_events WHERE event_id = '${withdrawn.eventId}'`)).toEqual([
    { name: monthName(dbNow, 0) },
  ]);
  expect(await q("SELECT status, state_version FROM dossiers WHERE code = 'M-01'")).toEqual([{ status: 'withdrawn', state_version: STATE_VERSION }]);

  // A backup of the three months restores into the same months, the ended ones closed again.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dunghan-partitions-'));
  try {
    const file = path.join(dir, 'three-months.dunghan.gz');
    await writeBackup(db.pool, file, { dunghan: 'test', stateVersion: STATE_VERSION });
    const verified = await verifyBackup(file, await migrationFiles());
    expect(verified.eventMonths).toEqual([-3, -2, 0].map((k) => monthName(dbNow, k).slice(15).replace('_', '-')));
    const target = await freshDatabase();
    await migrate(target.pool);
    await restoreTables(target.pool, file, verified.manifest, verified.eventMonths);
    const restored = await AppContext.load(target, { now });
    await rebuildDossiers(target.pool, restored.foldContext());
    expect((await target.pool.query('SELECT * FROM dossiers ORDER BY code')).rows).toEqual(await q('SELECT * FROM dossiers ORDER BY code'));
    expect(await verifyChain(target.pool)).toMatchObject({ events: 91, firstBreak: null });
    // The months the file has events in (not the empty one between): a restore creates what the log needs.
    expect((await listEventPartitions(target.pool)).filter((p) => p.closed).map((p) => p.name)).toEqual([monthName(dbNow, -3), monthName(dbNow, -2)]);
    expect((await target.pool.query('SELECT count(*)::int AS n FROM event_ids')).rows).toEqual([{ n: 91 }]);
    await expect(target.pool.query("DELETE FROM dossier_events WHERE dossier_code = 'M-00'")).rejects.toThrow(readOnly);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a month without a partition is created when an event needs it, and the scheduler job creates the months ahead', async () => {
  const db = await freshDatabase();
  await migrate(db.pool);
  const { agencies, procedures } = sampleProvince();
  await inTransaction(db.pool, (c) => saveCatalog(c, agencies, procedures));
  const ctx = await AppContext.load(db, { now });
  const dbNow = (await db.pool.query<{ t: Date }>('SELECT now() AS t')).rows[0]!.t;
  // A new database has this month and three ahead, none closed.
  expect((await listEventPartitions(db.pool)).map((p) => [p.name, p.closed])).toEqual([0, 1, 2, 3].map((k) => [monthName(dbNow, k), false]));

  // As if the scheduler had never run this month: no partition for it. The first batch creates it and is retried.
  await db.pool.query(`DROP TABLE ${monthName(dbNow, 0)}`);
  const result = await ingestEvents(db.pool, ctx.foldContext(), lifeOf('N-1'));
  expect(result.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
  expect((await db.pool.query('SELECT tableoid::regclass::text AS name, count(*)::int AS n FROM dossier_events GROUP BY 1')).rows).toEqual([
    { name: monthName(dbNow, 0), n: 3 },
  ]);
  expect(await verifyChain(db.pool)).toMatchObject({ events: 3, firstBreak: null });

  // The job: the missing month ahead created, nothing to close (no month has ended since the database was made).
  await db.pool.query(`DROP TABLE ${monthName(dbNow, 3)}`);
  const job = () => runJob('event-partitions', { ctx, mailer: {} as Mailer });
  expect(await job()).toEqual({ partitionsCreated: 1, monthsClosed: 0 });
  expect(await job()).toEqual({ partitionsCreated: 0, monthsClosed: 0 });
  expect((await listEventPartitions(db.pool)).map((p) => p.name)).toEqual([0, 1, 2, 3].map((k) => monthName(dbNow, k)));

  // A month that ended long ago and is still open (as if the job had been stopped since): the job closes it and
  // freezes it, so later vacuums skip it (its relfrozenxid is as recent as the freeze).
  await db.pool.query("SELECT create_event_partition('2026-01-15T12:00:00+07:00')");
  expect(await job()).toEqual({ partitionsCreated: 0, monthsClosed: 1 });
  expect((await listEventPartitions(db.pool)).filter((p) => p.closed).map((p) => p.name)).toEqual(['dossier_events_2026_01']);
  const { rows: frozen } = await db.pool.query("SELECT age(relfrozenxid) < 10 AS recent FROM pg_class WHERE relname = 'dossier_events_2026_01'");
  expect(frozen).toEqual([{ recent: true }]);

  // Months are stepped in local time whatever the session's zone: in UTC the local 1st of March is 28 February 17:00,
  // and a month added to it would land on 28 March. January to July 2031: seven months, each once.
  const client = await db.pool.connect();
  try {
    await client.query("SET TimeZone = 'UTC'");
    const { rows } = await client.query("SELECT create_event_partitions('2031-01-15T12:00:00+07:00', '2031-07-15T12:00:00+07:00') AS n");
    expect(rows).toEqual([{ n: 7 }]);
  } finally {
    await client.query('RESET TimeZone');
    client.release();
  }
  expect((await listEventPartitions(db.pool)).map((p) => p.name).filter((n) => n.includes('_2031_'))).toEqual(
    ['01', '02', '03', '04', '05', '06', '07'].map((m) => `dossier_events_2031_${m}`),
  );
});
