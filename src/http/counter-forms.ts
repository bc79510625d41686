/**
 * The counter's forms (routes/counter.ts) in and out of events: a form's fields become the body the events API takes
 * (the same zod schemas judge it), and what is wrong — a zod issue at an event's path, or the ingestion's refusal —
 * comes back in Vietnamese, next to the form field it belongs to.
 */
import type { ZodError } from 'zod';
import type { Catalog } from '../catalog/catalog.js';
import type { Procedure } from '../catalog/schemas.js';
import type { CitizenChannel } from '../dossiers/events.js';
import { STATUS_TEXT } from '../dossiers/wording.js';
import type { DossierStatus } from '../dossiers/state.js';
import type { EventProblem } from '../store/event-store.js';

/** Form field → what is wrong with it, in Vietnamese; `_form` for what belongs to no one field. */
export type FieldErrors = Record<string, string>;

/** What each field of the forms asks for, said when what was typed does not fit. */
const FIELD_TEXT: Record<string, string> = {
  dossierCode: 'Mã hồ sơ chỉ gồm chữ, số và các dấu . _ - / (tối đa 64 ký tự).',
  procedure: 'Chọn thủ tục trong danh mục (gõ tên hoặc mã thủ tục để tìm).',
  agency: 'Chọn cơ quan tiếp nhận.',
  applicantName: 'Nhập họ và tên người nộp hồ sơ (tối đa 200 ký tự).',
  applicantPhone: 'Số điện thoại không hợp lệ (ví dụ 0912 345 678).',
  applicantEmail: 'Địa chỉ thư điện tử không hợp lệ (ví dụ ten@example.vn).',
  applicantId: 'Số CMND/CCCD gồm 9 đến 12 chữ số.',
  channel: 'Chọn hình thức nộp hồ sơ.',
  fee: 'Chọn có hoặc không thu phí, lệ phí.',
  reason: 'Nhập nội dung (tối đa 2.000 ký tự).',
  agencyCode: 'Chọn cơ quan nhận hồ sơ.',
  step: 'Nhập tên bước xử lý (tối đa 200 ký tự).',
  holder: 'Chọn người xử lý trong danh sách.',
  method: 'Chọn hình thức trả kết quả.',
  _form: 'Biểu mẫu không hợp lệ: tải lại trang rồi thử lại.',
};

/** A contact for a channel the applicant chose, said at the field the contact comes from. */
const CONSENT_TEXT: Record<CitizenChannel, [string, string]> = {
  email: ['applicantEmail', 'Cần địa chỉ thư điện tử hợp lệ để gửi thông báo qua thư điện tử.'],
  sms: ['applicantPhone', 'Cần số di động Việt Nam (ví dụ 0912 345 678) để gửi tin nhắn SMS.'],
  zalo: ['applicantPhone', 'Cần số di động Việt Nam (ví dụ 0912 345 678) để gửi tin nhắn Zalo.'],
};

/** An event's field path → the form field it was typed in. */
const FORM_FIELD: Record<string, string> = {
  dossierCode: 'dossierCode',
  procedureCode: 'procedure',
  receivingAgencyCode: 'agency',
  'applicant.name': 'applicantName',
  'applicant.phone': 'applicantPhone',
  'applicant.email': 'applicantEmail',
  'applicant.idNumber': 'applicantId',
  channel: 'channel',
  feeRequired: 'fee',
  reason: 'reason',
  agencyCode: 'agencyCode',
  step: 'step',
  'holder.name': 'holder',
  'holder.personId': 'holder',
  method: 'method',
};

/** The zod issues of an event built from a form, at their form fields (the first issue of a field is enough). */
export function formErrorsOf(error: ZodError, consent: CitizenChannel[] = []): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    let field: string;
    let text: string;
    if (path[0] === 'consent' && path.length > 1) {
      const channel = consent[Number(path[1])];
      [field, text] = channel ? CONSENT_TEXT[channel] : ['notify', FIELD_TEXT._form!];
    } else {
      field = FORM_FIELD[path.join('.')] ?? '_form';
      text = FIELD_TEXT[field] ?? FIELD_TEXT._form!;
    }
    out[field] ??= text;
  }
  return out;
}

/**
 * The ingestion's refusal of an event posted from a page, in Vietnamese at its field where it has one. The fold's
 * and the authorization's messages are the API's (English); the pages say the same in the staff's language.
 */
export function refusalOf(status: number, problem: EventProblem | undefined): FieldErrors {
  const message = problem?.message ?? '';
  if (status === 403) return { _form: 'Hồ sơ hoặc cơ quan này nằm ngoài phạm vi của anh/chị: chỉ xử lý hồ sơ của cơ quan mình.' };
  if (problem?.field === 'holder.personId')
    return {
      holder: /does not belong/.test(message)
        ? 'Người này không thuộc cơ quan được chuyển đến: chọn người của cơ quan đó.'
        : 'Người này không có tài khoản đang hoạt động.',
    };
  const status_ = /is not possible when the dossier is "(\w+)"/.exec(message)?.[1] as DossierStatus | undefined;
  if (status_) return { _form: `Không thực hiện được khi hồ sơ đang ở trạng thái “${STATUS_TEXT[status_] ?? status_}”.` };
  if (/already received|unknown dossier/.test(message)) return { dossierCode: 'Mã hồ sơ này đã được dùng: chọn mã khác.' };
  if (/^(unknown procedure|procedure .* not in force)/.test(message)) return { procedure: 'Thủ tục không có hiệu lực vào ngày tiếp nhận.' };
  if (/no fee or charge/.test(message)) return { fee: 'Theo danh mục, thủ tục này không thu phí, lệ phí.' };
  if (/^(unknown agency|agency .* did not exist)/.test(message)) return { [/receiv/.test(message) ? 'agency' : 'agencyCode']: 'Cơ quan không có hiệu lực.' };
  if (/calendar \(2000–2199\)/.test(message)) return { _form: 'Hạn giải quyết vượt ra ngoài lịch làm việc (2000–2199).' };
  if (/earlier than the receipt/.test(message)) return { _form: 'Thời điểm ghi nhận sớm hơn thời điểm tiếp nhận hồ sơ.' };
  return { _form: 'Không ghi nhận được sự kiện này cho hồ sơ: kiểm tra lại thông tin rồi thử lại.' };
}

/** "1.004194 — Đăng ký tạm trú" as the datalist offers it; the processing time goes in the option's label. */
export const procedureOption = (p: Procedure) => `${p.code} — ${p.name}`;

/**
 * The procedure a clerk picked: the datalist's "code — name", a code, or a name (or a unique part of one), in any
 * letter case. Else why not, in Vietnamese.
 */
export function pickProcedure(catalog: Catalog, typed: string): Procedure | string {
  const text = typed.trim();
  if (!text) return 'Chọn thủ tục trong danh mục (gõ tên hoặc mã thủ tục để tìm).';
  const all = catalog.allProcedures();
  const lower = (s: string) => s.toLocaleLowerCase('vi').normalize('NFC');
  const code = lower(text.split(' — ')[0]!.trim());
  const byCode = all.find((p) => lower(p.code) === code);
  if (byCode) return byCode;
  const byName = all.filter((p) => lower(p.name) === lower(text));
  if (byName.length === 1) return byName[0]!;
  const part = all.filter((p) => lower(p.name).includes(lower(text)));
  if (part.length === 1) return part[0]!;
  if (part.length > 1) return `Có ${part.length} thủ tục khớp với “${text}”: chọn một thủ tục trong danh sách gợi ý.`;
  return `Không tìm thấy thủ tục “${text}” trong danh mục.`;
}
