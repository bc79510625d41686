/**
 * Reads a catalogue file's bytes by its format (JSON, CSV, XLSX) into tables
 * or JSON for catalog-file.ts. A CSV may be UTF-8 with or without a BOM, comma
 * or semicolon separated (Excel under Vietnamese settings writes ";").
 */
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { mergeReads, parseCatalogJson, parseTable, type ReadResult } from './catalog-file.js';

export type CatalogFormat = 'json' | 'csv' | 'xlsx';

export function formatOf(fileName: string): CatalogFormat | null {
  const ext = fileName.toLowerCase().split('.').pop();
  return ext === 'json' || ext === 'csv' || ext === 'xlsx' ? ext : null;
}

export async function readCatalogFile(file: string, bytes: Buffer, format: CatalogFormat): Promise<ReadResult> {
  switch (format) {
    case 'json': {
      let body: unknown;
      try {
        body = JSON.parse(bytes.toString('utf8'));
      } catch (err) {
        return { input: { agencies: [], procedures: [] }, issues: [{ file, message: `not JSON: ${(err as Error).message}` }] };
      }
      return parseCatalogJson(file, body);
    }
    case 'csv': {
      const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
      const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
      let rows: string[][];
      try {
        rows = parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: false });
      } catch (err) {
        return { input: { agencies: [], procedures: [] }, issues: [{ file, message: `not a readable CSV: ${(err as Error).message}` }] };
      }
      return parseTable(file, rows);
    }
    case 'xlsx': {
      const workbook = new ExcelJS.Workbook();
      try {
        await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      } catch (err) {
        return { input: { agencies: [], procedures: [] }, issues: [{ file, message: `not a readable XLSX workbook: ${(err as Error).message}` }] };
      }
      const parts: ReadResult[] = [];
      workbook.eachSheet((sheet) => {
        const rows: string[][] = [];
        const numbers: number[] = [];
        sheet.eachRow({ includeEmpty: false }, (row, n) => {
          const cells: string[] = [];
          for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellText(row.getCell(c).value));
          rows.push(cells);
          numbers.push(n);
        });
        if (!rows.length) return;
        parts.push(parseTable(`${file} [${sheet.name}]`, rows, numbers));
      });
      if (!parts.length) return { input: { agencies: [], procedures: [] }, issues: [{ file, message: 'the workbook has no sheet with a catalogue table' }] };
      return mergeReads(parts);
    }
  }
}

/** A cell as the text a person sees: dates as YYYY-MM-DD (Excel stores them as UTC midnight), formulas by result. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('error' in v) return String(v.error);
  }
  return String(v);
}
