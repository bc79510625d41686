import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppContext } from '../../src/app-context.js';
import { dayFromIsoDate } from '../../src/calendar/local-time.js';
import { promisify } from 'node:util';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

const run = promisify(execFile);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('public calendar API', () => {
  test('GET /api/v1/calendar/2024 lists the 29 April swap and the Saturday 4 May worked, without a key', async () => {
    const res = await request(t.app).get('/api/v1/calendar/2024');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2024, provisional: false, lunarNewYear: '2024-02-10', hungKings: '2024-04-18' });
    expect(res.body.daysOff.find((d: { date: string }) => d.date === '2024-04-29').source).toMatch(/2450\/VPCP-KGVX/);
    expect(res.body.workingWeekendDays).toEqual([
      {
        date: '2024-05-04',
        kind: 'makeup',
        name: 'Làm bù cho ngày 29/4/2024',
        source: 'Công văn 2450/VPCP-KGVX; Thông báo 1570/TB-LĐTBXH',
        confirmed: true,
        origin: 'official',
      },
    ]);
  });

  test('GET /api/v1/calendar/deadline explains a deadline across Tết 2025', async () => {
    const res = await request(t.app).get('/api/v1/calendar/deadline').query({ received: '2025-01-24T10:00:00+07:00', duration: 5, unit: 'working-days' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clockStartsAt: '2025-01-24T10:00:00+07:00', dueAt: '2025-02-07T10:00:00+07:00', provisional: false });
    expect(res.body.skipped).toHaveLength(9);
  });

  test('an agency brings its own office hours (phường Mộc Châu opens 07:30–11:30, 13:30–17:30)', async () => {
    // Received Friday 21 Mar 2025 at 17:15, inside Mộc Châu's hours: 15 min on Friday, 7 h 45 min on Monday
    // (07:30–11:30 = 4 h, 13:30–17:15 = 3 h 45) → due Monday 24 Mar 17:15.
    const res = await request(t.app)
      .get('/api/v1/calendar/deadline')
      .query({ received: '2025-03-21T17:15:00+07:00', duration: 1, unit: 'working-days', agency: 'SLA.P.MOCCHAU.TTPV' });
    expect(res.body).toMatchObject({ clockStartsAt: '2025-03-21T17:15:00+07:00', dueAt: '2025-03-24T17:15:00+07:00' });
    // The same receipt at the default hours starts Monday 08:00.
    const plain = await request(t.app).get('/api/v1/calendar/deadline').query({ received: '2025-03-21T17:15:00+07:00', duration: 1, unit: 'working-days' });
    expect(plain.body.clockStartsAt).toBe('2025-03-24T08:00:00+07:00');
  });

  test('bad input is 400 with the fields named', async () => {
    const res = await request(t.app).get('/api/v1/calendar/deadline').query({ received: '24/01/2025', duration: -1, unit: 'weeks' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((i: { path: string }) => i.path).sort()).toEqual(['duration', 'received', 'unit']);
    expect((await request(t.app).get('/api/v1/calendar/1899')).status).toBe(400);
  });

  test('GET /api/v1/calendar/2026.ics is an iCalendar feed with the make-up Saturdays', async () => {
    const res = await request(t.app).get('/api/v1/calendar/2026.ics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/calendar/);
    const text = res.text;
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text).toContain('DTSTART;VALUE=DATE:20260102\r\n');
    expect(text).toContain('DTSTART;VALUE=DATE:20260110\r\n');
    expect(text).toMatch(/SUMMARY:Làm việc: Làm bù cho ngày 2\/1\/2026/);
    // Every physical line fits in 75 octets (RFC 5545 §3.1).
    expect(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
  });
});

