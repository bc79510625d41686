/**
 * Reconciliation with the national portal: the figures the portal published
 * for an agency and period (entered or uploaded by an administrator, with its
 * list of dossiers when it has one) against dunghan's own, and the dossiers
 * that explain each difference, each with the reason.
 */
import { z } from 'zod';
import { localDayOf } from '../calendar/local-time.js';
import { percentOf, type Counts } from './rates.js';

const count = z.number().int().nonnegative();

/** The portal's published figures for one agency and period (its progress table's columns). */
export const portalFiguresSchema = z.strictObject({
  /** Tiếp nhận trong kỳ. */
  received: count.optional(),
  /** Tiếp nhận trực tuyến. */
  receivedOnline: count.optional(),
  /** Đã giải quyết đúng hạn (early and on time). */
  finishedOnTime: count.optional(),
  /** Đã giải quyết quá hạn. */
  finishedLate: count.optional(),
  /** Đang giải quyết trong hạn / quá hạn at the period's end. */
  openOnTrack: count.optional(),
  openOverdue: count.optional(),
  /** Hồ sơ phải nộp phí, lệ phí; đã thanh toán trực tuyến. */
  feeRequired: count.optional(),
  paidOnline: count.optional(),
});
export type PortalFigures = z.infer<typeof portalFiguresSchema>;

export const portalJudgmentSchema = z.enum(['on_time', 'late', 'on_track', 'overdue']);
export type PortalJudgment = z.infer<typeof portalJudgmentSchema>;

export const portalUploadSchema = z.strictObject({
  agency: z.string().min(1).max(64),
  period: z.string().min(1).max(32),
  convention: z.enum(['calendar', 'report']).default('calendar'),
  figures: portalFiguresSchema,
  /** The portal's list of the period's dossiers with its judgment of each, when exported from it. */
  dossiers: z
    .array(z.strictObject({ MaHoSo: z.string().min(1).max(64), judgment: portalJudgmentSchema }))
    .max(200_000)
    .optional(),
  /** Where the figures come from (the portal page, the report's number and date). */
  source: z.string().trim().min(1).max(500),
});
export type PortalUpload = z.infer<typeof portalUploadSchema>;

export const FIGURE_TEXT: Record<keyof PortalFigures, string> = {
  received: 'Tiếp nhận trong kỳ',
  receivedOnline: 'Tiếp nhận trực tuyến',
  finishedOnTime: 'Đã giải quyết đúng hạn',
  finishedLate: 'Đã giải quyết quá hạn',
  openOnTrack: 'Đang giải quyết trong hạn',
  openOverdue: 'Đang giải quyết quá hạn',
  feeRequired: 'Phải nộp phí, lệ phí',
  paidOnline: 'Thanh toán trực tuyến',
};

/** dunghan's value of each portal figure, from its 766 counts. */
export function ourFigures(c: Counts): Required<PortalFigures> {
  return {
    received: c.received,
    receivedOnline: c.receivedOnline,
    finishedOnTime: c.early + c.onTime,
    finishedLate: c.late,
    openOnTrack: c.openOnTrack,
    openOverdue: c.openOverdue,
    feeRequired: c.feeRequired,
    paidOnline: c.paidOnline,
  };
}

const ratio = (n: number, d: number) => (d === 0 ? null : percentOf(n / d));

/** 2.1, the online share of receipts and 3.6, as percentages with 2 decimals; null when a figure is missing or the denominator is 0. */
export function ratesOf(f: PortalFigures): Array<{ indicator: string; name: string; percent: number | null }> {
  const all = [f.finishedOnTime, f.finishedLate, f.openOnTrack, f.openOverdue];
  const defined = (xs: Array<number | undefined>): xs is number[] => xs.every((x) => x !== undefined);
  return [
    {
      indicator: '2.1',
      name: 'Tiến độ giải quyết',
      percent: defined(all)
        ? ratio(
            all[0]! + all[2]!,
            all.reduce((a, b) => a + b, 0),
          )
        : null,
    },
    {
      indicator: '3.3 (tỷ lệ tiếp nhận trực tuyến)',
      name: 'Tiếp nhận trực tuyến',
      percent: defined([f.receivedOnline, f.received]) ? ratio(f.receivedOnline!, f.received!) : null,
    },
    { indicator: '3.6', name: 'Thanh toán trực tuyến', percent: defined([f.paidOnline, f.feeRequired]) ? ratio(f.paidOnline!, f.feeRequired!) : null },
  ];
}

export interface JudgedDossier {
  code: string;
  judged: 'early' | 'on_time' | 'late' | 'on_track' | 'overdue';
  dueAt: number;
  rateDueAt: number;
  finishedAt: number | null;
  outcome: string | null;
  flags: string[];
}

