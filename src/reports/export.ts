/**
 * CSV (UTF-8 with BOM, so Excel reads the diacritics) and Excel exports of
 * report rows: counts as numbers, rates as percentages.
 */
import ExcelJS from 'exceljs';
import type { Column } from './columns.js';
import { percentOf } from './rates.js';

type Row = object;
const get = (r: Row, key: string): unknown => (r as Record<string, unknown>)[key];

/**
 * `standard`: "," between fields and "." in decimals. `vn`: what Excel under
 * Vietnamese regional settings reads as numbers, ";" between fields and ","
 * in decimals (the default for downloads from the pages).
 */
export type CsvDialect = 'standard' | 'vn';

/**
 * Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first: OWASP's "CSV
 * injection"), as an agency or procedure name imported from a province's file can be. A leading apostrophe makes it
 * text again in Excel and LibreOffice; numbers are written by the caller and never pass here as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCsvText(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

function csvCell(v: unknown, separator: string): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? neutraliseCsvText(v) : String(v);
  return s.includes(separator) || /["\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A report's rows as a table prints them: the total last, once (grouped by 'all', the one row is the total). */
export function tableRows<R>(report: { rows: R[]; total: R }, groupBy: string): R[] {
  return groupBy === 'all' ? report.rows : [...report.rows, report.total];
}

/** Rates are written as percentages with two decimals ("95.24" or "95,24"), the header saying (%). */
export function toCsv(columns: Column[], rows: Row[], dialect: CsvDialect = 'standard'): string {
  const sep = dialect === 'vn' ? ';' : ',';
  const header = columns.map((c) => csvCell(c.kind === 'rate' ? `${c.header} (%)` : c.header, sep)).join(sep);
  const lines = rows.map((r) =>
    columns
      .map((c) => {
        const v = get(r, c.key);
        // A rate with no dossiers to judge is "N/A", never 0 % (DOMAIN §5).
        if (c.kind === 'rate' && (v === null || v === undefined)) return 'N/A';
        if (c.kind === 'rate' || (c.kind === 'number' && typeof v === 'number')) {
          const text = c.kind === 'rate' ? percentOf(v as number)!.toFixed(2) : String(v);
          return dialect === 'vn' ? text.replace('.', ',') : text;
        }
        return csvCell(v, sep);
      })
      .join(sep),
  );
  return '\uFEFF' + [header, ...lines].join('\r\n') + '\r\n';
}

export async function toXlsx(columns: Column[], rows: Row[], sheetName: string, title: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Đúng hạn';
  const sheet = book.addWorksheet(sheetName.slice(0, 31));
  sheet.addRow([title]).font = { bold: true, size: 13 };
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  for (const r of rows) sheet.addRow(columns.map((c) => get(r, c.key) ?? (c.kind === 'rate' ? 'N/A' : null)));
  columns.forEach((c, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = c.kind === 'text' ? 40 : 14;
    if (c.kind === 'rate') col.numFmt = '0.00%';
    if (c.kind === 'count') col.numFmt = '#,##0';
    if (c.kind === 'number') col.numFmt = '0.00';
  });
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
