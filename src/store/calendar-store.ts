/**
 * Official schedules imported by administrators, the calendar built from
 * them, and the import itself: a preview (what changes, which open
 * dossiers' due instants move), then a recorded revision, a re-fold of the
 * dossiers it touches, and a notification so that every process reloads.
 */
import type pg from 'pg';
import { parseCalendarYear, type CalendarYearFile } from '../calendar/calendar-file.js';
import { VietnamCalendar, type CalendarEntry } from '../calendar/vietnam-calendar.js';
import { dayFromParts, formatLocalInstant, isoDateOf } from '../calendar/local-time.js';
import type { Catalog } from '../catalog/catalog.js';
import { foldDossier } from '../dossiers/fold.js';
import { inTransaction } from '../db/database.js';
import { loadEvents, loadPinnedRules } from './dossier-projection.js';
import { recordCalendarRefold, runCalendarRefold, type RefoldRun } from './calendar-refolds.js';

export const CALENDAR_CHANNEL = 'dunghan_calendar';

type Queryable = Pick<pg.ClientBase, 'query'>;

export async function loadCalendar(db: Queryable): Promise<VietnamCalendar> {
  const { rows } = await db.query<{ schedule: unknown }>('SELECT schedule FROM calendar_years ORDER BY year');
  const { rows: rev } = await db.query<{ revision: number | null }>('SELECT max(revision) AS revision FROM calendar_revisions');
  const files = rows.map((r) => {
    const parsed = parseCalendarYear(r.schedule);
    if (!parsed.success) throw new Error(`stored calendar year is invalid: ${parsed.error.message}`);
    return parsed.data;
  });
  return new VietnamCalendar(files, { revision: rev[0]?.revision ?? 0 });
}

export interface DayChange {
  date: string;
  before: Pick<CalendarEntry, 'kind' | 'name' | 'source' | 'confirmed'> | null;
  after: Pick<CalendarEntry, 'kind' | 'name' | 'source' | 'confirmed'> | null;
  /** Whether the day's working status flips (a change of name or source alone moves no deadline). */
  workingChanges: boolean;
}

export interface MovedDossier {
  code: string;
  agencyCode: string;
  oldDueAt: string;
  newDueAt: string;
}

export interface CalendarImportPreview {
  year: number;
  changes: DayChange[];
  /** Open dossiers whose due instant moves, earliest old due first. */
  moved: MovedDossier[];
  /** Dossiers whose deadline window touches the year: re-folded on apply. */
  affected: number;
}

const entryView = (e: CalendarEntry | undefined) => (e ? { kind: e.kind, name: e.name, source: e.source, confirmed: e.confirmed } : null);

/** What loading `file` would change, computed against the stored events; writes nothing. */
export async function previewCalendarImport(
  pool: pg.Pool,
  current: VietnamCalendar,
  catalog: Catalog,
  file: CalendarYearFile,
): Promise<CalendarImportPreview & { calendar: VietnamCalendar; codes: string[] }> {
  const next = calendarWith(current, file);
  const changes: DayChange[] = [];
  for (let d = dayFromParts(file.year, 1, 1); d <= dayFromParts(file.year, 12, 31); d++) {
    const before = current.entryFor(d);
    const after = next.entryFor(d);
    if (JSON.stringify(entryView(before)) === JSON.stringify(entryView(after))) continue;
    changes.push({ date: isoDateOf(d), before: entryView(before), after: entryView(after), workingChanges: current.isWorkingDay(d) !== next.isWorkingDay(d) });
  }
  const codes = await dossiersTouchingYear(pool, file.year);
  const moved: MovedDossier[] = [];
  if (changes.some((c) => c.workingChanges)) {
    const client = await pool.connect();
    try {
      for (let i = 0; i < codes.length; i += 1000) {
        const slice = codes.slice(i, i + 1000);
        const events = await loadEvents(client, slice);
        const pinned = await loadPinnedRules(client, slice);
        const pinnedRules = (code: string) => pinned.get(code);
        for (const [code, list] of events) {
          const before = foldDossier(list, { catalog, calendar: current, pinnedRules });
          if (before.finishedAt !== null) continue;
          const after = foldDossier(list, { catalog, calendar: next, pinnedRules });
          if (after.dueAt !== before.dueAt)
            moved.push({ code, agencyCode: before.receivingAgencyCode, oldDueAt: formatLocalInstant(before.dueAt), newDueAt: formatLocalInstant(after.dueAt) });
        }
      }
    } finally {
      client.release();
    }
  }
  moved.sort((a, b) => (a.oldDueAt < b.oldDueAt ? -1 : a.oldDueAt > b.oldDueAt ? 1 : a.code < b.code ? -1 : 1));
  return { year: file.year, changes, moved, affected: codes.length, calendar: next, codes };
}

