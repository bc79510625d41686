/**
 * No input breaks the service: every malformed request gets a clear 4xx in
 * the one problem+json shape, and changes nothing. A corpus of the cases that
 * once answered 500, then generated ones (fast-check, bounded runs).
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import request from 'supertest';
import { officeHoursSchema } from '../../src/calendar/office-hours.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(ev.received('FZ-1', '2025-03-17T10:00:00+07:00')).expect(201);
});
afterAll(async () => t.close());

const counts = async () =>
  (
    await t.ctx.db.pool.query(
      'SELECT (SELECT count(*) FROM dossier_events) AS e, (SELECT count(*) FROM dossiers) AS d, (SELECT coalesce(sum(received), 0) FROM daily_counts) AS c',
    )
  ).rows[0];
const auth = { Authorization: '' };
beforeAll(() => {
  auth.Authorization = `Bearer ${t.keys.admin}`;
});

function expectProblem(res: request.Response, status: number, path?: string) {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), type: expect.stringMatching(/^urn:dunghan:problem:/) });
  if (path) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
}

const post = (body: unknown) =>
  request(t.app)
    .post('/api/v1/events')
    .set(auth)
    .send(body as object);

describe('the corpus: each once answered 500', () => {
  test('bad %-encoding in a path parameter is 400; in the session cookie it is no session', async () => {
    expectProblem(await request(t.app).get('/api/v1/dossiers/%E0%A4%A').set(auth), 400);
    const page = await request(t.app).get('/dashboard').set('Cookie', 'dunghan_session=%E0%A4%A');
    expect(page.status).toBe(302);
  });

  test('NUL and lone surrogates in the URL or a body field are 400 naming the field', async () => {
    expectProblem(await request(t.app).get('/api/v1/dossiers/FZ%001').set(auth), 400);
    expectProblem(await request(t.app).get('/api/v1/dossiers?procedure=a%00b').set(auth), 400, 'procedure');
    expectProblem(await request(t.app).get('/api/v1/dossiers/%ED%A0%80').set(auth), 400);
    expectProblem(await post(ev.received('FZ-NUL', '2025-03-17T10:00:00+07:00', { applicant: { name: 'Lò\u0000Văn' } })), 400, 'applicant.name');
    expectProblem(await post(ev.received('FZ-SUR', '2025-03-17T10:00:00+07:00', { applicant: { name: 'Lò \ud800 Văn' } })), 400, 'applicant.name');
  });

  test.each(['0000-01-01T10:00:00+07:00', '9999-12-31T10:00:00+07:00', '2200-01-02T10:00:00+07:00', '1999-12-31T10:00:00+07:00'])(
    'an instant outside 2000–2199 (%s) is 400',
    async (instant) => {
      expectProblem(await post(ev.received('FZ-Y', instant)), 400, 'occurredAt');
      expectProblem(await post(ev.received('FZ-Y', '2025-03-17T10:00:00+07:00', { declaredDueAt: instant })), 400, 'declaredDueAt');
      expectProblem(
        await request(t.app).get(`/api/v1/calendar/deadline?received=${encodeURIComponent(instant)}&duration=1&unit=working-days`),
        400,
        'received',
      );
    },
  );

  test('a receipt whose due instant would fall past the calendar is 422, nothing stored', async () => {
    // 31 Dec 2199 16:00 + 5 working days runs past the calendar's last day.
    const res = await post(ev.received('FZ-END', '2199-12-31T16:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }));
    expectProblem(res, 422);
    expect(res.body.errors[0].message).toMatch(/outside the working-time calendar/);
    expect((await t.ctx.db.pool.query("SELECT count(*)::int AS n FROM dossier_events WHERE dossier_code = 'FZ-END'")).rows[0].n).toBe(0);
  });

  test('a cursor with an absurd date is 400', async () => {
    const cursor = Buffer.from(JSON.stringify(['+275760-09-13T00:00:00.000Z', 'x'])).toString('base64url');
    expectProblem(await request(t.app).get(`/api/v1/dossiers?cursor=${cursor}`).set(auth), 400, 'cursor');
  });

  test('a foreign charset or content encoding is 415; a broken gzip body is 400; a body that is not JSON is 415', async () => {
    expectProblem(await request(t.app).post('/api/v1/events').set(auth).set('Content-Type', 'application/json; charset=latin1').send('{}'), 415);
    for (const encoding of ['compress', 'x-unknown', 'gzip, gzip']) {
      expectProblem(
        await request(t.app).post('/api/v1/events').set(auth).set('Content-Type', 'application/json').set('Content-Encoding', encoding).send(Buffer.from('{}')),
        415,
      );
    }
    expectProblem(
      await request(t.app)
        .post('/api/v1/events')
        .set(auth)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send(Buffer.from('not gzip at all')),
      400,
    );
    // A well-formed gzip body is read (over a real socket: supertest's client re-encodes such bodies).
    const server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as { port: number };
      const gz = await fetch(`http://127.0.0.1:${port}/api/v1/events`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        body: gzipSync(JSON.stringify(ev.received('FZ-GZ', '2025-03-17T10:00:00+07:00'))),
      });
      expect(gz.status).toBe(201);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expectProblem(await request(t.app).post('/api/v1/events').set(auth).set('Content-Type', 'text/plain').send('hello'), 415);
  });

  test('a sign-in form with 2,000 fields is 413', async () => {
    const body = Array.from({ length: 2000 }, (_, i) => `f${i}=x`).join('&');
    expect((await request(t.app).post('/login').set('Content-Type', 'application/x-www-form-urlencoded').send(body)).status).toBe(413);
  });

  test('an unauthenticated large body is refused (401) without being read', async () => {
    const res = await request(t.app)
      .post('/api/v1/events')
      .set('Content-Type', 'application/json')
      .send('[' + '1,'.repeat(2_000_000) + '1]');
    expectProblem(res, 401);
  });

  test('fractional durations: halves of working days are real, other fractions are 400 (never a crash)', async () => {
    expectProblem(await request(t.app).get('/api/v1/calendar/deadline?received=2025-03-17T10:00:00%2B07:00&duration=0.37&unit=working-days'), 400, 'duration');
    expectProblem(await request(t.app).get('/api/v1/calendar/deadline?received=2025-03-17T10:00:00%2B07:00&duration=1.5&unit=calendar-days'), 400, 'duration');
    expectProblem(
      await request(t.app).get('/api/v1/calendar/deadline?received=2025-03-17T10:00:00%2B07:00&duration=1.5&unit=working-days&convention=end-of-day'),
      400,
      'duration',
    );
    // Mon 17 Mar 2025 10:00 + 1.5 working days (12 h): 6 h on Monday (10–12, 13–17), 6 h on Tuesday → 15:00.
    const half = await request(t.app).get('/api/v1/calendar/deadline?received=2025-03-17T10:00:00%2B07:00&duration=1.5&unit=working-days');
    expect(half.body.dueAt).toBe('2025-03-18T15:00:00+07:00');
  });

  test('office hours "24:30" are refused by validation, which does not throw', () => {
    const r = officeHoursSchema.safeParse(['08:00-24:30']);
    expect(r.success).toBe(false);
    expect(officeHoursSchema.safeParse(['08:00-24:00']).success).toBe(true);
  });

  test('unknown query parameters are 400 naming them', async () => {
    expectProblem(await request(t.app).get('/api/v1/dossiers?agncy=SLA').set(auth), 400, 'agncy');
    expectProblem(await request(t.app).get('/api/v1/dossiers/FZ-1?verbose=1').set(auth), 400, 'verbose');
    expectProblem(await request(t.app).get('/api/v1/reports/rates?period=2025&colour=red').set(auth), 400, 'colour');
    expectProblem(await request(t.app).get('/api/v1/calendar/deadline?received=2025-03-17T10:00:00%2B07:00&duration=1&unit=working-days&tz=UTC'), 400, 'tz');
  });

  test('period years outside the calendar are 400', async () => {
    expectProblem(await request(t.app).get('/api/v1/reports/rates?period=0000').set(auth), 400, 'period');
    expectProblem(await request(t.app).get('/api/v1/reports/rates?from=9999-01-01&to=9999-12-31').set(auth), 400);
  });
});

describe('generated requests (fast-check)', () => {
  const weird = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom(
      '',
      '\u0000',
      '\ud800',
      '0000-01-01T00:00:00+07:00',
      '9999-12-31T23:59:59+07:00',
      '2025-02-30T10:00:00+07:00',
      '24:30',
      'NaN',
      '-1',
      '1e309',
      '%E0%A4%A',
      '../../etc/passwd',
      "'; DROP TABLE dossiers; --",
    ),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  );
  const fields = [
    'type',
    'eventId',
    'dossierCode',
    'occurredAt',
    'procedureCode',
    'receivingAgencyCode',
    'channel',
    'applicant',
    'applicant.name',
    'applicant.phone',
    'applicant.idNumber',
    'feeRequired',
    'digitized',
    'declaredDueAt',
    'extra',
  ];

  test('a valid event with one field replaced by anything: never 5xx, and a refused one changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), weird, async (field, value) => {
        const body: Record<string, unknown> = ev.received(`FZG-${Math.random().toString(36).slice(2, 10)}`, '2025-03-17T10:00:00+07:00');
        if (field.startsWith('applicant.')) body.applicant = { ...(body.applicant as object), [field.slice(10)]: value };
        else body[field] = value;
        const before = await counts();
        const res = await post(body);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(await counts()).toEqual(before);
        }
      }),
      { numRuns: 150, seed: 20261123 },
    );
  });

  test('any path and query on the read endpoints: never 5xx', async () => {
    const segment = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }).map((s) => encodeURIComponent(s)),
      fc.constantFrom('%', '%E0%A4%A', '%00', '%ED%A0%80', '..', '%2F', 'FZ-1'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/api/v1/dossiers/',
          '/api/v1/dossiers?cursor=',
          '/api/v1/dossiers?receivedFrom=',
          '/api/v1/reports/rates?period=',
          '/api/v1/calendar/',
          '/api/v1/calendar/deadline?received=',
          '/letters/FZ-1/',
          '/dossiers/',
          '/calendar/',
        ),
        segment,
        async (prefix, seg) => {
          const res = await request(t.app)
            .get(prefix + seg)
            .set(auth);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });
});
