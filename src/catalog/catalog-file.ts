/**
 * A province's catalogue as files: JSON (`{ agencies: [...], procedures: [...] }`
 * in the API's own shape) or tables (CSV, or XLSX sheets) with one flat column
 * per field. Every bad row and column is named; nothing is half read.
 *
 * Tables: a sheet or CSV is the agency table when its header has `parentCode`
 * (or `Cơ quan cấp trên`), the procedure table when it has `durationValue` (or
 * `Thời hạn`). Empty cells take the field's default. Lists: office hours
 * `08:00-12:00;13:00-17:00`; interconnected steps `Thẩm định=2 working-days;Ký=0.5 working-days`
 * (or the JSON array).
 */
import { z } from 'zod';
import { BAD_TEXT_MESSAGE, hasBadText } from '../clean-text.js';
import { cellExceeded, CLI_UPLOAD_LIMITS, MAX_JSON_DEPTH, rowsExceeded, UploadLimitError, type UploadLimits } from './upload-limits.js';
import { agencySchema, procedureSchema, type Agency, type Procedure } from './schemas.js';

/** Where a catalogue entry came from, for messages an administrator can act on. */
export interface Origin {
  file: string;
  /** Row in the sheet or CSV, header = 1; element of the JSON array, first = 1. */
  row: number;
}

export interface ImportIssue extends Partial<Origin> {
  file: string;
  column?: string;
  message: string;
}

export interface CatalogInput {
  agencies: Array<{ value: Agency; at: Origin }>;
  procedures: Array<{ value: Procedure; at: Origin }>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: ImportIssue[] };

/** The rows that parsed, and the problems of those that did not: later checks (parents, versions) still run on the good rows. */
export interface ReadResult {
  input: CatalogInput;
  issues: ImportIssue[];
}

const empty = (): CatalogInput => ({ agencies: [], procedures: [] });

export type TableKind = 'agencies' | 'procedures';

type Coerce = 'text' | 'nullable' | 'number' | 'boolean' | 'list' | 'steps';

interface Column {
  name: string;
  /** Where the value goes in the schema's input. */
  path: string[];
  coerce: Coerce;
  /** Vietnamese headers accepted for the column (as a province's own spreadsheet names it). */
  aliases: string[];
}

const col = (name: string, path: string[], coerce: Coerce, ...aliases: string[]): Column => ({ name, path, coerce, aliases });

export const TABLE_COLUMNS: Record<TableKind, Column[]> = {
  agencies: [
    col('code', ['code'], 'text', 'Mã cơ quan', 'Mã đơn vị'),
    col('name', ['name'], 'text', 'Tên cơ quan', 'Tên đơn vị'),
    col('kind', ['kind'], 'text', 'Cấp', 'Loại'),
    col('parentCode', ['parentCode'], 'nullable', 'Cơ quan cấp trên', 'Mã cơ quan cấp trên'),
    col('validFrom', ['validFrom'], 'text', 'Hiệu lực từ'),
    col('validTo', ['validTo'], 'nullable', 'Hiệu lực đến'),
    col('email', ['email'], 'nullable', 'Thư điện tử'),
    col('officeHours', ['settings', 'officeHours'], 'list', 'Giờ làm việc'),
    col('deadlineConvention', ['settings', 'deadlineConvention'], 'text'),
    col('receiptCutoff', ['settings', 'receiptCutoff'], 'nullable', 'Giờ tiếp nhận cuối'),
    col('supplementPolicy', ['settings', 'supplementPolicy'], 'text'),
    col('apologyLeadWorkingDays', ['settings', 'apologyLeadWorkingDays'], 'number'),
    col('repeatedSupplementIsLate', ['settings', 'repeatedSupplementIsLate'], 'boolean'),
    col('lateApology766', ['settings', 'lateApology766'], 'text'),
    col('latenessReading', ['settings', 'latenessReading'], 'text'),
    col('letterSelfApproval', ['settings', 'letterSelfApproval'], 'boolean', 'Tự duyệt văn bản'),
    col('source', ['source'], 'text', 'Căn cứ', 'Nguồn'),
  ],
  procedures: [
    col('code', ['code'], 'text', 'Mã TTHC', 'Mã thủ tục'),
    col('name', ['name'], 'text', 'Tên TTHC', 'Tên thủ tục'),
    col('field', ['field'], 'text', 'Lĩnh vực', 'Tên lĩnh vực'),
    col('fieldCode', ['fieldCode'], 'nullable', 'Mã lĩnh vực'),
    col('durationValue', ['duration', 'value'], 'number', 'Thời hạn'),
    col('durationUnit', ['duration', 'unit'], 'text', 'Đơn vị thời hạn'),
    col('onlineLevel', ['onlineLevel'], 'text', 'Mức độ DVC'),
    col('feeRequired', ['feeRequired'], 'boolean', 'Có phí, lệ phí'),
    col('paperResult', ['paperResult'], 'boolean', 'Kết quả bằng giấy'),
    col('steps', ['steps'], 'steps', 'Các bước liên thông'),
    col('receiptCutoff', ['receiptCutoff'], 'nullable', 'Giờ tiếp nhận cuối'),
    col('receiptCutoffSource', ['receiptCutoffSource'], 'nullable', 'Căn cứ giờ tiếp nhận cuối'),
    col('validFrom', ['validFrom'], 'text', 'Hiệu lực từ', 'Ngày áp dụng'),
    col('validTo', ['validTo'], 'nullable', 'Hiệu lực đến'),
    col('source', ['source'], 'text', 'Căn cứ', 'Nguồn'),
  ],
};

