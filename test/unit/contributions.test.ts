import { foldDossier } from '../../src/dossiers/fold.js';
import { counterDeltas, type CounterRow } from '../../src/reports/contributions.js';
import { context, log, received as receivedAt } from '../support/fold-fixture.js';

const ctx = context();
const received = receivedAt('2026-11-02T09:00:00+07:00', { channel: 'online' });
// 3 working days from Mon 2 Nov 09:00: due Thu 5 Nov 09:00. Ready Fri 6 Nov 10:00: late, overdue from Thu to Fri.
const ready = log('result_ready', '2026-11-06T10:00:00+07:00');

/** The non-zero counters of each row, as `agency day` → counters. */
const moved = (rows: CounterRow[]) =>
  Object.fromEntries(rows.map(({ agency_code, day, ...c }) => [`${agency_code} ${day}`, Object.fromEntries(Object.entries(c).filter(([, n]) => n !== 0))]));

test('a new dossier adds its flows and stocks on the local days they happen', () => {
  const before = foldDossier([received], ctx);
  // Open from its receipt; overdue from its due day on, for as long as it stays open (a stock is read at a midnight).
  expect(moved(counterDeltas([{ before: null, after: before }]))).toEqual({
    'P.X 2026-11-02': { received: 1, received_online: 1, paper_result: 1, open_delta: 1 },
    'P.X 2026-11-05': { overdue_delta: 1 },
  });
});

test('an event writes only the difference it makes; a dossier that cancels out writes no row', () => {
  const before = foldDossier([received], ctx);
  const after = foldDossier([received, ready], ctx);
  // Its overdue interval now ends on the day it finished.
  expect(moved(counterDeltas([{ before, after }]))).toEqual({
    'P.X 2026-11-06': { finished: 1, late: 1, late_without_apology: 1, open_delta: -1, overdue_delta: -1 },
  });
  expect(counterDeltas([{ before: after, after }])).toEqual([]);
});

test('many dossiers sum into one row per agency and day, in (agency, day) order', () => {
  const a = foldDossier([received], ctx);
  const rows = counterDeltas([
    { before: null, after: a },
    { before: null, after: { ...a, code: 'E' } },
    { before: null, after: foldDossier([received, ready], ctx) },
  ]);
  expect(rows.map((r) => `${r.agency_code} ${r.day}`)).toEqual(['P.X 2026-11-02', 'P.X 2026-11-05', 'P.X 2026-11-06']);
  expect(rows[0]).toMatchObject({ received: 3, open_delta: 3 });
  expect(rows[1]).toMatchObject({ overdue_delta: 3 });
  expect(rows[2]).toMatchObject({ finished: 1, open_delta: -1, overdue_delta: -1 });
});
