/**
 * Issue 23 item 8: 2027's statutory entries stay provisional until a notice is loaded, and the weekly reminder keeps
 * running for them. Expected values from DOMAIN §2's table (2027, partly announced by Công văn 10065/VPCP-KGVX of
 * 2 Oct 2026: Tết Thu 4 – Wed 10 Feb and National Day Thu 2 – Fri 3 Sep announced; the rest statutory only).
 */
import { VietnamCalendar } from '../../src/calendar/vietnam-calendar.js';
import { pendingNotices } from '../../src/calendar/year-readiness.js';

const calendar = new VietnamCalendar();

test("on 2 Dec 2026 the days still awaiting a notice are 2027's statutory ones, Tết and National Day excluded", () => {
  const pending = pendingNotices(calendar, Date.parse('2026-12-02T10:00:00+07:00'))!;
  expect(pending.year).toBe(2027);
  expect(pending.tetMissing).toBe(false);
  // New Year Fri 1 Jan; Hùng Kings Fri 16 Apr (computed); Victory Day Fri 30 Apr; Labour Day Sat 1 May with its
  // compensatory Mon 3 May (Labour Code Art. 111(3)); Vietnamese Culture Day Wed 24 Nov.
  expect(pending.entries.map((e) => e.date)).toEqual(['2027-01-01', '2027-04-16', '2027-04-30', '2027-05-01', '2027-05-03', '2027-11-24']);
});

test('before 1 October only this year is looked at; once every day ahead is confirmed, nothing', () => {
  // Mon 3 May 2027: 24 Nov 2027 alone remains.
  expect(pendingNotices(calendar, Date.parse('2027-05-04T10:00:00+07:00'))!.entries.map((e) => e.date)).toEqual(['2027-11-24']);
  const confirmed = new VietnamCalendar([
    {
      year: 2027,
      days: calendar.describeYear(2027).daysOff.map(({ date, kind, name, source }) => ({ date, kind, name, source, confirmed: true })),
    },
  ]);
  expect(pendingNotices(confirmed, Date.parse('2027-05-04T10:00:00+07:00'))).toBeNull();
});

test('the year in Việt Nam, for the page footer: 31 Dec 2026 18:00 UTC is already 1 Jan 2027 there', async () => {
  const { yearInVietnam } = await import('../../src/calendar/local-time.js');
  expect(yearInVietnam(Date.parse('2026-12-31T18:00:00Z'))).toBe(2027);
  expect(yearInVietnam(Date.parse('2026-12-31T16:59:59Z'))).toBe(2026);
});
