/**
 * Issue 27 item 2: templates kept as data are checked whole (every problem named), and SMS text fits its segments.
 */
import { DEFAULT_TEMPLATES_FILE, loadTemplates, parseTemplates } from '../../src/alerts/message-templates.js';
import { fitSms, gsmLength, segmentCapacity, segmentsOf, withoutDiacritics } from '../../src/alerts/sms-text.js';
import { signLink, verifyLink } from '../../src/alerts/citizen-links.js';
import { maskContact } from '../../src/dossiers/consent.js';
import fs from 'node:fs';

test('the shipped templates load; a file with unknown fields, a missing part and an unknown kind names every problem', () => {
  expect(Object.keys(loadTemplates())).toEqual(['receipt', 'supplement_request', 'apology', 'result_ready', 'refusal']);
  const doc = JSON.parse(fs.readFileSync(DEFAULT_TEMPLATES_FILE, 'utf8'));
  doc.receipt.sms = 'Ho so {{code}} hen {{appointmentShort}}, nguoi nhan {{nguoiNhan}}';
  doc.apology.zalo.ly_do = 'lyDo';
  delete doc.result_ready.email.subject;
  doc.reminder = { sms: 'x' };
  const parsed = parseTemplates(doc);
  expect(parsed.ok).toBe(false);
  if (parsed.ok) return;
  expect(parsed.problems.map((p) => p.path).sort()).toEqual(['apology.zalo.ly_do', 'receipt.sms', 'reminder', 'result_ready.email.subject']);
  expect(parsed.problems.find((p) => p.path === 'receipt.sms')!.message).toMatch(/^unknown field \{\{nguoiNhan\}\}/);
  // A field of another kind is unknown here too: a receipt has no reason.
  doc.reminder = undefined;
  delete doc.reminder;
  doc.result_ready.email.subject = 'x';
  doc.apology.zalo.ly_do = 'reason';
  doc.receipt.sms = 'Ly do: {{reason}}';
  const again = parseTemplates(doc);
  expect(again.ok ? [] : again.problems.map((p) => p.path)).toEqual(['receipt.sms']);
});

test('SMS text: diacritics dropped, GSM length, segments; the free text is cut, never the link', () => {
  expect(withoutDiacritics('Đã tiếp nhận hồ sơ; Hẹn trả kết quả: “Thứ Sáu”…')).toBe('Da tiep nhan ho so; Hen tra ket qua: "Thu Sau"...');
  expect(gsmLength('a{b}')).toBe(6); // { and } are in the extension table: two septets each
  expect(segmentCapacity(1, false)).toBe(160);
  expect(segmentCapacity(3, false)).toBe(459); // 3 × 153
  expect(segmentsOf('x'.repeat(160), false)).toBe(1);
  expect(segmentsOf('x'.repeat(161), false)).toBe(2);
  const render = (v: Record<string, string>) => `Ho so ABC can bo sung: ${v.reason}. Chi tiet: ${v.link}`;
  const link = 'https://dvc.sonla.gov.vn/thu?t=' + 'x'.repeat(60);
  const text = fitSms(render, { reason: 'r'.repeat(500), link }, ['reason'], 160, gsmLength);
  // The fixed part is "Ho so ABC can bo sung: " (23) + ". Chi tiet: " (12) + the link (31 + 60 = 91) = 126 characters:
  // 160 leaves 34, that is 32 of the reason and "..".
  expect(text).toBe(`Ho so ABC can bo sung: ${'r'.repeat(32)}... Chi tiet: ${link}`);
  expect(gsmLength(text)).toBe(160);
  expect(text.endsWith(link)).toBe(true);
});

test('links: a token opens its purpose and dossier until it expires; altered or re-signed under another key, nothing', () => {
  const secret = 's'.repeat(40);
  const token = signLink(secret, 'apology', 'TOHIEU-2026-000001', Date.parse('2026-09-14T00:00:00Z'));
  expect(verifyLink(secret, token, Date.parse('2026-03-18T00:00:00Z'))).toEqual({ purpose: 'apology', dossierCode: 'TOHIEU-2026-000001' });
  expect(verifyLink(secret, token, Date.parse('2026-09-15T00:00:00Z'))).toBeNull();
  expect(verifyLink('t'.repeat(40), token, Date.parse('2026-03-18T00:00:00Z'))).toBeNull();
  // Another dossier's code in the payload, with the first token's signature: refused.
  const [, sig] = token.split('.');
  const other = `${Buffer.from('a|TOHIEU-2026-000002|tlc300').toString('base64url')}.${sig}`;
  expect(verifyLink(secret, other, Date.parse('2026-03-18T00:00:00Z'))).toBeNull();
});

test("contacts are masked: a phone to its first three digits (never the lookup's last four), an e-mail to its first letter and domain", () => {
  expect(maskContact('0912 345 678')).toBe('091*******');
  expect(maskContact('+84912345678')).toBe('091*******');
  expect(maskContact('lovanhung@example.vn')).toBe('l***@example.vn');
});
