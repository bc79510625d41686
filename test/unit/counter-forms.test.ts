/**
 * The counter's forms (src/http/counter-forms.ts): the procedure a clerk picked, and what is wrong said in
 * Vietnamese at the form field it belongs to. The fold fixture's catalogue: WD3 "3 ngày làm việc", CD5 "5 ngày",
 * WD "x".
 */
import { receivedEventSchema } from '../../src/dossiers/events.js';
import { formErrorsOf, pickProcedure, procedureOption, refusalOf } from '../../src/http/counter-forms.js';
import { fixtureCatalog } from '../support/fold-fixture.js';

const catalog = fixtureCatalog();
const code = (typed: string) => {
  const p = pickProcedure(catalog, typed);
  return typeof p === 'string' ? p : p.code;
};

test('a procedure is picked by the datalist option, its code or its name (whole or a unique part), in any case', () => {
  expect(code(procedureOption(catalog.procedure('WD3')!))).toBe('WD3');
  expect(code('wd3')).toBe('WD3');
  expect(code('5 NGÀY')).toBe('CD5');
  // "ngày" is in two names (WD3's and CD5's): the clerk is asked to choose.
  expect(code('ngày')).toBe('Có 2 thủ tục khớp với “ngày”: chọn một thủ tục trong danh sách gợi ý.');
  expect(code('  ')).toBe('Chọn thủ tục trong danh mục (gõ tên hoặc mã thủ tục để tìm).');
  expect(code('không có')).toBe('Không tìm thấy thủ tục “không có” trong danh mục.');
});

test("zod issues at the event's paths come back at the form's fields; a consent's contact at the field it is typed in", () => {
  const parsed = receivedEventSchema.safeParse({
    eventId: '6f1c2a4e-8d0b-4c1e-9a57-3b2f1d0e9c11',
    type: 'received',
    dossierCode: 'A 1',
    occurredAt: '2026-11-26T10:00:00+07:00',
    procedureCode: 'WD3',
    receivingAgencyCode: 'P.X',
    channel: 'by pigeon',
    applicant: { name: 'Lò Văn Hùng', phone: '024 3825 1234' },
    feeRequired: false,
    digitized: false,
    consent: [{ channel: 'zalo', phone: '024 3825 1234' }],
  });
  expect(parsed.success).toBe(false);
  // A landline is a phone number, but Zalo reaches only mobiles: said at the phone it was typed in.
  expect(formErrorsOf(parsed.error!, ['zalo'])).toEqual({
    dossierCode: 'Mã hồ sơ chỉ gồm chữ, số và các dấu . _ - / (tối đa 64 ký tự).',
    channel: 'Chọn hình thức nộp hồ sơ.',
    applicantPhone: 'Cần số di động Việt Nam (ví dụ 0912 345 678) để gửi tin nhắn Zalo.',
  });
});

test("the ingestion's refusals (the API's English) in Vietnamese, at their field where they have one", () => {
  const at = (message: string, field?: string) => refusalOf(422, { index: 0, eventId: 'x', message, field });
  expect(at('"result_ready" is not possible when the dossier is "supplement_requested"')).toEqual({
    _form: 'Không thực hiện được khi hồ sơ đang ở trạng thái “Chờ bổ sung hồ sơ”.',
  });
  expect(at('person u-1 does not belong to agency P.X', 'holder.personId')).toEqual({
    holder: 'Người này không thuộc cơ quan được chuyển đến: chọn người của cơ quan đó.',
  });
  expect(at('unknown person u-1', 'holder.personId')).toEqual({ holder: 'Người này không có tài khoản đang hoạt động.' });
  expect(at('dossier A-1 was already received')).toEqual({ dossierCode: 'Mã hồ sơ này đã được dùng: chọn mã khác.' });
  expect(at('procedure WD3 has no fee or charge in the catalogue: feeRequired must be false')).toEqual({
    fee: 'Theo danh mục, thủ tục này không thu phí, lệ phí.',
  });
  expect(refusalOf(403, { index: 0, eventId: 'x', message: 'outside' })._form).toMatch(/^Hồ sơ hoặc cơ quan này nằm ngoài phạm vi/);
  expect(at('something new')).toEqual({ _form: 'Không ghi nhận được sự kiện này cho hồ sơ: kiểm tra lại thông tin rồi thử lại.' });
});
