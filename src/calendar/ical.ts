/**
 * An iCalendar (RFC 5545) feed of a year's days off and make-up working days,
 * for staff calendars.
 */
import type { CalendarYear } from './vietnam-calendar.js';

export function yearToIcs(year: CalendarYear, stamp: Date): string {
  const dtstamp = stamp
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const events = [
    ...year.daysOff.map((d) => ({ ...d, kind: 'off', summary: `Nghỉ: ${d.name}` })),
    ...year.workingWeekendDays.map((d) => ({ ...d, kind: 'work', summary: `Làm việc: ${d.name}` })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//dunghan//Lich lam viec//VI',
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:Lịch làm việc ${year.year}${year.provisional ? ' (tạm tính)' : ''}`,
    'X-WR-TIMEZONE:Asia/Ho_Chi_Minh',
  ];
  for (const e of events) {
    const day = e.date.replace(/-/g, '');
    const next = new Date(Date.parse(`${e.date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    lines.push(
      'BEGIN:VEVENT',
      `UID:${day}-${e.kind}@dunghan`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART;VALUE=DATE:${day}`,
      `DTEND;VALUE=DATE:${next}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `DESCRIPTION:${escapeText(`Căn cứ: ${e.source}`)}`,
      `TRANSP:${e.kind === 'off' ? 'TRANSPARENT' : 'OPAQUE'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}

function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
}

/** Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1), never splitting a character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += n;
  }
  out.push(current);
  return out.join('\r\n ');
}
