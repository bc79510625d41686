/**
 * The national portal's dossier record (src/sync/portal-record.ts) against
 * DOMAIN §5's sync fields: TrangThaiHoSo 1–10, KenhThucHien 1 counter (or
 * empty) / 2 online / 3 postal, DuocThanhToanTrucTuyen 1 national portal /
 * 2 gateway, dates `yyyyMMddHHmmss` in local time (UTC+7). A record implies
 * events in fixed slots with ids derived from the dossier code and the slot,
 * so resending it, or a later snapshot, adds only what is new.
 */
import { formatLocalInstant } from '../../src/calendar/local-time.js';
import { foldDossier } from '../../src/dossiers/fold.js';
import {
  eventsOfRecord,
  portalDateSchema,
  portalRecordSchema,
  RecordProblem,
  recordOfDossier,
  slotEventId,
  toPortalDate,
  type PortalRecordInput,
} from '../../src/sync/portal-record.js';
import { context, log, received } from '../support/fold-fixture.js';

const fmt = formatLocalInstant;
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('portal dates, yyyyMMddHHmmss in Vietnam’s local time', () => {
  test('read as local instants, from text or a number', () => {
    expect(portalDateSchema.parse('20260310143000')).toBe('2026-03-10T14:30:00+07:00');
    expect(portalDateSchema.parse(20260310143000)).toBe('2026-03-10T14:30:00+07:00');
  });

  test('impossible dates, other shapes and years outside 2000–2199 are refused', () => {
    // Date.parse would take 30 February as 2 March.
    expect(portalDateSchema.safeParse('20260230120000').error?.issues[0]?.message).toBe('20260230120000 is not a valid date and time');
    expect(portalDateSchema.safeParse('20260310246000').success).toBe(false);
    expect(portalDateSchema.safeParse('19991231235959').error?.issues[0]?.message).toBe('19991231235959 is outside 2000–2199');
    expect(portalDateSchema.safeParse('2026-03-10').error?.issues[0]?.message).toMatch(/expected yyyyMMddHHmmss/);
  });

  test('written in local time: 07:30 UTC is 14:30 in Vietnam', () => {
    expect(toPortalDate(Date.parse('2026-03-10T07:30:00Z'))).toBe('20260310143000');
  });
});

/** A dossier returned online after one supplement round, paid on the national portal, with an electronic result. */
const returnedRecord: PortalRecordInput = {
  MaHoSo: 'H01.01-260302-0001',
  MaTTHC: '1.004194',
  ChuHoSo: 'Nguyễn Văn A',
  LoaiDoiTuong: 1,
  MaDoiTuong: '001090001234',
  SoDienThoai: '0912345678',
  NgayTiepNhan: '20260302090000',
  NgayHenTra: '20260306140000',
  TrangThaiHoSo: 10,
  NgayKetThucXuLy: '20260305090000',
  NgayTra: '20260305100000',
  HinhThuc: 2,
  DonViXuLy: 'P.X',
  KenhThucHien: 2,
  DuocThanhToanTrucTuyen: 1,
  TaiLieuNop: [{ DuocSoHoa: 1 }, { DuocSoHoa: 0, DuocLayTuKhoDMQG: '1' }],
  DanhSachLePhi: [{ Gia: 15000 }, { Gia: 5000 }],
  DanhSachHoSoBoSung: [
    {
      NgayBoSung: '20260302100000',
      NoiDungBoSung: 'Thiếu bản sao',
      NgayTiepNhanBoSung: '20260303140000',
      NgayHenTraTruoc: '20260305090000',
      NgayHenTraMoi: '20260306140000',
    },
  ],
  MaKetQua: 'KQ-1',
  DanhSachGiayToKetQua: [{ DuongDanTepTinKetQua: 'https://example.vn/kq/1.pdf' }],
};
const implied = (r: PortalRecordInput, catalogFee: boolean | undefined = true) => eventsOfRecord(portalRecordSchema.parse(r), catalogFee);

