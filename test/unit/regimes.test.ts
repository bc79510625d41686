/**
 * The rules that changed with the law (shared/DOMAIN.md §1, §3, §4), each with
 * a case worked by hand in the comments. Office hours 08–12, 13–17 (8 h a day).
 */
import { formatLocalInstant } from '../../src/calendar/local-time.js';
import { foldDossier } from '../../src/dossiers/fold.js';
import { REGIMES, regimeAt } from '../../src/dossiers/regimes.js';
import { calendar, context as foldContext, log, receivedAtCentre as received } from '../support/fold-fixture.js';

const fmt = formatLocalInstant;
/** The fixture's context with WD lasting `days` working days and no province settings. */
const context = (days = 3) => foldContext({}, days);

describe('the regimes, by receipt instant', () => {
  test('Decree 61/2018 until 30 June 2025, 118/2025 from 1 July 2025, 118 as amended by 309/2026 from 5 Aug 2026', () => {
    expect(regimeAt(Date.parse('2025-06-30T23:59:00+07:00')).id).toBe('ND61/2018');
    expect(regimeAt(Date.parse('2025-07-01T00:00:00+07:00')).id).toBe('ND118/2025');
    expect(regimeAt(Date.parse('2026-08-04T23:59:00+07:00')).id).toBe('ND118/2025');
    expect(regimeAt(Date.parse('2026-08-05T00:00:00+07:00')).id).toBe('ND118/2025+ND309/2026');
  });

  test('every rule names its source and grade', () => {
    for (const r of REGIMES)
      for (const rule of Object.values(r.rules))
        expect(rule).toMatchObject({ source: expect.stringMatching(/Nghị định/), grade: expect.stringMatching(/^(Law|Source|Unconfirmed)$/) });
  });

  test('a dossier keeps the regime, time and policies it was received under', () => {
    const s = foldDossier([received('2025-06-30T10:00:00+07:00')], context());
    expect(s.rules).toMatchObject({ regime: 'ND61/2018', duration: { value: 3, unit: 'working-days' }, calendarVersion: calendar.version });
    // The catalogue changes (3 → 10 working days) after receipt: a later event does not re-time the dossier.
    const later = foldDossier([received('2025-06-30T10:00:00+07:00'), log('supplement_requested', '2025-07-01T09:00:00+07:00', { reason: 'r' })], {
      ...context(10),
      pinnedRules: () => s.rules,
    });
    expect(fmt(later.dueAt)).toBe(fmt(s.dueAt));
  });
});

describe('supplementation (Decree 61/2018 Art. 19(4))', () => {
  test('the legal time restarts from the completed dossier; a request after 3 working days is flagged', () => {
    // Received Mon 3 Mar 2025 10:00, 3 working days. Asked to supplement Fri 7 Mar 10:00: 32 working hours after
    // receipt, more than 3 days (24 h): flagged. Completed Mon 10 Mar 14:00: 24 h from then: Mon 3 h, Tue 8 (11),
    // Wed 8 (19), Thu 08–12 (23), 13–14 (24) → Thu 13 Mar 14:00.
    const s = foldDossier(
      [
        received('2025-03-03T10:00:00+07:00'),
        log('supplement_requested', '2025-03-07T10:00:00+07:00', { reason: 'thiếu bản sao' }),
        log('supplement_received', '2025-03-10T14:00:00+07:00'),
      ],
      context(),
    );
    expect(fmt(s.dueAt)).toBe('2025-03-13T14:00:00+07:00');
    expect(s.flags).toContain('late_supplement_request');
  });

  test('a request exactly 3 working days after receipt is in time', () => {
    // Mon 3 Mar 10:00 → Thu 6 Mar 10:00 is 24 working hours.
    const s = foldDossier([received('2025-03-03T10:00:00+07:00'), log('supplement_requested', '2025-03-06T10:00:00+07:00', { reason: 'r' })], context());
    expect(s.flags).not.toContain('late_supplement_request');
  });
});

describe('apology timing (Art. 19(9)): no later than 1 day before the due date, by date', () => {
  // Received Mon 17 Mar 2025 10:00, 3 working days: due Thu 20 Mar 10:00.
  test('on Wed 19 Mar at 16:00, two office hours before the due instant, it is lawful', () => {
    const s = foldDossier(
      [received('2025-03-17T10:00:00+07:00'), log('apology_issued', '2025-03-19T16:00:00+07:00', { reason: 'r', newDueAt: '2025-03-24T10:00:00+07:00' })],
      context(),
    );
    expect(s.flags).not.toContain('apology_too_late');
  });

  test('on the due date itself, Thu 20 Mar 08:30, it is too late', () => {
    const s = foldDossier(
      [received('2025-03-17T10:00:00+07:00'), log('apology_issued', '2025-03-20T08:30:00+07:00', { reason: 'r', newDueAt: '2025-03-24T10:00:00+07:00' })],
      context(),
    );
    expect(s.flags).toContain('apology_too_late');
  });
});

