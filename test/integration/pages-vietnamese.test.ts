/**
 * Issue 28 item 7: the pages speak Vietnamese. An error on a page says what went wrong in Vietnamese, under the
 * header the person signed in with; a period typed the Vietnamese way is understood; staff find dossiers by a code
 * fragment, the applicant's name (with or without tones) or phone, and an auditor by code only; the action queue
 * lists a dossier once; agencies with the same name are told apart by their parent.
 *
 * Worked by hand at Thu 20 Nov 2025 10:00. Đăng ký tạm trú (1.004194) takes 3 working days.
 * - OVER-1, received Mon 10 Nov 08:00 at Tô Hiệu's centre: due Thu 13 Nov 08:00, overdue, no apology: "late without an
 *   apology" (and overdue: listed once, in the first).
 * - SOON-2, received Tue 18 Nov 09:00: due Fri 21 Nov 09:00, within 1 working day: due soon.
 * - NAME-3, received Wed 19 Nov 09:00, applicant "Nguyễn Thị Đào", phone +84 987 654 321.
 */
import fs from 'node:fs';
import request from 'supertest';
import { ev } from '../support/events.js';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';

const AGENCY = { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' };
let t: TestApp;
const cookies: Record<string, string> = {};
const page = (path: string, who: 'admin' | 'auditor' | 'counter' = 'admin') =>
  request(t.app).get(path).set('Cookie', `dunghan_session=${cookies[who]}`).set('Accept', 'text/html');

beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2025-11-20T10:00:00+07:00') });
  const post = async (e: object) =>
    expect((await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(e)).status).toBe(201);
  await post(ev.received('OVER-1', '2025-11-10T08:00:00+07:00', AGENCY));
  await post(ev.received('SOON-2', '2025-11-18T09:00:00+07:00', AGENCY));
  await post(ev.received('NAME-3', '2025-11-19T09:00:00+07:00', { ...AGENCY, applicant: { name: 'Nguyễn Thị Đào', phone: '+84 987 654 321' } }));
  for (const who of ['admin', 'auditor', 'counter'] as const) cookies[who] = await signIn(t.app, t.keys[who]);
});
afterAll(async () => t.close());

/** Attribute values as the browser reads them (Handlebars writes = as &#x3D; and & as &amp;). */
const decoded = (html: string) => html.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
/** The text a person reads, tags removed. */
const words = (html: string) => html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ');

describe('errors on pages are in Vietnamese, under the signed-in header', () => {
  test('a period not started: what and from when, in Vietnamese; no English sentence', async () => {
    const res = await page('/dashboard?period=2027');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Kỳ báo cáo 2027 chưa bắt đầu (bắt đầu từ Thứ Sáu, 01/01/2027)');
    expect(words(res.text)).not.toMatch(/has not started|period|Bad Request/);
    // The header is kept: who is signed in, and a logout that carries its token.
    expect(res.text).toMatch(/id="signed-in"/);
    expect(res.text).toMatch(/<input type="hidden" name="_csrf" value="[A-Za-z0-9_-]{43}">/);
  });

  test('a period that cannot be read names the field and the accepted forms', async () => {
    const res = await page('/dashboard?period=Qu%C3%BD%205%2F2025');
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<b>Kỳ báo cáo<\/b>: không đọc được; có thể nhập [^<]*Quý 3\/2025/);
    expect(words(res.text)).not.toMatch(/expected|invalid/i);
  });

  test('an unknown address keeps the header; an unknown dossier says so in Vietnamese', async () => {
    const missing = await page('/khong-co-trang-nay');
    expect(missing.status).toBe(404);
    expect(missing.text).toMatch(/id="signed-in"/);
    expect(words(missing.text)).not.toMatch(/No route/);
    const dossier = await page('/dossiers/KHONG-CO');
    expect(dossier.status).toBe(404);
    expect(dossier.text).toContain('Không tìm thấy hồ sơ có mã này');
  });

  test('a page the role may not open: the refusal in Vietnamese, header kept', async () => {
    const res = await page('/admin/users', 'auditor');
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/id="signed-in"/);
    expect(res.text).toContain('Trang này dành cho');
  });

  test('the API keeps its English problem document', async () => {
    const res = await request(t.app).get('/api/v1/reports/rates?period=2027').set('Authorization', `Bearer ${t.keys.admin}`);
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('The period 2027 has not started yet.');
  });
});

