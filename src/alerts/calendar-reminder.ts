/**
 * From 1 October, while next year's Tết schedule is not loaded: one e-mail a
 * week to the administrators (ADMIN_EMAILS, and the supervisors of the root
 * agencies), naming the open dossiers whose deadlines already reach into that
 * year. Written to the outbox like every alert; the key holds the week, so a
 * second run in the same week writes nothing.
 */
import type pg from 'pg';
import { isoDateOf, localDayOf, weekdayOf } from '../calendar/local-time.js';
import { vietnameseInstant } from '../calendar/vietnamese-format.js';
import { missingTetSchedule, yearStart } from '../calendar/year-readiness.js';
import { inTransaction } from '../db/database.js';
import type { AlertEnv } from './alert-content.js';
import { enqueue, type OutboxRow } from './outbox.js';

export interface ReachingDossier {
  code: string;
  agencyCode: string;
  dueAt: number;
}

/** Open dossiers (within `agencies`, or all) whose due instant falls in `year` or later, earliest first. */
export async function dossiersReaching(db: Pick<pg.ClientBase, 'query'>, year: number, agencies: string[] | null, limit = 200): Promise<{ total: number; items: ReachingDossier[] }> {
  const params: unknown[] = [new Date(yearStart(year)), limit];
  const scope = agencies ? (params.push(agencies), 'AND agency_codes && $3::text[]') : '';
  const { rows } = await db.query<{ code: string; receiving_agency_code: string; due_at: Date; total: number }>(
    `SELECT code, receiving_agency_code, due_at, count(*) OVER ()::int AS total FROM dossiers
     WHERE finished_at IS NULL AND due_at >= $1 ${scope} ORDER BY due_at, code LIMIT $2`,
    params,
  );
  return { total: rows[0]?.total ?? 0, items: rows.map((r) => ({ code: r.code, agencyCode: r.receiving_agency_code, dueAt: r.due_at.getTime() })) };
}

export async function calendarReminder(pool: pg.Pool, env: AlertEnv & { adminEmails: string[] }): Promise<number> {
  const year = missingTetSchedule(env.calendar, env.now);
  if (year === null) return 0;
  return inTransaction(pool, async (client) => {
    const { rows: roots } = await client.query<{ email: string }>('SELECT DISTINCT s.email FROM supervisors s JOIN agencies a ON a.code = s.agency_code WHERE a.parent_code IS NULL');
    const recipients = [...new Set([...env.adminEmails, ...roots.map((r) => r.email)])];
    if (recipients.length === 0) return 0;
    const reaching = await dossiersReaching(client, year, null);
    const today = localDayOf(env.now);
    const week = isoDateOf(today - ((weekdayOf(today) + 6) % 7)); // the Monday of this week
    const subject = `[Đúng hạn] Chưa có lịch nghỉ Tết ${year}: ${reaching.total} hồ sơ đang giải quyết có hạn sang năm ${year}`;
    const lines = reaching.items.map((d) => `${d.code} — ${env.catalog.agency(d.agencyCode)?.name ?? d.agencyCode} — hạn ${vietnameseInstant(d.dueAt)}`);
    const intro = `Lịch nghỉ Tết Nguyên đán ${year} của cán bộ, công chức chưa được nạp vào Đúng hạn. Thời hạn của các hồ sơ dưới đây đang tính theo lịch dự kiến (tạm tính); khi có thông báo chính thức, hãy nạp lịch (npx dunghan calendar import) để tính lại.`;
    const more = reaching.total > reaching.items.length ? `… và ${reaching.total - reaching.items.length} hồ sơ khác.` : '';
    const text = [intro, '', ...lines, more, '', `${env.publicUrl}/calendar/${year}`].join('\n');
    const escape = (t: string) => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
    const html = `<p>${escape(intro)}</p><ul>${reaching.items.map((d) => `<li><a href="${escape(`${env.publicUrl}/dossiers/${encodeURIComponent(d.code)}`)}">${escape(d.code)}</a> — ${escape(env.catalog.agency(d.agencyCode)?.name ?? d.agencyCode)} — hạn ${escape(vietnameseInstant(d.dueAt))}</li>`).join('')}</ul>${more ? `<p>${escape(more)}</p>` : ''}<p><a href="${escape(`${env.publicUrl}/calendar/${year}`)}">Lịch làm việc ${year}</a></p>`;
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
