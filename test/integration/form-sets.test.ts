/**
 * Letters by form set, as data: Circular 01/2018's forms until the 2025 set
 * applies (its effective date is not found; by default from 20 Nov 2025, the
 * earliest use provinces show: DOMAIN §4, an Inference), with the legal basis
 * printed only for a confirmed set; forms 02 (supplement request) and 03
 * (refusal) rendered from their events.
 */
import request from 'supertest';
import { formSets, formSetAt } from '../../src/letters/forms.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const post = (body: unknown) =>
    request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${t.keys.admin}`)
      .send(body as object);
  expect(
    (
      await post([
        ev.received('FORM-1', '2026-11-23T09:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }),
        ev.of('supplement_requested', 'FORM-1', '2026-11-23T10:30:00+07:00', { reason: 'Bổ sung bản sao giấy khai sinh của con.' }),
        ev.received('FORM-2', '2025-03-17T09:00:00+07:00'),
        ev.of('refused', 'FORM-2', '2025-03-17T11:00:00+07:00', { reason: 'Thủ tục không thuộc thẩm quyền giải quyết của phường.' }),
      ])
    ).status,
  ).toBe(201);
});
afterAll(async () => t.close());

const letter = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${t.keys.auditor}`);
const field = (html: string, name: string) => new RegExp(`data-field="${name}">([^<]*)<`).exec(html)?.[1];

test('the 2025 set applies from 20 Nov 2025 by default, unconfirmed (no legal basis printed); 01/2018 before it, with its basis', async () => {
  expect(formSets().map((s) => [s.id, s.effectiveFrom, s.confirmed])).toEqual([
    ['tt01-2018', '2019-01-06', true],
    ['tt03-2025', '2025-11-20', false],
  ]);
  expect(formSetAt(Date.parse('2026-11-23T09:00:00+07:00')).id).toBe('tt03-2025');
  expect(formSetAt(Date.parse('2025-11-19T16:00:00+07:00')).id).toBe('tt01-2018');
  const receipt = await letter('/letters/FORM-1/receipt');
  expect(receipt.text).not.toContain('Thông tư số 01/2018/TT-VPCP');
  expect(receipt.text).not.toMatch(/Thông tư số 03\/2025/); // unconfirmed: no legal basis printed
  expect(receipt.text).not.toMatch(/VĂN BẢN XIN LỖI VÀ HẸN LẠI/); // a title no source has
  // FORM-2, received in March 2025, prints the 01/2018 form with its basis.
  expect((await letter('/letters/FORM-2/refusal')).text).toContain('Mẫu số 03 — Thông tư số 01/2018/TT-VPCP');
});

test('once its date is known, the 2025 set applies from it, and an unconfirmed set names no legal basis', () => {
  const sets = formSets().map((s) => (s.id === 'tt03-2025' ? { ...s, effectiveFrom: '2026-01-01' } : s));
  const set = formSetAt(Date.parse('2026-11-23T09:00:00+07:00'), sets);
  expect(set.forms.apology.title).toBe('VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT');
  expect(set.forms.controlSlip.number).toBe('Mẫu số 06');
  expect(formSetAt(Date.parse('2025-12-31T09:00:00+07:00'), sets).id).toBe('tt01-2018');
});

test('form 02, the supplementation request, carries the request and its content', async () => {
  const res = await letter('/letters/FORM-1/supplement-request');
  expect(res.status).toBe(200);
  expect(field(res.text, 'title')).toBe('PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ');
  expect(field(res.text, 'reason')).toBe('Bổ sung bản sao giấy khai sinh của con.');
  expect(field(res.text, 'requested')).toBe('10 giờ 30 phút, ngày 23 tháng 11 năm 2026');
  // Received 23 Nov 2026: the 2025 set (unconfirmed, so no basis line).
  expect(res.text).not.toContain('Thông tư số 01/2018/TT-VPCP');
  expect((await letter('/letters/FORM-2/supplement-request')).status).toBe(404);
});

test('form 03, the refusal, carries its reason; none for a dossier not refused', async () => {
  const res = await letter('/letters/FORM-2/refusal');
  expect(res.status).toBe(200);
  expect(field(res.text, 'title')).toBe('PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ');
  expect(field(res.text, 'reason')).toBe('Thủ tục không thuộc thẩm quyền giải quyết của phường.');
  expect((await letter('/letters/FORM-1/refusal')).status).toBe(404);
});

test('the control slip of a finished dossier ends with its result against the appointment', async () => {
  // FORM-2: received Mon 17 Mar 2025 09:00, refused 11:00 the same day, due Thu 20 Mar 09:00: early.
  const res = await letter('/letters/FORM-2/control-slip');
  const cells = [...res.text.matchAll(/<td class="result">([^<]*)<\/td>/g)].map((m) => m[1]);
  expect(cells.at(-1)).toBe('Trước hạn');
  expect(res.text).toContain('Hoàn thành, trả kết quả');
});
