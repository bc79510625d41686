/**
 * The e-mail a person asks for from the "forgot password" form: the one-time link, how long it lasts, and what to do
 * if they did not ask. Pure: the route sends it.
 */
import type { OutgoingMail } from '../alerts/mailer.js';
import { passwordLinkUrl } from './links.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function resetMail(input: { to: string; name: string; publicUrl: string; token: string; hours: number; requestId: string }): OutgoingMail {
  const url = passwordLinkUrl(input.publicUrl, input.token);
  const lines = [
    `Kính gửi ${input.name},`,
    'Hệ thống Đúng hạn nhận được yêu cầu đặt lại mật khẩu cho tài khoản của anh/chị.',
    `Mở liên kết sau để đặt mật khẩu mới (dùng một lần, hiệu lực ${input.hours} giờ):`,
    url,
    'Nếu anh/chị không yêu cầu, hãy bỏ qua thư này: mật khẩu hiện tại vẫn dùng được.',
  ];
  return {
    to: input.to,
    subject: 'Đặt lại mật khẩu Đúng hạn',
    text: lines.join('\n\n'),
    html: lines.map((l) => (l === url ? `<p><a href="${escape(url)}">${escape(url)}</a></p>` : `<p>${escape(l)}</p>`)).join(''),
    messageId: `<password-reset-${input.requestId}@dunghan>`,
  };
}
