/**
 * The Vietnamese words for the report's groupings and cells (a dossier's states, outcomes and channels:
 * dossiers/wording.ts).
 */

export const GROUP_TEXT = { agency: 'cơ quan', procedure: 'thủ tục', field: 'lĩnh vực', channel: 'kênh tiếp nhận', month: 'tháng', all: 'toàn bộ' } as const;

/** The report cells a count on a page links to (counts-sql.ts CELL_FILTERS). */
export const CELL_TEXT: Record<string, string> = {
  received: 'Tiếp nhận trong kỳ',
  received_online: 'Tiếp nhận trực tuyến',
  finished: 'Đã giải quyết',
  early: 'Giải quyết trước hạn',
  on_time: 'Giải quyết đúng hạn',
  late: 'Giải quyết quá hạn',
  on_track: 'Đang giải quyết trong hạn',
  overdue: 'Đang giải quyết quá hạn',
};
