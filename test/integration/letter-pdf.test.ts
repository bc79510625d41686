/**
 * Every letter as a PDF set on the server: the text a PDF reader extracts (poppler's pdftotext) says what the HTML
 * letter says, field by field and paragraph by paragraph; A5, one page even for the longest realistic letter; Tinos
 * embedded, no other font; the same sign-in and scope as the HTML letters.
 */
import fs from 'node:fs/promises';
import request from 'supertest';
import { createTestApp, signIn, type TestApp } from '../support/test-app.js';
import { ev } from '../support/events.js';
import { htmlText, normalise, pdfFonts, pdfInfo, pdfText } from '../support/poppler.js';

let t: TestApp;

// The longest letter we expect in practice: a business as applicant, a long address, the longest agency name of the
// sample (a ward's service centre), a land procedure and a reason of some 700 characters.
const LONG_APPLICANT = 'Công ty Trách nhiệm hữu hạn Một thành viên Xây dựng và Thương mại Tổng hợp Tây Bắc Sơn La';
const LONG_ADDRESS = 'Số nhà 128, đường Tô Hiệu, tổ dân phố 5, phường Chiềng Sinh, tỉnh Sơn La (gần cổng Trường Trung học phổ thông Chiềng Sinh)';
const LONG_REASON =
  'Hồ sơ cần lấy ý kiến của Sở Nông nghiệp và Môi trường về nguồn gốc sử dụng đất và của Ủy ban nhân dân phường về tình trạng tranh chấp; ' +
  'qua kiểm tra thực địa ngày 20 tháng 3 năm 2026, ranh giới thửa đất số 125, tờ bản đồ số 17 có sai lệch so với bản đồ địa chính chính quy, ' +
  'phải đo đạc, chỉnh lý lại bản đồ và niêm yết công khai kết quả kiểm tra hồ sơ tại trụ sở Ủy ban nhân dân phường và nhà văn hóa tổ dân phố 5 ' +
  'trong thời hạn 15 ngày theo quy định; trong thời gian niêm yết, bà Lò Thị Hoa, chủ sử dụng thửa đất liền kề, có đơn đề nghị xem xét lại ' +
  'mốc giới phía Tây, Ủy ban nhân dân phường đang tổ chức hòa giải. Cơ quan giải quyết cần thêm thời gian để hoàn tất các bước trên trước khi ' +
  'trình cấp có thẩm quyền ký Giấy chứng nhận.';

beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2026-03-27T09:00:00+07:00') });
  const post = (body: unknown) =>
    request(t.app)
      .post('/api/v1/events')
      .set('Authorization', `Bearer ${t.keys.admin}`)
      .send(body as object);
  const res = await post([
    // Đăng ký tạm trú (3 working days) at phường Chiềng Lề, Mon 17 Mar 2025 10:00 → due Thu 20 Mar 10:00.
    ev.received('PDF-1', '2025-03-17T10:00:00+07:00', {
      applicant: { name: 'Quàng Thị Lan', address: 'Bản Hài, phường Chiềng Lề', phone: '0987654321', email: 'lan@example.vn' },
    }),
    ev.of('assigned', 'PDF-1', '2025-03-17T14:00:00+07:00', {
      agencyCode: 'SLA.TPSL.CLE',
      step: 'Thẩm định hồ sơ',
      budget: { value: 1, unit: 'working-days' },
    }),
    ev.of('apology_issued', 'PDF-1', '2025-03-19T16:00:00+07:00', {
      reason: 'Cần lấy ý kiến Công an tỉnh về nơi cư trú.',
      newDueAt: '2025-03-25T16:30:00+07:00',
    }),
    ev.received('PDF-2', '2025-03-17T09:00:00+07:00', { applicant: { name: 'Lò Văn Hùng', phone: '0912345678' } }),
    ev.of('supplement_requested', 'PDF-2', '2025-03-17T10:30:00+07:00', { reason: 'Bổ sung bản sao giấy khai sinh của con & giấy xác nhận "nơi cư trú".' }),
    ev.received('PDF-3', '2025-03-17T09:00:00+07:00'),
    ev.of('refused', 'PDF-3', '2025-03-17T11:00:00+07:00', { reason: 'Thủ tục không thuộc thẩm quyền giải quyết của phường.' }),
    // The long one: 1.012753 (20 working days) at the Chiềng Sinh centre, Mon 2 Mar 2026 09:00. March 2026 has no day
    // off, so 20 working days are four weeks: due Mon 30 Mar 09:00. The apology on Thu 26 Mar (more than a day before
    // the due date) sets Wed 8 Apr 15:30.
    ev.received('PDF-LONG', '2026-03-02T09:00:00+07:00', {
      procedureCode: '1.012753',
      receivingAgencyCode: 'SLA.P.CHIENGSINH.TTPV',
      feeRequired: true,
      applicant: { name: LONG_APPLICANT, address: LONG_ADDRESS, phone: '02123852468', email: 'vanphong@xaydungtaybac.com.vn' },
    }),
    ev.of('apology_issued', 'PDF-LONG', '2026-03-26T10:00:00+07:00', { reason: LONG_REASON, newDueAt: '2026-04-08T15:30:00+07:00' }),
    // Stop notices. PDF-5 (Circular 01/2018's forms, which have none of their own): asked to supplement on Tue 4 Mar
    // 2025, not completed; 15 days after the notice (Wed 19 Mar) it may be closed, and is on Thu 20 Mar.
    ev.received('PDF-5', '2025-03-03T09:00:00+07:00'),
    ev.of('supplement_requested', 'PDF-5', '2025-03-04T09:00:00+07:00', { reason: 'Bổ sung bản sao sổ hộ khẩu.' }),
    ev.of('closed', 'PDF-5', '2025-03-20T09:00:00+07:00'),
    // PDF-6 (Circular 03/2025's forms, from 20 Nov 2025: form 05, unconfirmed): withdrawn by the applicant.
    ev.received('PDF-6', '2026-03-02T09:00:00+07:00', { receivingAgencyCode: 'SLA.P.TOHIEU.TTPV' }),
    ev.of('withdrawn', 'PDF-6', '2026-03-03T15:00:00+07:00', { reason: 'Người nộp đề nghị rút hồ sơ để nộp lại theo thủ tục khác.' }),
  ]);
  expect(res.status).toBe(201);
});
afterAll(async () => t?.close());

const get = (path: string, key = t.keys.auditor) => request(t.app).get(path).set('Authorization', `Bearer ${key}`);
const pdfOf = async (path: string) => {
  const res = await get(path)
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
  expect([res.status, res.headers['content-type']]).toEqual([200, 'application/pdf']);
  return res.body as Buffer;
};
const field = (html: string, name: string) => {
  const m = new RegExp(`data-field="${name}"[^>]*>([\\s\\S]*?)</(?:span|b|p|div|h1)>`).exec(html);
  return m ? htmlText(m[1]!) : undefined;
};
/** Every paragraph, heading, table cell and signature line of the HTML letter's sheet, as text. */
const blocks = (html: string) => {
  const sheet = html.slice(html.indexOf('<div class="sheet">'));
  return [...sheet.matchAll(/<(p|h1|td|th)\b[^>]*>([\s\S]*?)<\/\1>|<div class="(?:subtitle|date|role|hint)"[^>]*>([\s\S]*?)<\/div>/g)]
    .map((m) => htmlText(m[2] ?? m[3] ?? ''))
    .filter((x) => x.length > 0);
};

/** The HTML letter and its PDF; the PDF's extracted text, whitespace collapsed. */
async function both(code: string, form: string) {
  const html = (await get(`/letters/${code}/${form}`)).text;
  const pdf = await pdfOf(`/letters/${code}/${form}.pdf`);
  return { html, pdf, text: normalise(await pdfText(pdf)), info: await pdfInfo(pdf) };
}

// A5 is 148 × 210 mm: 419.53 × 595.28 pt.
const A5 = '419.53 x 595.28 pts';

