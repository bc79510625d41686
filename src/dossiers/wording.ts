/**
 * The Vietnamese words for a dossier's states, outcomes and channels that people read in pages, exports, letters
 * and the citizen's lookup: one place, so a page and an export never name the same thing differently. (Report
 * groupings and cells have their words in reports/vietnamese-terms.ts.)
 */
import type { DossierStatus } from './state.js';
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