describe('periods typed the Vietnamese way', () => {
  test('"Quý 3/2025" on the dashboard is 2025-Q3, with the same figures as the label', async () => {
    const typed = await page(`/dashboard?period=${encodeURIComponent('Quý 3/2025')}`);
    const label = await page('/dashboard?period=2025-Q3');
    expect(typed.status).toBe(200);
    expect(typed.text).toContain('value="2025-Q3"');
    const rates = (html: string) => html.slice(html.indexOf('id="rates"'), html.indexOf('</table>', html.indexOf('id="rates"')));
    expect(rates(typed.text)).toBe(rates(label.text));
  });

  test('the API understands it too', async () => {
    const res = await request(t.app)
      .get(`/api/v1/reports/rates?period=${encodeURIComponent('Tháng 10/2025')}`)
      .set('Authorization', `Bearer ${t.keys.admin}`);
    expect(res.status).toBe(200);
    expect(res.body.period.label).toBe('2025-10');
  });
});

describe('search', () => {
  const codesIn = (html: string) => [...html.matchAll(/<td><a href="\/dossiers\/([^"]+)">/g)].map((m) => m[1]);

  test('a whole code opens the dossier, in any letter case', async () => {
    const res = await page('/search?q=over-1');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/dossiers/OVER-1');
  });

  test('a fragment of the code lists the dossiers holding it', async () => {
    const res = await page('/search?q=-2');
    expect(res.status).toBe(200);
    expect(codesIn(res.text)).toEqual(['SOON-2']);
  });

  test('the applicant’s name without tones, and the phone as typed another way, find the dossier; each read is recorded', async () => {
    const before = await t.ctx.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM personal_data_reads WHERE via = 'page:search'`);
    expect(codesIn((await page('/search?q=nguyen%20thi%20dao')).text)).toEqual(['NAME-3']);
    expect(codesIn((await page(`/search?q=${encodeURIComponent('ĐÀO')}`)).text)).toEqual(['NAME-3']);
    expect(codesIn((await page('/search?q=0987654321')).text)).toEqual(['NAME-3']);
    expect(codesIn((await page('/search?q=987.654')).text)).toEqual(['NAME-3']);
    const after = await t.ctx.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM personal_data_reads WHERE via = 'page:search'`);
    expect(after.rows[0]!.n - before.rows[0]!.n).toBe(4);
  });

  test('an auditor, who may not read personal data, searches by code only and sees no name', async () => {
    const res = await page('/search?q=nguyen', 'auditor');
    expect(codesIn(res.text)).toEqual([]);
    const listed = await page('/search?progress=overdue', 'auditor');
    expect(codesIn(listed.text)).toEqual(['OVER-1']);
    expect(listed.text).not.toContain('Lò Văn Hùng');
  });

  test('filters and order: overdue first by due instant; bad filters answered in Vietnamese', async () => {
    const all = await page('/search?sort=due');
    expect(codesIn(all.text)).toEqual(['OVER-1', 'SOON-2', 'NAME-3']);
    expect(codesIn((await page('/search?progress=due_soon')).text)).toEqual(['SOON-2']);
    const bad = await page('/search?sort=bogus');
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/<b>Sắp xếp<\/b>: phải là một trong: due, received, code/);
  });

  test('pages of 50, with a link to the next', async () => {
    const post = async (e: object) =>
      expect((await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(e)).status).toBe(201);
    const batch = Array.from({ length: 52 }, (_, i) => ev.received(`PAGE-${String(i).padStart(2, '0')}`, '2025-11-19T10:00:00+07:00', AGENCY));
    await post(batch);
    const first = await page('/search?q=PAGE-&sort=code');
    expect(codesIn(first.text)).toHaveLength(50);
    expect(decoded(first.text)).toContain('href="/search?q=PAGE-&sort=code&page=2"');
    const second = await page('/search?q=PAGE-&sort=code&page=2');
    expect(codesIn(second.text)).toEqual(['PAGE-50', 'PAGE-51']);
    expect(second.text).not.toContain('id="page-next"');
  });
});

