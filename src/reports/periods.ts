/**
 * Reporting periods as half-open instant ranges [from, to) in Vietnam's zone.
 *
 * Two conventions (DOMAIN §5): calendar (month, quarter, 6, 9, 12 months from
 * 1 January) and the reporting regime mirrored from Decree 09/2019 (Source,
 * a provincial rule): month from the 15th of the previous month to the 14th;
 * quarter from the 15th of the month before it to the 14th of its last month;
 * 6 months 15 Dec–14 Jun; 9 months 15 Dec–14 Sep; year 15 Dec–14 Dec.
 */
import { z } from 'zod';
import { localDayStart, dayFromParts, localDayOf, partsOf } from '../calendar/local-time.js';

export const conventionSchema = z.enum(['calendar', 'report']);
export type Convention = z.infer<typeof conventionSchema>;

const ROMAN: Record<string, string> = { i: '1', ii: '2', iii: '3', iv: '4' };

/**
 * A period as people in a one-stop office write it, read as its label: "Quý 3/2025", "quý III năm 2025", "Q3/2025"
 * → 2025-Q3; "Tháng 3/2025", "03/2025" → 2025-03; "6 tháng đầu năm 2025" → 2025-H1, "6 tháng cuối năm 2025" →
 * 2025-H2; "9 tháng 2025" → 2025-9M; "Năm 2025" → 2025. Anything else is returned as typed, for the label's own
 * check to refuse with the accepted forms.
 */
export function periodLabelOf(text: string): string {
  const t = text.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
  const year = '(\\d{4})';
  const sep = '\\s*(?:/|-|năm|,)\\s*';
  let m = new RegExp(`^(?:quý|quy|q)\\s*([1-4]|iv|i{1,3})${sep}${year}$`).exec(t);
  if (m) return `${m[2]}-Q${ROMAN[m[1]!] ?? m[1]}`;
  m = new RegExp(`^(?:tháng|thang)?\\s*(0?[1-9]|1[0-2])${sep}${year}$`).exec(t);
  if (m) return `${m[2]}-${m[1]!.padStart(2, '0')}`;
  m = new RegExp(`^6 (?:tháng|thang) (đầu|dau|cuối|cuoi)(?: năm| nam)?\\s*(?:/|-)?\\s*${year}$`).exec(t);
  if (m) return `${m[2]}-${m[1]!.startsWith('đ') || m[1]!.startsWith('d') ? 'H1' : 'H2'}`;
  m = new RegExp(`^9 (?:tháng|thang)(?: đầu| dau)?(?: năm| nam)?\\s*(?:/|-)?\\s*${year}$`).exec(t);
  if (m) return `${m[1]}-9M`;
  m = new RegExp(`^(?:năm|nam)\\s*${year}$`).exec(t);
  if (m) return m[1]!;
  // A label typed in lower case ("2025-q3", "2025-h1", "2025-9m") is the label.
  return /^\d{4}-(q[1-4]|h[12]|9m)$/.test(t) ? t.toUpperCase() : text.trim();
}

/** The forms a period may be written in, said on a page when one cannot be read (issue 28 item 7). */
export const PERIOD_FORMS_TEXT = '2025 (năm), 2025-Q3 hoặc Quý 3/2025, 2025-03 hoặc Tháng 3/2025, 2025-H1 (6 tháng đầu năm), 2025-H2, 2025-9M (9 tháng)';

/** 2025, 2025-H1, 2025-9M, 2025-Q3, 2025-03; also as written in Vietnamese (periodLabelOf). */
export const periodSchema = z.preprocess(
  (v) => (typeof v === 'string' ? periodLabelOf(v) : v),
  z
    .string()
    .regex(/^\d{4}(-(H[12]|9M|Q[1-4]|(0[1-9]|1[0-2])))?$/, 'expected YYYY, YYYY-H1, YYYY-H2, YYYY-9M, YYYY-Q1…Q4 or YYYY-MM (or Quý 3/2025, Tháng 3/2025)')
    .refine((p) => p.slice(0, 4) >= '2000' && p.slice(0, 4) <= '2199', 'the year must be between 2000 and 2199'),
);

export interface Period {
  label: string;
  from: number;
  to: number;
}

const at = (year: number, month: number, day: number) => localDayStart(dayFromParts(year, month, day));

/** The months [first, last] (1-based, last inclusive) a period label covers. */
function monthsOf(label: string): { year: number; first: number; last: number } {
  const [y, part] = label.split('-') as [string, string | undefined];
  const year = Number(y);
  if (!part) return { year, first: 1, last: 12 };
  if (part === 'H1') return { year, first: 1, last: 6 };
  if (part === 'H2') return { year, first: 7, last: 12 };
  if (part === '9M') return { year, first: 1, last: 9 };
  if (part.startsWith('Q')) {
    const q = Number(part.slice(1));
    return { year, first: 3 * q - 2, last: 3 * q };
  }
  const m = Number(part);
  return { year, first: m, last: m };
}

export function periodRange(label: string, convention: Convention): Period {
  const { year, first, last } = monthsOf(label);
  if (convention === 'calendar') {
    return { label, from: at(year, first, 1), to: last === 12 ? at(year + 1, 1, 1) : at(year, last + 1, 1) };
  }
  // Report convention: the 15th of the month before the first month, to the 14th of the last month (inclusive).
  // H2 is read as 15 Jun – 14 Dec, the second half of the reporting year.
  return { label, from: first === 1 ? at(year - 1, 12, 15) : at(year, first - 1, 15), to: at(year, last, 15) };
}

/** Inclusive calendar dates YYYY-MM-DD as [start of from, start of the day after to). */
export function dateRange(from: string, to: string): Period {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return { label: `${from}..${to}`, from: at(fy, fm, fd), to: localDayStart(dayFromParts(ty, tm, td) + 1) };
}

/** The months of a range, each as its own period (calendar months, or reporting months 15th–14th). */
export function monthsIn(range: Period, convention: Convention): Period[] {
  const out: Period[] = [];
  const start = new Date(range.from + 7 * 3_600_000);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth() + 1;
  if (convention === 'report' && start.getUTCDate() >= 15) month += 1;
  if (month > 12) {
    month = 1;
    year += 1;
  }
  for (;;) {
    const p = periodRange(`${year}-${String(month).padStart(2, '0')}`, convention);
    if (p.from >= range.to) break;
    out.push({ label: p.label, from: Math.max(p.from, range.from), to: Math.min(p.to, range.to) });
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return out;
}

/**
 * The calendar months that had ended by `nowMs` and whose figures a change of history from `fromMs` on can move (a
 * void or correction: the month holding `fromMs` and every ended month after it, whose open stock it carried), as
 * YYYY-MM labels. Quarters, halves and years are the ones holding these months.
 */
export function endedMonthsFrom(fromMs: number, nowMs: number): string[] {
  const out: string[] = [];
  let { year, month } = partsOf(localDayOf(fromMs));
  for (;;) {
    const p = periodRange(`${year}-${String(month).padStart(2, '0')}`, 'calendar');
    if (p.to > nowMs) return out;
    out.push(p.label);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}