describe('the events a record implies', () => {
  test('a returned dossier: every slot in order, each id derived from the code and the slot', () => {
    const events = implied(returnedRecord);
    expect(events.map((e) => [e.slot, e.event.type, e.event.occurredAt])).toEqual([
      ['received', 'received', '2026-03-02T09:00:00+07:00'],
      // The record has no payment instant: online payment goes with the submission.
      ['payment', 'payment_recorded', '2026-03-02T09:00:00+07:00'],
      ['supplement_requested#1', 'supplement_requested', '2026-03-02T10:00:00+07:00'],
      ['supplement_received#1', 'supplement_received', '2026-03-03T14:00:00+07:00'],
      ['result_ready', 'result_ready', '2026-03-05T09:00:00+07:00'],
      ['returned', 'returned', '2026-03-05T10:00:00+07:00'],
    ]);
    for (const e of events) {
      expect(e.event.eventId).toBe(slotEventId('H01.01-260302-0001', e.slot));
      expect(e.event.eventId).toMatch(UUID_V5);
    }
    expect(new Set(events.map((e) => e.event.eventId)).size).toBe(6);
    // Another dossier's slots have other ids.
    expect(slotEventId('H01.01-260302-0002', 'received')).not.toBe(slotEventId('H01.01-260302-0001', 'received'));

    const [receipt, payment, , , result, returned] = events.map((e) => e.event as unknown as Record<string, unknown>);
    expect(receipt).toMatchObject({
      procedureCode: '1.004194',
      receivingAgencyCode: 'P.X',
      channel: 'online', // KenhThucHien 2
      // A citizen's MaDoiTuong is the ID number.
      applicant: { name: 'Nguyễn Văn A', idNumber: '001090001234', phone: '0912345678' },
      feeRequired: true,
      digitized: true, // a component with DuocSoHoa 1
      reusedDigitizedData: true, // a component taken from the national data store (DuocLayTuKhoDMQG)
      // The first appointment, from before the supplement round: it does not move as the dossier moves on.
      declaredDueAt: '2026-03-05T09:00:00+07:00',
    });
    expect(payment).toMatchObject({ amount: 20000, method: 'online', viaNationalPortal: true });
    expect(result).toMatchObject({ electronicResult: true }); // MaKetQua with a result file
    expect(returned).toMatchObject({ method: 'online' }); // HinhThuc 2
  });

  test('a resend, or a later snapshot, implies the same slots with the same ids and bodies', () => {
    expect(implied(returnedRecord)).toEqual(implied(returnedRecord));
    // The same dossier earlier: waiting for the supplement (status 5), the appointment not yet moved.
    const waiting: PortalRecordInput = {
      ...returnedRecord,
      TrangThaiHoSo: 5,
      NgayHenTra: '20260305090000',
      NgayKetThucXuLy: undefined,
      NgayTra: undefined,
      MaKetQua: undefined,
      DanhSachGiayToKetQua: undefined,
      DanhSachHoSoBoSung: [{ NgayBoSung: '20260302100000', NoiDungBoSung: 'Thiếu bản sao', NgayHenTraTruoc: '20260305090000' }],
    };
    const earlier = implied(waiting);
    expect(earlier.map((e) => e.slot)).toEqual(['received', 'payment', 'supplement_requested#1']);
    const later = new Map(implied(returnedRecord).map((e) => [e.slot, e]));
    for (const e of earlier) expect(later.get(e.slot)).toEqual(e);
  });

  test('no event before the dossier is received: status 1 (registered) and 3 (not received)', () => {
    expect(implied({ ...returnedRecord, TrangThaiHoSo: 1 })).toEqual([]);
    expect(implied({ ...returnedRecord, TrangThaiHoSo: 3 })).toEqual([]);
  });

  test('channels, return methods, stops and fee-free dossiers as the portal codes them', () => {
    const plain: PortalRecordInput = {
      MaHoSo: 'C1',
      MaTTHC: '1.004194',
      ChuHoSo: 'Công ty B',
      LoaiDoiTuong: 2,
      MaDoiTuong: '0101234567',
      NgayTiepNhan: '20260302090000',
      TrangThaiHoSo: 2,
      DonViXuLy: 'P.X',
    };
    const receipt = (r: PortalRecordInput, fee?: boolean) => implied(r, fee)[0]!.event as unknown as Record<string, unknown>;
    // Empty KenhThucHien: the counter. A business's MaDoiTuong is not an ID number.
    expect(receipt(plain)).toMatchObject({
      channel: 'direct',
      applicant: { name: 'Công ty B' },
      feeRequired: true,
      digitized: false,
      reusedDigitizedData: false,
    });
    expect(receipt(plain).applicant).not.toHaveProperty('idNumber');
    expect(receipt({ ...plain, KenhThucHien: '' as unknown as number })).toMatchObject({ channel: 'direct' });
    expect(receipt({ ...plain, KenhThucHien: 3 })).toMatchObject({ channel: 'postal' });
    // Synced fees all 0: fee-free whatever the catalogue says (3.6's denominator); and the catalogue's word otherwise.
    expect(receipt({ ...plain, DanhSachLePhi: [{ Gia: 0 }] })).toMatchObject({ feeRequired: false });
    expect(receipt(plain, false)).toMatchObject({ feeRequired: false });
    // Not paid online (0): no payment slot.
    expect(implied({ ...plain, DuocThanhToanTrucTuyen: 0 }).map((e) => e.slot)).toEqual(['received']);
    // Status 8, stopped: a refusal at the end of processing.
    expect(implied({ ...plain, TrangThaiHoSo: 8, NgayKetThucXuLy: '20260303090000' }).map((e) => [e.slot, e.event.type])).toEqual([
      ['received', 'received'],
      ['stopped', 'refused'],
    ]);
    // Returned at the counter (no HinhThuc), processed end from NgayTra when NgayKetThucXuLy is missing.
    const counter = implied({ ...plain, TrangThaiHoSo: 10, NgayTra: '20260304150000' });
    expect(counter.map((e) => [e.slot, e.event.occurredAt])).toEqual([
      ['received', '2026-03-02T09:00:00+07:00'],
      ['result_ready', '2026-03-04T15:00:00+07:00'],
      ['returned', '2026-03-04T15:00:00+07:00'],
    ]);
    expect(counter[2]!.event).toMatchObject({ method: 'counter' });
  });

  test('a record that cannot be read names its field', () => {
    const problem = (r: PortalRecordInput) => {
      try {
        implied(r);
      } catch (err) {
        if (err instanceof RecordProblem) return err.field;
        throw err;
      }
      return null;
    };
    const base: PortalRecordInput = { MaHoSo: 'C1', MaTTHC: '1.004194', ChuHoSo: 'A', NgayTiepNhan: '20260302090000', TrangThaiHoSo: 2, DonViXuLy: 'P.X' };
    expect(problem({ ...base, NgayTiepNhan: undefined })).toBe('NgayTiepNhan');
    expect(problem({ ...base, ChuHoSo: '' })).toBe('ChuHoSo');
    expect(problem({ ...base, TrangThaiHoSo: 9 })).toBe('NgayKetThucXuLy');
    expect(problem({ ...base, TrangThaiHoSo: 10, NgayKetThucXuLy: '20260303090000' })).toBe('NgayTra');
    // Status 5 needs a last round still waiting for the citizen.
    expect(problem({ ...base, TrangThaiHoSo: 5 })).toBe('DanhSachHoSoBoSung');
    // A round before the last must have been received back.
    expect(
      problem({ ...base, DanhSachHoSoBoSung: [{ NgayBoSung: '20260302100000' }, { NgayBoSung: '20260303100000', NgayTiepNhanBoSung: '20260303150000' }] }),
    ).toBe('DanhSachHoSoBoSung[0].NgayTiepNhanBoSung');
    // Outside the portal's codes: refused by the schema.
    expect(portalRecordSchema.safeParse({ ...base, TrangThaiHoSo: 11 }).error?.issues[0]?.message).toBe('TrangThaiHoSo is 1–10');
  });
});

