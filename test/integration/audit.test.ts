/**
 * The tamper-evident log: the chain holds over a generated province; editing,
 * deleting or reordering an event breaks it where it happened; the replay
 * finds an edited projection row; an exported package recomputes to the
 * published figures offline, and an edited package does not.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateEvents } from '../../src/sample/sample-events.js';
import { ingestEvents } from '../../src/store/event-store.js';
import { replayAndCompare, verifyChain } from '../../src/store/audit-store.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
let t: TestApp;
let total = 0;
beforeAll(async () => {
  t = await createTestApp();
  const events = generateEvents(t.ctx.catalog, {
    seed: 11,
    dossiers: 120,
    from: Date.parse('2025-01-02T08:00:00+07:00'),
    to: Date.parse('2025-06-01T08:00:00+07:00'),
    until: Date.parse('2025-06-25T08:00:00+07:00'),
  });
  for (let i = 0; i < events.length; i += 200)
    await ingestEvents(t.ctx.db.pool, t.ctx.foldContext(), events.slice(i, i + 200), { actor: { id: '00000000-0000-4000-8000-000000000001', role: 'admin' } });
  total = events.length;
});
afterAll(async () => t.close());

const cli = (args: string[]) => run(process.execPath, ['bin/dunghan.js', ...args], { env: { ...process.env, DATABASE_URL: t.url } });
const sql = (q: string, p: unknown[] = []) => t.ctx.db.pool.query(q, p);

test('the chain holds over the whole log, and the replay equals the stored projection and counters', async () => {
  const chain = await verifyChain(t.ctx.db.pool);
  expect(chain).toEqual({ events: total, head: { pos: total, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }, firstBreak: null });
  const replay = await replayAndCompare(t.ctx.db.pool, t.ctx.foldContext());
  expect(replay).toEqual({ dossiers: 120, firstDivergence: null, counterDivergence: null });
  const { stdout } = await cli(['audit', 'verify', '--json']);
  expect(JSON.parse(stdout)).toMatchObject({ ok: true });
});

// The chain lives beside the log (event_chain: position, the event's seq, its link); the log itself is never updated.
const AT = (pos: string) => `seq = (SELECT seq FROM event_chain WHERE pos = ${pos})`;

test('an edited event breaks the chain at that event', async () => {
  const { rows } = await sql(`SELECT body FROM dossier_events WHERE ${AT('17')}`);
  await sql(`UPDATE dossier_events SET body = jsonb_set(body, '{occurredAt}', to_jsonb('2025-01-01T08:00:00+07:00'::text)) WHERE ${AT('17')}`);
  expect((await verifyChain(t.ctx.db.pool)).firstBreak).toMatchObject({ pos: 17 });
  await expect(cli(['audit', 'verify'])).rejects.toMatchObject({ code: 1, stdout: expect.stringMatching(/chain: BROKEN at position 17/) });
  await sql(`UPDATE dossier_events SET body = $1 WHERE ${AT('17')}`, [rows[0].body]);
  expect((await verifyChain(t.ctx.db.pool)).firstBreak).toBeNull();
});

test('a deleted event, in the middle or at the end, is found', async () => {
  const { rows } = await sql('SELECT e.* FROM dossier_events e JOIN event_chain c ON c.seq = e.seq WHERE c.pos IN (40, $1) ORDER BY c.pos', [total]);
  await sql(`DELETE FROM dossier_events WHERE ${AT('40')}`);
  expect((await verifyChain(t.ctx.db.pool)).firstBreak).toMatchObject({ pos: 40, problem: expect.stringMatching(/missing/) });
  await sql(`DELETE FROM dossier_events WHERE ${AT('$1')}`, [total]);
  await sql(`INSERT INTO dossier_events SELECT * FROM jsonb_populate_record(null::dossier_events, $1)`, [rows[0]]);
  expect((await verifyChain(t.ctx.db.pool)).firstBreak).toMatchObject({ problem: expect.stringMatching(/head/) });
  await sql(`INSERT INTO dossier_events SELECT * FROM jsonb_populate_record(null::dossier_events, $1)`, [rows[1]]);
  expect((await verifyChain(t.ctx.db.pool)).firstBreak).toBeNull();
});

test('a link removed from the chain, or an event slipped into the log behind its back, is found', async () => {
  const { rows } = await sql('SELECT * FROM event_chain WHERE pos = 25');
  await sql('DELETE FROM event_chain WHERE pos = 25');
  expect((await verifyChain(t.ctx.db.pool)).firstBreak).toMatchObject({ pos: 25, problem: expect.stringMatching(/missing/) });
  await sql('INSERT INTO event_chain (pos, seq, hash) VALUES ($1, $2, $3)', [rows[0].pos, rows[0].seq, rows[0].hash]);
  expect((await verifyChain(t.ctx.db.pool)).firstBreak).toBeNull();
  // Inserted straight into the log (not through ingestion, so not queued for the seal): outside the chain.
  const { rows: copy } = await sql(`SELECT * FROM dossier_events WHERE ${AT('30')}`);
  const forged = { ...copy[0], seq: 1_000_000, event_id: '00000000-0000-4000-8000-000000000001' };
  await sql(`INSERT INTO dossier_events SELECT * FROM jsonb_populate_record(null::dossier_events, $1)`, [forged]);
  expect((await verifyChain(t.ctx.db.pool)).firstBreak).toMatchObject({ eventId: forged.event_id, problem: 'an event outside the chain' });
  await sql('DELETE FROM dossier_events WHERE seq = 1000000');
  expect((await verifyChain(t.ctx.db.pool)).firstBreak).toBeNull();
});

test('an edited projection row is the first divergence the replay reports', async () => {
  const { rows } = await sql('SELECT code, due_at FROM dossiers ORDER BY code OFFSET 5 LIMIT 1');
  await sql("UPDATE dossiers SET due_at = due_at + interval '1 day' WHERE code = $1", [rows[0].code]);
  const replay = await replayAndCompare(t.ctx.db.pool, t.ctx.foldContext());
  expect(replay.firstDivergence).toEqual({ code: rows[0].code, columns: ['due_at'] });
  await sql('UPDATE dossiers SET due_at = $2 WHERE code = $1', [rows[0].code, rows[0].due_at]);
  // The replay ran in a transaction that was rolled back: no scratch schema is left.
  expect((await sql("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'audit_scratch'")).rows[0].n).toBe(0);
});

test('an exported package recomputes offline to the published figures; an edited one does not', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-audit-'));
  const file = path.join(dir, 'package.json');
  await cli(['audit', 'export', '--agency', 'SLA.TPSL', '--period', '2025-Q1', '--out', file]);
  const pkg = JSON.parse(await fs.readFile(file, 'utf8'));
  expect(pkg.published.total.received).toBeGreaterThan(0);
  const checked = JSON.parse((await cli(['audit', 'check', file, '--json'])).stdout);
  expect(checked).toMatchObject({ ok: true, brokenLinks: [], differences: [] });
  expect(checked.recomputed.received).toBe(pkg.published.total.received);
  expect(checked.recomputed.finished).toBe(pkg.published.total.finished);

  // Claim an event happened later than it did: its link no longer holds, and a count may move.
  const victim = pkg.events.find((e: { bodyText: string }) => JSON.parse(e.bodyText).type === 'received');
  victim.bodyText = victim.bodyText.replace(/"occurredAt": "2025-/, '"occurredAt": "2024-');
  await fs.writeFile(file, JSON.stringify(pkg));
  await expect(cli(['audit', 'check', file, '--json'])).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining(`"pos": ${victim.pos}`) });
  await fs.rm(dir, { recursive: true });
});
