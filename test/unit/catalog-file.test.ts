/**
 * A province's catalogue as files (src/catalog/catalog-file.ts, read by
 * catalog-formats.ts): JSON in the API's shape, CSV (comma or semicolon, with
 * or without a BOM) and XLSX sheets built here with exceljs. Headers in English
 * or as a province's own spreadsheet writes them in Vietnamese; every problem
 * named by file, row (header = 1, the sheet's own numbering) and column.
 */
import ExcelJS from 'exceljs';
import { describeIssue, parseCatalogJson, parseTable, type ImportIssue } from '../../src/catalog/catalog-file.js';
import { readCatalogFile } from '../../src/catalog/catalog-formats.js';
import { BAD_TEXT_MESSAGE } from '../../src/clean-text.js';

const where = (issues: ImportIssue[]) => issues.map((i) => `${i.file} row ${i.row} ${i.column}`);

describe('CSV', () => {
  test('a procedure table with Vietnamese headers, comma separated with a BOM: booleans, decimal commas and steps read', async () => {
    const csv = [
      '"Mã TTHC","Tên TTHC","Lĩnh vực","Thời hạn","Đơn vị thời hạn","Mức độ DVC","Có phí, lệ phí","Kết quả bằng giấy","Các bước liên thông","Ngày áp dụng","Căn cứ"',
      '1.004194,Đăng ký tạm trú,Cư trú,3,working-days,full,có,không,"Thẩm định=2 working-days;Ký=0,5",2026-01-01,QĐ 12/2025',
      // Row 3: "ba" is not a number, "cao" not a level; row 4 blank is skipped; row 5 is good.
      '1.000656,Đăng ký khai tử,Hộ tịch,ba,working-days,cao,x,,,,QĐ 12/2025',
      ',,,,,,,,,,',
      '1.000894,Đăng ký kết hôn,Hộ tịch,"0,5",working-days,partial,0,,,,QĐ 12/2025',
    ].join('\r\n');
    const read = await readCatalogFile('procedures.csv', Buffer.from(`\uFEFF${csv}`, 'utf8'), 'csv');
    expect(read.input.procedures.map((p) => p.value)).toEqual([
      {
        code: '1.004194',
        name: 'Đăng ký tạm trú',
        field: 'Cư trú',
        fieldCode: null,
        duration: { value: 3, unit: 'working-days' },
        onlineLevel: 'full',
        feeRequired: true,
        paperResult: false,
        // Steps without a unit are in working days; "0,5" is a Vietnamese decimal comma.
        steps: [
          { step: 'Thẩm định', budget: { value: 2, unit: 'working-days' } },
          { step: 'Ký', budget: { value: 0.5, unit: 'working-days' } },
        ],
        receiptCutoff: null,
        receiptCutoffSource: null,
        source: 'QĐ 12/2025',
        validFrom: '2026-01-01',
        validTo: null,
      },
      // Empty cells take the field's default: a paper result, no steps, valid from 2000-01-01.
      expect.objectContaining({
        code: '1.000894',
        duration: { value: 0.5, unit: 'working-days' },
        feeRequired: false,
        paperResult: true,
        steps: [],
        validFrom: '2000-01-01',
      }),
    ]);
    expect(read.input.procedures.map((p) => p.at.row)).toEqual([2, 5]);
    expect(where(read.issues)).toEqual(['procedures.csv row 3 durationValue', 'procedures.csv row 3 onlineLevel']);
  });

  test('an agency table, semicolon separated as Excel writes it under Vietnamese settings', async () => {
    const csv = [
      'Mã cơ quan;Tên cơ quan;Cấp;Cơ quan cấp trên;Hiệu lực từ;Giờ làm việc;repeatedSupplementIsLate;Căn cứ',
      'SLA;Tỉnh Sơn La;province;;2000-01-01;07:30-11:30, 13:30-17:00;không;QĐ 1',
      'SLA.CCO;Xã Chiềng Cơi;commune;SLA;2025-07-01;;;QĐ 2',
    ].join('\n');
    const read = await readCatalogFile('agencies.csv', Buffer.from(csv, 'utf8'), 'csv');
    expect(read.issues).toEqual([]);
    expect(read.input.agencies.map((a) => a.value)).toEqual([
      // An empty parent is no parent (null), and the lists and booleans go into the settings.
      expect.objectContaining({
        code: 'SLA',
        kind: 'province',
        parentCode: null,
        settings: { officeHours: ['07:30-11:30', '13:30-17:00'], repeatedSupplementIsLate: false },
      }),
      expect.objectContaining({ code: 'SLA.CCO', name: 'Xã Chiềng Cơi', parentCode: 'SLA', validFrom: '2025-07-01', validTo: null, settings: {}, email: null }),
    ]);
  });
});

