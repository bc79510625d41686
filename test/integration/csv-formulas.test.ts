/**
 * Issue 29, item 6: names a province imports (an agency, a procedure, a field) that begin with `=`, `+`, `-` or
 * `@` reach every CSV export; a spreadsheet would run them as formulas. Each CSV writer (rates by agency,
 * procedure and field in both dialects, the dossier list, `dunghan report --format csv`) writes them as text: a
 * leading apostrophe (OWASP's advice), the name otherwise unchanged.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

const run = promisify(execFile);
let t: TestApp;

const AGENCY = '=HYPERLINK("http://evil.example","Xã")';
const PROCEDURE = '@SUM(1+1)*cmd|"/C calc"!A0';
const FIELD = '-2+3 Lĩnh vực';

beforeAll(async () => {
  // Thu 20 Mar 2025, as the test app's clock: March 2025 is running.
  t = await createTestApp();
  const catalog = {
    agencies: [
      {
        code: 'SLA.X.THU',
        name: AGENCY,
        kind: 'commune',
        parentCode: 'SLA',
        validFrom: '2025-01-01',
        validTo: null,
        email: null,
        settings: {},
        source: 'thử nghiệm',
      },
    ],
    procedures: [
      {
        code: '9.000001',
        name: PROCEDURE,
        field: FIELD,
        duration: { value: 3, unit: 'working-days' },
        onlineLevel: 'full',
        feeRequired: false,
        steps: [],
        source: 'thử nghiệm',
        validFrom: '2025-01-01',
      },
    ],
  };
  const imported = await request(t.app).post('/api/v1/catalog/import').set('Authorization', `Bearer ${t.keys.admin}`).send(catalog);
  expect(imported.status).toBe(200);
  const received = await request(t.app)
    .post('/api/v1/events')
    .set('Authorization', `Bearer ${t.keys.admin}`)
    .send({
      eventId: crypto.randomUUID(),
      type: 'received',
      dossierCode: 'THU-2025-1',
      occurredAt: '2025-03-18T09:00:00+07:00',
      procedureCode: '9.000001',
      receivingAgencyCode: 'SLA.X.THU',
      channel: 'direct',
      applicant: { name: 'Lò Văn A' },
      feeRequired: false,
      digitized: false,
    });
  expect(received.status).toBe(201);
});
afterAll(() => t.close());

/** The CSV's cells (quoted cells unquoted), to find a name's cell exactly. */
function cells(csv: string, sep: string): string[] {
  const out: string[] = [];
  for (const m of csv.replace(/^\uFEFF/, '').matchAll(new RegExp(`("(?:[^"]|"")*"|[^${sep}\\r\\n]*)(?:${sep}|\\r\\n)`, 'g'))) {
    const c = m[1]!;
    out.push(c.startsWith('"') ? c.slice(1, -1).replace(/""/g, '"') : c);
  }
  return out;
}

const csvOf = async (url: string) => {
  const r = await request(t.app).get(url).set('Authorization', `Bearer ${t.keys.admin}`);
  expect(r.status).toBe(200);
  return r.text;
};

describe('CSV exports write formula-like names as text', () => {
  test.each([
    ['agency', AGENCY],
    ['procedure', PROCEDURE],
    ['field', FIELD],
  ])('rates grouped by %s, both dialects', async (groupBy, name) => {
    for (const [dialect, sep] of [
      ['standard', ','],
      ['vn', ';'],
    ] as const) {
      const csv = await csvOf(`/api/v1/reports/rates.csv?period=2025-03&groupBy=${groupBy}&dialect=${dialect}`);
      const all = cells(csv, sep);
      expect(all).toContain(`'${name}`);
      // No cell of the file begins a formula.
      expect(all.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    }
  });

  test('the dossier list behind a cell', async () => {
    const csv = await csvOf('/api/v1/reports/dossiers.csv?period=2025-03&outcome=on_track&dialect=vn');
    const all = cells(csv, ';');
    expect(all).toEqual(expect.arrayContaining(['THU-2025-1', `'${PROCEDURE}`, `'${AGENCY}`]));
    expect(all.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });

  test('dunghan report --format csv', async () => {
    const { stdout } = await run(process.execPath, ['bin/dunghan.js', 'report', '--period', '2025-03', '--group-by', 'procedure', '--format', 'csv'], {
      env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'silent' },
    });
    const all = cells(stdout, ',');
    expect(all).toContain(`'${PROCEDURE}`);
    expect(all.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });
});
