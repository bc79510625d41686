/**
 * One e-mail a week to the administrators (ADMIN_EMAILS, and the supervisors of
 * the root agencies) while a rest day ahead has no official notice: from 1
 * October while next year's Tết schedule is not loaded, naming the open dossiers
 * whose deadlines already reach into that year; otherwise while statutory-only
 * days remain (2027: New Year, Hùng Kings, 30 April, 3 May, 24 November), naming
 * them and the open dossiers whose deadlines are provisional because of them.
 * Written to the outbox like every alert; the key holds the week, so a second
 * run in the same week writes nothing.
 */
import type pg from 'pg';
import { isoDateOf, localDayOf, weekdayOf } from '../calendar/local-time.js';
import { vietnameseInstant, vietnameseShortIsoDate } from '../calendar/vietnamese-format.js';
import { pendingNotices, type PendingNotices } from '../calendar/year-readiness.js';
import { inTransaction } from '../db/database.js';
import { enqueue, type OutboxRow } from '../store/outbox-store.js';
import { dossiersReaching, provisionalDossiers } from '../store/provisional-dossiers.js';
import { rootSupervisorEmails } from '../store/supervisors.js';
import type { AlertEnv } from './alert-content.js';

/** What the reminder says: next year's Tết missing (from 1 October), else the statutory-only days still unannounced. */
async function reminderContent(client: pg.ClientBase, pending: PendingNotices) {
  if (pending.tetMissing) {
    const year = pending.year;
    const reaching = await dossiersReaching(client, year, null);
    return {
      reaching,
      subject: `[Đúng hạn] Chưa có lịch nghỉ Tết ${year}: ${reaching.total} hồ sơ đang giải quyết có hạn sang năm ${year}`,
      intro: `Lịch nghỉ Tết Nguyên đán ${year} của cán bộ, công chức chưa được nạp vào Đúng hạn. Thời hạn của các hồ sơ dưới đây đang tính theo lịch dự kiến (tạm tính); khi có thông báo chính thức, hãy nạp lịch (npx dunghan calendar import) để tính lại.`,
    };
  }
  const reaching = await provisionalDossiers(client, null);
  const days = pending.entries.map((e) => `${vietnameseShortIsoDate(e.date)} (${e.name})`).join('; ');
  return {
    reaching,
    subject: `[Đúng hạn] Chưa có thông báo chính thức cho ${pending.entries.length} ngày nghỉ: ${reaching.total} hồ sơ đang giải quyết có hạn tạm tính`,
    intro: `Các ngày nghỉ sau đang tính theo luật, chưa có thông báo chính thức của Chính phủ: ${days}. Thời hạn của các hồ sơ dưới đây đi qua những ngày này nên đang tạm tính; khi có thông báo, hãy nạp lịch (npx dunghan calendar import) để tính lại và xác nhận.`,
  };
}

export async function calendarReminder(pool: pg.Pool, env: AlertEnv & { adminEmails: string[] }): Promise<number> {
  const pending = pendingNotices(env.calendar, env.now);
  if (pending === null) return 0;
  const year = pending.year;
  return inTransaction(pool, async (client) => {
    const recipients = [...new Set([...env.adminEmails, ...(await rootSupervisorEmails(client))])];
    if (recipients.length === 0) return 0;
    const { reaching, subject, intro } = await reminderContent(client, pending);
    const today = localDayOf(env.now);
    const week = isoDateOf(today - ((weekdayOf(today) + 6) % 7)); // the Monday of this week
    const lines = reaching.items.map((d) => `${d.code} — ${env.catalog.nameOf(d.agencyCode)} — hạn ${vietnameseInstant(d.dueAt)}`);
    const more = reaching.total > reaching.items.length ? `… và ${reaching.total - reaching.items.length} hồ sơ khác.` : '';
    const text = [intro, '', ...lines, more, '', `${env.publicUrl}/calendar/${year}`].join('\n');
    const escape = (t: string) => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
    const html = `<p>${escape(intro)}</p><ul>${reaching.items.map((d) => `<li><a href="${escape(`${env.publicUrl}/dossiers/${encodeURIComponent(d.code)}`)}">${escape(d.code)}</a> — ${escape(env.catalog.nameOf(d.agencyCode))} — hạn ${escape(vietnameseInstant(d.dueAt))}</li>`).join('')}</ul>${more ? `<p>${escape(more)}</p>` : ''}<p><a href="${escape(`${env.publicUrl}/calendar/${year}`)}">Lịch làm việc ${year}</a></p>`;
    const rows: OutboxRow[] = recipients.map((recipient) => ({
      dedupeKey: `calendar-reminder:${year}:${week}:${recipient}`,
      kind: 'calendar_reminder',
      dossierCode: null,
      agencyCode: null,
      dueAt: null,
      recipient,
      subject,
      html,
      text,
    }));
    return enqueue(client, rows, env.now);
  });
}