describe('headers', () => {
  const body = ['1.004194', 'Đăng ký tạm trú', 'Cư trú', '3', 'working-days', 'full', 'có', 'QĐ 1'];

  test('unknown, missing and doubled columns are named on row 1, and no row is read', () => {
    const read = parseTable('p.csv', [['code', 'name', 'field', 'Thời hạn', 'durationUnit', 'onlineLevel', 'Mã TTHC', 'colour'], body]);
    expect(read.input.procedures).toEqual([]);
    expect(read.issues.map((i) => [i.row, i.column, i.message.split(';')[0]])).toEqual([
      [1, 'colour', 'unknown column'],
      [1, 'feeRequired', 'required column missing'],
      [1, 'source', 'required column missing'],
      // "Mã TTHC" is the Vietnamese name of `code`.
      [1, 'code', 'column given twice'],
    ]);
  });

  test('headers match whatever their case, spacing or Unicode normalisation', () => {
    // "Thời hạn" decomposed (NFD), as some spreadsheets store it, and in capitals with spaces around.
    const read = parseTable('p.csv', [
      ['MÃ TTHC', ' Tên TTHC ', 'Lĩnh vực', 'Thời hạn'.normalize('NFD'), 'durationunit', 'ONLINELEVEL', 'Có phí, lệ phí', 'Căn cứ'],
      body,
    ]);
    expect(read.issues).toEqual([]);
    expect(read.input.procedures[0]!.value).toMatchObject({ code: '1.004194', duration: { value: 3, unit: 'working-days' } });
  });

  test('a sheet that is neither table is named as such', () => {
    expect(parseTable('notes.csv', [['Hướng dẫn', 'Ghi chú']]).issues).toEqual([
      { file: 'notes.csv', row: 1, message: 'not a catalogue table: the header needs parentCode (agencies) or durationValue (procedures)' },
    ]);
  });

  test('a NUL in a cell is named at its row and column (PostgreSQL refuses it)', () => {
    const read = parseTable('p.csv', [
      ['code', 'name', 'field', 'durationValue', 'durationUnit', 'onlineLevel', 'feeRequired', 'source'],
      body.map((c, i) => (i === 1 ? 'Đăng\u0000ký' : c)),
    ]);
    expect(read.issues).toEqual([{ file: 'p.csv', row: 2, column: 'name', message: BAD_TEXT_MESSAGE }]);
  });
});

describe('XLSX', () => {
  test('one sheet per table; empty rows skipped but rows numbered as the sheet numbers them; dates read as days', async () => {
    const wb = new ExcelJS.Workbook();
    const agencies = wb.addWorksheet('Cơ quan');
    agencies.addRow(['Mã cơ quan', 'Tên cơ quan', 'Cấp', 'Cơ quan cấp trên', 'Hiệu lực từ', 'Căn cứ']);
    // Excel stores a date as UTC midnight: it reads back as the same day.
    agencies.addRow(['SLA', 'Tỉnh Sơn La', 'province', null, new Date(Date.UTC(2025, 6, 1)), 'QĐ 1']);
    const procedures = wb.addWorksheet('Thủ tục');
    procedures.addRow(['Mã TTHC', 'Tên TTHC', 'Lĩnh vực', 'Thời hạn', 'Đơn vị thời hạn', 'Mức độ DVC', 'Có phí, lệ phí', 'Căn cứ']);
    procedures.addRow(['1.004194', 'Đăng ký tạm trú', 'Cư trú', 3, 'working-days', 'full', 'có', 'QĐ 1']);
    // Row 3 left empty; row 4: a unit the schema does not know, and a formula whose result is the fee flag.
    procedures.getRow(4).values = ['1.000656', 'Đăng ký khai tử', 'Hộ tịch', 1, 'weeks', 'full', { formula: '1=1', result: 'không' }, 'QĐ 1'];
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());

    const read = await readCatalogFile('catalogue.xlsx', bytes, 'xlsx');
    expect(read.input.agencies.map((a) => [a.value.code, a.value.validFrom, a.value.parentCode, a.at])).toEqual([
      ['SLA', '2025-07-01', null, { file: 'catalogue.xlsx [Cơ quan]', row: 2 }],
    ]);
    expect(read.input.procedures.map((p) => [p.value.code, p.value.duration, p.at.row])).toEqual([['1.004194', { value: 3, unit: 'working-days' }, 2]]);
    expect(read.issues.map(describeIssue)).toEqual([expect.stringMatching(/^catalogue\.xlsx \[Thủ tục\], row 4, column durationUnit: .*working-days/)]);
  });

  test('bytes that are not a workbook are refused as such', async () => {
    const read = await readCatalogFile('catalogue.xlsx', Buffer.from('not a zip'), 'xlsx');
    expect(read.issues).toEqual([{ file: 'catalogue.xlsx', message: expect.stringMatching(/^not a readable XLSX workbook/) }]);
  });
});

describe('JSON', () => {
  const good = {
    code: '1.004194',
    name: 'Đăng ký tạm trú',
    field: 'Cư trú',
    duration: { value: 3, unit: 'working-days' },
    onlineLevel: 'full',
    feeRequired: true,
    source: 'QĐ 1',
  };

  test('the API’s own shapes; a bad element is named by its position and path', () => {
    const read = parseCatalogJson('catalogue.json', { procedures: [good, { ...good, code: '1.000656', duration: { value: -1, unit: 'working-days' } }] });
    expect(read.input.procedures.map((p) => [p.value.code, p.at.row])).toEqual([['1.004194', 1]]);
    expect(where(read.issues)).toEqual(['catalogue.json row 2 procedures.1.duration.value']);
  });

  test('an unknown top-level key, a file that is not JSON, and bad text are refused whole', async () => {
    expect(parseCatalogJson('c.json', { procedure: [good] }).issues).toEqual([
      { file: 'c.json', column: undefined, message: expect.stringContaining('procedure') },
    ]);
    expect((await readCatalogFile('c.json', Buffer.from('{ "agencies": ['), 'json')).issues).toEqual([
      { file: 'c.json', message: expect.stringMatching(/^not JSON: /) },
    ]);
    const nul = parseCatalogJson('c.json', { procedures: [{ ...good, name: 'a\u0000b' }] });
    expect(nul).toEqual({ input: { agencies: [], procedures: [] }, issues: [{ file: 'c.json', message: `the file ${BAD_TEXT_MESSAGE}` }] });
  });
});

test('an issue reads as one line an administrator can act on', () => {
  expect(describeIssue({ file: 'procedures.csv', row: 4, column: 'durationValue', message: 'expected number' })).toBe(
    'procedures.csv, row 4, column durationValue: expected number',
  );
  expect(describeIssue({ file: 'c.json', message: 'not JSON' })).toBe('c.json: not JSON');
});