/**
 * dunghan's figures read by date (DOMAIN §5: a province's own reading, as Thanh Hóa's system compares dates): a dossier
 * finished after its appointment but on the due day counts on time, and one open and overdue at the judgment instant
 * but still on its due day counts within time. Reconciliation shows both readings beside the portal's figures.
 */
export function byDateReading(ours: Required<PortalFigures>, judged: JudgedDossier[], judgedAt: number): Required<PortalFigures> {
  let finishedOnDueDay = 0;
  let openOnDueDay = 0;
  for (const d of judged) {
    const dueDay = localDayOf(d.rateDueAt);
    if (d.judged === 'late' && d.finishedAt !== null && localDayOf(d.finishedAt) === dueDay) finishedOnDueDay += 1;
    if (d.judged === 'overdue' && d.rateDueAt < judgedAt && localDayOf(judgedAt) === dueDay) openOnDueDay += 1;
  }
  return {
    ...ours,
    finishedOnTime: ours.finishedOnTime + finishedOnDueDay,
    finishedLate: ours.finishedLate - finishedOnDueDay,
    openOnTrack: ours.openOnTrack + openOnDueDay,
    openOverdue: ours.openOverdue - openOnDueDay,
  };
}

export type DifferenceReason = 'missing_here' | 'not_on_portal' | 'judged_differently' | 'late_on_due_day' | 'declared_due_mismatch' | 'supplement_subtracted';

export const REASON_TEXT: Record<DifferenceReason, string> = {
  missing_here: 'Cổng quốc gia có hồ sơ này, Đúng hạn không có trong kỳ (chưa đồng bộ về, hoặc khác kỳ)',
  not_on_portal: 'Đúng hạn tính hồ sơ này, Cổng quốc gia không có (chưa đồng bộ lên)',
  judged_differently: 'Hai bên đánh giá khác nhau',
  late_on_due_day: 'Hoàn thành trong ngày hẹn nhưng sau giờ hẹn: tính theo ngày thì đúng hạn, theo thời điểm thì quá hạn',
  declared_due_mismatch: 'Ngày hẹn in trên phiếu khác thời hạn luật định',
  supplement_subtracted: 'Có thời gian bổ sung hồ sơ: đánh giá theo 766 (trừ thời gian bổ sung) khác đánh giá pháp lý',
};

const simple = (j: JudgedDossier['judged']): PortalJudgment => (j === 'early' ? 'on_time' : j);

/**
 * The dossiers that explain a difference. With the portal's list: those only one side has, and those judged
 * differently. Always: the ones a system that judges differently would count differently (finished late on
 * the due day, a printed appointment that differs from the legal one, supplementation time subtracted).
 */
export function explainDifferences(ours: JudgedDossier[], portal: Array<{ MaHoSo: string; judgment: PortalJudgment }> | undefined) {
  const out: Array<{ code: string; reason: DifferenceReason; text: string; dunghan: PortalJudgment | null; portal: PortalJudgment | null }> = [];
  const mine = new Map(ours.map((d) => [d.code, d]));
  if (portal) {
    const theirs = new Map(portal.map((d) => [d.MaHoSo, d.judgment]));
    for (const [code, judgment] of theirs)
      if (!mine.has(code)) out.push({ code, reason: 'missing_here', text: REASON_TEXT.missing_here, dunghan: null, portal: judgment });
    for (const d of ours) {
      const theirsOf = theirs.get(d.code);
      if (theirsOf === undefined) out.push({ code: d.code, reason: 'not_on_portal', text: REASON_TEXT.not_on_portal, dunghan: simple(d.judged), portal: null });
      else if (theirsOf !== simple(d.judged))
        out.push({
          code: d.code,
          reason: 'judged_differently',
          text: `${REASON_TEXT.judged_differently}${causeOf(d) ? `: ${REASON_TEXT[causeOf(d)!]}` : ''}`,
          dunghan: simple(d.judged),
          portal: theirsOf,
        });
    }
    return out;
  }
  for (const d of ours) {
    const cause = causeOf(d);
    if (cause) out.push({ code: d.code, reason: cause, text: REASON_TEXT[cause], dunghan: simple(d.judged), portal: null });
  }
  return out;
}

/** Why another system may judge this dossier otherwise, if there is a known reason. */
function causeOf(d: JudgedDossier): DifferenceReason | null {
  if (d.judged === 'late' && d.finishedAt !== null && localDayOf(d.finishedAt) === localDayOf(d.rateDueAt)) return 'late_on_due_day';
  if (d.flags.includes('declared_due_mismatch')) return 'declared_due_mismatch';
  if (d.outcome !== null && d.finishedAt !== null && simple(d.judged) !== (d.outcome === 'late' ? 'late' : 'on_time')) return 'supplement_subtracted';
  return null;
}