/** The calendar as it would be with `file` loaded (one more revision). */
function calendarWith(current: VietnamCalendar, file: CalendarYearFile): VietnamCalendar {
  const years: CalendarYearFile[] = [];
  for (let y = 2000; y <= 2199; y++) {
    const f = y === file.year ? file : current.officialYear(y);
    if (f) years.push(f);
  }
  return new VietnamCalendar(years, { revision: current.revision + 1, policies: current.policies });
}

/** Dossiers whose clock-start-to-due window touches the year (a week either side: announcements spill over). */
async function dossiersTouchingYear(db: Queryable, year: number): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>(
    `SELECT code FROM dossiers
     WHERE clock_starts_at < make_date($1::int + 1, 1, 8)::timestamptz
       AND due_at >= make_date($1::int, 1, 1)::timestamptz - interval '7 days'
     ORDER BY code`,
    [year],
  );
  return rows.map((r) => r.code);
}

export interface CalendarImportResult extends CalendarImportPreview {
  revision: number;
  calendarVersion: string;
  refolded: number;
}

/**
 * Records the year, a revision and the re-fold it owes (store/calendar-refolds.ts), tells every process, then
 * re-folds the dossiers it touches in bounded batches under the ingestion locks (so an event arriving meanwhile is
 * never lost from the projection). Interrupted (`run.stopping`, a kill), the re-fold is finished by the next start
 * or alert scan; `refolded` is then how many were done by this call.
 */
export async function applyCalendarImport(
  { pool, calendar: current, catalog }: { pool: pg.Pool; calendar: VietnamCalendar; catalog: Catalog },
  file: CalendarYearFile,
  appliedBy: string,
  onCalendar: (calendar: VietnamCalendar) => void,
  run: RefoldRun = {},
): Promise<CalendarImportResult> {
  const preview = await previewCalendarImport(pool, current, catalog, file);
  // The new calendar goes to onCalendar from the revision; the summary is what the caller reports.
  const { calendar: _next, codes, ...summary } = preview;
  const revision = await inTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO calendar_years (year, schedule, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (year) DO UPDATE SET schedule = excluded.schedule, updated_by = excluded.updated_by, updated_at = now()`,
      [file.year, JSON.stringify(file), appliedBy],
    );
    const { rows } = await client.query<{ revision: number }>(
      'INSERT INTO calendar_revisions (year, file, summary, applied_by) VALUES ($1, $2, $3, $4) RETURNING revision',
      [
        file.year,
        JSON.stringify(file),
        JSON.stringify({ changes: summary.changes.length, moved: summary.moved.length, affected: summary.affected }),
        appliedBy,
      ],
    );
    await recordCalendarRefold(client, rows[0]!.revision, codes);
    await client.query(`SELECT pg_notify('${CALENDAR_CHANNEL}', $1)`, [String(rows[0]!.revision)]);
    return rows[0]!.revision;
  });
  const stored = await loadCalendar(pool);
  onCalendar(stored);
  const refolded = await runCalendarRefold(pool, revision, { catalog, calendar: stored }, run);
  return { ...summary, revision, calendarVersion: stored.version, refolded };
}

/**
 * Follows changes made by any process: each channel's handler runs on its NOTIFY (a calendar or catalogue import).
 * `onLost` runs if the listening connection breaks. Returns a stop function.
 */
export async function listenFor(
  pool: pg.Pool,
  handlers: Record<string, () => Promise<void>>,
  onLost: () => void = () => undefined,
): Promise<() => Promise<void>> {
  const client = await pool.connect();
  const onNotification = (msg: pg.Notification) => {
    void handlers[msg.channel]?.().catch(() => undefined);
  };
  client.on('notification', onNotification);
  // A lost connection (the server restarted) must not crash the process; the caller stops relying on notifications.
  client.on('error', onLost);
  for (const channel of Object.keys(handlers)) await client.query(`LISTEN ${channel}`);
  return async () => {
    client.off('notification', onNotification);
    await client.query('UNLISTEN *').catch(() => undefined);
    client.release();
  };
}
