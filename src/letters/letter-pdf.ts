/**
 * The letters as PDF documents, from the same data as the HTML letters
 * (./letter-data.ts) and in the same words, laid out as Decree 30/2020/NĐ-CP
 * Appendix I places the parts of an administrative document: national motto
 * (box 1) top right, issuing agency under its parent (box 2) top left with the
 * number (box 3) below it, place and date (box 4) under the motto, the title
 * (box 5), the content (box 6), the signature block (box 7) on the right and
 * the recipients (box 9) on the left. Paper: A5, as Circular 01/2018 prints
 * its forms; margins are Decree 30's A4 margins (top and bottom 20–25 mm, left
 * 30–35, right 15–20) scaled to A5 by 1/√2 (our reading: the decree gives A4
 * only). The body is set at 11 pt, and smaller (to 9 pt) when a long letter
 * would otherwise spill onto a second page: a letter is one sheet.
 */
import { Sheet, mm, type Span } from '../pdf/sheet.js';
import type { FormSet } from './forms.js';
import type { apologyData, controlSlipData, receiptData, refusalData, stopNoticeData, supplementRequestData } from './letter-data.js';

export type LetterPdf =
  | { form: 'receipt'; data: ReturnType<typeof receiptData> & { lookupPage?: string } }
  | { form: 'supplement-request'; data: NonNullable<ReturnType<typeof supplementRequestData>> }
  | { form: 'refusal'; data: NonNullable<ReturnType<typeof refusalData>> }
  | { form: 'apology'; data: NonNullable<ReturnType<typeof apologyData>> }
  | { form: 'control-slip'; data: ReturnType<typeof controlSlipData> }
  | { form: 'stop-notice'; data: NonNullable<ReturnType<typeof stopNoticeData>> };

/** Each letter's key in the form set. */
export const LETTER_FORM_KEY = {
  receipt: 'receipt',
  'supplement-request': 'supplementRequest',
  refusal: 'refusal',
  apology: 'apology',
  'control-slip': 'controlSlip',
  'stop-notice': 'stopNotice',
} as const satisfies Record<LetterPdf['form'], keyof FormSet['forms']>;

const SIZES = [11, 10.5, 10, 9.5, 9];
const b = (text: string): Span => ({ text, bold: true });
const i = (text: string): Span => ({ text, italic: true });
const t = (text: string): Span => ({ text });

interface Common {
  formSet: FormSet;
  parentName: string;
  agencyName: string;
  dateLine?: string;
  code: string;
}

/** Boxes 1–5: form number, agency and number, motto, place and date, title. */
function heading(s: Sheet, d: Common, form: keyof FormSet['forms'], size: number, options: { dated: boolean }): void {
  const f = d.formSet.forms[form]!;
  // A notice the form set has no form for prints no number (letter-data.ts stopNoticeData).
  if (f.number) s.paragraph([i(`${f.number}${d.formSet.confirmed ? ` — ${d.formSet.legalBasis}` : ''}`)], { size: size - 2, align: 'right', after: mm(1.5) });
  const leftW = s.width * 0.42 - mm(1.5); // and a gutter between the two columns
  const rightX = s.left + s.width * 0.42 + mm(1.5);
  const rightW = s.right - rightX;
  const head = size - 1;
  let yl = s.block([t(d.parentName)], s.y, { size: head, x: s.left, width: leftW, align: 'center' });
  yl = s.block([b(d.agencyName)], yl, { size: head, x: s.left, width: leftW, align: 'center' });
  s.rule(s.left + leftW * 0.3, s.left + leftW * 0.7, yl + 1);
  yl += mm(1.5);
  if (f.reference) yl = s.block([t(`Số: ……/${f.reference}`)], yl, { size: head, x: s.left, width: leftW, align: 'center' });
  // The motto's first line is set as large as the column allows (Decree 30: 12–13 pt on A4, uppercase, bold).
  let yr = s.block([b('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')], s.y, { size: head, x: rightX, width: rightW, align: 'center', oneLine: true });
  yr = s.block([b('Độc lập - Tự do - Hạnh phúc')], yr, { size: head + 0.5, x: rightX, width: rightW, align: 'center' });
  s.rule(rightX + rightW * 0.22, rightX + rightW * 0.78, yr + 1);
  yr += mm(1.5);
  if (options.dated && d.dateLine) yr = s.block([i(d.dateLine)], yr + mm(1), { size, x: rightX, width: rightW, align: 'center' });
  s.y = Math.max(yl, yr) + mm(3);
  s.paragraph([b(f.title)], { size: size + 1, align: 'center', after: mm(1) });
}

/**
 * Box 7 (and 9): the signature blocks side by side, each a role in bold and a hint in italics; on the left either a
 * second signer (the applicant) or the recipients (box 9, a size smaller and flush left).
 */
