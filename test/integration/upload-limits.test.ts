/**
 * Issue 29, item 6: the files that took the service down, sent again to a listening server while a loop of
 * `/livez` requests measures how long the service takes to answer. Each is refused naming the limit it passed
 * (413 for size and rows, 400 for one cell or nesting), `/livez` answers within 1 s throughout, the service
 * answers after, and nothing is written (no catalogue or calendar revision, no procedure).
 *
 * Limits are the defaults (src/catalog/upload-limits.ts): 5 MB, 20,000 rows, 4,000 characters a cell; an XLSX may
 * claim at most 10 × 5 MB unpacked.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import { createApp } from '../../src/http/app.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let server: Server;
let base: string;

beforeAll(async () => {
  t = await createTestApp({ now: Date.parse('2026-03-20T09:00:00+07:00') });
  server = await new Promise<Server>((resolve) => {
    const s = createApp(t.ctx).listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await t.close();
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PROCEDURE_HEADER = 'code,name,field,fieldCode,durationValue,durationUnit,onlineLevel,feeRequired,paperResult,validFrom,validTo,source';
const procedureRow = (i: number) =>
  `9.${String(i).padStart(6, '0')},Thủ tục thử ${i},Lĩnh vực thử,,3,working-days,full,true,true,2026-01-01,,Quyết định công bố (thử nghiệm)`;
/** As the invalid file of the issue: every row has a bad duration and an unknown online level. */
const invalidRow = (i: number) => `8.${String(i).padStart(6, '0')},Thủ tục lỗi ${i},Lĩnh vực,,ba,ngày,không,có,có,2026-13-45,,x`;

/** What an import could have written: compared before and after each file. */
async function written(): Promise<string> {
  const { rows } = await t.ctx.db.pool.query(
    `SELECT (SELECT count(*) FROM catalog_revisions) AS catalog, (SELECT count(*) FROM calendar_revisions) AS calendar,
            (SELECT count(*) FROM procedures) AS procedures, (SELECT count(*) FROM agencies) AS agencies`,
  );
  return JSON.stringify(rows[0]);
}

/**
 * Sends the request and, until it is answered, asks `/livez` every 50 ms (at most 1,200 times, a minute), each
 * probe waiting at most 5 s. Returns the answer and the slowest probe.
 */
interface Answer {
  status: number;
  body: { detail?: string; changes?: unknown[]; summary?: unknown };
  slowestMs: number;
  probes: number;
}

/**
 * The request is sent from a thread of its own: this process is also the server, and building and sending a 26 MB
 * body on its loop would measure the client, not the service.
 */
