/**
 * Ingestion from several processes at once (issue 13): an ingesting transaction no longer holds the chain's head,
 * so transactions of different processes commit side by side and each process seals what has committed. Every
 * acknowledged event must be committed and sealed, the chain must verify, and the projection must equal a replay
 * of the log; a process that stops between its commit and its seal leaves events that the next seal takes in.
 */
import request from 'supertest';
import { connect, inPipelinedTransaction, type Db } from '../../src/db/database.js';
import { scanDossiers } from '../../src/alerts/scans.js';
import { countUnchained, replayAndCompare, verifyChain } from '../../src/store/audit-store.js';
import { createApiKey, revokeApiKey } from '../../src/store/api-keys.js';
import { ingestEvents } from '../../src/store/event-store.js';
import { dossierEventSchema, type DossierEvent } from '../../src/dossiers/events.js';
import { ev } from '../support/events.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const AGENCY = { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' };
const parsed = (xs: object[]): DossierEvent[] => xs.map((x) => dossierEventSchema.parse(x));

let t: TestApp;
let other: Db; // a second process's pool on the same database
beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2025-11-20T10:00:00+07:00') });
  other = connect(t.url, 6);
});
afterAll(async () => {
  await other.close();
  await t.close();
});

const unsealed = () => countUnchained(t.ctx.db.pool);

test('two processes ingesting the same dossiers at once: every acknowledged event is sealed, the chain verifies, the projection is a replay', async () => {
  const codes = Array.from({ length: 30 }, (_, i) => `MP-${i}`);
  const received = parsed(codes.map((c, i) => ev.received(c, `2025-11-03T0${8 + (i % 2)}:00:00+07:00`, AGENCY)));
  const later = parsed(
    codes.flatMap((c) => [
      ev.of('supplement_requested', c, '2025-11-04T09:00:00+07:00', { reason: 'Thiếu bản sao giấy tờ' }),
      ev.of('supplement_received', c, '2025-11-05T09:00:00+07:00'),
      ev.of('result_ready', c, '2025-11-06T15:00:00+07:00'),
    ]),
  );
  const ctx = t.ctx.foldContext();
  // Each process posts small groups; the second process posts the later events of the dossiers the first receives.
  const groups = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
  await Promise.all(groups(received, 3).map((g, i) => ingestEvents((i % 2 ? other : t.ctx.db).pool, ctx, g)));
  const acknowledged = await Promise.all(groups(later, 3).map((g, i) => ingestEvents((i % 2 ? t.ctx.db : other).pool, ctx, g)));
  expect(acknowledged.flatMap((a) => a.results.map((r) => r.status))).toEqual(later.map(() => 'accepted'));
  // Acknowledged means sealed: nothing is outside the chain once every answer is in.
  expect(await unsealed()).toBe(0);
  const chain = await verifyChain(t.ctx.db.pool);
  expect(chain.firstBreak).toBeNull();
  const { rows } = await t.ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM dossier_events');
  expect(chain.events).toBe(rows[0]!.n);
  expect((await replayAndCompare(t.ctx.db.pool, ctx)).firstDivergence).toBeNull();
  // Positions follow commit order: a dossier's events were committed in the order they were posted.
  const { rows: order } = await t.ctx.db.pool.query<{ code: string; types: string[] }>(
    "SELECT e.dossier_code AS code, array_agg(e.type ORDER BY c.pos) AS types FROM dossier_events e JOIN event_chain c ON c.seq = e.seq WHERE e.dossier_code LIKE 'MP-%' GROUP BY 1",
  );
  expect(order.every((o) => o.types.join() === 'received,supplement_requested,supplement_received,result_ready')).toBe(true);
});

