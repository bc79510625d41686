/**
 * Reads a catalogue file's bytes by its format (JSON, CSV, XLSX) into tables
 * or JSON for catalog-file.ts. A CSV may be UTF-8 with or without a BOM, comma
 * or semicolon separated (Excel under Vietnamese settings writes ";").
 */
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { mergeReads, parseCatalogJson, parseTable, type ReadResult } from './catalog-file.js';
import { cellExceeded, CLI_UPLOAD_LIMITS, rowsExceeded, UNPACK_FACTOR, UploadLimitError, zipUnpackedSize, type UploadLimits } from './upload-limits.js';

export type CatalogFormat = 'json' | 'csv' | 'xlsx';

export function formatOf(fileName: string): CatalogFormat | null {
  const ext = fileName.toLowerCase().split('.').pop();
  return ext === 'json' || ext === 'csv' || ext === 'xlsx' ? ext : null;
}

/**
 * One file's rows. The limits are checked as it is read: a CSV stops at the row past the limit (`to`), a cell
 * is measured as its record is parsed, a workbook's claimed unpacked size is checked before it is unpacked and its
 * rows are counted as they stream; a limit passed throws UploadLimitError and nothing after it is read.
 */
export async function readCatalogFile(file: string, bytes: Buffer, format: CatalogFormat, limits: UploadLimits = CLI_UPLOAD_LIMITS): Promise<ReadResult> {
  if (bytes.length > limits.maxBytes) throw new UploadLimitError('bytes', limits.maxBytes, `${file}: larger than ${limits.maxBytes} bytes (UPLOAD_MAX_BYTES)`);
  switch (format) {
    case 'json': {
      let body: unknown;
      try {
        body = JSON.parse(bytes.toString('utf8'));
      } catch (err) {
        return { input: { agencies: [], procedures: [] }, issues: [{ file, message: `not JSON: ${(err as Error).message}` }] };
      }
      return parseCatalogJson(file, body, limits);
    }
    case 'csv': {
      const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
      const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
      const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
      let rows: string[][];
      try {
        rows = parseCsv(text, {
          delimiter,
          relax_column_count: true,
          skip_empty_lines: false,
          // The header, the rows allowed and one more to tell that there are more: the rest is never parsed.
          to: limits.maxRows + 2,
          on_record: (record: string[], context: { lines: number }) => {
            for (const cell of record) if (cell.length > limits.maxCellChars) throw cellExceeded(limits, `${file} line ${context.lines}`);
            return record;
          },
        });
      } catch (err) {
        if (err instanceof UploadLimitError) throw err;
        return { input: { agencies: [], procedures: [] }, issues: [{ file, message: `not a readable CSV: ${(err as Error).message}` }] };
      }
      if (rows.length > limits.maxRows + 1) throw rowsExceeded(limits, file);
      return parseTable(file, rows);
    }
    case 'xlsx':
      return readWorkbook(file, bytes, limits);
  }
}

async function readWorkbook(file: string, bytes: Buffer, limits: UploadLimits): Promise<ReadResult> {
  const unreadable = (err: unknown): ReadResult => ({
    input: { agencies: [], procedures: [] },
    issues: [{ file, message: `not a readable XLSX workbook: ${(err as Error).message}` }],
  });
  const unpacked = zipUnpackedSize(bytes);
  if (unpacked === null) return unreadable(new Error('not a ZIP archive the reader can size'));
  const maxUnpacked = Math.min(limits.maxBytes * UNPACK_FACTOR, Number.MAX_SAFE_INTEGER);
  if (unpacked > maxUnpacked)
    throw new UploadLimitError(
      'unpackedBytes',
      maxUnpacked,
      `${file}: its parts unpack to ${unpacked} bytes, more than ${maxUnpacked} (${UNPACK_FACTOR} × UPLOAD_MAX_BYTES)`,
    );
  const parts: ReadResult[] = [];
  let dataRows = 0;
  try {
    // The streaming reader: rows arrive one by one, so the count stops the read, not the end of the file.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
      sharedStrings: 'cache',
      worksheets: 'emit',
      hyperlinks: 'ignore',
      styles: 'cache',
      entries: 'ignore',
    });
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name: string }).name;
      const rows: string[][] = [];
      const numbers: number[] = [];
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = (row.values as ExcelJS.CellValue[]) ?? [];
        const cells: string[] = [];
        for (let c = 1; c < values.length; c++) {
          const text = cellText(values[c] ?? null);
          if (text.length > limits.maxCellChars) throw cellExceeded(limits, `${file} [${name}] row ${row.number}`);
          cells.push(text);
        }
        if (cells.every((c) => c.trim() === '')) continue;
        if (rows.length && ++dataRows > limits.maxRows) throw rowsExceeded(limits, file);
        rows.push(cells);
        numbers.push(row.number);
      }
      if (rows.length) parts.push(parseTable(`${file} [${name}]`, rows, numbers));
    }
  } catch (err) {
    if (err instanceof UploadLimitError) throw err;
    return unreadable(err);
  }
  if (!parts.length) return { input: { agencies: [], procedures: [] }, issues: [{ file, message: 'the workbook has no sheet with a catalogue table' }] };
  return mergeReads(parts);
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
