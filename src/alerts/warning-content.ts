/**
 * What a warning says (issue 26 item 3), in Vietnamese: one line per crossing — the step's share of time used, a
 * step past its due instant, a dossier near its due instant without an apology — and one message per recipient
 * per scan listing them, most urgent first.
 */
import { vietnameseInstant } from '../calendar/vietnamese-format.js';
import type { DossierState } from '../dossiers/state.js';
import { renderTemplate } from '../views/render.js';
import { dossierFacts, type AlertEnv } from './alert-content.js';
import { workingDurationText } from './format.js';
import type { Crossing } from './warning-crossings.js';

/** The headline of one crossing: what happened, without the dossier's other facts. */
export function warningHeadline(c: Crossing, code: string): string {
  const dayMinutes = c.index.dayMs / 60_000;
  const left = workingDurationText(Math.max(0, c.leftMs) / 60_000, dayMinutes);
  const over = workingDurationText(Math.max(0, -c.leftMs) / 60_000, dayMinutes);
  const repeat = c.repeat > 0 ? ` (nhắc lại lần ${c.repeat})` : '';
  if (c.threshold.on === 'dossier') {
    const when = c.leftMs > 0 ? `còn ${left} là đến hạn trả kết quả` : c.leftMs === 0 ? 'đã đến hạn trả kết quả' : `đã quá hạn trả kết quả ${over}`;
    return `Hồ sơ ${code} ${when} và chưa có văn bản xin lỗi${repeat}`;
  }
  const step = `Bước «${c.step!.step}» của hồ sơ ${code}`;
  if (c.threshold.usedPercent < 100) {
    // Judged late (a scan held back, a dossier received late), the step may be due already: say so, not "0 left".
    const now = c.leftMs > 0 ? `còn ${left}` : c.leftMs === 0 ? 'nay đã đến hạn' : `nay đã quá hạn ${over}`;
    return `${step} đã dùng ${c.threshold.usedPercent}% thời gian (${now})${repeat}`;
  }
  return `${step} ${c.leftMs < 0 ? `đã quá hạn ${over}` : 'đã đến hạn'}${repeat}`;
}

/** What to do about it, by threshold: the holder acts on a step, a supervisor on an overrun, both on a missing apology. */
function advice(c: Crossing): string {
  if (c.threshold.on === 'dossier')
    return 'Nếu không kịp trả kết quả, cơ quan giải quyết phải gửi văn bản xin lỗi và hẹn lại ngày trả kết quả chậm nhất 01 ngày trước ngày hẹn.';
  if (c.threshold.usedPercent < 100) return 'Đề nghị hoàn thành bước xử lý trong thời hạn, hoặc báo lãnh đạo nếu cần hỗ trợ.';
  return 'Đề nghị xử lý ngay và chuyển hồ sơ sang bước tiếp theo.';
}

export interface WarningItem {
  crossing: Crossing;
  state: DossierState;
}

export function renderWarnings(items: WarningItem[], env: AlertEnv, recipientName: string) {
  const lines = items.map(({ crossing: c, state }) => {
    const facts = dossierFacts(state, env);
    return {
      ...facts,
      headline: warningHeadline(c, state.code),
      advice: advice(c),
      stepDueText: c.threshold.on === 'step' ? vietnameseInstant(c.dueAt) : null,
      holderName: c.step?.holder?.name ?? null,
    };
  });
  const subject = lines.length === 1 ? `[Đúng hạn] ${lines[0]!.headline}` : `[Đúng hạn] ${lines.length} cảnh báo hồ sơ cần xử lý`;
  const intro = `Lúc ${vietnameseInstant(env.now)}, ${lines.length === 1 ? 'có cảnh báo sau' : `có ${lines.length} cảnh báo sau (khẩn nhất trước)`}:`;
  const data = { subject, recipientName, intro, lines };
  return { subject, html: renderTemplate('emails/warnings.html', data), text: renderTemplate('emails/warnings.text', data) };
}
