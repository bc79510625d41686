/**
 * An official report form (official-forms.ts) as the files that are sent: XLSX with the form's merged header cells
 * and numbered columns, and PDF (A4 landscape, Tinos) with the same table and the signature block.
 */
import ExcelJS from 'exceljs';
import { Sheet, mm, type Span } from '../pdf/sheet.js';
import { COUNT_HEADER, type OfficialReport } from './official-forms.js';

const COLUMNS = 13;

/** The header cells of the table, as (row, column, row span, column span, text), rows 0–2 and columns 0–12. */
function headerCells(r: OfficialReport): Array<{ row: number; col: number; rows: number; cols: number; text: string }> {
  const cells = [
    { row: 0, col: 0, rows: 3, cols: 1, text: 'STT' },
    { row: 0, col: 1, rows: 3, cols: 1, text: r.rowHeader },
  ];
  let col = 2;
  for (const g of COUNT_HEADER.groups) {
    cells.push({ row: 0, col, rows: 1, cols: g.span, text: g.title });
    col += g.span;
  }
  COUNT_HEADER.columns.forEach((text, i) => {
    const c = 2 + i;
    // Columns 4 and 5 (this period's receipts online and at the counter) sit under "Trong đó".
    if (i === 1) cells.push({ row: 1, col: c, rows: 1, cols: 2, text: COUNT_HEADER.inPeriod });
    if (i === 1 || i === 2) cells.push({ row: 2, col: c, rows: 1, cols: 1, text });
    else cells.push({ row: 1, col: c, rows: 2, cols: 1, text });
  });
  return cells;
}

