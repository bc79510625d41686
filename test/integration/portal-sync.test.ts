/**
 * The national portal's records in and out. Every status 1–10 and supplement
 * rounds, resent and replayed out of order; the resulting dossiers compared
 * field by field with expectations worked by hand below (phường Tô Hiệu,
 * Đăng ký tạm trú 1.004194: 3 working days; March 2026 has no holiday;
 * office hours 08:00–12:00, 13:00–17:00; regime 118/2025, supplementation
 * restarts the legal time, the 766 judgment subtracts it).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let other: TestApp;
beforeAll(async () => {
  [t, other] = await Promise.all([
    createTestApp({ now: Date.parse('2026-03-20T09:00:00+07:00') }),
    createTestApp({ now: Date.parse('2026-03-20T09:00:00+07:00') }),
  ]);
});
afterAll(async () => Promise.all([t.close(), other.close()]));

const AGENCY = 'SLA.P.TOHIEU.TTPV';
const base = (code: string, status: number, extra: Record<string, unknown> = {}) => ({
  MaHoSo: code,
  MaTTHC: '1.004194',
  TenTTHC: 'Đăng ký tạm trú',
  ChuHoSo: 'Quàng Văn Minh',
  SoDienThoai: '0912 345 678',
  NgayTiepNhan: '20260302090000',
  NgayHenTra: '20260305090000',
  TrangThaiHoSo: status,
  DonViXuLy: AGENCY,
  ...extra,
});

const sync = (app: TestApp, records: object) => request(app.app).post('/api/v1/sync/dossiers').set('Authorization', `Bearer ${app.keys.admin}`).send(records);
const dossier = async (app: TestApp, code: string) => request(app.app).get(`/api/v1/dossiers/${code}`).set('Authorization', `Bearer ${app.keys.admin}`);

describe('records for every status', () => {
  const records = [
    base('SYNC-1', 1),
    base('SYNC-2', 2),
    base('SYNC-3', 3),
    base('SYNC-4', 4, { KenhThucHien: 2, DuocThanhToanTrucTuyen: 1, DanhSachLePhi: [{ Gia: 15000 }], HoSoCoThanhPhanSoHoa: 1, TaiLieuNop: [{ DuocSoHoa: 1 }] }),
    base('SYNC-5', 5, {
      DanhSachHoSoBoSung: [{ NgayBoSung: '20260303100000', NoiDungBoSung: 'Thiếu giấy xác nhận chỗ ở hợp pháp', NgayHenTraTruoc: '20260305090000' }],
    }),
    base('SYNC-6', 6, { DanhSachLePhi: [{ Gia: 0 }] }),
    base('SYNC-7', 7),
    base('SYNC-8', 8, { NgayKetThucXuLy: '20260304110000' }),
    base('SYNC-9', 9, {
      NgayHenTra: '20260310140000',
      NgayKetThucXuLy: '20260309160000',
      DanhSachHoSoBoSung: [
        { NgayBoSung: '20260303100000', NgayTiepNhanBoSung: '20260305140000', NgayHenTraTruoc: '20260305090000', NgayHenTraMoi: '20260310140000' },
      ],
    }),
    base('SYNC-10', 10, {
      KenhThucHien: 3,
      NgayTiepNhan: '20260304083000',
      NgayHenTra: '20260309083000',
      NgayKetThucXuLy: '20260309100000',
      NgayTra: '20260310090000',
      HinhThuc: 1,
      MaKetQua: 'KQ-10',
      DanhSachGiayToKetQua: [{ DuongDanTepTinKetQua: 'https://dichvucong.example.vn/kq/10.pdf' }],
    }),
  ];

  test('each record becomes the events it implies', async () => {
    const res = await sync(t, records);
    expect(res.status).toBe(201);
    expect(res.body.results.map((r: { MaHoSo: string; status: string; eventsAdded: number }) => [r.MaHoSo, r.status, r.eventsAdded])).toEqual([
      ['SYNC-1', 'not_received', 0],
      ['SYNC-2', 'applied', 1],
      ['SYNC-3', 'not_received', 0],
      ['SYNC-4', 'applied', 2], // received + online payment
      ['SYNC-5', 'applied', 2], // received + supplement requested
      ['SYNC-6', 'applied', 1],
      ['SYNC-7', 'applied', 1],
      ['SYNC-8', 'applied', 2], // received + stopped
      ['SYNC-9', 'applied', 4], // received + round requested/received + result
      ['SYNC-10', 'applied', 3], // received + result + returned
    ]);
  });

  test('statuses 1 and 3 never started a processing time: no dossier', async () => {
    expect((await dossier(t, 'SYNC-1')).status).toBe(404);
    expect((await dossier(t, 'SYNC-3')).status).toBe(404);
  });

  test('received (2), payment due (6), withdrawal asked (7): open, due Mon 09:00 + 3 working days = Thu 5 Mar 09:00', async () => {
    for (const code of ['SYNC-2', 'SYNC-6', 'SYNC-7']) {
      const d = (await dossier(t, code)).body;
      expect(d).toMatchObject({
        status: 'received',
        channel: 'direct',
        receivedAt: '2026-03-02T09:00:00+07:00',
        dueAt: '2026-03-05T09:00:00+07:00',
        declaredDueAt: '2026-03-05T09:00:00+07:00',
        finishedAt: null,
      });
      expect(d.flags).not.toContain('declared_due_mismatch');
    }
    // All synced fees 0: a fee-free dossier of a fee procedure (3.6's denominator leaves it out).
    expect((await dossier(t, 'SYNC-6')).body.feeRequired).toBe(false);
    expect((await dossier(t, 'SYNC-2')).body.feeRequired).toBe(true);
  });

  test('processing (4), online with payment on the national portal and reused data', async () => {
    const d = (await dossier(t, 'SYNC-4')).body;
    expect(d).toMatchObject({ channel: 'online', paidOnline: true, digitized: true, reusedDigitizedData: true, dueAt: '2026-03-05T09:00:00+07:00' });
  });

  test('supplement requested (5): waiting since Tue 3 Mar 10:00, the clock stopped with 9 working hours used', async () => {
    const d = (await dossier(t, 'SYNC-5')).body;
    expect(d).toMatchObject({
      status: 'supplement_requested',
      paused: true,
      pausedSince: '2026-03-03T10:00:00+07:00',
      supplementCount: 1,
      progress: 'waiting_for_citizen',
    });
    // Mon 09:00–Tue 10:00 is 8 + 1 = 9 working hours of the 24: 15 h = 900 minutes left.
    expect(d.workingMinutesLeft).toBe(900);
  });

  test('stopped (8): finished Wed 4 Mar 11:00, a working day before the due day: early', async () => {
    expect((await dossier(t, 'SYNC-8')).body).toMatchObject({ status: 'refused', finishedAt: '2026-03-04T11:00:00+07:00', outcome: 'early' });
  });

  test('processed (9) after a supplement round: legally early, 766 late', async () => {
    // Legal: the time restarts from the completed dossier, Thu 5 Mar 14:00 + 3 working days = Tue 10 Mar 14:00;
    // finished Mon 9 Mar 16:00, an earlier working day → early.
    // 766: from the first start (Thu 5 Mar 09:00 due) plus the wait Tue 3 Mar 10:00 → Thu 5 Mar 14:00 =
    // Tue 6 h + Wed 8 h + Thu 5 h = 19 working hours → Thu 09:00 + 19 h = Mon 9 Mar 12:00; finished 16:00 → late.
    const d = (await dossier(t, 'SYNC-9')).body;
    expect(d).toMatchObject({
      status: 'processed',
      finishedAt: '2026-03-09T16:00:00+07:00',
      dueAt: '2026-03-10T14:00:00+07:00',
      outcome: 'early',
      pausedWorkingMinutes: 19 * 60,
    });
    expect(d.rate).toMatchObject({ dueAt: '2026-03-09T12:00:00+07:00', outcome: 'late', differsFromLegal: true });
  });

  test('returned (10) by post, with an electronic result, received by post: late by 1 h 30', async () => {
    // Wed 4 Mar 08:30 + 3 working days = Mon 9 Mar 08:30; processed Mon 10:00 → late; returned Tue 10 Mar 09:00.
    const d = (await dossier(t, 'SYNC-10')).body;
    expect(d).toMatchObject({
      status: 'returned',
      channel: 'postal',
      dueAt: '2026-03-09T08:30:00+07:00',
      finishedAt: '2026-03-09T10:00:00+07:00',
      outcome: 'late',
      electronicResult: true,
    });
    expect(d.flags).toContain('late_without_apology');
  });

  test('resending the same records adds nothing', async () => {
    const res = await sync(t, records);
    expect(res.status).toBe(200);
    expect(res.body.eventsAdded).toBe(0);
    expect(new Set(res.body.results.map((r: { status: string }) => r.status))).toEqual(new Set(['unchanged', 'not_received']));
  });
});

describe('snapshots of one dossier over time', () => {
  const round = { NgayBoSung: '20260303100000', NgayHenTraTruoc: '20260305090000' };
  const a = base('SNAP-1', 2);
  const b = base('SNAP-1', 5, { DanhSachHoSoBoSung: [round] });
  const c = base('SNAP-1', 4, {
    NgayHenTra: '20260310140000',
    DanhSachHoSoBoSung: [{ ...round, NgayTiepNhanBoSung: '20260305140000', NgayHenTraMoi: '20260310140000' }],
  });
  const d = { ...c, TrangThaiHoSo: 9, NgayKetThucXuLy: '20260310110000' };
  const e = { ...d, TrangThaiHoSo: 10, NgayTra: '20260310150000' };
  const events = async () =>
    (await t.ctx.db.pool.query("SELECT type FROM dossier_events WHERE dossier_code = 'SNAP-1' ORDER BY occurred_at, seq")).rows.map((r) => r.type);

  test('a later snapshot adds only what is new, even when one is skipped', async () => {
    expect((await sync(t, [a])).body.eventsAdded).toBe(1);
    expect((await sync(t, [a])).body.eventsAdded).toBe(0);
    // b is never sent: c carries its round, requested and received.
    expect((await sync(t, [c])).body.eventsAdded).toBe(2);
    expect(await events()).toEqual(['received', 'supplement_requested', 'supplement_received']);
  });

  test('an older snapshot after a newer one is a 409 naming the field, and changes nothing', async () => {
    const res = await sync(t, [b]);
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '[0].DanhSachHoSoBoSung[0].NgayTiepNhanBoSung', index: 0 })]);
    expect(res.body.errors[0].message).toMatch(/^SNAP-1: this snapshot \(TrangThaiHoSo 5\) is older than the one recorded/);
    expect(await events()).toEqual(['received', 'supplement_requested', 'supplement_received']);
  });

  test('the end, replayed out of order: e then d (409, NgayTra), then e again (nothing new)', async () => {
    expect((await sync(t, [e])).body.eventsAdded).toBe(2);
    const older = await sync(t, [d]);
    expect(older.status).toBe(409);
    expect(older.body.errors.map((x: { path: string }) => x.path)).toEqual(['[0].NgayTra']);
    expect((await sync(t, [e])).body.eventsAdded).toBe(0);
    expect(await events()).toEqual(['received', 'supplement_requested', 'supplement_received', 'result_ready', 'returned']);
    // Thu 5 Mar 14:00 + 3 working days = Tue 10 Mar 14:00; processed Tue 11:00, on the due day → on time.
    expect((await dossier(t, 'SNAP-1')).body).toMatchObject({
      status: 'returned',
      dueAt: '2026-03-10T14:00:00+07:00',
      finishedAt: '2026-03-10T11:00:00+07:00',
      outcome: 'on_time',
    });
  });

  test('a recorded fact that changes is a 409 naming its portal field', async () => {
    const moved = await sync(t, [{ ...e, NgayTiepNhan: '20260302100000' }]);
    expect(moved.status).toBe(409);
    expect(moved.body.errors.map((x: { path: string }) => x.path)).toEqual(['[0].NgayTiepNhan']);
    const channel = await sync(t, [{ ...e, KenhThucHien: 2 }]);
    expect(channel.status).toBe(409);
    expect(channel.body.errors.map((x: { path: string }) => x.path)).toEqual(['[0].KenhThucHien']);
  });
});

describe('bad records and keys', () => {
  test('a bad record refuses the request with every field named; nothing applies', async () => {
    const res = await sync(t, [base('BAD-1', 2), base('BAD-2', 11, { NgayTiepNhan: '20260230090000' }), base('BAD-3', 9)]);
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((x: { path: string }) => x.path);
    expect(paths).toEqual(expect.arrayContaining(['[1].TrangThaiHoSo', '[1].NgayTiepNhan']));
    expect((await dossier(t, 'BAD-1')).status).toBe(404);
    const missing = await sync(t, [base('BAD-3', 9)]);
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ path: '[0].NgayKetThucXuLy' })]);
  });

  test('records of another agency are refused for a counter key (403), as with events', async () => {
    const res = await request(t.app)
      .post('/api/v1/sync/dossiers')
      .set('Authorization', `Bearer ${t.keys.outsider}`)
      .send([base('OUT-1', 2)]);
    expect(res.status).toBe(403);
  });
});

describe('export in the same shape', () => {
  test('GET /sync/dossiers gives March 2026 as records that rebuild the same dossiers elsewhere', async () => {
    const res = await request(t.app)
      .get('/api/v1/sync/dossiers')
      .query({ period: '2026-03', agency: 'SLA.P.TOHIEU' })
      .set('Authorization', `Bearer ${t.keys.auditor}`);
    expect(res.status).toBe(200);
    const records = res.body.records as Array<Record<string, unknown>>;
    expect(records.map((r) => r.MaHoSo).sort()).toEqual(['SNAP-1', 'SYNC-10', 'SYNC-2', 'SYNC-4', 'SYNC-5', 'SYNC-6', 'SYNC-7', 'SYNC-8', 'SYNC-9'].sort());
    const ten = records.find((r) => r.MaHoSo === 'SYNC-10')!;
    expect(ten).toMatchObject({
      TrangThaiHoSo: 10,
      KenhThucHien: 3,
      NgayTiepNhan: '20260304083000',
      NgayKetThucXuLy: '20260309100000',
      NgayTra: '20260310090000',
      TenTTHC: 'Đăng ký tạm trú',
    });
    // The reads of personal data are logged, one per dossier.
    const reads = await t.ctx.db.pool.query("SELECT count(*)::int AS n FROM personal_data_reads WHERE via = 'GET /api/v1/sync/dossiers'");
    expect(reads.rows[0].n).toBe(records.length);

    const imported = await sync(other, records);
    expect(imported.status).toBe(201);
    for (const r of records) {
      const [x, y] = [(await dossier(t, String(r.MaHoSo))).body, (await dossier(other, String(r.MaHoSo))).body];
      const facts = (v: Record<string, unknown>) => ({
        status: v.status === 'withdrawn' ? 'refused' : v.status,
        channel: v.channel,
        receivedAt: v.receivedAt,
        dueAt: v.dueAt,
        finishedAt: v.finishedAt,
        outcome: v.outcome,
        rate: v.rate,
        paidOnline: v.paidOnline,
        feeRequired: v.feeRequired,
        electronicResult: v.electronicResult,
        reusedDigitizedData: v.reusedDigitizedData,
        supplementCount: v.supplementCount,
      });
      expect(facts(y)).toEqual(facts(x));
    }
    const jsonl = await request(t.app)
      .get('/api/v1/sync/dossiers')
      .query({ period: '2026-03', format: 'jsonl' })
      .set('Authorization', `Bearer ${t.keys.auditor}`);
    expect(
      jsonl.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).MaHoSo)
        .sort(),
    ).toEqual(records.map((r) => r.MaHoSo).sort());
  });

  test('the period must have started; a counter key cannot export', async () => {
    expect((await request(t.app).get('/api/v1/sync/dossiers').query({ period: '2027-01' }).set('Authorization', `Bearer ${t.keys.auditor}`)).status).toBe(400);
    expect((await request(t.app).get('/api/v1/sync/dossiers').query({ period: '2026-03' }).set('Authorization', `Bearer ${t.keys.counter}`)).status).toBe(403);
  });
});

describe('reconciliation with the figures the portal published', () => {
  const figures = { received: 9, receivedOnline: 1, finishedOnTime: 3, finishedLate: 1, openOnTrack: 1, openOverdue: 4, feeRequired: 8, paidOnline: 1 };
  const put = (body: object) => request(t.app).put('/api/v1/reconciliation/figures').set('Authorization', `Bearer ${t.keys.admin}`).send(body);
  const get = () =>
    request(t.app).get('/api/v1/reconciliation').query({ agency: 'SLA.P.TOHIEU', period: '2026-03' }).set('Authorization', `Bearer ${t.keys.auditor}`);

  test("figures side by side; without the portal's list, the dossiers a date-based or legal judgment counts otherwise", async () => {
    expect((await get()).status).toBe(404);
    expect((await put({ agency: 'SLA.P.TOHIEU', period: '2026-03', figures, source: 'Cổng DVCQG, bảng tiến độ tháng 3/2026 (thử nghiệm)' })).status).toBe(204);
    const res = await get();
    expect(res.status).toBe(200);
    // Ours (766, judged now, 20 Mar): finished early SYNC-8; late SYNC-9, SYNC-10, SNAP-1; waiting within time SYNC-5;
    // overdue SYNC-2, -4, -6, -7. Received 9, online 1 (SYNC-4); fee payable 8 (SYNC-6's synced fees are 0), paid online 1.
    const byKey = Object.fromEntries(
      res.body.figures.map((f: { key: string; dunghan: number; portal: number; difference: number }) => [f.key, [f.dunghan, f.portal, f.difference]]),
    );
    expect(byKey).toEqual({
      received: [9, 9, 0],
      receivedOnline: [1, 1, 0],
      finishedOnTime: [1, 3, -2],
      finishedLate: [3, 1, 2],
      openOnTrack: [1, 1, 0],
      openOverdue: [4, 4, 0],
      feeRequired: [8, 8, 0],
      paidOnline: [1, 1, 0],
    });
    // 2.1: ours (1 + 1) / 9 = 22.22 %, the portal's (3 + 1) / 9 = 44.44 %.
    // Read by date, SYNC-9 and SYNC-10 (finished on their due day, after the hour) count on time: (3 + 1) / 9 = 44.44 %,
    // the portal's own figures (issue 23 item 5: reconciliation shows both readings).
    expect(res.body.rates[0]).toEqual({
      indicator: '2.1',
      name: 'Tiến độ giải quyết',
      dunghan: 22.22,
      dunghanByDate: 44.44,
      portal: 44.44,
      difference: -22.22,
    });
    const byDate = Object.fromEntries(res.body.figures.map((f: { key: string; dunghanByDate: number }) => [f.key, f.dunghanByDate]));
    expect(byDate).toMatchObject({ finishedOnTime: 3, finishedLate: 1, openOnTrack: 1, openOverdue: 4 });
    expect(res.body.readings).toEqual({ lateness: 'instant', lateApology: 'unchanged' });
    expect(res.body.dossiers.map((d: { code: string; reason: string }) => [d.code, d.reason])).toEqual([
      ['SNAP-1', 'supplement_subtracted'],
      ['SYNC-10', 'late_on_due_day'],
      // 766 due Mon 9 Mar 12:00, finished Mon 16:00: late by instant on its due day (a date-based count calls it on time).
      ['SYNC-9', 'late_on_due_day'],
    ]);
  });

  test("with the portal's list: the dossiers only one side has, and those judged differently", async () => {
    const dossiers = [
      ['SYNC-9', 'on_time'],
      ['SYNC-10', 'on_time'],
      ['SNAP-1', 'on_time'],
      ['SYNC-8', 'on_time'],
      ['SYNC-5', 'on_track'],
      ['SYNC-2', 'overdue'],
      ['SYNC-4', 'overdue'],
      ['SYNC-6', 'overdue'],
      ['PORTAL-ONLY', 'overdue'],
    ].map(([MaHoSo, judgment]) => ({ MaHoSo, judgment }));
    expect((await put({ agency: 'SLA.P.TOHIEU', period: '2026-03', figures, dossiers, source: 'Cổng DVCQG, danh sách hồ sơ tháng 3/2026' })).status).toBe(204);
    const res = await get();
    expect(res.body.portal.withDossierList).toBe(true);
    expect(
      res.body.dossiers.map((d: { code: string; reason: string; dunghan: string | null; portal: string | null }) => [d.code, d.reason, d.dunghan, d.portal]),
    ).toEqual([
      ['PORTAL-ONLY', 'missing_here', null, 'overdue'],
      ['SNAP-1', 'judged_differently', 'late', 'on_time'],
      ['SYNC-10', 'judged_differently', 'late', 'on_time'],
      ['SYNC-7', 'not_on_portal', 'overdue', null],
      ['SYNC-9', 'judged_differently', 'late', 'on_time'],
    ]);
    expect(res.body.dossiers.find((d: { code: string }) => d.code === 'SYNC-10').text).toMatch(/sau giờ hẹn/);
  });

  test('only an administrator records figures; bad figures are a 400 naming the field', async () => {
    expect((await request(t.app).put('/api/v1/reconciliation/figures').set('Authorization', `Bearer ${t.keys.auditor}`).send({})).status).toBe(403);
    const bad = await put({ agency: 'SLA.P.TOHIEU', period: '2026-03', figures: { received: -1 }, source: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['figures.received']);
  });
});

describe('dunghan sync import FILE', () => {
  const cli = (app: TestApp, args: string[]) =>
    promisify(execFile)(process.execPath, ['bin/dunghan.js', ...args], { env: { ...process.env, DATABASE_URL: app.url, LOG_LEVEL: 'silent' } }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
    );
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dunghan-sync-'));
  });
  afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

  test('a bad line refuses the whole file (exit 2), naming line and field', async () => {
    const file = path.join(dir, 'bad.jsonl');
    await fs.writeFile(file, [JSON.stringify(base('FILE-1', 2)), '{"MaHoSo": "FILE-2"', JSON.stringify(base('FILE-3', 9))].join('\n'));
    const r = await cli(other, ['sync', 'import', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 2: not JSON/);
    expect(r.stderr).toMatch(/line 3: NgayKetThucXuLy: NgayKetThucXuLy is required when TrangThaiHoSo is 9/);
    expect((await dossier(other, 'FILE-1')).status).toBe(404);
  });

  test('records apply in file order; one that goes back is listed by line (exit 1), the others applied', async () => {
    const file = path.join(dir, 'records.jsonl');
    const later = base('FILE-4', 8, { NgayKetThucXuLy: '20260304110000' });
    await fs.writeFile(
      file,
      ['', JSON.stringify(base('FILE-1', 2)), JSON.stringify(later), JSON.stringify(base('FILE-4', 2)), JSON.stringify(base('FILE-5', 4))].join('\r\n') +
        '\r\n',
    );
    const r = await cli(other, ['sync', 'import', file, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ records: 4, applied: 3, refused: 1, eventsAdded: 4 });
    expect(out.problems).toEqual([expect.objectContaining({ line: 4, MaHoSo: 'FILE-4', field: 'TrangThaiHoSo' })]);
    expect((await dossier(other, 'FILE-4')).body.status).toBe('refused');
    expect((await dossier(other, 'FILE-5')).body.status).toBe('received');
    // Again: nothing new, the same record refused.
    const again = JSON.parse((await cli(other, ['sync', 'import', file, '--json'])).stdout);
    expect(again).toMatchObject({ eventsAdded: 0, refused: 1 });
  });
});
