/**
 * The warning thresholds judged by hand (issue 26 item 3): which threshold a dossier has crossed at an instant, its
 * repeats in working time, the climb, and when the next crossing falls. Office hours 08:00–12:00, 13:00–17:00;
 * Mon 7 – Fri 11 Dec 2026 are working days.
 */
import { formatLocalInstant } from '../../src/calendar/local-time.js';
import { foldDossier } from '../../src/dossiers/fold.js';
import { warningsAt, type Crossing } from '../../src/alerts/warning-crossings.js';
import { DEFAULT_WARNING_SETTINGS, resolveWarningSettings, warningSettingsSchema, type WarningSettings } from '../../src/rules/warning-thresholds.js';
import { calendar, context, log, received } from '../support/fold-fixture.js';

const at = (s: string) => Date.parse(s);
const local = (ms: number | null) => (ms === null ? null : formatLocalInstant(ms));
// WD3 received Mon 09:00 by the commune P.X: due Thu 10 Dec 09:00. Its step, 1 working day from Mon 10:45, is due
// Tue 10:45 (Mon 10:45–12, 13–17 = 5 h 15; Tue 08–10:45 = 2 h 45).
const events = [
  received('2026-12-07T09:00:00+07:00'),
  log('assigned', '2026-12-07T10:45:00+07:00', { agencyCode: 'P.X', step: 'Thẩm định', budget: { value: 1, unit: 'working-days' }, holder: { name: 'Tú' } }),
];
const state = foldDossier(events, context());
const judge = (settings: WarningSettings = DEFAULT_WARNING_SETTINGS) => ({ calendar, settingsOf: () => settings });
const brief = (c: Crossing) => [
  c.position === null ? 'dossier' : `step ${c.position}`,
  c.threshold.on === 'step' ? c.threshold.usedPercent : 'due',
  c.repeat,
  local(c.at),
];

test('the defaults: 75 % of the step, then its due instant repeating every 4 working hours, then the dossier a working day before its due instant', () => {
  expect(local(state.dueAt)).toBe('2026-12-10T09:00:00+07:00');
  // 75 % used = 2 h left before Tue 10:45 → Tue 08:45.
  expect(warningsAt(state, at('2026-12-08T08:44:00+07:00'), judge())).toMatchObject({ due: [], nextAt: at('2026-12-08T08:45:00+07:00') });
  const tue9 = warningsAt(state, at('2026-12-08T09:00:00+07:00'), judge());
  expect(tue9.due.map(brief)).toEqual([['step 0', 75, 0, '2026-12-08T08:45:00+07:00']]);
  expect(local(tue9.nextAt)).toBe('2026-12-08T10:45:00+07:00');
  // Tue 16:00: due at 10:45, repeated 4 working hours later at 15:45 (10:45–12, 13–15:45); the 75 % warning is below it.
  const tue16 = warningsAt(state, at('2026-12-08T16:00:00+07:00'), judge());
  expect(tue16.due.map(brief)).toEqual([['step 0', 100, 1, '2026-12-08T15:45:00+07:00']]);
  // Next: the dossier's threshold (Thu 09:00 less 8 working hours = Wed 09:00) before the step's second repeat (Wed 10:45).
  expect(local(tue16.nextAt)).toBe('2026-12-09T09:00:00+07:00');
  // Wed 14:00: the dossier's warning repeats (09:00 + 3 h + 1 h); the step's repeats at Wed 10:45.
  const wed14 = warningsAt(state, at('2026-12-09T14:00:00+07:00'), judge());
  expect(wed14.due.map(brief)).toEqual([
    ['step 0', 100, 2, '2026-12-09T10:45:00+07:00'],
    ['dossier', 'due', 1, '2026-12-09T14:00:00+07:00'],
  ]);
  // Next: the step's third repeat, Wed 10:45 + 4 h (10:45–12 = 1 h 15, 13:00–15:45 = 2 h 45) = Wed 15:45, before the
  // dossier's second (14:00 + 4 h = 14–17, Thu 08–09 → Thu 09:00).
  expect(local(wed14.nextAt)).toBe('2026-12-09T15:45:00+07:00');
  // A night adds no repeat: Wed 17:30 and Thu 08:00 judge the same crossings.
  expect(warningsAt(state, at('2026-12-09T17:30:00+07:00'), judge()).due.map(brief)).toEqual(
    warningsAt(state, at('2026-12-10T08:00:00+07:00'), judge()).due.map(brief),
  );
});

