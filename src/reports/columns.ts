/**
 * The report's columns with their Vietnamese headers, shared by the CSV and
 * Excel exports and the pages.
 */
import type { RateRow } from './rates.js';

export interface Column {
  /** A field of the row: for rate reports, of RateRow, plus key and label. */
  key: keyof RateRow | 'key' | 'label' | (string & {});
  header: string;
  kind: 'text' | 'count' | 'rate';
}

export const RATE_COLUMNS: Column[] = [
  { key: 'key', header: 'Mã', kind: 'text' },
  { key: 'label', header: 'Tên', kind: 'text' },
  { key: 'received', header: 'Hồ sơ tiếp nhận', kind: 'count' },
  { key: 'receivedOnline', header: 'Tiếp nhận trực tuyến', kind: 'count' },
  { key: 'onlineSubmissionRate', header: 'Tỷ lệ nộp trực tuyến', kind: 'rate' },
  { key: 'finished', header: 'Đã giải quyết', kind: 'count' },
  { key: 'early', header: 'Trước hạn', kind: 'count' },
  { key: 'onTime', header: 'Đúng hạn', kind: 'count' },
  { key: 'late', header: 'Quá hạn', kind: 'count' },
  { key: 'openOnTrack', header: 'Đang giải quyết trong hạn', kind: 'count' },
  { key: 'openOverdue', header: 'Đang giải quyết quá hạn', kind: 'count' },
  { key: 'progressRate', header: 'Tỷ lệ đúng hạn (QĐ 766)', kind: 'rate' },
  { key: 'finishedOnTimeRate', header: 'Tỷ lệ đúng hạn trong số đã giải quyết', kind: 'rate' },
  { key: 'feeRequired', header: 'Hồ sơ có phí, lệ phí', kind: 'count' },
  { key: 'paidOnline', header: 'Thanh toán trực tuyến', kind: 'count' },
  { key: 'onlinePaymentRate', header: 'Tỷ lệ thanh toán trực tuyến', kind: 'rate' },
  { key: 'digitized', header: 'Hồ sơ số hóa', kind: 'count' },
  { key: 'digitisationRate', header: 'Tỷ lệ số hóa', kind: 'rate' },
];
