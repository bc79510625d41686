/**
 * The national public service portal's dossier record (DOMAIN §5; field names
 * as open provincial systems sync them, e.g. OpenCPS's DVCQG integration — no
 * public specification, Source) and the dunghan events a record implies.
 *
 * The mapping is deterministic: each event a record implies has a fixed slot
 * (received, payment, supplement round n requested/received, result, return,
 * stop) and an id derived from the dossier code and that slot, so resending a
 * record, or a later snapshot of the same dossier, adds only the slots that
 * are new. A slot's body depends only on fields that do not change as the
 * dossier moves on (the first appointment, not the current NgayHenTra).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EARLIEST_MS, LATEST_MS } from '../calendar/instant.js';
import { formatLocalInstant } from '../calendar/local-time.js';
import type { Catalog } from '../catalog/catalog.js';
import type { DossierEvent } from '../dossiers/events.js';
import type { DossierState } from '../dossiers/state.js';

/** `yyyyMMddHHmmss` in Vietnamese local time (UTC+7, no daylight saving). */
export const portalDateSchema = z
  .union([z.string(), z.number().int()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{14}$/, 'expected yyyyMMddHHmmss (local time), e.g. 20260310143000'))
  .transform((s, ctx) => {
    const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}+07:00`;
    const ms = Date.parse(iso);
    // Date.parse accepts 30 February as 2 March: compare the fields back.
    if (!Number.isFinite(ms) || formatLocalInstant(ms).slice(0, 19) !== iso.slice(0, 19)) {
      ctx.addIssue({ code: 'custom', message: `${s} is not a valid date and time` });
      return z.NEVER;
    }
    if (ms < EARLIEST_MS || ms > LATEST_MS) {
      ctx.addIssue({ code: 'custom', message: `${s} is outside 2000–2199` });
      return z.NEVER;
    }
    return formatLocalInstant(ms);
  });

export function toPortalDate(ms: number): string {
  return formatLocalInstant(ms).slice(0, 19).replace(/\D/g, '');
}

/** Empty strings, as portals send for "no value", read as absent. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());
const flag = z.union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1')]).transform((v) => Number(v) === 1);
const text = (max: number) => z.string().trim().min(1).max(max);

export const PORTAL_STATUSES = {
  1: 'Mới đăng ký',
  2: 'Đã tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
} as const;

export const supplementRoundSchema = z.object({
  /** When the agency asked for the supplement (Unconfirmed field name). */
  NgayBoSung: portalDateSchema,
  NoiDungBoSung: optional(text(2000)),
  /** When the supplemented dossier was received back (Unconfirmed field name); absent while waiting. */
  NgayTiepNhanBoSung: optional(portalDateSchema),
  /** The appointment before and after the round (DOMAIN §5). */
  NgayHenTraTruoc: optional(portalDateSchema),
  NgayHenTraMoi: optional(portalDateSchema),
});

export const portalRecordSchema = z.object({
  MaHoSo: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\p{L}\p{N}._\-/]+$/u, 'letters, digits, . _ - / only'),
  MaTTHC: text(64),
  TenTTHC: optional(text(1000)),
  MaLinhVuc: optional(text(64)),
  TenLinhVuc: optional(text(500)),
  ChuHoSo: optional(text(200)),
  /** 1 citizen, 2 business. */
  LoaiDoiTuong: optional(z.coerce.number().int().min(1).max(2)),
  MaDoiTuong: optional(text(64)),
  Email: optional(z.email()),
  SoDienThoai: optional(
    z
      .string()
      .trim()
      .regex(/^\+?\d[\d .-]{7,15}$/, 'expected a phone number'),
  ),
  TrichYeuHoSo: optional(text(2000)),
  NgayTiepNhan: optional(portalDateSchema),
  NgayHenTra: optional(portalDateSchema),
  TrangThaiHoSo: z.coerce.number().int().min(1, 'TrangThaiHoSo is 1–10').max(10, 'TrangThaiHoSo is 1–10'),
  NgayTra: optional(portalDateSchema),
  /** How the result was returned (Unconfirmed codes): 1 by post, 2 online, otherwise at the counter. */
  HinhThuc: optional(z.coerce.number().int()),
  NgayKetThucXuLy: optional(portalDateSchema),
  /** The processing unit: an agency code of the catalogue. */
  DonViXuLy: text(64),
  /** 1 (or empty) counter, 2 online, 3 public postal service. */
  KenhThucHien: optional(z.coerce.number().int().min(1).max(3)),
  /** 1 paid on the national portal, 2 on the ministry's or province's gateway; 0 or absent: not paid online. */
  DuocThanhToanTrucTuyen: optional(z.coerce.number().int().min(0).max(2)),
  HoSoCoThanhPhanSoHoa: optional(flag),
  TaiKhoanDuocXacThucVoiVNeID: optional(flag),
  MaKetQua: optional(text(200)),
  TaiLieuNop: optional(z.array(z.object({ DuocSoHoa: optional(flag), DuocLayTuKhoDMQG: optional(flag) }).passthrough()).max(200)),
  DanhSachLePhi: optional(z.array(z.object({ Gia: z.coerce.number().int().nonnegative() }).passthrough()).max(100)),
  DanhSachHoSoBoSung: optional(z.array(supplementRoundSchema).max(50)),
  DanhSachGiayToKetQua: optional(z.array(z.object({ DuongDanTepTinKetQua: optional(text(2000)) }).passthrough()).max(100)),
});
export type PortalRecord = z.infer<typeof portalRecordSchema>;
export type PortalRecordInput = z.input<typeof portalRecordSchema>;

/** A slot of a record: the event it implies and the field that says so (named in a 409). */
export interface SlotEvent {
  slot: string;
  field: string;
  event: DossierEvent;
}

const NAMESPACE = 'dunghan-portal-sync/1';

/** A UUID (version 5 layout) from the dossier code and the slot: the same record always yields the same ids. */
export function slotEventId(dossierCode: string, slot: string): string {
  const h = createHash('sha1').update(`${NAMESPACE}\u0000${dossierCode}\u0000${slot}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Every slot a dossier's records can fill, for finding stored sync events (rounds up to the schema's limit). */
