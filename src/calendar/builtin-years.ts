/**
 * The official schedules the project ships, one file a year in
 * `fixtures/calendar/VN-YYYY.json`, read once, when the first calendar is
 * built at start-up (not when a module is imported: a bad file is then an
 * error of the start, said as such). A correction is a change of data there
 * (or an import at run time), never of code.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { calendarYearFileSchema, type CalendarYearFile } from './calendar-file.js';

export const BUILTIN_CALENDAR_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'calendar');

function load(): { years: CalendarYearFile[]; version: string } {
  const files = readdirSync(BUILTIN_CALENDAR_DIR)
    .filter((f) => /^VN-\d{4}\.json$/.test(f))
    .sort();
  const hash = createHash('sha256');
  const years = files.map((f) => {
    const text = readFileSync(path.join(BUILTIN_CALENDAR_DIR, f), 'utf8');
    hash.update(f).update(text);
    const parsed = calendarYearFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`fixtures/calendar/${f}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  });
  return { years, version: hash.digest('hex').slice(0, 10) };
}

let loaded: { years: readonly CalendarYearFile[]; version: string } | undefined;

/** The shipped years, and a version that changes whenever a shipped file changes (a deadline says which data it used). */
export function builtinCalendar(): { years: readonly CalendarYearFile[]; version: string } {
  return (loaded ??= load());
}