test('a process that stopped between its commit and its seal: the next seal takes its events in, the scans see them', async () => {
  // Received Mon 3 Nov 2025 08:00, 3 working days → due Thu 6 Nov 08:00: overdue at the test's now (20 Nov).
  await ingestEvents(t.ctx.db.pool, t.ctx.foldContext(), parsed([ev.received('CRASH-1', '2025-11-03T08:00:00+07:00', AGENCY)]), { seal: false });
  expect(await unsealed()).toBe(1);
  await t.ctx.db.pool.query(
    "INSERT INTO supervisors (id, agency_code, email, name) VALUES (gen_random_uuid(), 'SLA.P.TOHIEU', 'giamsat@tohieu.example', 'Giám sát')",
  );
  const scan = await scanDossiers(t.ctx.db.pool, 'overdue', { catalog: t.ctx.catalog, calendar: t.ctx.calendar, publicUrl: t.ctx.publicUrl, now: t.ctx.now() });
  expect(await unsealed()).toBe(0);
  const { rows } = await t.ctx.db.pool.query("SELECT recipient FROM alerts WHERE dossier_code = 'CRASH-1' AND kind = 'overdue'");
  expect(rows).toEqual([{ recipient: 'giamsat@tohieu.example' }]);
  expect(scan.alerts).toBeGreaterThan(0);
  expect((await verifyChain(t.ctx.db.pool)).firstBreak).toBeNull();
});

test('over HTTP an event is acknowledged once committed, and sealed moments later with the commits around it', async () => {
  const codes = Array.from({ length: 20 }, (_, i) => `HS-${i}`);
  const answers = await Promise.all(
    codes.map((c) =>
      request(t.app)
        .post('/api/v1/events')
        .set('Authorization', `Bearer ${t.keys.admin}`)
        .send(ev.received(c, '2025-11-03T08:00:00+07:00', AGENCY)),
    ),
  );
  expect(answers.map((a) => a.status)).toEqual(codes.map(() => 201));
  // Committed: every dossier is there at once, whether or not the chain has taken its event in yet.
  const { rows } = await t.ctx.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM dossiers WHERE code LIKE 'HS-%'");
  expect(rows[0]!.n).toBe(20);
  const deadline = Date.now() + 5_000;
  while ((await unsealed()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(await unsealed()).toBe(0);
  expect((await verifyChain(t.ctx.db.pool)).firstBreak).toBeNull();
});

test('a pipelined transaction whose last write fails commits nothing', async () => {
  await t.ctx.db.pool.query('CREATE TABLE pipelined_probe (n int PRIMARY KEY)');
  await expect(
    inPipelinedTransaction(t.ctx.db.pool, async (client) => {
      await client.query('INSERT INTO pipelined_probe VALUES (1)');
      return { result: 'done', last: client.query('INSERT INTO pipelined_probe VALUES (1)') }; // duplicate key
    }),
  ).rejects.toThrow(/duplicate key/);
  expect((await t.ctx.db.pool.query('SELECT * FROM pipelined_probe')).rows).toEqual([]);
  // And one that succeeds commits both statements.
  await inPipelinedTransaction(t.ctx.db.pool, async (client) => {
    await client.query('INSERT INTO pipelined_probe VALUES (1)');
    return { result: null, last: client.query('INSERT INTO pipelined_probe VALUES (2)') };
  });
  expect((await t.ctx.db.pool.query('SELECT n FROM pipelined_probe ORDER BY n')).rows).toEqual([{ n: 1 }, { n: 2 }]);
});

test('a key revoked by another process stops working on a server that remembers keys', async () => {
  const unwatch = await t.ctx.watchChanges();
  try {
    const { key, id } = await createApiKey(t.ctx.db.pool, { role: 'auditor', agencyCodes: ['SLA'], label: 'thu hồi từ tiến trình khác' });
    const get = () => request(t.app).get('/api/v1/dossiers?limit=1').set('Authorization', `Bearer ${key}`);
    expect((await get()).status).toBe(200);
    expect(t.ctx.keyCache).toBeDefined();
    // Revoked through the other process's pool, as `dunghan keys revoke` does: the NOTIFY reaches this process.
    expect(await revokeApiKey(other.pool, id)).toBe(true);
    let status = 200;
    for (let i = 0; i < 50 && status === 200; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await get()).status;
    }
    expect(status).toBe(401);
  } finally {
    await unwatch();
  }
});
