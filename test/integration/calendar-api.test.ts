import { execFile } from 'node:child_process';
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
    expect(res.body.workingWeekendDays).toEqual([{ date: '2024-05-04', name: 'Làm bù cho ngày 29/4/2024', source: 'Công văn 2450/VPCP-KGVX' }]);
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
    const res = await request(t.app).get('/api/v1/calendar/deadline').query({ received: '2025-03-21T17:15:00+07:00', duration: 1, unit: 'working-days', agency: 'SLA.P.MOCCHAU.TTPV' });
    expect(res.body).toMatchObject({ clockStartsAt: '2025-03-21T17:15:00+07:00', dueAt: '2025-03-24T17:15:00+07:00' });
    // The same receipt at the default hours starts Monday 08:00.
    const plain = await request(t.app).get('/api/v1/calendar/deadline').query({ received: '2025-03-21T17:15:00+07:00', duration: 1, unit: 'working-days' });
    expect(plain.body.clockStartsAt).toBe('2025-03-24T08:00:00+07:00');
  });

  test('bad input is 400 with the fields named', async () => {
    const res = await request(t.app).get('/api/v1/calendar/deadline').query({ received: '24/01/2025', duration: -1, unit: 'weeks' });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['duration', 'received', 'unit']);
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

describe('PUT /api/v1/calendar/:year (admin)', () => {
  const schedule2027 = {
    confirmed: true,
    daysOff: [
      { from: '2027-01-01', name: 'Tết Dương lịch', source: 'Thông báo thử nghiệm 1/TB-TEST' },
      { from: '2027-02-04', to: '2027-02-12', name: 'Tết Nguyên đán Đinh Mùi', source: 'Thông báo thử nghiệm 1/TB-TEST' },
    ],
    workingWeekendDays: [{ date: '2027-02-20', name: 'Làm bù', source: 'Thông báo thử nghiệm 1/TB-TEST' }],
  };

  test('only an admin may load a schedule; a bad one is 400 and changes nothing', async () => {
    const asCounter = await request(t.app).put('/api/v1/calendar/2027').set('Authorization', `Bearer ${t.keys.counter}`).send(schedule2027);
    expect(asCounter.status).toBe(403);
    const bad = await request(t.app)
      .put('/api/v1/calendar/2027')
      .set('Authorization', `Bearer ${t.keys.admin}`)
      .send({ daysOff: [{ from: '2027-02-31', name: 'x', source: '' }], workingWeekendDays: [{ date: '2027-02-17', name: 'Thứ Tư', source: 's' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['daysOff[0].from', 'daysOff[0].source', 'workingWeekendDays[0].date']));
    expect((await request(t.app).get('/api/v1/calendar/2027')).body.provisional).toBe(true);
  });

  test('a loaded schedule takes effect at once, and open deadlines in that year move with it', async () => {
    // Received Wed 3 Feb 2027 09:00 with 3 working days. Statutory fallback: Tết 2027 = 6 Feb;
    // days off Fri 5, Mon 8, Tue 9 and compensation Wed 10, Thu 11 → Thu 4, Fri 12, Mon 15 → due Mon 15 Feb 09:00… provisional.
    const admin = t.keys.admin;
    expect((await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${admin}`).send(ev.received('CAL-2027', '2027-02-03T09:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }))).status).toBe(201);
    const before = (await request(t.app).get('/api/v1/dossiers/CAL-2027').set('Authorization', `Bearer ${admin}`)).body;
    expect(before.provisional).toBe(true);

    const res = await request(t.app).put('/api/v1/calendar/2027').set('Authorization', `Bearer ${admin}`).send(schedule2027);
    expect(res.status).toBe(200);
    expect(res.body.provisional).toBe(false);
    expect(res.body.dossiersRecomputed).toBeGreaterThanOrEqual(1);

    // Loaded: off Thu 4 – Fri 12 Feb, Saturday 20 Feb worked. Wed 3 Feb 09:00–17:00 = 7 h;
    // Mon 15 → 15 h, Tue 16 → 23 h, 1 h on Wed 17 → 09:00.
    const after = (await request(t.app).get('/api/v1/dossiers/CAL-2027').set('Authorization', `Bearer ${admin}`)).body;
    expect(after.dueAt).toBe('2027-02-17T09:00:00+07:00');
    expect(after.provisional).toBe(false);
    expect(after.calendarVersion).not.toBe(before.calendarVersion);
    expect((await request(t.app).get('/api/v1/calendar/2027')).body.workingWeekendDays.map((d: { date: string }) => d.date)).toEqual(['2027-02-20']);
  });
});

describe('CLI', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, ['bin/dunghan.js', ...args], { env: { ...process.env, DATA_DIR: '/nonexistent-dunghan-data', ...env } });

  test('`dunghan calendar --year 2025 --json` prints the stable shape', async () => {
    const { stdout } = await cli(['calendar', '--year', '2025', '--json']);
    const y = JSON.parse(stdout);
    expect(Object.keys(y).sort()).toEqual(['daysOff', 'hungKings', 'lunarNewYear', 'provisional', 'workingWeekendDays', 'year']);
    expect(y.daysOff.map((d: { date: string }) => d.date)).toContain('2025-05-02');
    expect(y.workingWeekendDays).toEqual([expect.objectContaining({ date: '2025-04-26' })]);
  });

  test('`dunghan deadline … --json` prints clockStartsAt, dueAt, provisional, skipped', async () => {
    const { stdout } = await cli(['deadline', '--received', '2025-01-24T10:00:00+07:00', '--duration', '5', '--unit', 'working-days', '--json']);
    const r = JSON.parse(stdout);
    expect(r).toMatchObject({ clockStartsAt: '2025-01-24T10:00:00+07:00', dueAt: '2025-02-07T10:00:00+07:00', provisional: false });
    expect(r.skipped[0]).toEqual({ date: '2025-01-25', reason: 'Tết Nguyên đán Ất Tỵ' });
  });

  test('bad arguments exit with code 2 and say what is wrong', async () => {
    await expect(cli(['deadline', '--received', 'soon', '--duration', '5', '--unit', 'working-days'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--received/) });
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
  expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/events', '/api/v1/dossiers', '/api/v1/reports/rates', '/api/v1/calendar/deadline']));
  const types = res.body.components.schemas.DossierEvent.oneOf.map((o: { properties: { type: { const: string } } }) => o.properties.type.const);
  expect(types).toEqual(['received', 'assigned', 'supplement_requested', 'supplement_received', 'apology_issued', 'payment_recorded', 'result_ready', 'returned', 'refused', 'withdrawn']);
});
