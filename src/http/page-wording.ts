/**
 * What a person reads on an error page, in Vietnamese (issue 28 item 7): the API keeps its English problem documents
 * for programs; a page never shows "The period 2027 has not started yet" or a field path such as `occurredAt`.
 *
 * A message already written in Vietnamese (the pages' own refusals) is shown as it is; otherwise the sentence comes
 * from what went wrong (the domain error's kind, the status), and a form's or a query's fields are named in words,
 * each with what is wrong with it.
 */
import type { ZodError } from 'zod';
import { DomainError, type DomainErrorKind } from '../domain-error.js';
import { PERIOD_FORMS_TEXT } from '../reports/periods.js';

/** Letters only Vietnamese writes (with its tones): a text holding one is already Vietnamese. */
const VIETNAMESE_LETTER = /[ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]/i;
export const isVietnamese = (text: string) => VIETNAMESE_LETTER.test(text);

const KIND_TEXT: Record<DomainErrorKind, string> = {
  unknown_dossier: 'Không tìm thấy hồ sơ có mã này, hoặc hồ sơ không thuộc các cơ quan bạn được xem.',
  unknown_agency: 'Không có cơ quan nào có mã này.',
  unknown_procedure: 'Không có thủ tục hành chính nào có mã này.',
  not_in_scope: 'Cơ quan này nằm ngoài phạm vi bạn được xem.',
  bad_period: `Không đọc được kỳ báo cáo. Có thể nhập: ${PERIOD_FORMS_TEXT}.`,
  period_not_started: 'Kỳ báo cáo này chưa bắt đầu nên chưa có số liệu.',
  period_ended: 'Kỳ báo cáo này đã kết thúc; việc này chỉ làm được cho kỳ đang diễn ra.',
  conflict: 'Dữ liệu này đã được ghi với nội dung khác.',
  invalid_transition: 'Không thực hiện được việc này ở trạng thái hiện tại của hồ sơ.',
  invalid_appointment: 'Ngày hẹn mới không hợp lệ: đã qua, rơi vào ngày nghỉ hoặc ngoài giờ làm việc.',
  invalid_explanation: 'Không ghi nhận được giải trình: hồ sơ không trễ hạn, hoặc nội dung giải trình chưa hợp lệ.',
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Thông tin gửi lên không hợp lệ.',
  401: 'Bạn cần đăng nhập để xem trang này.',
  403: 'Bạn không có quyền thực hiện việc này.',
  404: 'Không tìm thấy trang hoặc dữ liệu bạn cần.',
  405: 'Trang này không hỗ trợ thao tác đó.',
  409: 'Dữ liệu này đã được ghi với nội dung khác.',
  413: 'Dữ liệu gửi lên vượt quá giới hạn cho phép.',
  415: 'Định dạng dữ liệu gửi lên không được hỗ trợ.',
  422: 'Không thực hiện được việc này với dữ liệu đã nhập.',
  429: 'Bạn đã thử quá nhiều lần; vui lòng chờ một lúc rồi thử lại.',
  500: 'Hệ thống gặp lỗi ngoài dự kiến. Vui lòng thử lại sau; nếu còn lỗi, gửi mã yêu cầu dưới đây cho bộ phận hỗ trợ.',
  503: 'Dịch vụ tạm thời không sẵn sàng. Vui lòng thử lại sau.',
};

/** The names people know the query's and forms' fields by. */
const FIELD_TEXT: Record<string, string> = {
  period: 'Kỳ báo cáo',
  from: 'Từ ngày',
  to: 'Đến ngày',
  convention: 'Cách tính kỳ',
  agency: 'Cơ quan',
  procedure: 'Thủ tục',
  field: 'Lĩnh vực',
  channel: 'Hình thức nộp',
  outcome: 'Loại số liệu',
  limit: 'Số dòng',
  format: 'Định dạng',
  dialect: 'Kiểu tệp CSV',
  groupBy: 'Nhóm theo',
  code: 'Mã hồ sơ',
  q: 'Nội dung tìm',
  page: 'Trang',
  sort: 'Sắp xếp',
  status: 'Trạng thái',
};

export interface PageField {
  field: string;
  message: string;
}

function fieldName(path: PropertyKey[]): string {
  const key = path.filter((p) => typeof p === 'string').at(-1) as string | undefined;
  return (key && FIELD_TEXT[key]) ?? (key ? `Trường “${key}”` : 'Thông tin gửi lên');
}

/** One zod issue in words: what is wrong, not how the schema says it. */
function issueText(issue: ZodError['issues'][number]): string {
  const key = issue.path.at(-1);
  if (key === 'period' && (issue.code === 'invalid_format' || issue.code === 'custom'))
    return issue.message.startsWith('give either') ? 'nhập kỳ báo cáo, hoặc cả “từ ngày” và “đến ngày”' : `không đọc được; có thể nhập ${PERIOD_FORMS_TEXT}`;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'cần nhập' : 'sai kiểu giá trị';
    case 'invalid_value':
      return `phải là một trong: ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'date' ? 'ngày phải có dạng năm-tháng-ngày, ví dụ 2025-03-31' : 'sai định dạng';
    case 'too_big':
      return issue.origin === 'string' ? `dài quá ${String(issue.maximum)} ký tự` : `không được lớn hơn ${String(issue.maximum)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) <= 1
          ? 'cần nhập'
          : `cần ít nhất ${String(issue.minimum)} ký tự`
        : `không được nhỏ hơn ${String(issue.minimum)}`;
    case 'unrecognized_keys':
      return `không dùng được ở đây: ${issue.keys.join(', ')}`;
    default:
      return isVietnamese(issue.message) ? issue.message : 'giá trị không hợp lệ';
  }
}

/** The page's sentence and its fields for an error, in Vietnamese. */
export function pageWording(err: unknown, status: number): { detail: string; fields: PageField[] } {
  if (err && typeof err === 'object' && (err as { name?: string }).name === 'ZodError') {
    const issues = (err as ZodError).issues;
    return {
      detail: STATUS_TEXT[400]!,
      fields: issues.map((i) => ({ field: fieldName(i.code === 'unrecognized_keys' ? [] : i.path), message: issueText(i) })),
    };
  }
  if (err instanceof DomainError) return { detail: err.vietnamese ?? KIND_TEXT[err.kind], fields: [] };
  if (err instanceof Error && isVietnamese(err.message)) return { detail: err.message, fields: [] };
  return { detail: STATUS_TEXT[status] ?? 'Đã có lỗi xảy ra.', fields: [] };
}
