/**
 * Issue 25 item 2 through the API: an apology and a refusal go draft → submitted → approved or returned → signed →
 * issued, each step an event with its actor; every refusal is a 422 (or 403) that changes nothing; only the issued
 * letter moves the appointment and reaches the outbox; the action queues list what waits for approval and signature.
 *
 * Worked by hand. Đăng ký tạm trú (1.004194, 3 working days) received by phường Chiềng Lề on Mon 17 Mar 2025 10:00 →
 * due Thu 20 Mar 10:00 (8 h working days, no rest day between). The clock reads Tue 18 Mar 09:00. The apology is
 * lawful if issued no later than 1 day before the due date (Decree 118/2025 Art. 19(6)): by Wed 19 Mar, so its legal
 * moment (the first instant too late) is Thu 20 Mar 00:00: 15 working hours from now (Tue 09:00–12:00 and 13:00–17:00
 * are 7, Wednesday 8; Thu 00:00 adds nothing before Thursday's 08:00 opening).
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';
import { makeP12 } from '../support/certificates.js';
import { pdfSig, pdfText } from '../support/poppler.js';
import { actionQueue } from '../../src/store/action-queues.js';
import { apologyPdf } from '../../src/alerts/letter-pdf.js';
import { saveCatalog } from '../../src/store/catalog-store.js';
import { inTransaction } from '../../src/db/database.js';

let t: TestApp;
const NOW = Date.parse('2025-03-18T09:00:00+07:00');
const valid = makeP12({ from: '2025-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', keyUsage: { digitalSignature: true, nonRepudiation: true } });
const expired = makeP12({ from: '2023-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z', keyUsage: { digitalSignature: true } });
const encipherOnly = makeP12({ from: '2025-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', keyUsage: { keyEncipherment: true } });

const keyIds: Record<string, string> = {};
beforeAll(async () => {
  t = await createTestApp({ now: NOW });
  const consent = [{ channel: 'email', address: 'hung@example.vn' }];
  const res = await request(t.app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${t.keys.admin}`)
    .send(['WF-1', 'WF-2', 'WF-3'].map((code) => ev.received(code, '2025-03-17T10:00:00+07:00', { consent })));
  expect(res.status).toBe(201);
  const { rows } = await t.ctx.db.pool.query<{ id: string; label: string }>('SELECT id::text, label FROM api_keys');
  for (const r of rows) keyIds[r.label] = r.id;
});
afterAll(async () => t?.close());

const post = (key: string, path: string, body: object = {}) => request(t.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${key}`).send(body);
const dossier = async (code: string) => (await request(t.app).get(`/api/v1/dossiers/${code}`).set('Authorization', `Bearer ${t.keys.auditor}`)).body;
const q = async (sql: string, params: unknown[] = []) => (await t.ctx.db.pool.query(sql, params)).rows;
const steps = async (code: string) => (await q('SELECT type FROM dossier_events WHERE dossier_code = $1 ORDER BY seq', [code])).map((r) => r.type);
const apologyMessages = async (code: string) =>
  (await q("SELECT count(*)::int AS n FROM alert_outbox WHERE dossier_code = $1 AND kind = 'apology'", [code]))[0].n;
const queue = async (name: 'letter_approval' | 'letter_signature') =>
  (await actionQueue(t.ctx.db.pool, name, { now: t.clock.now, agencies: null, waitingSince: 0 })).states.map((s) => s.code);
const pdf = async (path: string) =>
  (
    await request(t.app)
      .get(path)
      .set('Authorization', `Bearer ${t.keys.auditor}`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
  ).body as Buffer;

test('an apology: drafted by the officer, returned, revised, approved and signed by the leader, then issued', async () => {
  const draft = await post(t.keys.counter, '/dossiers/WF-1/letters/apology/draft', { reason: 'Cần xác minh thêm', newDueAt: '2025-03-25T10:00:00+07:00' });
  expect(draft.status).toBe(201);
  expect(draft.body.letter).toMatchObject({
    status: 'draft',
    reason: 'Cần xác minh thêm',
    newDueAt: '2025-03-25T10:00:00+07:00',
    drafted: { by: { id: keyIds['test counter'], name: 'test counter' }, at: '2025-03-18T09:00:00+07:00' },
    legalMoment: '2025-03-20T00:00:00+07:00',
  });
  // A draft changes no deadline and sends nothing.
  expect(await dossier('WF-1')).toMatchObject({ dueAt: '2025-03-20T10:00:00+07:00', apology: null });
  expect(await apologyMessages('WF-1')).toBe(0);
  // The draft as it would be signed today: form 04 with the reason and the new appointment (pdftotext).
  const preview = await pdfText(await pdf('/letters/WF-1/apology/draft.pdf'));
  const flat = preview.replace(/\s+/g, ' ');
  expect(flat).toContain('Lý do: Cần xác minh thêm');
  expect(flat).toContain('Thời gian hẹn trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 20 tháng 3 năm 2025.');
  expect(flat).toContain('vào 10 giờ 00 phút, ngày 25 tháng 3 năm 2025.');

  // The officer cannot approve (a leader's act); submitting puts it in the approval queue.
  expect((await post(t.keys.counter, '/dossiers/WF-1/letters/apology/approve')).status).toBe(403);
  expect((await post(t.keys.counter, '/dossiers/WF-1/letters/apology/submit')).body.letter.status).toBe('submitted');
  expect(await queue('letter_approval')).toEqual(['WF-1']);
  expect(await queue('letter_signature')).toEqual([]);

  // Signing what is not approved: 422 naming why, nothing kept or recorded.
  t.ctx.signing = { p12: valid.p12, passphrase: valid.passphrase };
  const early = await post(t.keys.supervisor, '/dossiers/WF-1/letters/apology/sign');
  expect([early.status, early.body.detail]).toEqual([422, 'Only a letter that is "approved" can be signed: the apology letter is "submitted".']);
  expect(await q('SELECT count(*)::int AS n FROM signed_letters')).toEqual([{ n: 0 }]);

  // Returned with a comment (none: 400); the officer revises with 2 more working days and submits again:
  // from the later of now and the due instant, Thu 20 Mar 10:00 + 16 working hours → Mon 24 Mar 10:00.
  expect((await post(t.keys.supervisor, '/dossiers/WF-1/letters/apology/return', { comment: ' ' })).status).toBe(400);
  const back = await post(t.keys.supervisor, '/dossiers/WF-1/letters/apology/return', { comment: 'Ghi rõ cơ quan phối hợp.' });
  expect(back.body.letter).toMatchObject({ status: 'returned', returned: { by: { name: 'test supervisor' }, comment: 'Ghi rõ cơ quan phối hợp.' } });
  expect(await queue('letter_approval')).toEqual([]);
  const revised = await post(t.keys.counter, '/dossiers/WF-1/letters/apology/draft', { reason: 'Cần lấy ý kiến Công an tỉnh.', extraWorkingDays: 2 });
  expect(revised.body.letter).toMatchObject({ status: 'draft', newDueAt: '2025-03-24T10:00:00+07:00' });
  await post(t.keys.counter, '/dossiers/WF-1/letters/apology/submit');
  const approved = await post(t.keys.supervisor, '/dossiers/WF-1/letters/apology/approve');
  expect(approved.body.letter).toMatchObject({ status: 'approved', approved: { by: { name: 'test supervisor' } }, returned: null });
  expect(await queue('letter_signature')).toEqual(['WF-1']);

  // Issuing unsigned, and signing with an expired certificate: 422 each, nothing changed.
  const unsigned = await post(t.keys.counter, '/dossiers/WF-1/letters/apology/issue');
  expect([unsigned.status, unsigned.body.detail]).toEqual([422, 'Only a letter that is "signed" can be issued: the apology letter is "approved".']);
  t.ctx.signing = { p12: expired.p12, passphrase: expired.passphrase };
  const stale = await post(t.keys.supervisor, '/dossiers/WF-1/letters/apology/sign');
  expect([stale.status, stale.body.errors]).toEqual([422, [{ path: 'certificate', message: 'expired' }]]);
  t.ctx.signing = { p12: encipherOnly.p12, passphrase: encipherOnly.passphrase };
  const unfit = await post(t.keys.supervisor, '/dossiers/WF-1/letters/apology/sign');
  expect([unfit.status, unfit.body.errors]).toEqual([422, [{ path: 'certificate', message: 'no_digital_signature_usage' }]]);
  const before = await steps('WF-1');
  expect(before.filter((x) => x === 'letter_signed' || x === 'apology_issued')).toEqual([]);
  expect(await q('SELECT count(*)::int AS n FROM signed_letters')).toEqual([{ n: 0 }]);

  // Signed: the PDF kept is the one whose SHA-256 the event records, and pdfsig verifies it.
  t.ctx.signing = { p12: valid.p12, passphrase: valid.passphrase };
  const signed = await post(t.keys.supervisor, '/dossiers/WF-1/letters/apology/sign');
  expect(signed.status).toBe(201);
  const bytes = await pdf('/letters/WF-1/apology.pdf');
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(signed.body.sha256);
  expect(signed.body.letter).toMatchObject({ status: 'signed', signed: { by: { name: 'test supervisor' }, sha256: signed.body.sha256 } });
  const [event] = await q("SELECT body FROM dossier_events WHERE dossier_code = 'WF-1' AND type = 'letter_signed'");
  expect(event.body).toMatchObject({ sha256: signed.body.sha256, certificate: 'UBND phuong Chieng Le', by: keyIds['test supervisor'] });
  expect((await pdfSig(bytes)).out).toContain('Signature Validation: Signature is Valid.');
  // Still not issued: the appointment stands, for the law and for the 766 judgment, and nothing is sent.
  expect(await dossier('WF-1')).toMatchObject({ dueAt: '2025-03-20T10:00:00+07:00', rate: { dueAt: '2025-03-20T10:00:00+07:00' }, apology: null });
  expect(await apologyMessages('WF-1')).toBe(0);

  // Issued Tue 18 Mar, before Wed 19 Mar's limit: the new date is the appointment, the message goes out with the
  // signed PDF attached, the queues are empty.
  const issued = await post(t.keys.counter, '/dossiers/WF-1/letters/apology/issue');
  expect([issued.status, issued.body.reschedules, issued.body.letter.status]).toEqual([201, true, 'issued']);
  expect(await dossier('WF-1')).toMatchObject({
    dueAt: '2025-03-24T10:00:00+07:00',
    rate: { dueAt: '2025-03-24T10:00:00+07:00' },
    apology: { reason: 'Cần lấy ý kiến Công an tỉnh.' },
  });
  expect(await apologyMessages('WF-1')).toBe(1);
  expect((await apologyPdf(t.ctx, 'WF-1'))!.equals(bytes)).toBe(true);
  expect(await queue('letter_approval')).toEqual([]);
  expect(await queue('letter_signature')).toEqual([]);
  expect(await steps('WF-1')).toEqual([
    'received',
    'letter_drafted',
    'letter_submitted',
    'letter_returned',
    'letter_drafted',
    'letter_submitted',
    'letter_approved',
    'letter_signed',
    'apology_issued',
  ]);
  // Each step recorded under the key that took it.
  const actors = await q("SELECT type, key_id::text AS actor FROM dossier_events WHERE dossier_code = 'WF-1' AND type LIKE 'letter_%' ORDER BY seq");
  expect(actors.map((r) => [r.type, r.actor])).toEqual([
    ['letter_drafted', keyIds['test counter']],
    ['letter_submitted', keyIds['test counter']],
    ['letter_returned', keyIds['test supervisor']],
    ['letter_drafted', keyIds['test counter']],
    ['letter_submitted', keyIds['test counter']],
    ['letter_approved', keyIds['test supervisor']],
    ['letter_signed', keyIds['test supervisor']],
  ]);
  // A second apology is no longer possible (rescheduled once).
  expect((await post(t.keys.counter, '/dossiers/WF-1/letters/apology/draft', { reason: 'x', extraWorkingDays: 1 })).status).toBe(422);
});

test("approving one's own draft: 422 where the agency forbids it (the default), allowed where it says so", async () => {
  await post(t.keys.supervisor, '/dossiers/WF-2/letters/apology/draft', { reason: 'Chờ kết quả xác minh', extraWorkingDays: 1 });
  await post(t.keys.supervisor, '/dossiers/WF-2/letters/apology/submit');
  const own = await post(t.keys.supervisor, '/dossiers/WF-2/letters/apology/approve');
  expect(own.status).toBe(422);
  expect(own.body.detail).toContain("approving one's own draft is not allowed at this agency");
  expect((await request(t.app).get('/api/v1/dossiers/WF-2/letters/apology').set('Authorization', `Bearer ${t.keys.auditor}`)).body.status).toBe('submitted');
  // Naming another actor over the events API is refused as well.
  const forged = await post(
    t.keys.admin,
    '/events',
    ev.of('letter_approved', 'WF-2', '2025-03-18T09:00:00+07:00', { form: 'apology', by: keyIds['test counter'] }),
  );
  expect(forged.status).toBe(403);

  // The ward allows it: the same approval now passes.
  const ward = t.ctx.catalog.agency('SLA.TPSL.CLE')!;
  await inTransaction(t.ctx.db.pool, (c) => saveCatalog(c, [{ ...ward, settings: { ...ward.settings, letterSelfApproval: true } }], []));
  await t.ctx.reloadCatalog();
  expect((await post(t.keys.supervisor, '/dossiers/WF-2/letters/apology/approve')).body.letter.status).toBe('approved');
  await inTransaction(t.ctx.db.pool, (c) => saveCatalog(c, [ward], []));
  await t.ctx.reloadCatalog();

  // Signed, then left until its new appointment (1 working day after the due instant Thu 20 Mar 10:00: Fri 21 Mar
  // 10:00) has passed: issuing it is refused, the letter stays signed, the appointment unmoved.
  t.ctx.signing = { p12: valid.p12, passphrase: valid.passphrase };
  expect((await post(t.keys.supervisor, '/dossiers/WF-2/letters/apology/sign')).body.letter).toMatchObject({
    status: 'signed',
    newDueAt: '2025-03-21T10:00:00+07:00',
  });
  t.clock.now = Date.parse('2025-03-21T11:00:00+07:00');
  const stale = await post(t.keys.counter, '/dossiers/WF-2/letters/apology/issue');
  expect([stale.status, stale.body.errors]).toEqual([422, [{ path: 'newDueAt', message: 'the new appointment must be in the future' }]]);
  expect(await dossier('WF-2')).toMatchObject({ dueAt: '2025-03-20T10:00:00+07:00', apology: null });
  // Drafted again with a date to come, it needs approving and signing anew.
  const again = await post(t.keys.counter, '/dossiers/WF-2/letters/apology/draft', { reason: 'Chờ kết quả xác minh', extraWorkingDays: 2 });
  expect(again.body.letter).toMatchObject({ status: 'draft', approved: null, signed: null });
  t.clock.now = NOW;
});

test('a refusal (form 03): signed, then issued as the refused fact; its PDF is the signed one', async () => {
  t.ctx.signing = { p12: valid.p12, passphrase: valid.passphrase };
  expect((await post(t.keys.counter, '/dossiers/WF-3/letters/refusal/draft', { reason: 'Không thuộc thẩm quyền giải quyết.' })).status).toBe(201);
  // A refusal takes no new appointment.
  expect((await post(t.keys.counter, '/dossiers/WF-3/letters/refusal/draft', { reason: 'x', newDueAt: '2025-03-25T10:00:00+07:00' })).status).toBe(400);
  await post(t.keys.counter, '/dossiers/WF-3/letters/refusal/submit');
  await post(t.keys.supervisor, '/dossiers/WF-3/letters/refusal/approve');
  const signed = await post(t.keys.supervisor, '/dossiers/WF-3/letters/refusal/sign');
  expect((await dossier('WF-3')).status).toBe('received');
  expect((await post(t.keys.counter, '/dossiers/WF-3/letters/refusal/issue')).status).toBe(201);
  expect((await dossier('WF-3')).status).toBe('refused');
  expect(
    createHash('sha256')
      .update(await pdf('/letters/WF-3/refusal.pdf'))
      .digest('hex'),
  ).toBe(signed.body.sha256);
  expect((await q("SELECT count(*)::int AS n FROM alert_outbox WHERE dossier_code = 'WF-3' AND kind = 'refusal'"))[0].n).toBe(1);
});