function signatures(s: Sheet, size: number, left: Span[][] | null, right: Span[][], leftIsRecipients = false): void {
  const half = s.width / 2;
  const place = (y: number, draw: boolean) => {
    let yl = y;
    for (const line of left ?? [])
      yl = s.block(
        line,
        yl,
        leftIsRecipients ? { size: size - 1, x: s.left, width: half, draw } : { size, x: s.left, width: half, align: 'center', oneLine: true, draw },
      );
    let yr = y;
    for (const line of right) yr = s.block(line, yr, { size, x: s.left + half, width: half, align: 'center', oneLine: true, draw });
    // Room for the hand-written signature (and the seal) under the signer's title.
    return Math.max(yl, yr + mm(16));
  };
  s.y += mm(3);
  // The block is not split: on a page of its own if it does not fit (so a letter too long for one sheet is seen as such).
  if (place(s.y, false) > s.bottom) s.addPage();
  s.y = place(s.y, true);
}

const role = (name: string, hint: string): Span[][] => [[b(name)], [i(hint)]];

function layout(s: Sheet, letter: LetterPdf, size: number): void {
  const p = (spans: Span[], o: { align?: 'justify' | 'center' | 'left' } = {}) => s.paragraph(spans, { size, align: o.align ?? 'justify', after: mm(1) });
  switch (letter.form) {
    case 'receipt': {
      const d = letter.data;
      heading(s, d, 'receipt', size, { dated: true });
      p([t('Mã hồ sơ: '), b(d.code)], { align: 'center' });
      p([t(`${d.receivingAgency} tiếp nhận hồ sơ của:`)]);
      p([t('Ông/Bà: '), b(d.applicant.name)]);
      p([t(`Địa chỉ: ${d.applicant.address ?? ''}`)]);
      p([t(`Số điện thoại: ${d.applicant.phone ?? ''} · Email: ${d.applicant.email ?? ''}`)]);
      p([t(`Nội dung yêu cầu giải quyết: ${d.procedureName} (mã ${d.procedureCode})`)]);
      p([t('1. Thành phần hồ sơ nộp gồm: theo danh mục của thủ tục.')]);
      p([t('2. Số lượng hồ sơ: 01 bộ.')]);
      p([t(`3. Thời gian giải quyết hồ sơ theo quy định là: ${d.legalTime}.`)]);
      p([t(`4. Thời gian nhận hồ sơ: ${d.receivedText}.`)]);
      p([
        t('5. Thời gian trả kết quả giải quyết hồ sơ: '),
        b(d.dueText),
        t('.'),
        ...(d.provisional ? [i(' (tạm tính: lịch nghỉ chính thức của năm chưa được công bố)')] : []),
      ]);
      p([t(`6. Đăng ký nhận kết quả tại: ${d.receivingAgency}.`)]);
      p([t('Vào Sổ theo dõi hồ sơ, Quyển số: …… Số thứ tự: ……')]);
      // Where the applicant looks the dossier up, as the page says it (views/letters/receipt.hbs).
      if (d.lookupPage) {
        const noPhone = d.applicant.phone ? '' : ' (hồ sơ chưa khai số điện thoại: xin bổ sung tại nơi tiếp nhận để tra cứu được)';
        p([t('Tra cứu tình trạng hồ sơ tại '), b(d.lookupPage), t(`: nhập mã hồ sơ trên đây và 4 số cuối của số điện thoại đã khai${noPhone}.`)]);
      }
      signatures(s, size, role('NGƯỜI NỘP HỒ SƠ', '(Ký và ghi rõ họ tên)'), role('NGƯỜI TIẾP NHẬN HỒ SƠ', '(Ký và ghi rõ họ tên)'));
      break;
    }
    case 'supplement-request': {
      const d = letter.data;
      heading(s, d, 'supplementRequest', size, { dated: true });
      p([t('Mã hồ sơ: '), b(d.code)], { align: 'center' });
      p([
        t(`${d.receivingAgency} tiếp nhận hồ sơ đề nghị giải quyết thủ tục ${d.procedureName} của Ông/Bà `),
        b(d.applicant.name),
        t(` vào ${d.receivedText}.`),
      ]);
      p([t('Sau khi xem xét, thẩm định hồ sơ, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:')]);
      p([t(d.reason)]);
      p([t(`Lý do: hồ sơ chưa đầy đủ, chưa đúng quy định (yêu cầu ngày ${d.requestedText}).`)]);
      p([t('Thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ.')]);
      p([t(`Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ ${d.receivingAgency} để được hướng dẫn.`)]);
      signatures(s, size, null, role('NGƯỜI HƯỚNG DẪN', '(Ký và ghi rõ họ tên)'));
      break;
    }
    case 'refusal': {
      const d = letter.data;
      heading(s, d, 'refusal', size, { dated: true });
      p([t('Mã hồ sơ: '), b(d.code)], { align: 'center' });
      p([
        t(`${d.receivingAgency} tiếp nhận hồ sơ đề nghị giải quyết thủ tục ${d.procedureName} của Ông/Bà `),
        b(d.applicant.name),
        t(` vào ${d.receivedText}.`),
      ]);
      p([t(`Qua xem xét, ${d.receivingAgency} từ chối tiếp nhận, giải quyết hồ sơ này với lý do sau:`)]);
      p([t(d.reason)]);
      p([t('Xin thông báo để Ông/Bà biết và thực hiện.')]);
      signatures(s, size, null, role('NGƯỜI TIẾP NHẬN HỒ SƠ', '(Ký và ghi rõ họ tên)'));
      break;
    }
    case 'apology': {
      const d = letter.data;
      heading(s, d, 'apology', size, { dated: true });
      p([t('Kính gửi: '), b(d.applicant.name)], { align: 'center' });
      p([t(`Địa chỉ: ${d.applicant.address ?? ''}${d.applicant.phone ? ` · Số điện thoại: ${d.applicant.phone}` : ''}`)]);
      p([
        t(`Vào ${d.receivedDate}, ${d.receivingAgency} tiếp nhận hồ sơ đề nghị giải quyết thủ tục ${d.procedureName} của Ông/Bà, mã hồ sơ `),
        b(d.code),
        t('.'),
      ]);
      p([t(`Thời gian hẹn trả kết quả giải quyết hồ sơ: ${d.previousDueText}.`)]);
      p([
        t(
          `Tuy nhiên, đến nay, ${d.receivingAgency} chưa trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hạn như đã ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.`,
        ),
      ]);
      p([t(`Lý do: ${d.reason}`)]);
      p([
        t(
          `Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. ${d.receivingAgency} xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào `,
        ),
        b(d.newDueText),
        t('.'),
      ]);
      p([t('Trân trọng./.')]);
      signatures(
        s,
        size,
        [[{ text: 'Nơi nhận:', bold: true, italic: true }], [t('- Như trên;')], [t('- Bộ phận Một cửa;')], [t('- Lưu: VT.')]],
        role('THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ', '(Ký, ghi rõ họ tên và đóng dấu)'),
        true,
      );
      break;
    }
    case 'stop-notice': {
      const d = letter.data;
      heading(s, d, 'stopNotice', size, { dated: true });
      p([t('Mã hồ sơ: '), b(d.code)], { align: 'center' });
      p([t('Kính gửi: '), b(d.applicant.name)], { align: 'center' });
      p([t(`${d.receivingAgency} tiếp nhận hồ sơ đề nghị giải quyết thủ tục ${d.procedureName} của Ông/Bà vào ${d.receivedText}.`)]);
      p([t(d.grounds)]);
      if (d.reason) p([t(`Lý do: ${d.reason}`)]);
      p([t(`${d.receivingAgency} thông báo dừng giải quyết hồ sơ nêu trên kể từ ${d.stoppedText}.`)]);
      p([t('Xin thông báo để Ông/Bà biết.')]);
      signatures(
        s,
        size,
        [[{ text: 'Nơi nhận:', bold: true, italic: true }], [t('- Như trên;')], [t('- Lưu: VT.')]],
        role('THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ', '(Ký, ghi rõ họ tên và đóng dấu)'),
        true,
      );
      break;
    }
    case 'control-slip': {
      const d = letter.data;
      heading(s, d, 'controlSlip', size, { dated: false });
      p([t('Mã hồ sơ: '), b(d.code), t(` · Thủ tục: ${d.procedureName}`)], { align: 'left' });
      p([t(`Người nộp: ${d.applicant.name} · Nhận lúc ${d.receivedText} · Hẹn trả: `), b(d.dueText)], { align: 'left' });
      s.y += mm(1);
      s.table(
        [
          { width: 30, header: [b('Tên cơ quan')] },
          { width: 32, header: [b('Thời gian giao, nhận hồ sơ')] },
          { width: 18, header: [b('Kết quả giải quyết hồ sơ (trước hạn / đúng hạn / quá hạn)')] },
          { width: 20, header: [b('Ghi chú')] },
        ],
        d.rows.map((r) => [
          [t(`${r.agency}\n`), i(r.step)],
          [t(`Giao: ${r.give}\nNhận: ${r.receive}${r.budget ? `\nThời gian cho bước: ${r.budget}` : ''}`)],
          [t(r.result)],
          [t(r.note)],
        ]),
        { size: size - 2 },
      );
      s.y += mm(2);
      p([t('Kết quả: '), b(d.outcomeText), t(d.finishedText ? ` (hoàn thành lúc ${d.finishedText})` : '')], { align: 'left' });
      break;
    }
  }
}

function sheetFor(letter: LetterPdf): Sheet {
  const f = letter.data.formSet.forms[LETTER_FORM_KEY[letter.form]];
  return new Sheet({
    size: 'A5',
    margins: { top: 15, bottom: 15, left: 22, right: 12 },
    info: { Title: `${f.title} — ${letter.data.code}`, Subject: `${f.number}, ${letter.data.formSet.legalBasis}` },
  });
}

/** The letter as a PDF: at the largest size that keeps it on one sheet (a control slip of many steps may run on). */
export async function renderLetterPdf(letter: LetterPdf): Promise<Buffer> {
  for (const size of SIZES) {
    const s = sheetFor(letter);
    layout(s, letter, size);
    if (s.pageCount === 1 || size === SIZES.at(-1)) return s.end();
    // Too large for one sheet: this document is dropped unfinished, and the next size tried.
  }
  throw new Error('unreachable');
}
