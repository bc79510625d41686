/**
 * The official schedules the project ships, one file a year in
 * `fixtures/calendar/VN-YYYY.json`, read once at start. A correction is a
 * change of data there (or an import at run time), never of code.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { calendarYearFileSchema, type CalendarYearFile } from './calendar-file.js';

export const BUILTIN_CALENDAR_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'calendar');

function load(): { years: CalendarYearFile[]; version: string } {
  const files = readdirSync(BUILTIN_CALENDAR_DIR).filter((f) => /^VN-\d{4}\.json$/.test(f)).sort();
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

const loaded = load();
export const BUILTIN_YEARS: readonly CalendarYearFile[] = loaded.years;
/** Changes whenever a shipped file changes, so a deadline can say which data it used. */
export const BUILTIN_CALENDAR_VERSION = loaded.version;
