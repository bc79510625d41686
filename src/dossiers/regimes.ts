/**
 * The legal regimes a dossier can be judged under, chosen by its receipt
 * instant (shared/DOMAIN.md §1), as one table of rules, each with its source
 * and grade (Law: the text was read; Source: a secondary source;
 * Unconfirmed: not found in writing). A change of law is a new row here.
 */
import { z } from 'zod';
import { dayFromIsoDate, localDayOf } from '../calendar/local-time.js';

export const regimeIdSchema = z.enum(['ND61/2018', 'ND118/2025', 'ND118/2025+ND309/2026']);
export type RegimeId = z.infer<typeof regimeIdSchema>;

export type Grade = 'Law' | 'Source' | 'Unconfirmed';

export interface Rule<T> {
  value: T;
  source: string;
  grade: Grade;
}

export interface RegimeRules {
  /** The legal time limit starts again from the completed dossier after a supplementation request. */
  supplementRestarts: Rule<boolean>;
  /** A supplementation request later than this many working days after receipt is a violation to flag. */
  supplementRequestWithinWorkingDays: Rule<number>;
  /** The apology is due no later than this many days before the due date, judged by date. */
  apologyDaysBeforeDueDate: Rule<number>;
  /** When the clock starts for a dossier received for another competent agency (regardless of boundary). */
  clockStartsAt: Rule<'receipt' | 'competent-agency-receipt'>;
  /** Paper dossiers received after this time are passed on to the competent agency at the next working day's start. */
  paperHandOverCutoff: Rule<string | null>;
  /** The return date may be rescheduled only once. */
  rescheduleOnce: Rule<boolean>;
  /** Days after the supplementation notice from which an uncompleted dossier is due to be closed (null: no such rule). */
  supplementClosureDays: Rule<number | null>;
  /** Working hours after an online submission within which it is accepted or a supplement requested (null: no rule). */
  onlineResponseWorkingHours: Rule<number | null>;
  /** Working days within which a centre passes a paper dossier received for another competent agency (null: no rule). */
  boundaryFreeHandOverWorkingDays: Rule<number | null>;
}

export interface Regime {
  id: RegimeId;
  name: string;
  /** First and last local dates of receipt it governs (inclusive; null: still in force). */
  from: string;
  to: string | null;
  rules: RegimeRules;
}

const ND61 = 'Nghị định 61/2018/NĐ-CP';
const SUPPLEMENT_61: Rule<boolean> = {
  value: true,
  source: `${ND61}, Điều 19 khoản 4: thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ`,
  grade: 'Law',
};
const REQUEST_WITHIN_61: Rule<number> = {
  value: 3,
  source: `${ND61}, Điều 19 khoản 4: yêu cầu bổ sung trong 03 ngày làm việc kể từ ngày tiếp nhận`,
  grade: 'Law',
};
const APOLOGY_61: Rule<number> = { value: 1, source: `${ND61}, Điều 19 khoản 9: chậm nhất 01 ngày trước ngày hết hạn`, grade: 'Law' };
const ONCE_61: Rule<boolean> = { value: true, source: `${ND61}, Điều 19 khoản 9: chỉ hẹn lại ngày trả kết quả một lần`, grade: 'Law' };
// Decree 118/2025 read in full (DOMAIN §1, December 2026): these rules are Law in regimes 2 and 3 (309/2026, as read,
// does not amend Art. 19(5)–(6): Law by composition).
const ND118 = 'Nghị định 118/2025/NĐ-CP';
const SUPPLEMENT_118: Rule<boolean> = {
  value: true,
  source: `${ND118}, Điều 19 khoản 5: thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ`,
  grade: 'Law',
};
const REQUEST_WITHIN_118: Rule<number> = {
  value: 3,
  source: `${ND118}, Điều 19 khoản 5: yêu cầu bổ sung, hoàn thiện hồ sơ trong 03 ngày làm việc kể từ ngày tiếp nhận`,
  grade: 'Law',
};
const APOLOGY_118: Rule<number> = { value: 1, source: `${ND118}, Điều 19 khoản 6: chậm nhất 01 ngày trước ngày hết hạn`, grade: 'Law' };
const ONCE_118: Rule<boolean> = { value: true, source: `${ND118}, Điều 19 khoản 6: chỉ hẹn lại ngày trả kết quả một lần`, grade: 'Law' };
// "15 ngày" without "làm việc": calendar days, counted from the notice's day (DOMAIN §3: the days are an Inference).
const CLOSURE_118: Rule<number | null> = {
  value: 15,
  source: `${ND118}, Điều 19 khoản 5: quá 15 ngày kể từ ngày thông báo mà không bổ sung, hoàn thiện thì Bộ phận Một cửa đóng hồ sơ (ngày lịch: suy luận)`,
  grade: 'Law',
};
const HAND_OVER_118: Rule<number | null> = {
  value: 1,
  source: `${ND118}, Điều 20 khoản 1 điểm a: hồ sơ tiếp nhận không phụ thuộc địa giới hành chính, hồ sơ giấy chuyển cơ quan có thẩm quyền trong 01 ngày làm việc`,
  grade: 'Law',
};
const ONLINE_118: Rule<number | null> = {
  value: 8,
  source: `${ND118}, Điều 17 khoản 2: tiếp nhận hoặc yêu cầu bổ sung hồ sơ trực tuyến trong 08 giờ làm việc kể từ khi hệ thống tiếp nhận`,
  grade: 'Law',
};