describe('Decree 309/2026: the clock starts when the competent agency receives the dossier', () => {
  test('a paper dossier a centre receives after 15:00 reaches the competent agency at the next opening', () => {
    // Received by the centre Mon 10 Aug 2026 16:00 on paper for the department; handed over at 16:30. Art. 9: passed on
    // at the start of the next working day, Tue 11 Aug 08:00. 24 h: Tue, Wed, Thu → Thu 13 Aug 17:00.
    const s = foldDossier(
      [
        received('2026-08-10T16:00:00+07:00', { competentAgencyCode: 'P.S' }),
        log('assigned', '2026-08-10T16:30:00+07:00', { agencyCode: 'P.S', step: 'Thẩm định' }),
      ],
      context(),
    );
    expect(s.rules.regime).toBe('ND118/2025+ND309/2026');
    expect(fmt(s.clockStartsAt)).toBe('2026-08-11T08:00:00+07:00');
    expect(fmt(s.dueAt)).toBe('2026-08-13T17:00:00+07:00');
    expect(s.awaitingCompetentAgency).toBeNull();
  });

  test('an online dossier: from the hand-over itself', () => {
    // Received online Mon 10 Aug 2026 16:00, handed over Tue 11 Aug 09:00 → 24 h → Fri 14 Aug 09:00.
    const s = foldDossier(
      [
        received('2026-08-10T16:00:00+07:00', { competentAgencyCode: 'P.S', channel: 'online' }),
        log('assigned', '2026-08-11T09:00:00+07:00', { agencyCode: 'P.S', step: 'Thẩm định' }),
      ],
      context(),
    );
    expect(fmt(s.dueAt)).toBe('2026-08-14T09:00:00+07:00');
  });

  test('a paper dossier reaches the competent agency within 1 working day, or the hand-over is flagged (118 Art. 20(1)(a))', () => {
    // Received Mon 10 Aug 2026 10:00 on paper for the department. Handed over Tue 11 Aug 10:00: Mon 10–12 and 13–17
    // (6 h) + Tue 08–10 (2 h) = 8 h, exactly 1 working day: in time.
    const inTime = foldDossier(
      [
        received('2026-08-10T10:00:00+07:00', { competentAgencyCode: 'P.S' }),
        log('assigned', '2026-08-11T10:00:00+07:00', { agencyCode: 'P.S', step: 'Thẩm định' }),
      ],
      context(),
    );
    expect(inTime.flags).not.toContain('late_hand_over');
    // Handed over Wed 12 Aug 09:00: 6 + 8 + 1 = 15 working hours, more than one working day.
    const late = foldDossier(
      [
        received('2026-08-10T10:00:00+07:00', { competentAgencyCode: 'P.S' }),
        log('assigned', '2026-08-12T09:00:00+07:00', { agencyCode: 'P.S', step: 'Thẩm định' }),
      ],
      context(),
    );
    expect(late.flags).toContain('late_hand_over');
    // An online dossier goes at once electronically: the paper rule does not apply.
    const online = foldDossier(
      [
        received('2026-08-10T10:00:00+07:00', { competentAgencyCode: 'P.S', channel: 'online' }),
        log('assigned', '2026-08-12T09:00:00+07:00', { agencyCode: 'P.S', step: 'Thẩm định' }),
      ],
      context(),
    );
    expect(online.flags).not.toContain('late_hand_over');
  });

  test("before 5 Aug 2026 the clock started at the centre's receipt", () => {
    // Decree 118/2025 unamended: received Mon 11 Aug 2025 16:00 → Mon 1 h, Tue 8 (9), Wed 8 (17), Thu 7 (24) → Thu 14 Aug 16:00.
    const s = foldDossier(
      [
        received('2025-08-11T16:00:00+07:00', { competentAgencyCode: 'P.S' }),
        log('assigned', '2025-08-11T16:30:00+07:00', { agencyCode: 'P.S', step: 'Thẩm định' }),
      ],
      context(),
    );
    expect(s.rules.regime).toBe('ND118/2025');
    expect(fmt(s.dueAt)).toBe('2025-08-14T16:00:00+07:00');
  });
});