describe('the action queue and agency names', () => {
  test('a dossier late without an apology is not listed again among the overdue', async () => {
    const res = await page('/dashboard?period=2025-Q4');
    const table = (id: string) => res.text.slice(res.text.indexOf(`id="${id}"`), res.text.indexOf('</table>', res.text.indexOf(`id="${id}"`)));
    expect(table('late-without-apology')).toContain('OVER-1');
    expect(table('overdue')).not.toContain('OVER-1');
    expect(res.text).toMatch(/data-count="overdue">0</);
  });

  test('two agencies with the same name are told apart by their parent', () => {
    // The sample keeps the ward before and after the 2025 merger, both "Ủy ban nhân dân phường Tô Hiệu".
    const old = t.ctx.catalog.nameOf('SLA.TPSL.THI');
    const merged = t.ctx.catalog.nameOf('SLA.P.TOHIEU');
    expect(old).not.toBe(merged);
    expect(old).toBe(`Ủy ban nhân dân phường Tô Hiệu (${t.ctx.catalog.agency('SLA.TPSL')!.name})`);
    expect(t.ctx.catalog.nameOf('SLA.TPSL.CLE')).toBe(t.ctx.catalog.agency('SLA.TPSL.CLE')!.name);
  });

  test('the dashboard offers the period by month, procedure and field to download', async () => {
    const res = await page('/dashboard?period=2025-Q4');
    for (const group of ['agency', 'month', 'procedure', 'field'])
      expect(decoded(res.text)).toContain(`/api/v1/reports/rates.xlsx?period=2025-Q4&convention=calendar&groupBy=${group}`);
    const month = await request(t.app)
      .get('/api/v1/reports/rates.csv?dialect=vn&period=2025-Q4&convention=calendar&groupBy=month')
      .set('Authorization', `Bearer ${t.keys.admin}`);
    expect(month.status).toBe(200);
  });
});

test('the migration fills the search columns of dossiers already there exactly as the projection writes them', async () => {
  const post = async (e: object) =>
    expect((await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(e)).status).toBe(201);
  await post(ev.received('MIG-4', '2025-11-19T11:00:00+07:00', { ...AGENCY, applicant: { name: 'ĐẶNG  Thị Ỷ', phone: '84 912 000 111' } }));
  await post(ev.of('consent_given', 'MIG-4', '2025-11-19T11:05:00+07:00', { consent: [{ channel: 'sms', phone: '+84 977 000 222' }], via: 'counter' }));
  const columns = 'SELECT code, applicant_text, applicant_phones FROM dossiers ORDER BY code';
  const projected = (await t.ctx.db.pool.query(columns)).rows;
  expect(projected.find((r) => r.code === 'MIG-4')).toEqual({ code: 'MIG-4', applicant_text: 'dang thi y', applicant_phones: '0912000111 0977000222' });
  // The migration's backfill, run again over blanked columns (its ALTERs left out), inside a transaction rolled back.
  const backfill = fs.readFileSync('src/db/migrations/055_applicant_search.sql', 'utf8').replace(/^ALTER TABLE.*$/gm, '');
  const client = await t.ctx.db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`UPDATE dossiers SET applicant_text = '', applicant_phones = ''`);
    await client.query(backfill);
    expect((await client.query(columns)).rows).toEqual(projected);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
});