describe('a dossier in the portal’s shape, and back', () => {
  test('recordOfDossier → eventsOfRecord → the fold gives the same dossier', () => {
    // WD3 (3 working days, fee-free) received online by P.X Mon 2 Mar 2026 09:00; asked to supplement at 10:00,
    // completed Tue 3 Mar 14:00: the time restarts (118 Art. 19(5)): Tue 14–17 3 h, Wed 8 (11), Thu 8 (19),
    // Fri 08–12 4 (23), 13–14 1 (24) → due Fri 6 Mar 14:00. Result Thu 5 Mar 09:00 (electronic), early; returned online.
    const events = [
      received('2026-03-02T09:00:00+07:00', {
        channel: 'online',
        digitized: true,
        reusedDigitizedData: true,
        applicant: { name: 'Nguyễn Văn A', idNumber: '001090001234', phone: '0912345678', email: 'a@example.vn' },
      }),
      log('supplement_requested', '2026-03-02T10:00:00+07:00', { reason: 'Thiếu bản sao' }),
      log('supplement_received', '2026-03-03T14:00:00+07:00'),
      log('result_ready', '2026-03-05T09:00:00+07:00', { electronicResult: true }),
      log('returned', '2026-03-05T10:00:00+07:00', { method: 'online' }),
    ];
    const ctx = context();
    const s = foldDossier(events, ctx);
    expect([fmt(s.dueAt), s.outcome, s.status]).toEqual(['2026-03-06T14:00:00+07:00', 'early', 'returned']);

    const supplements = events
      .filter((l) => l.event.type === 'supplement_requested' || l.event.type === 'supplement_received')
      .map((l) => ({
        type: l.event.type as 'supplement_requested' | 'supplement_received',
        at: Date.parse(l.event.occurredAt),
        ...('reason' in l.event ? { reason: l.event.reason } : {}),
      }));
    const record = recordOfDossier(s, supplements, ctx.catalog);
    expect(record).toMatchObject({
      MaHoSo: 'D',
      MaTTHC: 'WD3',
      TenTTHC: '3 ngày làm việc',
      TrangThaiHoSo: 10,
      KenhThucHien: 2,
      DonViXuLy: 'P.X',
      NgayTiepNhan: '20260302090000',
      NgayHenTra: '20260306140000',
      NgayKetThucXuLy: '20260305090000',
      NgayTra: '20260305100000',
      DuocThanhToanTrucTuyen: 0,
      HoSoCoThanhPhanSoHoa: 1,
      MaDoiTuong: '001090001234',
      Email: 'a@example.vn',
      // Fee-free in the catalogue: no fee list at all (the catalogue already says it).
      DanhSachHoSoBoSung: [{ NgayBoSung: '20260302100000', NoiDungBoSung: 'Thiếu bản sao', NgayTiepNhanBoSung: '20260303140000' }],
    });

    const back = eventsOfRecord(portalRecordSchema.parse(record), ctx.catalog.procedure('WD3')!.feeRequired);
    const again = foldDossier(
      back.map((x, i) => ({ seq: i + 1, event: x.event })),
      ctx,
    );
    const facts = (d: typeof s) => ({
      code: d.code,
      status: d.status,
      channel: d.channel,
      receivedAt: d.receivedAt,
      dueAt: d.dueAt,
      finishedAt: d.finishedAt,
      returnedAt: d.returnedAt,
      outcome: d.outcome,
      rate: d.rate.outcome,
      pausedMs: d.pausedMs,
      applicant: d.applicant,
      feeRequired: d.feeRequired,
      digitized: d.digitized,
      reusedDigitizedData: d.reusedDigitizedData,
      electronicResult: d.electronicResult,
      paidOnline: d.paidOnline,
    });
    expect(facts(again)).toEqual(facts(s));
  });
});