test('what moves ends the warnings: the step handed on, the citizen asked to supplement, an apology, the result', () => {
  const wed = at('2026-12-09T09:30:00+07:00');
  const moved = (e: ReturnType<typeof log>) => foldDossier([...events, e], context());
  // Handed on Wed 09:00 without a budget: no step to judge; the dossier's threshold remains.
  const handed = moved(log('assigned', '2026-12-09T09:00:00+07:00', { agencyCode: 'P.X', step: 'Ký' }));
  expect(warningsAt(handed, wed, judge()).due.map(brief)).toEqual([['dossier', 'due', 0, '2026-12-09T09:00:00+07:00']]);
  // Waiting for the citizen: both clocks stand still; nothing to warn of, nothing planned (the resumption is an event).
  const waiting = moved(log('supplement_requested', '2026-12-08T09:30:00+07:00', { reason: 'Thiếu giấy tờ' }));
  expect(warningsAt(waiting, wed, judge())).toEqual({ due: [], nextAt: null });
  // A lawful apology (Wed 9 Dec is at least a day before Thu 10 Dec): the step still warns, the dossier no more.
  const apology = moved(log('apology_issued', '2026-12-09T09:15:00+07:00', { reason: 'x', newDueAt: '2026-12-11T15:00:00+07:00' }));
  expect(warningsAt(apology, wed, judge()).due.map((c) => c.position)).toEqual([0]);
  expect(warningsAt(moved(log('result_ready', '2026-12-09T09:20:00+07:00')), wed, judge())).toEqual({ due: [], nextAt: null });
});

test('several thresholds on one subject climb: the highest crossed counts, once (no repeat)', () => {
  const settings = warningSettingsSchema.parse({
    thresholds: [
      { on: 'dossier', dueWithinWorkingDays: 2, notify: ['supervisor'] },
      { on: 'dossier', dueWithinWorkingDays: 0.5, notify: ['leader'] },
    ],
  });
  // Thu 09:00 less 2 working days = Tue 09:00; less half a day (4 h) = Wed 14:00.
  expect(warningsAt(state, at('2026-12-09T13:59:00+07:00'), judge(settings))).toMatchObject({ nextAt: at('2026-12-09T14:00:00+07:00') });
  expect(warningsAt(state, at('2026-12-09T13:59:00+07:00'), judge(settings)).due.map(brief)).toEqual([['dossier', 'due', 0, '2026-12-08T09:00:00+07:00']]);
  const after = warningsAt(state, at('2026-12-09T15:00:00+07:00'), judge(settings));
  expect(after.due.map((c) => [c.threshold.notify, local(c.at)])).toEqual([[['leader'], '2026-12-09T14:00:00+07:00']]);
  expect(after.nextAt).toBeNull();
});

test('settings are inherited whole from the nearest agency that sets them, else the defaults', () => {
  const province = warningSettingsSchema.parse({ thresholds: [{ on: 'step', usedPercent: 90, notify: ['holder'] }] });
  const own = new Map([['P', province]]);
  expect(resolveWarningSettings(['P', 'P.X'], own)).toEqual({ settings: province, from: 'P' });
  expect(resolveWarningSettings(['Q', 'Q.X'], own)).toEqual({ settings: DEFAULT_WARNING_SETTINGS, from: null });
  // Parsed settings get their defaults: no repeat, office hours only.
  expect(province).toEqual({ thresholds: [{ on: 'step', usedPercent: 90, notify: ['holder'], repeatEveryWorkingHours: null }], outsideOfficeHours: false });
});
