/**
 * The periodic report forms that go up the hierarchy (Circular 01/2020/TT-VPCP, *Biểu số II.06a, II.06b, II.07a,
 * II.07b/VPCP/KSTT*): the situation and results of handling TTHC dossiers, 13 numbered columns — row number, row
 * name, then received (total; this period online; this period at the counter or by post; carried over), settled
 * (total, early, on time, late), in progress (total, within time, overdue). Pure: rows from the report's counts
 * (rates.ts Counts, the same the 766 reports use), wording as the forms print it.
 *
 * Source of the layout: the column structure and wording as an open provincial system prints these forms
 * (HuanVu201/DichVuCong_KhoaLuan_PASETO, smartkios_client …/pdf/BaoCao06a/BaoCao06a.tsx and
 * …/ThongKeTheoDonVi/components/BaoCaoTongHop07a: "Số hồ sơ nhận giải quyết / Trong đó: Trực tuyến, Trực tiếp, dịch
 * vụ bưu chính / Từ kỳ trước …"); the Circular's own appendix was not read (Unconfirmed). Which form is which is this
 * product's reading: an "a" form is one unit (the agency asked for, and everything below it), its "b" form the
 * aggregate over the caller's whole agency tree; 06 rows are agencies (06a each agency's own dossiers, 06b each
 * agency with everything below it, indented by level), 07 rows are fields (*lĩnh vực*).
 */
import { z } from 'zod';
import type { Counts } from './rates.js';

export const officialFormSchema = z.enum(['06a', '06b', '07a', '07b']);
export type OfficialForm = z.infer<typeof officialFormSchema>;

export const OFFICIAL_FORMS: Record<OfficialForm, { number: string; title: string; rows: 'own-agency' | 'agency-tree' | 'field'; rowHeader: string }> = {
  '06a': {
    number: 'Biểu số II.06a/VPCP/KSTT',
    title: 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC',
    rows: 'own-agency',
    rowHeader: 'Cơ quan, đơn vị trực tiếp giải quyết',
  },
  '06b': {
    number: 'Biểu số II.06b/VPCP/KSTT',
    title: 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC THUỘC THẨM QUYỀN CỦA ĐỊA PHƯƠNG',
    rows: 'agency-tree',
    rowHeader: 'Cơ quan, đơn vị (theo cấp)',
  },
  '07a': {
    number: 'Biểu số II.07a/VPCP/KSTT',
    title: 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC THEO LĨNH VỰC TẠI CƠ QUAN, ĐƠN VỊ',
    rows: 'field',
    rowHeader: 'Lĩnh vực, công việc giải quyết theo cấp',
  },
  '07b': {
    number: 'Biểu số II.07b/VPCP/KSTT',
    title: 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC THEO LĨNH VỰC THUỘC THẨM QUYỀN CỦA ĐỊA PHƯƠNG',
    rows: 'field',
    rowHeader: 'Lĩnh vực, công việc giải quyết theo cấp',
  },
};

/** The header over the 11 numbered count columns (3–13): groups, their sub-headers, and a sub-group. */
export const COUNT_HEADER = {
  groups: [
    { title: 'Số hồ sơ nhận giải quyết', span: 4 },
    { title: 'Số hồ sơ đã giải quyết', span: 4 },
    { title: 'Số hồ sơ đang giải quyết', span: 3 },
  ],
  /** Column 3–13 headers; columns 4 and 5 sit under "Trong đó" (this period's receipts, by channel). */
  columns: [
    'Tổng số',
    'Trực tuyến',
    'Trực tiếp, dịch vụ bưu chính',
    'Từ kỳ trước',
    'Tổng số',
    'Trước hạn',
    'Đúng hạn',
    'Quá hạn',
    'Tổng số',
    'Trong hạn',
    'Quá hạn',
  ],
  inPeriod: 'Trong đó',
} as const;

/**
 * The numbers of columns 3–13 from a row's counts. Received in total = received in the period + carried over, which
 * equals settled + in progress (every dossier settled in the period or open at its end was one or the other).
 */
export function formNumbers(c: Counts): number[] {
  const open = c.openOnTrack + c.openOverdue;
  return [
    c.received + c.carriedOver,
    c.receivedOnline,
    c.received - c.receivedOnline,
    c.carriedOver,
    c.finished,
    c.early,
    c.onTime,
    c.late,
    open,
    c.openOnTrack,
    c.openOverdue,
  ];
}

/**
 * The notes printed under the table: how the product counts where the form does not say, or where DOMAIN marks the
 * rule unconfirmed (§5: the 766 judgment; instants rather than dates).
 */
export const FORM_NOTES = [
  'Số liệu tính theo cách tính của Quyết định số 766/QĐ-TTg trên Cổng Dịch vụ công quốc gia: thời gian chờ bổ sung hồ sơ không tính vào thời gian giải quyết; hồ sơ đang chờ bổ sung được đánh giá tại thời điểm yêu cầu bổ sung (quá hạn nếu đã yêu cầu bổ sung từ lần thứ hai).',
  'Hồ sơ từ chối, dừng giải quyết, rút hồ sơ được tính là đã giải quyết tại thời điểm kết thúc và xếp trước hạn, đúng hạn hoặc quá hạn theo thời điểm đó. Biểu mẫu chưa quy định rõ cách xếp các hồ sơ này (chưa được xác nhận).',
  'Trước hạn, đúng hạn, quá hạn so sánh theo thời điểm (giờ, phút) với thời hạn trả kết quả, trừ cơ quan áp dụng cách so sánh theo ngày (chính sách latenessReading).',
  'Từ kỳ trước: hồ sơ tiếp nhận trước kỳ báo cáo, chưa giải quyết xong tại thời điểm bắt đầu kỳ (bằng số hồ sơ đang giải quyết cuối kỳ trước).',
];

export interface OfficialReportRow {
  label: string;
  /** 0 for the top of the tree; agency-tree rows are indented by it. */
  depth: number;
  numbers: number[];
}

export interface OfficialReport {
  form: OfficialForm;
  number: string;
  title: string;
  rowHeader: string;
  reportingUnit: string;
  receivingUnit: string;
  /** "Quý III năm 2025", and "Từ ngày 01/07/2025 đến ngày 30/09/2025". */
  periodText: string;
  rangeText: string;
  /** "Sơn La, ngày … tháng … năm …": the place (the province), the date left to the signer. */
  placeLine: string;
  rows: OfficialReportRow[];
  total: number[];
  notes: string[];
}

const ROMAN = ['I', 'II', 'III', 'IV'];

/** The period as the forms name it. */
export function periodText(label: string): string {
  const m = /^(\d{4})(?:-(H1|H2|9M|Q[1-4]|\d{2}))?$/.exec(label);
  if (!m) return 'Từ ngày đến ngày';
  const [, year, part] = m;
  if (!part) return `Năm ${year}`;
  if (part === 'H1') return `06 tháng đầu năm ${year}`;
  if (part === 'H2') return `06 tháng cuối năm ${year}`;
  if (part === '9M') return `09 tháng năm ${year}`;
  if (part.startsWith('Q')) return `Quý ${ROMAN[Number(part[1]) - 1]} năm ${year}`;
  return `Tháng ${Number(part)} năm ${year}`;
}