const REQUIRED: Record<TableKind, string[]> = {
  agencies: ['code', 'name', 'kind', 'parentCode', 'validFrom', 'source'],
  procedures: ['code', 'name', 'field', 'durationValue', 'durationUnit', 'onlineLevel', 'feeRequired', 'source'],
};

const normalise = (h: string) => h.normalize('NFC').trim().toLowerCase();

function columnOf(kind: TableKind, header: string): Column | undefined {
  const h = normalise(header);
  return TABLE_COLUMNS[kind].find((c) => normalise(c.name) === h || c.aliases.some((a) => normalise(a) === h));
}

/** Which table a header row is; null when it is neither. */
export function tableKindOf(header: string[]): TableKind | null {
  if (header.some((h) => columnOf('agencies', h)?.name === 'parentCode')) return 'agencies';
  if (header.some((h) => columnOf('procedures', h)?.name === 'durationValue')) return 'procedures';
  return null;
}

const TRUE = new Set(['true', '1', 'yes', 'x', 'có', 'co']);
const FALSE = new Set(['false', '0', 'no', 'không', 'khong']);

/** A cell's text as the schema expects it; values that do not coerce are kept so the schema names the problem. */
function coerceCell(raw: string, how: Coerce): unknown {
  const s = raw.trim();
  if (s === '') return how === 'nullable' ? null : undefined;
  switch (how) {
    case 'text':
    case 'nullable':
      return s;
    case 'number':
      return /^-?\d+([.,]\d+)?$/.test(s) ? Number(s.replace(',', '.')) : s;
    case 'boolean':
      return TRUE.has(s.toLowerCase()) ? true : FALSE.has(s.toLowerCase()) ? false : s;
    case 'list':
      return s.startsWith('[')
        ? tryJson(s)
        : s
            .split(/[;,]/)
            .map((x) => x.trim())
            .filter(Boolean);
    case 'steps':
      if (s.startsWith('[')) return tryJson(s);
      return s
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((part) => {
          const m = /^(.+?)\s*=\s*(\d+(?:[.,]\d+)?)\s*([a-z-]+)?$/.exec(part);
          return m ? { step: m[1]!.trim(), budget: { value: Number(m[2]!.replace(',', '.')), unit: m[3] ?? 'working-days' } } : part;
        });
  }
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let o = target;
  for (const key of path.slice(0, -1)) o = (o[key] ??= {}) as Record<string, unknown>;
  o[path.at(-1)!] = value;
}

/** The column a schema issue belongs to: the longest column path that prefixes the issue's path. */
function columnForIssue(kind: TableKind, issuePath: PropertyKey[]): string | undefined {
  const p = issuePath.map(String);
  let best: Column | undefined;
  for (const c of TABLE_COLUMNS[kind]) {
    if (c.path.every((k, i) => p[i] === k) && (!best || c.path.length > best.path.length)) best = c;
  }
  // `duration` as a whole (a refinement on value and unit together) belongs to its value.
  if (!best && p[0] === 'duration') return 'durationValue';
  return best?.name;
}

/**
 * One table (rows of cell text, header first) into catalogue entries. `rowNumbers[i]` is the sheet's own row
 * number of `rows[i]` when rows were skipped (empty lines in a spreadsheet).
 */