test('the apology (form 04) as a PDF says what the HTML says: code, applicant, both appointments, reason; A5, one page', async () => {
  const { html, pdf, text, info } = await both('PDF-1', 'apology');
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect([info.Pages, info['Page size']]).toEqual(['1', A5]);
  // The key fields, worked out by hand (as the HTML test has them), found in the text a reader extracts.
  for (const expected of [
    'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
    'Mẫu số 04 — Thông tư số 01/2018/TT-VPCP',
    'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    'Độc lập - Tự do - Hạnh phúc',
    'UBND THÀNH PHỐ SƠN LA',
    'ỦY BAN NHÂN DÂN PHƯỜNG CHIỀNG LỀ',
    'Số: ……/PXL',
    'Sơn La, ngày 19 tháng 3 năm 2025',
    'Kính gửi: Quàng Thị Lan',
    'mã hồ sơ PDF-1.',
    'Thời gian hẹn trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 20 tháng 3 năm 2025.',
    'Lý do: Cần lấy ý kiến Công an tỉnh về nơi cư trú.',
    'trả kết quả giải quyết hồ sơ cho Ông/Bà vào 16 giờ 30 phút, ngày 25 tháng 3 năm 2025.',
    'THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ',
  ])
    expect(text).toContain(expected);
  // And the same values as the HTML page's fields.
  for (const name of ['code', 'applicant', 'previous-due', 'new-due', 'reason', 'date-line', 'title']) expect(text).toContain(field(html, name));
  // Every paragraph of the HTML letter is in the PDF, word for word.
  const paragraphs = blocks(html);
  expect(paragraphs.length).toBeGreaterThan(8);
  for (const p of paragraphs) expect(text).toContain(p);
  // Tinos embedded (as subsets: the latin and Vietnamese parts of the font), nothing else: diacritics exact on any reader.
  const fonts = await pdfFonts(pdf);
  expect(fonts.length).toBeGreaterThan(0);
  for (const f of fonts)
    expect([f.name.replace(/^[A-Z]{6}\+/, ''), f.embedded]).toEqual([expect.stringMatching(/^Tinos-(Regular|Bold|Italic|BoldItalic)$/), true]);
});

test('the receipt (01), supplement request (02), refusal (03), stop notice and control slip (05) as PDFs match their HTML', async () => {
  const cases: Array<[string, string, string[]]> = [
    [
      'PDF-1',
      'receipt',
      [
        'Mã hồ sơ: PDF-1',
        '4. Thời gian nhận hồ sơ: 10 giờ 00 phút, ngày 17 tháng 3 năm 2025.',
        '5. Thời gian trả kết quả giải quyết hồ sơ: 10 giờ 00 phút, ngày 20 tháng 3 năm 2025.',
        'Ông/Bà: Quàng Thị Lan',
        'NGƯỜI NỘP HỒ SƠ',
      ],
    ],
    [
      'PDF-2',
      'supplement-request',
      [
        'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
        'Bổ sung bản sao giấy khai sinh của con & giấy xác nhận "nơi cư trú".',
        '(yêu cầu ngày 10 giờ 30 phút, ngày 17 tháng 3 năm 2025)',
        'của Ông/Bà Lò Văn Hùng vào 09 giờ 00 phút, ngày 17 tháng 3 năm 2025.',
      ],
    ],
    ['PDF-3', 'refusal', ['PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ', 'Thủ tục không thuộc thẩm quyền giải quyết của phường.', 'Mã hồ sơ: PDF-3']],
    [
      'PDF-5',
      'stop-notice',
      [
        'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ',
        'Ngày 04 tháng 3 năm 2025, Ủy ban nhân dân phường Chiềng Lề đã thông báo yêu cầu Ông/Bà bổ sung, hoàn thiện hồ sơ.',
        '(khoản 5 Điều 19 Nghị định số 118/2025/NĐ-CP)',
        'kể từ 09 giờ 00 phút, ngày 20 tháng 3 năm 2025.',
      ],
    ],
    [
      'PDF-6',
      'stop-notice',
      ['Mẫu số 05', 'THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ', 'Ông/Bà đã đề nghị rút hồ sơ.', 'Lý do: Người nộp đề nghị rút hồ sơ để nộp lại theo thủ tục khác.'],
    ],
    // Step 1: Mon 17 Mar 14:00 + 1 working day = Tue 18 Mar 14:00; still open on the slip.
    [
      'PDF-1',
      'control-slip',
      [
        'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
        'Mẫu số 05',
        'Thẩm định hồ sơ',
        'Giao: 14 giờ 00 phút, ngày 17 tháng 3 năm 2025',
        'Nhận: Đang xử lý',
        'Hạn bước: 14 giờ 00 phút, ngày 18 tháng 3 năm 2025',
      ],
    ],
  ];
  for (const [code, form, expected] of cases) {
    const { html, text, info } = await both(code, form);
    expect([form, info.Pages, info['Page size']]).toEqual([form, '1', A5]);
    for (const e of expected) expect(text).toContain(e);
    for (const name of ['code', 'applicant', 'title', 'reason', 'due', 'received']) {
      const value = field(html, name);
      if (value) expect([form, name, text.includes(value)]).toEqual([form, name, true]);
    }
    for (const p of blocks(html)) expect([form, text.includes(p) ? '' : p]).toEqual([form, '']);
  }
});