export function allSlots(): string[] {
  const rounds = Array.from({ length: 50 }, (_, n) => [`supplement_requested#${n + 1}`, `supplement_received#${n + 1}`]).flat();
  return ['received', 'payment', ...rounds, 'result_ready', 'returned', 'stopped'];
}

export class RecordProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The events a record implies. Status 1 (registered online, not received) and 3 (not received) imply none:
 * the processing time never started. `catalogFee` is whether the procedure has a fee in the catalogue (a
 * dossier whose synced fees are all 0 is fee-free, indicator 3.6).
 */
export function eventsOfRecord(r: PortalRecord, catalogFee: boolean | undefined): SlotEvent[] {
  if (r.TrangThaiHoSo === 1 || r.TrangThaiHoSo === 3) return [];
  const need = <T>(value: T | undefined, field: string): T => {
    if (value === undefined)
      throw new RecordProblem(
        field,
        `${field} is required when TrangThaiHoSo is ${r.TrangThaiHoSo} (${PORTAL_STATUSES[r.TrangThaiHoSo as keyof typeof PORTAL_STATUSES]})`,
      );
    return value;
  };
  const receivedAt = need(r.NgayTiepNhan, 'NgayTiepNhan');
  const code = r.MaHoSo;
  const out: SlotEvent[] = [];
  const add = (slot: string, field: string, body: Record<string, unknown>) =>
    out.push({ slot, field, event: { eventId: slotEventId(code, slot), dossierCode: code, ...body } as DossierEvent });

  const rounds = r.DanhSachHoSoBoSung ?? [];
  const fees = r.DanhSachLePhi ?? [];
  const feeFree = fees.length > 0 && fees.every((f) => f.Gia === 0);
  const documents = r.TaiLieuNop ?? [];
  const phone = r.SoDienThoai;
  // The first appointment: the one before the first supplement round, or NgayHenTra while there is none.
  const firstAppointment = rounds[0]?.NgayHenTraTruoc ?? (rounds.length ? undefined : r.NgayHenTra);
  add('received', 'NgayTiepNhan', {
    type: 'received',
    occurredAt: receivedAt,
    procedureCode: r.MaTTHC,
    receivingAgencyCode: r.DonViXuLy,
    channel: r.KenhThucHien === 2 ? 'online' : r.KenhThucHien === 3 ? 'postal' : 'direct',
    applicant: {
      name: need(r.ChuHoSo, 'ChuHoSo'),
      ...(r.LoaiDoiTuong !== 2 && r.MaDoiTuong && /^\d{9,12}$/.test(r.MaDoiTuong) ? { idNumber: r.MaDoiTuong } : {}),
      ...(phone ? { phone } : {}),
      ...(r.Email ? { email: r.Email } : {}),
    },
    feeRequired: (catalogFee ?? true) && !feeFree,
    digitized: documents.some((d) => d.DuocSoHoa === true),
    reusedDigitizedData: r.HoSoCoThanhPhanSoHoa === true || documents.some((d) => d.DuocLayTuKhoDMQG === true),
    ...(firstAppointment ? { declaredDueAt: firstAppointment } : {}),
  });
  if (r.DuocThanhToanTrucTuyen === 1 || r.DuocThanhToanTrucTuyen === 2) {
    // The record has no payment instant: online payment goes with the submission.
    add('payment', 'DuocThanhToanTrucTuyen', {
      type: 'payment_recorded',
      occurredAt: receivedAt,
      amount: fees.reduce((s, f) => s + f.Gia, 0),
      method: 'online',
      viaNationalPortal: r.DuocThanhToanTrucTuyen === 1,
    });
  }
  rounds.forEach((round, i) => {
    const n = i + 1;
    add(`supplement_requested#${n}`, `DanhSachHoSoBoSung[${i}].NgayBoSung`, {
      type: 'supplement_requested',
      occurredAt: round.NgayBoSung,
      reason: round.NoiDungBoSung ?? 'Yêu cầu bổ sung hồ sơ (đồng bộ từ Cổng Dịch vụ công quốc gia)',
    });
    if (round.NgayTiepNhanBoSung)
      add(`supplement_received#${n}`, `DanhSachHoSoBoSung[${i}].NgayTiepNhanBoSung`, { type: 'supplement_received', occurredAt: round.NgayTiepNhanBoSung });
    else if (i < rounds.length - 1)
      throw new RecordProblem(`DanhSachHoSoBoSung[${i}].NgayTiepNhanBoSung`, 'a supplement round before the last must have been received back');
  });
  const waiting = rounds.length > 0 && !rounds.at(-1)!.NgayTiepNhanBoSung;
  if (r.TrangThaiHoSo === 5 && !waiting)
    throw new RecordProblem('DanhSachHoSoBoSung', 'TrangThaiHoSo 5 (supplement requested) needs a last round not yet received back');

  const electronic = r.MaKetQua !== undefined && (r.DanhSachGiayToKetQua ?? []).some((g) => g.DuongDanTepTinKetQua !== undefined);
  if (r.TrangThaiHoSo === 8) {
    add('stopped', 'TrangThaiHoSo', {
      type: 'refused',
      occurredAt: need(r.NgayKetThucXuLy, 'NgayKetThucXuLy'),
      reason: 'Dừng xử lý (TrangThaiHoSo 8, đồng bộ từ Cổng Dịch vụ công quốc gia)',
    });
  }
  if (r.TrangThaiHoSo === 9 || r.TrangThaiHoSo === 10) {
    const processedAt = r.TrangThaiHoSo === 9 ? need(r.NgayKetThucXuLy, 'NgayKetThucXuLy') : (r.NgayKetThucXuLy ?? need(r.NgayTra, 'NgayTra'));
    add('result_ready', 'NgayKetThucXuLy', { type: 'result_ready', occurredAt: processedAt, ...(electronic ? { electronicResult: true } : {}) });
  }
  if (r.TrangThaiHoSo === 10) {
    add('returned', 'NgayTra', {
      type: 'returned',
      occurredAt: need(r.NgayTra, 'NgayTra'),
      method: r.HinhThuc === 1 ? 'postal' : r.HinhThuc === 2 ? 'online' : 'counter',
    });
  }
  return out;
}