describe('calendar imports (admin)', () => {
  // A hypothetical 2028 announcement: Tết off Thu 27 Jan – Thu 3 Feb, Saturday 12 Feb worked.
  const tet2028 = ['2028-01-27', '2028-01-28', '2028-01-31', '2028-02-01', '2028-02-02', '2028-02-03'];
  const file2028 = {
    year: 2028,
    note: 'test announcement',
    days: [
      ...tet2028.map((date) => ({ date, kind: 'holiday', name: 'Tết Nguyên đán Mậu Thân', source: 'Thông báo thử nghiệm 1/TB-TEST', confirmed: true })),
      { date: '2028-02-12', kind: 'makeup', name: 'Làm bù', source: 'Thông báo thử nghiệm 1/TB-TEST', confirmed: true },
    ],
  };
  const admin = () => t.keys.admin;

  test('only an admin may import; a bad file is 400 naming every problem and changes nothing', async () => {
    const asCounter = await request(t.app).post('/api/v1/calendar/import').set('Authorization', `Bearer ${t.keys.counter}`).send(file2028);
    expect(asCounter.status).toBe(403);
    const bad = await request(t.app)
      .post('/api/v1/calendar/import')
      .set('Authorization', `Bearer ${admin()}`)
      .send({
        year: 2028,
        days: [
          { date: '2028-02-31', kind: 'holiday', name: 'x', source: 'x', confirmed: true },
          { date: '2028-02-17', kind: 'makeup', name: 'Thứ Năm', source: '', confirmed: true },
          { date: '2029-01-01', kind: 'feast', name: 'x', source: 's', confirmed: true },
        ],
      });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['days[0].date', 'days[1].source', 'days[1].kind', 'days[2].kind', 'days[2].date']),
    );
    const legacy = await request(t.app)
      .put('/api/v1/calendar/2028')
      .set('Authorization', `Bearer ${admin()}`)
      .send({ daysOff: [{ from: '2028-02-31', name: 'x', source: '' }], workingWeekendDays: [{ date: '2028-02-17', name: 'Thứ Năm', source: 's' }] });
    expect(legacy.status).toBe(400);
    expect(legacy.body.errors.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['daysOff[0].from', 'daysOff[0].source', 'workingWeekendDays[0].date']),
    );
    expect((await request(t.app).get('/api/v1/calendar/2028')).body.origin).toBe('statutory');
    expect(Number((await t.ctx.db.pool.query('SELECT count(*) AS n FROM calendar_revisions')).rows[0].n)).toBe(0);
  });

  test('a dry run previews the changed days and the open dossiers whose due moves; applying records a revision every process sees', async () => {
    // Received Fri 21 Jan 2028 09:00 with 3 working days. Statutory fallback: Tết 2028 = Wed 26 Jan, days off
    // Mon 24 – Fri 28 Jan (the eve Tue 25, lunar 1–4 Wed 26 – Sat 29, the Saturday moved back to Mon 24).
    // Fri 21 09:00–17:00 = 7 h; Mon 31 → 15 h; Tue 1 Feb → 23 h; 1 h on Wed 2 Feb → 09:00. Provisional.
    expect(
      (
        await request(t.app)
          .post('/api/v1/events')
          .set('Authorization', `Bearer ${admin()}`)
          .send(ev.received('CAL-2028', '2028-01-21T09:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }))
      ).status,
    ).toBe(201);
    const dossier = async () => (await request(t.app).get('/api/v1/dossiers/CAL-2028').set('Authorization', `Bearer ${admin()}`)).body;
    const before = await dossier();
    expect(before).toMatchObject({ dueAt: '2028-02-02T09:00:00+07:00', provisional: true });
    // The dossier says which entries make it provisional: the predicted Tết days it steps over.
    expect(before.provisionalEntries.map((e: { date: string }) => e.date)).toEqual(['2028-01-24', '2028-01-25', '2028-01-26', '2028-01-27', '2028-01-28']);

    // A second process: its own context over the same database, following imports.
    const other = await AppContext.load(t.ctx.db);
    const unwatch = await other.watchChanges();
    try {
      const preview = await request(t.app).post('/api/v1/calendar/import?dryRun=true').set('Authorization', `Bearer ${admin()}`).send(file2028);
      expect(preview.status).toBe(200);
      // With the file: Fri 21: 7 h; Mon 24 → 15 h; Tue 25 → 23 h; 1 h on Wed 26 → 09:00.
      expect(preview.body.moved).toEqual([
        { code: 'CAL-2028', agencyCode: 'SLA.P.TOHIEU.TTPV', oldDueAt: '2028-02-02T09:00:00+07:00', newDueAt: '2028-01-26T09:00:00+07:00' },
      ]);
      const changed = Object.fromEntries(preview.body.changes.map((c: { date: string; workingChanges: boolean }) => [c.date, c.workingChanges]));
      expect(changed).toMatchObject({
        '2028-01-24': true,
        '2028-01-25': true,
        '2028-01-26': true,
        '2028-01-27': false,
        '2028-01-31': true,
        '2028-02-12': true,
      });
      expect((await dossier()).dueAt).toBe('2028-02-02T09:00:00+07:00');

      const applied = await request(t.app).post('/api/v1/calendar/import').set('Authorization', `Bearer ${admin()}`).send(file2028);
      expect(applied.status).toBe(200);
      expect(applied.body).toMatchObject({ dryRun: false, revision: 1, refolded: 1 });
      const after = await dossier();
      expect(after).toMatchObject({ dueAt: '2028-01-26T09:00:00+07:00', provisional: false });
      expect(after.calendarVersion).not.toBe(before.calendarVersion);
      expect((await request(t.app).get('/api/v1/calendar/2028')).body.workingWeekendDays.map((d: { date: string }) => d.date)).toEqual(['2028-02-12']);
      const { rows } = await t.ctx.db.pool.query('SELECT year, applied_by, summary FROM calendar_revisions');
      expect(rows).toEqual([{ year: 2028, applied_by: 'test admin', summary: { changes: expect.any(Number), moved: 1, affected: 1 } }]);
      // The other process picked the revision up through NOTIFY.
      for (let i = 0; i < 50 && other.calendar.revision < 1; i++) await new Promise((r) => setTimeout(r, 50));
      expect(other.calendar.version).toBe(t.ctx.calendar.version);
      expect(other.calendar.isWorkingDay(dayFromIsoDate('2028-02-12'))).toBe(true);
    } finally {
      await unwatch();
    }
  });

  test('PUT /calendar/:year is the same import, applied at once', async () => {
    const res = await request(t.app)
      .put('/api/v1/calendar/2029')
      .set('Authorization', `Bearer ${admin()}`)
      .send({ days: [{ date: '2029-01-01', kind: 'holiday', name: 'Tết Dương lịch', source: 'test', confirmed: true }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2029, origin: 'official', revision: 2 });
  });
});

describe('CLI', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, ['bin/dunghan.js', ...args], { env: { ...process.env, DATA_DIR: '/nonexistent-dunghan-data', ...env } });

  test('`dunghan calendar --year 2025 --json` prints the stable shape', async () => {
    const { stdout } = await cli(['calendar', '--year', '2025', '--json']);
    const y = JSON.parse(stdout);
    expect(Object.keys(y).sort()).toEqual([
      'daysOff',
      'hungKings',
      'lunarNewYear',
      'note',
      'origin',
      'provisional',
      'unconfirmed',
      'workingWeekendDays',
      'year',
    ]);
    expect(y.daysOff.map((d: { date: string }) => d.date)).toContain('2025-05-02');
    expect(y.workingWeekendDays).toEqual([expect.objectContaining({ date: '2025-04-26' })]);
  });

  test('`dunghan deadline … --json` prints clockStartsAt, dueAt, provisional, skipped', async () => {
    const { stdout } = await cli(['deadline', '--received', '2025-01-24T10:00:00+07:00', '--duration', '5', '--unit', 'working-days', '--json']);
    const r = JSON.parse(stdout);
    expect(r).toMatchObject({ clockStartsAt: '2025-01-24T10:00:00+07:00', dueAt: '2025-02-07T10:00:00+07:00', provisional: false });
    expect(r.skipped[0]).toEqual({ date: '2025-01-25', reason: 'Tết Nguyên đán Ất Tỵ' });
  });

  test('`dunghan deadline` across 24 Nov 2026 (Vietnamese Culture Day): Mon 23 Nov 10:00 + 1 working day → Wed 25 Nov 10:00', async () => {
    const { stdout } = await cli(['deadline', '--received', '2026-11-23T10:00:00+07:00', '--duration', '1', '--unit', 'working-days', '--json']);
    expect(JSON.parse(stdout)).toMatchObject({
      dueAt: '2026-11-25T10:00:00+07:00',
      provisional: false,
      skipped: [{ date: '2026-11-24', reason: 'Ngày Văn hóa Việt Nam' }],
    });
  });

  test('`dunghan calendar import` previews with --dry-run, refuses a bad file with exit 2, applies otherwise', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-cal-'));
    const good = path.join(dir, 'VN-2030.json');
    await fs.writeFile(
      good,
      JSON.stringify({
        year: 2030,
        days: [{ date: '2030-02-01', kind: 'holiday', name: 'Tết Nguyên đán Canh Tuất', source: 'Thông báo thử nghiệm', confirmed: true }],
      }),
    );
    const bad = path.join(dir, 'bad.json');
    await fs.writeFile(bad, JSON.stringify({ year: 2030, days: [{ date: '2031-02-01', kind: 'party', name: 'x', confirmed: true }] }));
    const env = { DATABASE_URL: t.url };
    await expect(cli(['calendar', 'import', bad], env)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/days\.0\.kind[\s\S]*days\.0\.source|days\.0\.source[\s\S]*days\.0\.kind/),
    });
    const dry = await cli(['calendar', 'import', good, '--dry-run', '--json'], env);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, year: 2030 });
    expect((await t.ctx.db.pool.query('SELECT count(*) AS n FROM calendar_years WHERE year = 2030')).rows[0].n).toBe(0);
    const applied = await cli(['calendar', 'import', good, '--json'], env);
    expect(JSON.parse(applied.stdout)).toMatchObject({ dryRun: false, year: 2030 });
    expect((await t.ctx.db.pool.query('SELECT count(*) AS n FROM calendar_years WHERE year = 2030')).rows[0].n).toBe(1);
    await fs.rm(dir, { recursive: true });
  });

  test('bad arguments exit with code 2 and say what is wrong', async () => {
    await expect(cli(['deadline', '--received', 'soon', '--duration', '5', '--unit', 'working-days'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--received/),
    });
    await expect(cli(['calendar'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--year/) });
    await expect(cli(['frobnicate'])).rejects.toMatchObject({ code: 2 });
  });

  test('`dunghan keys create` prints a working key once; an unknown agency is exit 2', async () => {
    const { stdout } = await cli(['keys', 'create', '--role', 'auditor', '--agency', 'SLA.TPSL'], { DATABASE_URL: t.url });
    const key = stdout.trim();
    expect(key).toMatch(/^dh_auditor_/);
    expect((await request(t.app).get('/api/v1/dossiers').set('Authorization', `Bearer ${key}`)).status).toBe(200);
    await expect(cli(['keys', 'create', '--role', 'auditor', '--agency', 'NOPE'], { DATABASE_URL: t.url })).rejects.toMatchObject({ code: 2 });
    await expect(cli(['keys', 'create', '--role', 'king', '--agency', 'SLA'], { DATABASE_URL: t.url })).rejects.toMatchObject({ code: 2 });
  });
});

test('the OpenAPI document is generated from the zod schemas', async () => {
  const res = await request(t.app).get('/api/v1/openapi.json');
  expect(res.status).toBe(200);
  expect(Object.keys(res.body.paths)).toEqual(
    expect.arrayContaining(['/api/v1/events', '/api/v1/dossiers', '/api/v1/reports/rates', '/api/v1/calendar/deadline']),
  );
  const types = res.body.components.schemas.DossierEvent.oneOf.map((o: { properties: { type: { const: string } } }) => o.properties.type.const);
  expect(types).toEqual([
    'received',
    'assigned',
    'supplement_requested',
    'supplement_received',
    'apology_issued',
    'apology_delivered',
    'payment_recorded',
    'result_ready',
    'returned',
    'refused',
    'withdrawn',
    'closed',
    'rated',
    'complaint_received',
    'consent_given',
    'consent_withdrawn',
    'late_explained',
    'explanation_acknowledged',
    'explanation_returned',
    'letter_drafted',
    'letter_submitted',
    'letter_approved',
    'letter_returned',
    'letter_signed',
    'voided',
    'corrected',
  ]);
});