export const REGIMES: readonly Regime[] = [
  {
    id: 'ND61/2018',
    name: 'Nghị định 61/2018/NĐ-CP (sửa đổi bởi Nghị định 107/2021/NĐ-CP)',
    from: '2018-06-21',
    to: '2025-06-30',
    rules: {
      supplementRestarts: SUPPLEMENT_61,
      supplementRequestWithinWorkingDays: REQUEST_WITHIN_61,
      apologyDaysBeforeDueDate: APOLOGY_61,
      clockStartsAt: { value: 'receipt', source: `${ND61}: thời hạn tính từ khi tiếp nhận hồ sơ đầy đủ`, grade: 'Source' },
      // A hand-over rule, not a receipt clock (DOMAIN §3): it sets no clock in this regime.
      paperHandOverCutoff: {
        value: '15:00',
        source: `${ND61}, Điều 18 khoản 2–3: hồ sơ tiếp nhận sau 15 giờ chuyển trong ngày làm việc tiếp theo`,
        grade: 'Law',
      },
      rescheduleOnce: ONCE_61,
      supplementClosureDays: { value: null, source: `${ND61}: không quy định đóng hồ sơ không được bổ sung`, grade: 'Source' },
      onlineResponseWorkingHours: { value: null, source: `${ND61}: không quy định thời hạn tiếp nhận hồ sơ trực tuyến theo giờ làm việc`, grade: 'Source' },
      boundaryFreeHandOverWorkingDays: { value: null, source: `${ND61}: không có tiếp nhận không phụ thuộc địa giới hành chính`, grade: 'Source' },
    },
  },
  {
    id: 'ND118/2025',
    name: 'Nghị định 118/2025/NĐ-CP',
    from: '2025-07-01',
    to: '2026-08-04',
    rules: {
      supplementRestarts: SUPPLEMENT_118,
      supplementRequestWithinWorkingDays: REQUEST_WITHIN_118,
      apologyDaysBeforeDueDate: APOLOGY_118,
      clockStartsAt: { value: 'receipt', source: 'Nghị định 118/2025/NĐ-CP, Điều 17 khoản 3 (trước sửa đổi): tính từ khi tiếp nhận', grade: 'Source' },
      paperHandOverCutoff: {
        value: '15:00',
        source: `${ND118}, Điều 18 khoản 2: hồ sơ giấy tiếp nhận sau 15 giờ chuyển vào ngày làm việc tiếp theo`,
        grade: 'Law',
      },
      rescheduleOnce: ONCE_118,
      supplementClosureDays: CLOSURE_118,
      onlineResponseWorkingHours: ONLINE_118,
      boundaryFreeHandOverWorkingDays: HAND_OVER_118,
    },
  },
  {
    id: 'ND118/2025+ND309/2026',
    name: 'Nghị định 118/2025/NĐ-CP, sửa đổi bởi Nghị định 309/2026/NĐ-CP',
    from: '2026-08-05',
    to: null,
    rules: {
      supplementRestarts: SUPPLEMENT_118,
      supplementRequestWithinWorkingDays: REQUEST_WITHIN_118,
      apologyDaysBeforeDueDate: APOLOGY_118,
      clockStartsAt: {
        value: 'competent-agency-receipt',
        source:
          'Nghị định 309/2026/NĐ-CP, Điều 8 (sửa Điều 17 khoản 3 Nghị định 118/2025): hồ sơ tiếp nhận không phụ thuộc địa giới hành chính tính từ khi cơ quan có thẩm quyền nhận',
        grade: 'Law',
      },
      paperHandOverCutoff: {
        value: '15:00',
        source:
          'Nghị định 309/2026/NĐ-CP, Điều 9 (sửa Điều 18 khoản 2 Nghị định 118/2025): hồ sơ giấy tiếp nhận sau 15 giờ chuyển vào đầu ngày làm việc tiếp theo',
        grade: 'Law',
      },
      rescheduleOnce: ONCE_118,
      supplementClosureDays: CLOSURE_118,
      onlineResponseWorkingHours: ONLINE_118,
      boundaryFreeHandOverWorkingDays: HAND_OVER_118,
    },
  },
];

/** The regime in force on the local date of the instant; before 21 June 2018, the first one (no earlier regime is modelled). */
export function regimeAt(instantMs: number): Regime {
  const day = localDayOf(instantMs);
  return REGIMES.find((r) => day >= dayFromIsoDate(r.from) && (r.to === null || day <= dayFromIsoDate(r.to))) ?? REGIMES[0]!;
}

export function regimeById(id: RegimeId): Regime {
  return REGIMES.find((r) => r.id === id)!;
}