export function parseTable(file: string, rows: string[][], rowNumbers?: number[]): ReadResult {
  const [header, ...body] = rows;
  const kind = header ? tableKindOf(header) : null;
  if (!header || !kind) {
    return {
      input: empty(),
      issues: [{ file, row: 1, message: 'not a catalogue table: the header needs parentCode (agencies) or durationValue (procedures)' }],
    };
  }
  const issues: ImportIssue[] = [];
  const columns = header.map((h) => {
    const c = columnOf(kind, h);
    if (!c && h.trim() !== '')
      issues.push({ file, row: 1, column: h, message: `unknown column; the ${kind} table has ${TABLE_COLUMNS[kind].map((x) => x.name).join(', ')}` });
    return c;
  });
  const seen = new Set(columns.filter(Boolean).map((c) => c!.name));
  for (const name of REQUIRED[kind]) if (!seen.has(name)) issues.push({ file, row: 1, column: name, message: 'required column missing' });
  const duplicated = columns.filter((c, i) => c && columns.findIndex((d) => d?.name === c.name) !== i);
  for (const c of duplicated) issues.push({ file, row: 1, column: c!.name, message: 'column given twice' });
  if (issues.length) return { input: empty(), issues };

  const input = empty();
  body.forEach((cells, i) => {
    const row = rowNumbers?.[i + 1] ?? i + 2;
    if (cells.every((c) => c.trim() === '')) return;
    const raw: Record<string, unknown> = {};
    // A cell with bad text is named once: the schema's "expected string, received undefined" for it would mislead.
    const badText = new Set<string>();
    columns.forEach((c, j) => {
      if (!c) return;
      if (hasBadText(cells[j] ?? '')) {
        badText.add(c.name);
        return void issues.push({ file, row, column: c.name, message: BAD_TEXT_MESSAGE });
      }
      const v = coerceCell(cells[j] ?? '', c.coerce);
      if (v !== undefined) setPath(raw, c.path, v);
    });
    const schema = kind === 'agencies' ? agencySchema : procedureSchema;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = columnForIssue(kind, issue.path) ?? issue.path.join('.');
        if (!badText.has(column)) issues.push({ file, row, column, message: issue.message });
      }
      return;
    }
    if (kind === 'agencies') input.agencies.push({ value: parsed.data as Agency, at: { file, row } });
    else input.procedures.push({ value: parsed.data as Procedure, at: { file, row } });
  });
  return { input, issues };
}

const jsonCatalogSchema = z.strictObject({
  agencies: z.array(z.unknown()).default([]),
  procedures: z.array(z.unknown()).default([]),
});

/** The JSON form: the API's own shapes. */
export function parseCatalogJson(file: string, body: unknown, limits: UploadLimits = CLI_UPLOAD_LIMITS): ReadResult {
  if (hasBadTextDeep(body, file, limits)) return { input: empty(), issues: [{ file, message: `the file ${BAD_TEXT_MESSAGE}` }] };
  const top = jsonCatalogSchema.safeParse(body);
  if (!top.success) return { input: empty(), issues: top.error.issues.map((i) => ({ file, column: i.path.join('.') || undefined, message: i.message })) };
  if (top.data.agencies.length + top.data.procedures.length > limits.maxRows) throw rowsExceeded(limits, file);
  const issues: ImportIssue[] = [];
  const input = empty();
  const read = <T>(list: unknown[], schema: z.ZodType<T>, name: 'agencies' | 'procedures', out: Array<{ value: T; at: Origin }>) =>
    list.forEach((item, i) => {
      const parsed = schema.safeParse(item);
      if (parsed.success) out.push({ value: parsed.data, at: { file, row: i + 1 } });
      else for (const issue of parsed.error.issues) issues.push({ file, row: i + 1, column: [name, i, ...issue.path].join('.'), message: issue.message });
    });
  read(top.data.agencies, agencySchema as z.ZodType<Agency>, 'agencies', input.agencies);
  read(top.data.procedures, procedureSchema as z.ZodType<Procedure>, 'procedures', input.procedures);
  return { input, issues };
}

/**
 * Every string and key of the parsed file, walked with a stack of our own rather than recursion: a file nested
 * 100,000 deep overflowed the call stack (a 500, issue 29). It is refused at MAX_JSON_DEPTH, a string longer than a
 * cell at the cell limit.
 */
function hasBadTextDeep(root: unknown, file: string, limits: UploadLimits): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]];
  const text = (s: string) => {
    if (s.length > limits.maxCellChars) throw cellExceeded(limits, file);
    return hasBadText(s);
  };
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (text(v)) return true;
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH)
      throw new UploadLimitError('depth', MAX_JSON_DEPTH, `${file}: nested deeper than ${MAX_JSON_DEPTH} levels; a catalogue is two lists of entries`);
    if (Array.isArray(v)) for (const x of v) stack.push([x, depth + 1]);
    else
      for (const [k, x] of Object.entries(v)) {
        if (text(k)) return true;
        stack.push([x, depth + 1]);
      }
  }
  return false;
}

/** Several read parts (files, sheets) as one. */
export function mergeReads(parts: ReadResult[]): ReadResult {
  const out: ReadResult = { input: empty(), issues: [] };
  for (const p of parts) {
    out.input.agencies.push(...p.input.agencies);
    out.input.procedures.push(...p.input.procedures);
    out.issues.push(...p.issues);
  }
  return out;
}

/** `procedures.csv row 4, column durationValue: expected number`: one line an administrator can act on. */
export function describeIssue(i: ImportIssue): string {
  const where = [i.file, i.row !== undefined ? `row ${i.row}` : null, i.column ? `column ${i.column}` : null].filter(Boolean).join(', ');
  return `${where}: ${i.message}`;
}
