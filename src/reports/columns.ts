/**
 * The report's columns with their Vietnamese headers, shared by the CSV and
 * Excel exports and the pages. Headers already published keep their words
 * (spreadsheets are built on them); the 766 numbers are in the API's
 * `indicators`. No comma in a new header: naive CSV readers split on it.
 */
import type { RateRow } from './rates.js';

export interface Column {
  /** A field of the row: for rate reports, of RateRow, plus key and label. */
  key: keyof RateRow | 'key' | 'label' | (string & {});
  header: string;
  kind: 'text' | 'count' | 'rate' | 'number';
}

export const RATE_COLUMNS: Column[] = [
  { key: 'key', header: 'Mã', kind: 'text' },
  { key: 'label', header: 'Tên', kind: 'text' },
  { key: 'received', header: 'Hồ sơ tiếp nhận', kind: 'count' },
  { key: 'receivedOnline', header: 'Tiếp nhận trực tuyến', kind: 'count' },
  { key: 'receivedPostal', header: 'Tiếp nhận qua bưu chính', kind: 'count' },
  { key: 'onlineFull', header: 'Trực tuyến (có kết quả điện tử nếu trả giấy)', kind: 'count' },
  { key: 'onlineSubmissionRate', header: 'Tỷ lệ nộp trực tuyến', kind: 'rate' },
  { key: 'counterShare', header: 'Tỷ lệ nộp trực tiếp', kind: 'rate' },
  { key: 'postalShare', header: 'Tỷ lệ nộp qua bưu chính', kind: 'rate' },
  { key: 'finished', header: 'Đã giải quyết', kind: 'count' },
  { key: 'early', header: 'Trước hạn', kind: 'count' },
  { key: 'onTime', header: 'Đúng hạn', kind: 'count' },
  { key: 'late', header: 'Quá hạn', kind: 'count' },
  { key: 'openOnTrack', header: 'Đang giải quyết trong hạn', kind: 'count' },
  { key: 'openOverdue', header: 'Đang giải quyết quá hạn', kind: 'count' },
  { key: 'progressRate', header: 'Tỷ lệ đúng hạn (QĐ 766)', kind: 'rate' },
  { key: 'finishedOnTimeRate', header: 'Tỷ lệ đúng hạn trong số đã giải quyết', kind: 'rate' },
  { key: 'averageProcessingTime', header: 'Thời gian giải quyết trung bình (theo đơn vị của thủ tục)', kind: 'number' },
  { key: 'feeRequired', header: 'Hồ sơ có phí, lệ phí', kind: 'count' },
  { key: 'paidOnline', header: 'Thanh toán trực tuyến', kind: 'count' },
  { key: 'onlinePaymentRate', header: 'Tỷ lệ thanh toán trực tuyến', kind: 'rate' },
  { key: 'paperResult', header: 'Hồ sơ thủ tục trả kết quả giấy', kind: 'count' },
  { key: 'electronicResult', header: 'Có kết quả điện tử', kind: 'count' },
  { key: 'electronicResultRate', header: 'Tỷ lệ cấp kết quả điện tử', kind: 'rate' },
  { key: 'digitized', header: 'Hồ sơ số hóa', kind: 'count' },
  { key: 'digitizedFull', header: 'Số hóa đầy đủ (thành phần và kết quả)', kind: 'count' },
  { key: 'digitisationRate', header: 'Tỷ lệ số hóa', kind: 'rate' },
  { key: 'reusedData', header: 'Sử dụng lại dữ liệu số hóa', kind: 'count' },
  { key: 'reuseRate', header: 'Tỷ lệ sử dụng lại dữ liệu số hóa', kind: 'rate' },
  { key: 'dissatisfied', header: 'Hồ sơ bị phản ánh kiến nghị hoặc không hài lòng', kind: 'count' },
  { key: 'satisfactionRate', header: 'Mức độ hài lòng', kind: 'rate' },
  { key: 'rescheduled', header: 'Hồ sơ xin lỗi và hẹn lại ngày trả', kind: 'count' },
  { key: 'rescheduledRate', header: 'Tỷ lệ hồ sơ hẹn lại', kind: 'rate' },
  { key: 'lateWithoutApology', header: 'Quá hạn không có văn bản xin lỗi', kind: 'count' },
  { key: 'apologyTooLate', header: 'Xin lỗi muộn (sau thời hạn)', kind: 'count' },
  { key: 'repeatedSupplement', header: 'Yêu cầu bổ sung lần thứ hai', kind: 'count' },
  { key: 'lateSupplementRequest', header: 'Yêu cầu bổ sung sau 03 ngày làm việc', kind: 'count' },
  { key: 'closed', header: 'Đóng hồ sơ do không bổ sung', kind: 'count' },
  { key: 'lateOnlineAcceptance', header: 'Tiếp nhận trực tuyến quá 08 giờ làm việc', kind: 'count' },
];

/** Where lateness comes from, by agency and step (reports/lateness-sources.ts), in the exports. */
export const LATENESS_COLUMNS: Column[] = [
  { key: 'agencyCode', header: 'Mã cơ quan', kind: 'text' },
  { key: 'agencyName', header: 'Cơ quan xử lý', kind: 'text' },
  { key: 'step', header: 'Bước xử lý', kind: 'text' },
  { key: 'overruns', header: 'Bước quá hạn', kind: 'count' },
  { key: 'overrunsEnded', header: 'Đã chuyển nhưng quá hạn', kind: 'count' },
  { key: 'overrunsOpen', header: 'Đang xử lý quá hạn', kind: 'count' },
  { key: 'overrunWorkingMinutes', header: 'Tổng thời gian quá hạn (phút làm việc)', kind: 'count' },
  { key: 'averageOverrunWorkingMinutes', header: 'Quá hạn bình quân (phút làm việc)', kind: 'number' },
  { key: 'dossiersMadeLate', header: 'Hồ sơ bị trễ hạn do bước này', kind: 'count' },
];
