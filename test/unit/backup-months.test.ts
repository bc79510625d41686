/**
 * The local month (UTC+7) of an event's recorded_at as COPY writes it: which of the log's monthly partitions a
 * restore creates before loading the file (backup-file.ts localMonthOf).
 */
import { localMonthOf } from '../../src/backup/backup-file.js';

test('the month is the local one (UTC+7), whatever zone the server wrote the instant in', () => {
  // 17:30 UTC on 30 Nov is 00:30 on 1 Dec in Hà Nội.
  expect(localMonthOf('2026-11-30 17:30:00+00')).toBe('2026-12');
  // 16:59:59.999999 UTC is 23:59:59.999999 local: still November.
  expect(localMonthOf('2026-11-30 16:59:59.999999+00')).toBe('2026-11');
  // Written in local time itself.
  expect(localMonthOf('2026-12-01 00:00:00+07')).toBe('2026-12');
  // A zone with minutes: 19:00 at −05:30 is 00:30 UTC on 1 Jan, 07:30 local.
  expect(localMonthOf('2026-12-31 19:00:00-05:30')).toBe('2027-01');
  // And one with seconds (PostgreSQL writes them for historical offsets): 23:00:00 at +07:07:20 is 15:52:40 UTC, 22:52:40 local.
  expect(localMonthOf('1900-01-31 23:00:00+07:07:20')).toBe('1900-01');
});

test('anything else is not an instant', () => {
  expect(localMonthOf('')).toBeNull();
  expect(localMonthOf('2026-11-30T17:30:00Z')).toBeNull();
  expect(localMonthOf('infinity')).toBeNull();
});