function sendFromThread(url: string, headers: Record<string, string>, body: Buffer | string): Promise<{ status: number; text: string }> {
  const code = `const { parentPort, workerData } = require('node:worker_threads');
fetch(workerData.url, { method: 'POST', headers: workerData.headers, body: workerData.body }).then(
  async (r) => parentPort.postMessage({ status: r.status, text: await r.text() }),
  (e) => parentPort.postMessage({ status: 0, text: String(e) }),
);`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { url, headers, body: typeof body === 'string' ? Buffer.from(body) : body } });
    worker.once('message', (m: { status: number; text: string }) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

async function whileProbing(send: () => Promise<{ status: number; text: string }>): Promise<Answer> {
  let answered = false;
  const pending = send().then((r) => {
    answered = true;
    let body: Answer['body'] = {};
    try {
      body = JSON.parse(r.text) as Answer['body'];
    } catch {
      // not JSON: the status says enough
    }
    return { status: r.status, body };
  });
  pending.catch(() => (answered = true));
  let slowestMs = 0;
  let probes = 0;
  while (!answered && probes < 1200) {
    const started = performance.now();
    const live = await fetch(`${base}/livez`, { signal: AbortSignal.timeout(5000) });
    expect(live.status).toBe(200);
    slowestMs = Math.max(slowestMs, performance.now() - started);
    probes++;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ...(await pending), slowestMs, probes };
}

const importAs = (type: string, body: Buffer | string) => () =>
  sendFromThread(`${base}/api/v1/catalog/import`, { authorization: `Bearer ${t.keys.admin}`, 'content-type': type }, body);

describe('uploads within limits, the service answering throughout', () => {
  test('a 200,000-row CSV (valid or not) is refused at the byte limit, 413 naming it and the CLI', async () => {
    const before = await written();
    for (const row of [procedureRow, invalidRow]) {
      // About 130 bytes a row: 26 MB, five times the 5 MB limit.
      const csv = Buffer.from([PROCEDURE_HEADER, ...Array.from({ length: 200_000 }, (_, i) => row(i))].join('\n'));
      const r = await whileProbing(importAs('text/csv', csv));
      expect(r.status).toBe(413);
      expect(r.body.detail).toMatch(/larger than 5242880 bytes \(UPLOAD_MAX_BYTES\).*npx dunghan catalog import/);
      expect(r.slowestMs).toBeLessThan(1000);
    }
    expect(await written()).toBe(before);
  });

  test('25,000 rows within the byte limit are refused at the row limit (valid or not), 413', async () => {
    const before = await written();
    for (const row of [procedureRow, invalidRow]) {
      // 25,000 rows of about 100 bytes: 2.5 MB, under the byte limit; the 20,001st row stops the read.
      const csv = [PROCEDURE_HEADER, ...Array.from({ length: 25_000 }, (_, i) => row(i))].join('\n');
      expect(Buffer.byteLength(csv)).toBeLessThan(5 * 1024 * 1024);
      const r = await whileProbing(importAs('text/csv', csv));
      expect(r.status).toBe(413);
      expect(r.body.detail).toMatch(/more than 20000 rows \(UPLOAD_MAX_ROWS\).*npx dunghan catalog import/);
      expect(r.slowestMs).toBeLessThan(1000);
    }
    expect(await written()).toBe(before);
  });

  test('a workbook past the row limit is refused as its rows stream, 413', async () => {
    const before = await written();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Thủ tục');
    sheet.addRow(PROCEDURE_HEADER.split(','));
    // The workbook had 146,000 such rows: 6.4 MB, refused at the byte limit as the CSV above. 25,000 rows
    // (about 1 MB) pass it and unpack under 10 × it: only counting rows as they stream stops this one.
    for (let i = 0; i < 25_000; i++) sheet.addRow([`9.${i}`, `Thủ tục ${i}`, 'Lĩnh vực', '', 3, 'working-days', 'full', 'có', 'có', '2026-01-01', '', 'Nguồn']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    // Compressed it is under the byte limit; unpacked under 10 × that: only counting rows stops it.
    expect(xlsx.length).toBeLessThan(5 * 1024 * 1024);
    const r = await whileProbing(importAs(XLSX, xlsx));
    expect(r.status).toBe(413);
    expect(r.body.detail).toMatch(/more than 20000 rows \(UPLOAD_MAX_ROWS\)/);
    expect(r.slowestMs).toBeLessThan(1000);
    expect(await written()).toBe(before);
  });

  test('one huge cell: past the unpacked size it is refused unopened (413); under it, at the cell limit (400)', async () => {
    const before = await written();
    const workbookWithCell = async (chars: number) => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Thủ tục');
      sheet.addRow(PROCEDURE_HEADER.split(','));
      sheet.addRow(['9.1', 'x'.repeat(chars), 'Lĩnh vực', '', 3, 'working-days', 'full', 'có', 'có', '2026-01-01', '', 'Nguồn']);
      return Buffer.from(await workbook.xlsx.writeBuffer());
    };
    // The cell was 400 MB; 60 MB makes the same point (over 10 × 5 MB unpacked) in a fraction of the time.
    const bomb = await workbookWithCell(60_000_000);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const refused = await whileProbing(importAs(XLSX, bomb));
    expect(refused.status).toBe(413);
    expect(refused.body.detail).toMatch(/unpack to \d+ bytes, more than 52428800 \(10 × UPLOAD_MAX_BYTES\)/);
    expect(refused.slowestMs).toBeLessThan(1000);

    const long = await whileProbing(importAs(XLSX, await workbookWithCell(5_000_000)));
    expect(long.status).toBe(400);
    expect(long.body.detail).toMatch(/row 2: a cell longer than 4000 characters \(UPLOAD_MAX_CELL_CHARS\)/);
    expect(long.slowestMs).toBeLessThan(1000);
    expect(await written()).toBe(before);
  });

  test('a JSON catalogue nested 100,000 deep is a 400 naming the nesting limit, not a 500', async () => {
    const before = await written();
    const deep = `{"agencies":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`;
    const r = await whileProbing(importAs('application/json', deep));
    expect(r.status).toBe(400);
    expect(r.body.detail).toMatch(/nested deeper than 32 levels/);
    expect(await written()).toBe(before);
  });

  test('a calendar file in the old range format spanning 0000–9999 reads only its own year', async () => {
    const before = await written();
    // The 100-byte file: before, all 3.65 million days of the range were walked (3 s of a blocked loop).
    const legacy = { year: 2026, daysOff: [{ from: '0000-01-01', to: '9999-12-31', name: 'Nghỉ', source: 'x' }] };
    const r = await whileProbing(() =>
      sendFromThread(
        `${base}/api/v1/calendar/import?dryRun=true`,
        { authorization: `Bearer ${t.keys.admin}`, 'content-type': 'application/json' },
        JSON.stringify(legacy),
      ),
    );
    expect(r.status).toBe(200);
    // Every day of 2026 (not a leap year: 365) becomes a day off named "Nghỉ", unlike any day of the built-in year.
    expect(r.body.changes).toHaveLength(365);
    expect(r.slowestMs).toBeLessThan(1000);
    // A year file is small: a body past its own limit is refused unread, naming the limit.
    const big = await fetch(`${base}/api/v1/calendar/import?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.keys.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...legacy, note: 'x'.repeat(600_000) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as Answer['body']).detail).toBe('The body is larger than the limit of 524288 bytes.');
    expect(await written()).toBe(before);
  });

  test('after all that the service still imports a good file', async () => {
    const csv = [PROCEDURE_HEADER, procedureRow(1)].join('\n');
    const r = await fetch(`${base}/api/v1/catalog/import?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.keys.admin}`, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as Answer['body']).summary).toEqual({ added: 1, changed: 0, retired: 0, unchanged: 0 });
  });
});
