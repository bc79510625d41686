/**
 * The Vietnamese words for the states, outcomes, channels and groupings that
 * people read in pages, exports and letters: one place, so an export and a
 * page never name the same thing differently.
 */
import type { DossierStatus } from '../dossiers/fold.js';
import type { Outcome } from '../dossiers/outcome.js';

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

export const GROUP_TEXT = { agency: 'cơ quan', procedure: 'thủ tục', field: 'lĩnh vực', channel: 'kênh tiếp nhận', month: 'tháng', all: 'toàn bộ' } as const;

/** The report cells a count on a page links to (counts-sql.ts CELL_FILTERS). */
export const CELL_TEXT: Record<string, string> = {
  received: 'Tiếp nhận trong kỳ', received_online: 'Tiếp nhận trực tuyến', finished: 'Đã giải quyết', early: 'Giải quyết trước hạn',
  on_time: 'Giải quyết đúng hạn', late: 'Giải quyết quá hạn', on_track: 'Đang giải quyết trong hạn', overdue: 'Đang giải quyết quá hạn',
};
