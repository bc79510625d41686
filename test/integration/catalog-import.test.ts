/**
 * A second province (Lai Châu, written here, not the sample) started from an
 * empty database: `dunghan init`, its catalogue from CSV through the CLI and
 * a new procedure version from XLSX through the API, then dossiers received
 * under each version. Dates worked by hand (March 2026 has no holiday).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
let t: TestApp;
let dir: string;
let adminKey: string;
let unwatch: () => Promise<void>;

const cli = (args: string[]) =>
  run(process.execPath, ['bin/dunghan.js', ...args], { env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'silent' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );

// The agency table under the headers a province's own spreadsheet uses (Vietnamese aliases), ";" separated as
// Excel writes under Vietnamese settings.
const AGENCIES_CSV = [
  'Mã cơ quan;Tên cơ quan;Cấp;Cơ quan cấp trên;Hiệu lực từ;Hiệu lực đến;Giờ làm việc;Căn cứ',
  'LCU.TTPVHCC;Trung tâm Phục vụ hành chính công tỉnh Lai Châu;service-centre;LCU;2025-07-01;;;Quyết định thành lập (thử nghiệm)',
  'LCU.X.TANUYEN;Ủy ban nhân dân xã Tân Uyên;commune;LCU;2025-07-01;;"07:30-11:30;13:30-17:00";Nghị quyết sắp xếp ĐVHC cấp xã (thử nghiệm)',
].join('\n');

// Procedures in the API's own column names, comma separated, quoted where a comma appears.
const PROCEDURES_CSV = [
  'code,name,field,fieldCode,durationValue,durationUnit,onlineLevel,feeRequired,paperResult,validFrom,validTo,source',
  '1.001612,Đăng ký thành lập hộ kinh doanh,Thành lập và hoạt động của hộ kinh doanh,G09-TC-HKD,3,working-days,full,true,true,2025-07-01,,"Nghị định 01/2021/NĐ-CP, Điều 87"',
  '1.004227,Cấp bản sao trích lục hộ tịch,Hộ tịch,,1,working-days,full,true,true,2025-07-01,2026-03-31,Luật Hộ tịch 2014',
].join('\n');

beforeAll(async () => {
  t = await createTestApp({ empty: true, now: Date.parse('2026-03-20T09:00:00+07:00') });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-catalog-'));
  await fs.writeFile(path.join(dir, 'agencies.csv'), AGENCIES_CSV);
  await fs.writeFile(path.join(dir, 'procedures.csv'), PROCEDURES_CSV);
  unwatch = await t.ctx.watchChanges();
});
afterAll(async () => {
  await unwatch();
  await t.close();
  await fs.rm(dir, { recursive: true, force: true });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(check()).toBe(true);
}

const received = (code: string, occurredAt: string, procedureCode = '1.001612') => ({
  eventId: crypto.randomUUID(),
  type: 'received',
  dossierCode: code,
  occurredAt,
  procedureCode,
  receivingAgencyCode: 'LCU.X.TANUYEN',
  channel: 'direct',
  applicant: { name: 'Lò Thị Mai', phone: '0987654321' },
  feeRequired: true,
  digitized: false,
});

const post = (events: unknown[]) => request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${adminKey}`).send(events);
const dueOf = async (code: string) => (await request(t.app).get(`/api/v1/dossiers/${code}`).set('Authorization', `Bearer ${adminKey}`)).body.dueAt;

describe('a province from zero', () => {
  test('before init there is no agency for a key', async () => {
    const r = await cli(['keys', 'create', '--role', 'admin', '--agency', 'LCU']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown agency LCU/);
  });

  test('init creates the root agency and prints the first admin key; a second init is refused', async () => {
    const r = await cli(['init', '--province', 'Lai Châu', '--admin-email', 'quantri@laichau.example.vn', '--code', 'LCU']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Ủy ban nhân dân tỉnh Lai Châu \(mã LCU\)/);
    adminKey = /Admin key[^:]*: (\S+)/.exec(r.stdout)![1]!;
    await until(() => t.ctx.catalog.agency('LCU') !== undefined);
    expect(t.ctx.catalog.agency('LCU')).toMatchObject({ kind: 'province', parentCode: null, email: 'quantri@laichau.example.vn', validFrom: '2025-07-01' });
    const me = await request(t.app).get('/api/v1/agencies').set('Authorization', `Bearer ${adminKey}`);
    expect(me.status).toBe(200);
    expect(me.body.items.map((a: { code: string }) => a.code)).toEqual(['LCU']);

    const again = await cli(['init', '--province', 'Lai Châu', '--admin-email', 'quantri@laichau.example.vn']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has a catalogue/);
  });

  test('a bad file is refused whole, every bad row and column named, nothing written', async () => {
    const bad = path.join(dir, 'bad-agencies.csv');
    await fs.writeFile(
      bad,
      [
        'code,name,kind,parentCode,validFrom,officeHours,source',
        'LCU.A,Phường A,tinh,LCU,2025-07-01,,x',
        'LCU.B,Phường B,ward,LCU.NOPE,2025-07-01,,x',
        'LCU.C,Phường C,ward,LCU,2025-02-30,25:00-26:00,x',
        'LCU.D,Phường D,ward,LCU,2025-07-01,,x',
      ].join('\n'),
    );
    const badProcedures = path.join(dir, 'bad-procedures.csv');
    await fs.writeFile(
      badProcedures,
      ['code,name,field,durationValue,durationUnit,onlineLevel,feeRequired,source', '1.1,Thủ tục,Lĩnh vực,ba,weeks,full,có lẽ,x'].join('\n'),
    );
    const r = await cli(['catalog', 'import', bad, badProcedures]);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('  '));
    const named = (row: number, column: string) => lines.some((l) => l.includes(`row ${row}, column ${column}:`));
    expect(named(2, 'kind')).toBe(true);
    expect(named(3, 'parentCode')).toBe(true);
    expect(lines.find((l) => l.includes('row 3, column parentCode'))).toMatch(/unknown agency LCU\.NOPE/);
    expect(named(4, 'validFrom')).toBe(true);
    expect(named(4, 'officeHours')).toBe(true);
    expect(named(2, 'durationValue')).toBe(true);
    expect(named(2, 'durationUnit')).toBe(true);
    expect(named(2, 'feeRequired')).toBe(true);
    expect(lines.some((l) => l.includes('row 5'))).toBe(false);
    // Row 5 (LCU.D) was fine, and still nothing was written.
    const { rows } = await t.ctx.db.pool.query("SELECT count(*)::int AS n FROM agencies WHERE code <> 'LCU'");
    expect(rows[0].n).toBe(0);

    const missing = path.join(dir, 'missing.csv');
    await fs.writeFile(missing, 'code,name,parentCode\nLCU.E,Phường E,LCU\n');
    const m = await cli(['catalog', 'import', missing]);
    expect(m.code).toBe(2);
    for (const c of ['kind', 'validFrom', 'source']) expect(m.stderr).toContain(`row 1, column ${c}: required column missing`);
  });

  test('--dry-run previews the CSV files without writing; the import then applies them as a revision', async () => {
    const files = [path.join(dir, 'agencies.csv'), path.join(dir, 'procedures.csv')];
    const dry = await cli(['catalog', 'import', ...files, '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const preview = JSON.parse(dry.stdout);
    expect(preview).toMatchObject({ dryRun: true, revision: null, summary: { added: 4, changed: 0, retired: 0, unchanged: 0 } });
    expect(preview.added.map((e: { code: string }) => e.code).sort()).toEqual(['1.001612', '1.004227', 'LCU.TTPVHCC', 'LCU.X.TANUYEN']);
    expect((await t.ctx.db.pool.query('SELECT count(*)::int AS n FROM procedures')).rows[0].n).toBe(0);

    const applied = await cli(['catalog', 'import', ...files]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/4 thêm mới/);
    expect(applied.stdout).toMatch(/Applied as catalogue revision \d+/);
    await until(() => t.ctx.catalog.procedure('1.001612') !== undefined && t.ctx.catalog.agency('LCU.X.TANUYEN') !== undefined);
    expect(t.ctx.catalog.policiesOf('LCU.X.TANUYEN').officeHours).toEqual(['07:30-11:30', '13:30-17:00']);
    expect(t.ctx.catalog.procedure('1.001612')).toMatchObject({
      fieldCode: 'G09-TC-HKD',
      source: 'Nghị định 01/2021/NĐ-CP, Điều 87',
      duration: { value: 3, unit: 'working-days' },
    });

    // The same files again change nothing.
    const again = JSON.parse((await cli(['catalog', 'import', ...files, '--json'])).stdout);
    expect(again).toMatchObject({ revision: null, summary: { added: 0, changed: 0, retired: 0, unchanged: 4 } });
  });

  test('dossiers are received under the catalogue; a retired procedure is refused after its last day', async () => {
    // Mon 2 Mar 2026 09:00 + 3 working days → Thu 5 Mar 09:00.
    expect((await post([received('LCU-1', '2026-03-02T09:00:00+07:00')])).status).toBe(201);
    expect(await dueOf('LCU-1')).toBe('2026-03-05T09:00:00+07:00');
    // Tue 10 Mar 09:00 + 3 → Fri 13 Mar 09:00, received before the new version below is announced.
    expect((await post([received('LCU-2', '2026-03-10T09:00:00+07:00')])).status).toBe(201);
    expect(await dueOf('LCU-2')).toBe('2026-03-13T09:00:00+07:00');

    const late = await post([received('LCU-R', '2026-04-01T09:00:00+07:00', '1.004227')]);
    expect(late.status).toBe(422);
    expect(JSON.stringify(late.body)).toMatch(/1\.004227 was not in force/);
    expect((await post([received('LCU-R', '2026-03-31T09:00:00+07:00', '1.004227')])).status).toBe(201);
  });

  test('a new processing time from XLSX applies to dossiers received from its effective date, not before', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Thủ tục');
    sheet.addRow(['Mã TTHC', 'Tên TTHC', 'Lĩnh vực', 'Thời hạn', 'Đơn vị thời hạn', 'Mức độ DVC', 'Có phí, lệ phí', 'Ngày áp dụng', 'Căn cứ']);
    // A date cell, as Excel stores it: the reader takes its calendar date.
    sheet.addRow([
      '1.001612',
      'Đăng ký thành lập hộ kinh doanh',
      'Thành lập và hoạt động của hộ kinh doanh',
      5,
      'working-days',
      'full',
      'có',
      new Date(Date.UTC(2026, 2, 9)),
      'Quyết định công bố TTHC (thử nghiệm)',
    ]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const upload = (dryRun: boolean) =>
      request(t.app)
        .post(`/api/v1/catalog/import?dryRun=${dryRun}&name=thu-tuc.xlsx`)
        .set('Authorization', `Bearer ${adminKey}`)
        .set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(xlsx);

    const preview = await upload(true);
    expect(preview.status).toBe(200);
    expect(preview.body.added).toEqual([
      expect.objectContaining({ code: '1.001612', validFrom: '2026-03-09', note: 'new version: dossiers received from 2026-03-09 take it' }),
    ]);
    expect(preview.body.changed).toEqual([
      expect.objectContaining({
        code: '1.001612',
        validFrom: '2025-07-01',
        note: 'replaced by the version from 2026-03-09',
        changes: [{ field: 'validTo', from: null, to: '2026-03-08' }],
      }),
    ]);
    // LCU-2 (received 10 Mar) keeps the time it was received under, and the preview says so.
    expect(preview.body.warnings).toEqual([expect.stringMatching(/^1 dossiers of 1\.001612 received since 2026-03-09 keep the rules/)]);
    expect(t.ctx.catalog.procedureVersions().filter((p) => p.code === '1.001612')).toHaveLength(1);

    const applied = await upload(false);
    expect(applied.status).toBe(200);
    expect(applied.body.revision).toEqual(expect.any(Number));
    const versions = (await request(t.app).get('/api/v1/procedures/1.001612').set('Authorization', `Bearer ${adminKey}`)).body.versions;
    expect(versions.map((v: { validFrom: string; validTo: string | null; duration: { value: number } }) => [v.validFrom, v.validTo, v.duration.value])).toEqual(
      [
        ['2025-07-01', '2026-03-08', 3],
        ['2026-03-09', null, 5],
      ],
    );

    // Fri 6 Mar 09:00, before the effective date: 3 working days → Wed 11 Mar 09:00.
    expect((await post([received('LCU-3', '2026-03-06T09:00:00+07:00')])).status).toBe(201);
    expect(await dueOf('LCU-3')).toBe('2026-03-11T09:00:00+07:00');
    // Wed 11 Mar 09:00, under the new version: 5 working days → Wed 18 Mar 09:00.
    expect((await post([received('LCU-4', '2026-03-11T09:00:00+07:00')])).status).toBe(201);
    expect(await dueOf('LCU-4')).toBe('2026-03-18T09:00:00+07:00');
    // Pinned at receipt: unchanged by the import, and by a rebuild from the log.
    expect(await dueOf('LCU-2')).toBe('2026-03-13T09:00:00+07:00');
    const { rebuildDossiers } = await import('../../src/store/rebuild.js');
    await rebuildDossiers(t.ctx.db.pool, t.ctx.foldContext());
    expect(await dueOf('LCU-2')).toBe('2026-03-13T09:00:00+07:00');
    expect(await dueOf('LCU-4')).toBe('2026-03-18T09:00:00+07:00');
  });

  test('the API refuses a bad spreadsheet with 400 naming sheet, row and column; other keys cannot import', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Cơ quan');
    sheet.addRow(['code', 'name', 'kind', 'parentCode', 'validFrom', 'source']);
    sheet.addRow(['LCU.P.X', 'Phường X', 'ward', 'LCU', '2025-07-01', 'x']);
    sheet.addRow(['LCU.P.Y', 'Phường Y', 'ward', 'LCU.P.Y', '2025-07-01', 'x']);
    const res = await request(t.app)
      .post('/api/v1/catalog/import?name=co-quan.xlsx')
      .set('Authorization', `Bearer ${adminKey}`)
      .set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'co-quan.xlsx [Cơ quan] › row 3 › parentCode', message: 'an agency cannot be its own parent', index: 3 }]);
    expect(t.ctx.catalog.agency('LCU.P.X')).toBeUndefined();

    const csv = await request(t.app)
      .post('/api/v1/catalog/import?dryRun=true')
      .set('Authorization', `Bearer ${adminKey}`)
      .set('Content-Type', 'text/csv')
      .send(AGENCIES_CSV);
    expect(csv.status).toBe(200);
    expect(csv.body.summary).toEqual({ added: 0, changed: 0, retired: 0, unchanged: 2 });
    const form = await request(t.app).post('/api/v1/catalog/import').set('Authorization', `Bearer ${adminKey}`).type('form').send({ a: 1 });
    expect(form.status).toBe(415);

    const { createApiKey } = await import('../../src/store/api-keys.js');
    const counter = (await createApiKey(t.ctx.db.pool, { role: 'counter', agencyCodes: ['LCU'], label: 'counter' })).key;
    const refused = await request(t.app)
      .post('/api/v1/catalog/import')
      .set('Authorization', `Bearer ${counter}`)
      .set('Content-Type', 'text/csv')
      .send(AGENCIES_CSV);
    expect(refused.status).toBe(403);
  });
});