test('the longest realistic apology stays on one A5 page and keeps every word', async () => {
  const { html, pdf, text, info } = await both('PDF-LONG', 'apology');
  await fs.mkdir('test-artifacts', { recursive: true });
  await fs.writeFile('test-artifacts/letter-apology-long.pdf', pdf);
  expect([info.Pages, info['Page size']]).toEqual(['1', A5]);
  expect(text).toContain(normalise(`Lý do: ${LONG_REASON}`));
  expect(text).toContain(`Kính gửi: ${LONG_APPLICANT}`);
  expect(text).toContain('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG CHIỀNG SINH');
  expect(text).toContain('Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 30 tháng 3 năm 2026.');
  expect(text).toContain('vào 15 giờ 30 phút, ngày 08 tháng 4 năm 2026.');
  for (const p of blocks(html)) expect(text).toContain(p);
  // The receipt of the same dossier too.
  const receipt = await both('PDF-LONG', 'receipt');
  expect(receipt.info.Pages).toBe('1');
  expect(receipt.text).toContain(`Địa chỉ: ${LONG_ADDRESS}`);
});

test('PDF letters need a key or a session and stay within its agencies; a letter that does not apply is 404', async () => {
  const anonymous = await request(t.app).get('/letters/PDF-1/apology.pdf');
  expect([anonymous.status, anonymous.headers.location]).toEqual([302, '/login?next=%2Fletters%2FPDF-1%2Fapology.pdf']);
  const cookie = await signIn(t.app, t.keys.supervisor);
  const viaSession = await request(t.app).get('/letters/PDF-1/receipt.pdf').set('Cookie', `dunghan_session=${cookie}`);
  expect([viaSession.status, viaSession.headers['content-type']]).toEqual([200, 'application/pdf']);
  expect((await get('/letters/PDF-1/receipt.pdf', t.keys.outsider)).status).toBe(404);
  expect((await get('/letters/PDF-2/apology.pdf')).status).toBe(404);
  expect((await get('/letters/PDF-1/nothing.pdf')).status).toBe(404);
  // The HTML letter links to its PDF.
  expect((await get('/letters/PDF-1/apology')).text).toContain('href="/letters/PDF-1/apology.pdf"');
});

test('a stop notice exists only for a closed or withdrawn dossier; the older form set prints no form number', async () => {
  expect((await get('/letters/PDF-1/stop-notice')).status).toBe(404);
  const html = (await get('/letters/PDF-5/stop-notice')).text;
  expect(html).not.toContain('class="form-no"');
  expect((await get('/letters/PDF-6/stop-notice')).text).toContain('Mẫu số 05</div>');
});