/** dunghan's status as the portal's TrangThaiHoSo. */
const STATUS_TO_PORTAL: Record<DossierState['status'], number> = {
  received: 2,
  processing: 4,
  supplement_requested: 5,
  processed: 9,
  returned: 10,
  refused: 8,
  withdrawn: 8,
  // Closed for want of a supplement: the processing stopped (the portal has no status of its own for it).
  closed: 8,
};

/**
 * A dossier in the portal's shape, from its state and its supplementation events in order. Reading it back
 * with `eventsOfRecord` gives the same facts (receipt, channel, payment, rounds, result, return).
 */
export function recordOfDossier(
  s: DossierState,
  supplements: Array<{ type: 'supplement_requested' | 'supplement_received'; at: number; reason?: string }>,
  catalog: Catalog,
): Record<string, unknown> {
  const procedure = catalog.procedure(s.procedureCode);
  const rounds: Array<{ NgayBoSung: string; NoiDungBoSung?: string; NgayTiepNhanBoSung?: string; NgayHenTraTruoc?: string }> = [];
  for (const e of supplements) {
    if (e.type === 'supplement_requested') rounds.push({ NgayBoSung: toPortalDate(e.at), ...(e.reason ? { NoiDungBoSung: e.reason } : {}) });
    else if (rounds.length && !rounds.at(-1)!.NgayTiepNhanBoSung) rounds.at(-1)!.NgayTiepNhanBoSung = toPortalDate(e.at);
  }
  if (rounds.length && s.declaredDueAt !== null) rounds[0]!.NgayHenTraTruoc = toPortalDate(s.declaredDueAt);
  const stoppedAt = s.status === 'refused' || s.status === 'withdrawn' || s.status === 'closed' ? s.finishedAt : null;
  const feeFree = s.rules.feeProcedure !== false && !s.feeRequired;
  return {
    MaHoSo: s.code,
    MaTTHC: s.procedureCode,
    ...(procedure ? { TenTTHC: procedure.name, TenLinhVuc: procedure.field, ...(procedure.fieldCode ? { MaLinhVuc: procedure.fieldCode } : {}) } : {}),
    ChuHoSo: s.applicant.name,
    LoaiDoiTuong: 1,
    ...(s.applicant.idNumber ? { MaDoiTuong: s.applicant.idNumber } : {}),
    ...(s.applicant.email ? { Email: s.applicant.email } : {}),
    ...(s.applicant.phone ? { SoDienThoai: s.applicant.phone } : {}),
    NgayTiepNhan: toPortalDate(s.receivedAt),
    // Without rounds the first appointment is what the receipt printed (or the legal one); the current one otherwise.
    NgayHenTra: toPortalDate(rounds.length || s.apology ? s.dueAt : (s.declaredDueAt ?? s.dueAt)),
    TrangThaiHoSo: STATUS_TO_PORTAL[s.status],
    ...(s.resultReadyAt !== null ? { NgayKetThucXuLy: toPortalDate(s.resultReadyAt) } : stoppedAt !== null ? { NgayKetThucXuLy: toPortalDate(stoppedAt) } : {}),
    ...(s.returnedAt !== null ? { NgayTra: toPortalDate(s.returnedAt) } : {}),
    DonViXuLy: s.receivingAgencyCode,
    KenhThucHien: s.channel === 'online' ? 2 : s.channel === 'postal' ? 3 : 1,
    DuocThanhToanTrucTuyen: s.paidOnline ? (s.paidViaNationalPortal ? 1 : 2) : 0,
    HoSoCoThanhPhanSoHoa: s.reusedDigitizedData ? 1 : 0,
    TaiLieuNop: [{ DuocSoHoa: s.digitized ? 1 : 0 }],
    ...(feeFree ? { DanhSachLePhi: [{ Gia: 0 }] } : s.paidOnline ? { DanhSachLePhi: [{ Gia: s.amountPaid }] } : {}),
    ...(rounds.length ? { DanhSachHoSoBoSung: rounds } : {}),
    // The result file itself stays with the one-stop software; the URN says which dossier's it is.
    ...(s.electronicResult ? { MaKetQua: s.code, DanhSachGiayToKetQua: [{ DuongDanTepTinKetQua: `urn:dunghan:ket-qua:${s.code}` }] } : {}),
  };
}