export async function officialReportXlsx(r: OfficialReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Đúng hạn';
  const sheet = book.addWorksheet(
    r.number
      .replace(/^Biểu số /, '')
      .replace(/\//g, '-')
      .slice(0, 31),
    {
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    },
  );
  const font = { name: 'Times New Roman', size: 11 };
  const put = (row: number, from: number, to: number, value: string | number, style: Partial<ExcelJS.Style> = {}) => {
    if (to > from) sheet.mergeCells(row, from, row, to);
    const cell = sheet.getCell(row, from);
    cell.value = value;
    cell.font = { ...font, ...(style.font ?? {}) };
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center', ...(style.alignment ?? {}) };
  };
  const bold = { font: { ...font, bold: true } };
  const italic = { font: { ...font, italic: true } };
  put(1, 1, 3, r.number, { ...bold, alignment: { horizontal: 'left' } });
  put(1, 4, 10, r.title, bold);
  put(1, 11, 13, `- Đơn vị báo cáo: ${r.reportingUnit}`, { alignment: { horizontal: 'left' } });
  put(2, 4, 10, `Kỳ báo cáo: ${r.periodText}`, bold);
  put(2, 11, 13, `- Đơn vị nhận báo cáo: ${r.receivingUnit}`, { alignment: { horizontal: 'left' } });
  put(3, 4, 10, `(${r.rangeText})`, italic);
  put(4, 11, 13, 'Đơn vị tính: Số hồ sơ TTHC.', { ...italic, alignment: { horizontal: 'right' } });
  const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
  const top = 5;
  for (const c of headerCells(r)) {
    sheet.mergeCells(top + c.row, 1 + c.col, top + c.row + c.rows - 1, 1 + c.col + c.cols - 1);
    const cell = sheet.getCell(top + c.row, 1 + c.col);
    cell.value = c.text;
    cell.font = { ...font, bold: true };
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  }
  // The column numbers, as the form prints them: (1) … (13).
  sheet.getRow(top + 3).values = Array.from({ length: COLUMNS }, (_, i) => `(${i + 1})`);
  const rows = [...r.rows.map((row, i) => [i + 1, `${'    '.repeat(row.depth)}${row.label}`, ...row.numbers]), ['', 'Tổng cộng', ...r.total]];
  rows.forEach((values, i) => {
    const row = sheet.getRow(top + 4 + i);
    row.values = values;
    if (i === rows.length - 1) row.font = { ...font, bold: true };
  });
  const last = top + 4 + rows.length - 1;
  for (let y = top; y <= last; y++)
    for (let x = 1; x <= COLUMNS; x++) {
      const cell = sheet.getCell(y, x);
      cell.border = border;
      if (!cell.font) cell.font = font;
      if (y >= top + 3) cell.alignment = { vertical: 'middle', horizontal: x === 2 ? 'left' : 'center', wrapText: x === 2 };
      if (y > top + 3 && x > 2) cell.numFmt = '#,##0';
    }
  let y = last + 2;
  put(y++, 1, COLUMNS, 'Ghi chú:', { ...bold, alignment: { horizontal: 'left' } });
  for (const note of r.notes) {
    put(y, 1, COLUMNS, `- ${note}`, { alignment: { horizontal: 'left' } });
    sheet.getRow(y++).height = 30;
  }
  y += 1;
  put(y, 10, 13, r.placeLine, italic);
  put(y + 1, 1, 4, 'NGƯỜI LẬP BIỂU', bold);
  put(y + 1, 10, 13, 'THỦ TRƯỞNG ĐƠN VỊ', bold);
  put(y + 2, 1, 4, '(Ký, ghi rõ họ tên)', italic);
  put(y + 2, 10, 13, '(Ký tên, đóng dấu)', italic);
  sheet.getColumn(1).width = 6;
  sheet.getColumn(2).width = 42;
  for (let x = 3; x <= COLUMNS; x++) sheet.getColumn(x).width = 11;
  sheet.getRow(1).height = 32;
  sheet.views = [{ state: 'frozen', ySplit: top + 3 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Column widths of the PDF table, in shares of the text width: number, name, then the 11 counts. */
const PDF_WIDTHS = [3.5, 21.5, ...Array.from({ length: 11 }, () => 75 / 11)];

export async function officialReportPdf(r: OfficialReport): Promise<Buffer> {
  const s = new Sheet({
    size: 'A4',
    landscape: true,
    margins: { top: 15, bottom: 15, left: 20, right: 15 },
    info: { Title: `${r.number} — ${r.periodText}`, Subject: r.title },
  });
  const b = (text: string): Span => ({ text, bold: true });
  const i = (text: string): Span => ({ text, italic: true });
  const size = 10;
  const leftW = s.width * 0.2;
  const rightW = s.width * 0.25;
  const midX = s.left + leftW;
  const midW = s.width - leftW - rightW;
  const rightX = s.right - rightW;
  s.block([b(r.number)], s.y, { size, x: s.left, width: leftW });
  let ym = s.block([b(r.title)], s.y, { size: size + 2, x: midX, width: midW, align: 'center' });
  ym = s.block([b(`Kỳ báo cáo: ${r.periodText}`)], ym + mm(1), { size: size + 1, x: midX, width: midW, align: 'center' });
  ym = s.block([i(`(${r.rangeText})`)], ym, { size, x: midX, width: midW, align: 'center' });
  let yr = s.block([b('- Đơn vị báo cáo: '), { text: r.reportingUnit }], s.y, { size: size - 1, x: rightX, width: rightW });
  yr = s.block([b('- Đơn vị nhận báo cáo: '), { text: r.receivingUnit }], yr, { size: size - 1, x: rightX, width: rightW });
  s.y = Math.max(ym, yr) + mm(1);
  s.paragraph([i('Đơn vị tính: Số hồ sơ TTHC.')], { size: size - 1, align: 'right', after: mm(1) });

  const total = PDF_WIDTHS.reduce((a, w) => a + w, 0);
  const widths = PDF_WIDTHS.map((w) => (w / total) * s.width);
  const xs = widths.reduce<number[]>((acc, w, k) => [...acc, acc[k]! + w], [s.left]);
  const pad = mm(1);
  const cellSize = 9;
  const header = () => {
    const cells = headerCells(r);
    // Row heights of the three header rows: the tallest single-row cell of each, at least one line.
    const heights = [0, 1, 2].map((row) =>
      Math.max(
        cellSize * 1.2 + 2 * pad,
        ...cells
          .filter((c) => c.row === row && c.rows === 1)
          .map((c) => s.block([b(c.text)], 0, { size: cellSize, x: 0, width: xs[c.col + c.cols]! - xs[c.col]! - 2 * pad, draw: false }) + 2 * pad),
      ),
    );
    const ys = heights.reduce<number[]>((acc, h, k) => [...acc, acc[k]! + h], [s.y]);
    for (const c of cells) {
      const x = xs[c.col]!;
      const w = xs[c.col + c.cols]! - x;
      const y = ys[c.row]!;
      const h = ys[c.row + c.rows]! - y;
      s.rect(x, y, w, h);
      const textH = s.block([b(c.text)], 0, { size: cellSize, x: 0, width: w - 2 * pad, draw: false });
      s.block([b(c.text)], y + Math.max(pad, (h - textH) / 2), { size: cellSize, x: x + pad, width: w - 2 * pad, align: 'center' });
    }
    s.y = ys[3]!;
    row(
      Array.from({ length: COLUMNS }, (_, k) => `(${k + 1})`),
      false,
      true,
    );
  };
  const row = (values: Array<string | number>, bold: boolean, centerAll = false, depth = 0) => {
    const spans = values.map((v) => [{ text: String(v), bold }]);
    const h =
      Math.max(...spans.map((sp, k) => s.block(sp, 0, { size: cellSize, x: 0, width: widths[k]! - 2 * pad - (k === 1 ? depth * mm(3) : 0), draw: false }))) +
      2 * pad;
    if (s.y + h > s.bottom) {
      s.addPage();
      header();
    }
    spans.forEach((sp, k) => {
      s.rect(xs[k]!, s.y, widths[k]!, h);
      const indent = k === 1 ? depth * mm(3) : 0;
      s.block(sp, s.y + pad, {
        size: cellSize,
        x: xs[k]! + pad + indent,
        width: widths[k]! - 2 * pad - indent,
        align: centerAll || k === 0 ? 'center' : k === 1 ? 'left' : 'right',
      });
    });
    s.y += h;
  };
  header();
  r.rows.forEach((x, k) => row([k + 1, x.label, ...x.numbers.map(formatCount)], false, false, x.depth));
  row(['', 'Tổng cộng', ...r.total.map(formatCount)], true);

  s.y += mm(2);
  s.paragraph([{ text: 'Ghi chú:', bold: true, italic: true }], { size: size - 1 });
  for (const note of r.notes) s.paragraph([{ text: `- ${note}` }], { size: size - 1, align: 'justify' });
  s.y += mm(3);
  const half = s.width / 2;
  const needed = (size + 1) * 1.2 * 3 + mm(18);
  if (s.y + needed > s.bottom) s.addPage();
  const y0 = s.y;
  s.block([i(r.placeLine)], y0, { size, x: s.left + half, width: half, align: 'center' });
  const y1 = y0 + size * 1.2;
  s.block([b('NGƯỜI LẬP BIỂU')], y1, { size, x: s.left, width: half, align: 'center' });
  s.block([i('(Ký, ghi rõ họ tên)')], y1 + size * 1.2, { size, x: s.left, width: half, align: 'center' });
  s.block([b('THỦ TRƯỞNG ĐƠN VỊ')], y1, { size, x: s.left + half, width: half, align: 'center' });
  s.block([i('(Ký tên, đóng dấu)')], y1 + size * 1.2, { size, x: s.left + half, width: half, align: 'center' });
  return s.end();
}

/** 1234 → "1.234", as Vietnamese writes thousands. */
const formatCount = (n: number) => n.toLocaleString('vi-VN');
