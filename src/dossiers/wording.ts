/**
 * The Vietnamese words for a dossier's states, outcomes and channels that people read in pages, exports, letters
 * and the citizen's lookup: one place, so a page and an export never name the same thing differently. (Report
 * groupings and cells have their words in reports/vietnamese-terms.ts.)
 */
import type { ComplianceFlag, DossierStatus } from './state.js';
import type { OpenProgress } from './progress.js';
import type { Outcome } from './outcome.js';

export const STATUS_TEXT: Record<DossierStatus, string> = {
  received: 'Đã tiếp nhận',
  processing: 'Đang xử lý',
  supplement_requested: 'Chờ bổ sung hồ sơ',
  processed: 'Đã có kết quả',
  returned: 'Đã trả kết quả',
  refused: 'Từ chối giải quyết',
  withdrawn: 'Đã rút hồ sơ',
  closed: 'Đã đóng hồ sơ (không bổ sung)',
};

export const OUTCOME_TEXT: Record<Outcome, string> = { early: 'Trước hạn', on_time: 'Đúng hạn', late: 'Quá hạn' };

export const CHANNEL_TEXT = { direct: 'Trực tiếp', online: 'Trực tuyến', postal: 'Bưu chính công ích' } as const;

/** An open dossier's judgment now (progress.ts), as the pages and lists say it. */
export const PROGRESS_TEXT: Record<OpenProgress, string> = {
  on_track: 'Trong hạn',
  due_soon: 'Sắp đến hạn',
  overdue: 'Quá hạn',
  waiting_for_citizen: 'Chờ công dân bổ sung hồ sơ',
};

/** The violations a dossier records (state.ts complianceFlagSchema): every flag has its words, so no code reaches a page. */
export const FLAG_TEXT: Record<ComplianceFlag, string> = {
  late_without_apology: 'Trễ hạn mà chưa có văn bản xin lỗi',
  apology_too_late: 'Xin lỗi muộn (ít hơn thời gian quy định trước hạn)',
  declared_due_mismatch: 'Ngày hẹn trên phiếu tiếp nhận khác hạn theo quy định',
  repeated_supplement: 'Yêu cầu bổ sung hồ sơ nhiều lần',
  late_supplement_request: 'Yêu cầu bổ sung quá 03 ngày làm việc sau khi tiếp nhận',
  late_online_acceptance: 'Tiếp nhận hồ sơ trực tuyến quá 08 giờ làm việc',
  late_hand_over: 'Chuyển hồ sơ giấy cho cơ quan có thẩm quyền quá 01 ngày làm việc',
};
