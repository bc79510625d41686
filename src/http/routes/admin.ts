/**
 * The administrator's page of the alert outbox: what waits, what was sent,
 * what failed after its last try (nothing is dropped silently), and in
 * development the messages written to MAIL_DIR.
 */
import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { yearInVietnam } from '../../calendar/local-time.js';
import { listMailFiles } from '../../alerts/mailer.js';
import { vietnameseShortInstant } from '../../calendar/vietnamese-format.js';
import { OUTBOX_CHANNELS, outboxOverview, type OutboxChannel, type OutboxRow } from '../../store/outbox-store.js';
import { maskContact } from '../../dossiers/consent.js';
import { renderPage } from '../../views/render.js';
import { pageAuth, viewerOf } from '../page-auth.js';

const STATUS_TEXT: Record<string, string> = { pending: 'Chờ gửi', sent: 'Đã gửi', failed: 'Gửi lỗi' };
const CHANNEL_TEXT: Record<OutboxChannel, string> = { email: 'Thư điện tử', sms: 'SMS', zalo: 'Zalo' };
/** What each message is, in words: the page shows no kind's code (issue 28 item 7). */
const KIND_TEXT: Record<OutboxRow['kind'], string> = {
  due_soon: 'Cảnh báo sắp đến hạn',
  overdue: 'Cảnh báo quá hạn',
  digest: 'Tổng hợp cảnh báo',
  calendar_reminder: 'Nhắc nạp lịch nghỉ',
  warning: 'Cảnh báo xử lý hồ sơ (theo bước)',
  receipt: 'Thông báo tiếp nhận',
  supplement_request: 'Yêu cầu bổ sung',
  apology: 'Thư xin lỗi, hẹn lại',
  result_ready: 'Thông báo có kết quả',
  refusal: 'Thông báo từ chối',
};
const CITIZEN_KINDS = new Set(['receipt', 'supplement_request', 'apology', 'result_ready', 'refusal']);

export function adminRouter(ctx: AppContext, options: { mailDir?: string; mailerDescription?: string }): Router {
  const router = Router();
  router.get('/admin/outbox', ...pageAuth(ctx, 'admin'), async (_req, res) => {
    const { rows, counts } = await outboxOverview(ctx.db.pool);
    res.type('html').send(
      renderPage('outbox', {
        viewer: viewerOf(res),
        title: 'Thư cảnh báo và thông báo',
        currentYear: yearInVietnam(ctx.now()),
        mailerDescription: options.mailerDescription ?? '',
        counts: Object.fromEntries(['pending', 'sent', 'failed'].map((s) => [s, counts.filter((c) => c.status === s).reduce((n, c) => n + c.n, 0)])),
        // Messages by channel and status: e-mail (alerts and citizens), SMS, Zalo.
        channels: OUTBOX_CHANNELS.map((channel) => ({
          channel,
          channelText: CHANNEL_TEXT[channel],
          ...Object.fromEntries(['pending', 'sent', 'failed'].map((s) => [s, counts.find((c) => c.channel === channel && c.status === s)?.n ?? 0])),
        })),
        rows: rows.map((r) => ({
          ...r,
          // A citizen's contact is personal data: masked here (the dossier page shows it to the staff handling it).
          recipient: CITIZEN_KINDS.has(r.kind) ? maskContact(r.recipient) : r.recipient,
          channelText: CHANNEL_TEXT[r.channel],
          target: r.dossier_code ?? r.agency_code,
          statusText: STATUS_TEXT[r.status] ?? r.status,
          kindText: KIND_TEXT[r.kind as OutboxRow['kind']] ?? r.kind,
          nextText: r.status === 'pending' ? vietnameseShortInstant(new Date(r.next_attempt_at).getTime()) : '',
        })),
        files: options.mailDir ? (await listMailFiles(options.mailDir)).slice(0, 100) : [],
      }),
    );
  });
  return router;
}
