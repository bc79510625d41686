/**
 * Official schedules loaded by administrators, and the calendar built from them.
 */
import type pg from 'pg';
import { VietnamCalendar } from '../calendar/vietnam-calendar.js';
import { officialScheduleSchema, type OfficialSchedule } from '../calendar/schedule-schema.js';

export async function loadCalendar(pool: Pick<pg.ClientBase, 'query'>): Promise<VietnamCalendar> {
  const { rows } = await pool.query<{ schedule: unknown }>('SELECT schedule FROM calendar_years ORDER BY year');
  const { rows: rev } = await pool.query<{ revision: number }>(
    'SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS revision FROM calendar_revision',
  );
  return new VietnamCalendar(rows.map((r) => officialScheduleSchema.parse(r.schedule)), rev[0]?.revision ?? 0);
}

export async function saveCalendarYear(client: pg.ClientBase, schedule: OfficialSchedule, updatedBy: string): Promise<void> {
  await client.query(
    `INSERT INTO calendar_years (year, schedule, updated_by) VALUES ($1, $2, $3)
     ON CONFLICT (year) DO UPDATE SET schedule = excluded.schedule, updated_by = excluded.updated_by, updated_at = now()`,
    [schedule.year, JSON.stringify(schedule), updatedBy],
  );
  await client.query("SELECT nextval('calendar_revision')");
}
