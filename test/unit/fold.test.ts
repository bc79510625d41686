import { formatLocalInstant } from '../../src/calendar/local-time.js';
import { progressAt } from '../../src/dossiers/progress.js';
import { foldDossier, TransitionError } from '../../src/dossiers/fold.js';
import { classifyFinished, classifyOpen } from '../../src/dossiers/outcome.js';
import { context, log, received } from '../support/fold-fixture.js';

const fmt = formatLocalInstant;
const at = (s: string) => Date.parse(s);

describe('outcome by instant (DOMAIN §5)', () => {
  test('finished hours after the due instant on the due day is late, not on time', () => {
    expect(classifyFinished(at('2025-03-20T15:00:00+07:00'), at('2025-03-20T10:00:00+07:00'))).toBe('late');
    expect(classifyFinished(at('2025-03-20T09:59:00+07:00'), at('2025-03-20T10:00:00+07:00'))).toBe('on_time');
    expect(classifyFinished(at('2025-03-20T10:00:00+07:00'), at('2025-03-20T10:00:00+07:00'))).toBe('on_time');
    expect(classifyFinished(at('2025-03-19T16:00:00+07:00'), at('2025-03-20T10:00:00+07:00'))).toBe('early');
  });

  test('open dossiers: on track, due soon from the lead-time instant, overdue after the due instant', () => {
    const due = at('2025-03-20T10:00:00+07:00');
    const dueSoon = at('2025-03-19T10:00:00+07:00');
    expect(classifyOpen(at('2025-03-19T09:59:00+07:00'), due, dueSoon)).toBe('on_track');
    expect(classifyOpen(dueSoon, due, dueSoon)).toBe('due_soon');
    expect(classifyOpen(due, due, dueSoon)).toBe('due_soon');
    expect(classifyOpen(due + 1, due, dueSoon)).toBe('overdue');
  });
});

describe('the fold', () => {
  test('policy restart: the full time runs again from the completed supplement', () => {
    // Received Mon 17 Mar 10:00; supplement asked Tue 10:00, completed Wed 19 Mar 15:00.
    // Restart: clock from Wed 15:00, 3 working days = 24 h: Wed 2 h, Thu 8, Fri 8, Mon 24 Mar 6 h → 15:00.
    const s = foldDossier(
      [
        received('2025-03-17T10:00:00+07:00'),
        log('supplement_requested', '2025-03-18T10:00:00+07:00', { reason: 'r' }),
        log('supplement_received', '2025-03-19T15:00:00+07:00'),
      ],
      context({ supplementPolicy: 'restart' }),
    );
    expect(fmt(s.clockStartsAt)).toBe('2025-03-19T15:00:00+07:00');
    expect(fmt(s.dueAt)).toBe('2025-03-24T15:00:00+07:00');
    // The 766 judgment subtracts the 12 working hours waited (Tue 10–17: 6 h, Wed 08–15: 6 h) from the first
    // appointment, Thu 20 Mar 10:00: Thu 10–17 is 6 h, Fri 08–15 the other 6 → Fri 21 Mar 15:00.
    expect(s.pausedMs).toBe(12 * 3_600_000);
    expect(fmt(s.rate.dueAt)).toBe('2025-03-21T15:00:00+07:00');
  });

  test('calendar-day durations: the 766 judgment adds whole calendar days of pause; the legal time restarts', () => {
    // Received Mon 17 Mar 2025, 5 days end Sat 22 (→ Mon 24 by roll-forward). Paused Tue 18 → Thu 20: 2 days more,
    // so the period ends on day 17 + 7 = Mon 24 Mar, a working day: 17:00. The pause is absorbed by the weekend.
    const s = foldDossier(
      [
        received('2025-03-17T10:00:00+07:00', 'CD5'),
        log('supplement_requested', '2025-03-18T10:00:00+07:00', { reason: 'r' }),
        log('supplement_received', '2025-03-20T09:00:00+07:00'),
      ],
      context(),
    );
    expect(fmt(s.rate.dueAt)).toBe('2025-03-24T17:00:00+07:00');
    // Legally (Decree 61/2018 Art. 19(4)) the 5 days run again from Thu 20 Mar: day 25, Tue 25 Mar 17:00.
    expect(fmt(s.dueAt)).toBe('2025-03-25T17:00:00+07:00');
    // Without the weekend to absorb it: received Wed 19 Mar, 5 days end Mon 24; a 1-day pause ends Tue 25 Mar 17:00.
    // Legally: from Fri 21 Mar, 5 days → Wed 26 Mar 17:00.
    const s2 = foldDossier(
      [
        received('2025-03-19T10:00:00+07:00', 'CD5'),
        log('supplement_requested', '2025-03-20T10:00:00+07:00', { reason: 'r' }),
        log('supplement_received', '2025-03-21T09:00:00+07:00'),
      ],
      context(),
    );
    expect(fmt(s2.rate.dueAt)).toBe('2025-03-25T17:00:00+07:00');
    expect(fmt(s2.dueAt)).toBe('2025-03-26T17:00:00+07:00');
  });

  test('asked twice: finished, the 766 formula subtracts both waits; still waiting, it counts overdue (DOMAIN §5)', () => {
    const events = [
      received('2025-03-17T10:00:00+07:00'),
      log('supplement_requested', '2025-03-17T11:00:00+07:00', { reason: 'r1' }),
      log('supplement_received', '2025-03-17T14:00:00+07:00'),
      log('supplement_requested', '2025-03-17T15:00:00+07:00', { reason: 'r2' }),
    ];
    // Still waiting after the second request: overdue by the 766 formula at once, while the legal clock is stopped.
    const waiting = foldDossier(events, context());
    const at = Date.parse('2025-03-17T15:30:00+07:00');
    expect(progressAt(waiting, at)).toMatchObject({ legal: 'waiting_for_citizen', rate: 'overdue' });
    expect(progressAt(foldDossier(events, context({ repeatedSupplementIsLate: false })), at)).toMatchObject({ rate: 'on_track' });
    // Before the second request it was on track: the past is judged as it was.
    expect(progressAt(waiting, Date.parse('2025-03-17T14:30:00+07:00'))).toMatchObject({ legal: 'on_track', rate: 'on_track' });
    const finished = foldDossier(
      [...events, log('supplement_received', '2025-03-17T16:00:00+07:00'), log('result_ready', '2025-03-18T09:00:00+07:00')],
      context(),
    );
    expect(finished.rate.outcome).toBe('early');
    expect(finished.outcome).toBe('early');
    expect(finished.flags).toContain('repeated_supplement');
  });

  test('a pause that started before the clock stops nothing', () => {
    // Received Saturday: the clock starts Monday 08:00; a supplement asked and completed on Sunday changes nothing.
    const s = foldDossier(
      [
        received('2025-03-15T10:00:00+07:00'),
        log('supplement_requested', '2025-03-16T09:00:00+07:00', { reason: 'r' }),
        log('supplement_received', '2025-03-16T10:00:00+07:00'),
      ],
      context(),
    );
    expect(s.pausedMs).toBe(0);
    expect(fmt(s.dueAt)).toBe('2025-03-19T17:00:00+07:00');
  });

  test('an apology before the lead time is in time; the new date must be later than the current one', () => {
    const base = [received('2025-03-17T10:00:00+07:00')];
    const inTime = foldDossier(
      [...base, log('apology_issued', '2025-03-19T09:00:00+07:00', { reason: 'r', newDueAt: '2025-03-25T10:00:00+07:00' })],
      context(),
    );
    expect(inTime.flags).toEqual([]);
    expect(() =>
      foldDossier([...base, log('apology_issued', '2025-03-18T09:00:00+07:00', { reason: 'r', newDueAt: '2025-03-19T10:00:00+07:00' })], context()),
    ).toThrow(TransitionError);
  });

  // Issue 23 item 7, worked by hand. WD3 received Mon 17 Mar 2025 10:00 → due Thu 20 Mar 10:00; the apology is due no
  // later than Wed 19 Mar (Decree 118/2025 Art. 19(6), judged by date). Received in regime 1 (61/2018 Art. 19(9), the same).
  test('an apology on the due date or later leaves the appointment: the dossier stays overdue, then late', () => {
    const base = [received('2025-03-17T10:00:00+07:00')];
    const apology = (issuedAt: string) => log('apology_issued', issuedAt, { reason: 'r', newDueAt: '2025-03-28T10:00:00+07:00' });
    // Wed 19 Mar 16:00: in time (the day before the due date): the new date is the appointment.
    // Result Fri 28 Mar 09:00, on the new due day before its instant: on time.
    const lawful = foldDossier([...base, apology('2025-03-19T16:00:00+07:00'), log('result_ready', '2025-03-28T09:00:00+07:00')], context());
    expect(lawful.apology).toMatchObject({ reschedules: true, reschedulesRate: true });
    expect([fmt(lawful.dueAt), lawful.outcome, lawful.rate.outcome, lawful.flags]).toEqual(['2025-03-28T10:00:00+07:00', 'on_time', 'on_time', []]);
    // Thu 20 Mar 08:00, before the due instant but on the due date: too late, and no rescheduling.
    const dueDay = foldDossier([...base, apology('2025-03-20T08:00:00+07:00')], context());
    expect(dueDay.apology).toMatchObject({ reschedules: false, reschedulesRate: false });
    expect(progressAt(dueDay, at('2025-03-20T11:00:00+07:00'))!.legal).toBe('overdue');
    // Mon 24 Mar, 4 working days late; result Thu 27 Mar, before the new date: late both ways, flagged too late only.
    const late = foldDossier([...base, apology('2025-03-24T09:00:00+07:00'), log('result_ready', '2025-03-27T10:00:00+07:00')], context());
    expect([fmt(late.dueAt), late.outcome, late.rate.outcome, late.flags]).toEqual(['2025-03-20T10:00:00+07:00', 'late', 'late', ['apology_too_late']]);
    // The portal's reading, where a province chooses it: the 766 appointment is the desk's new date from its recording
    // (finished Thu 27 Mar, a working day before Fri 28: early by 766, late by law).
    const portal = foldDossier(
      [...base, apology('2025-03-24T09:00:00+07:00'), log('result_ready', '2025-03-27T10:00:00+07:00')],
      context({ lateApology766: 'new-appointment' }),
    );
    expect([fmt(portal.dueAt), portal.outcome, portal.rate.outcome, fmt(portal.rate.dueAt)]).toEqual([
      '2025-03-20T10:00:00+07:00',
      'late',
      'early',
      '2025-03-28T10:00:00+07:00',
    ]);
    // …and a period that ended before the apology still saw it overdue (the past as it was).
    expect(progressAt(portal, at('2025-03-21T23:59:59+07:00'))!.rate).toBe('overdue');
  });

  // Issue 23 item 5: WD3 received Mon 17 Mar 2025 10:00 → due Thu 20 Mar 10:00. A province reading lateness by date.
  test('read by date, the 766 judgment calls the due day on time; the legal one stays by instant', () => {
    const events = [received('2025-03-17T10:00:00+07:00'), log('result_ready', '2025-03-20T16:00:00+07:00')];
    const instant = foldDossier(events, context());
    expect([instant.outcome, instant.rate.outcome]).toEqual(['late', 'late']);
    const byDate = foldDossier(events, context({ latenessReading: 'date' }));
    expect([byDate.outcome, byDate.rate.outcome]).toEqual(['late', 'on_time']);
    // Finished the next morning: late by either reading.
    expect(foldDossier([events[0]!, log('result_ready', '2025-03-21T08:30:00+07:00')], context({ latenessReading: 'date' })).rate.outcome).toBe('late');
    // Open: by date not yet overdue at 16:00 on the due day, overdue from the next day's first instant.
    const open = foldDossier([received('2025-03-17T10:00:00+07:00')], context({ latenessReading: 'date' }));
    expect(progressAt(open, at('2025-03-20T16:00:00+07:00'))!.rate).toBe('on_track');
    expect(progressAt(open, at('2025-03-20T16:00:00+07:00'))!.legal).toBe('overdue');
    expect(progressAt(open, at('2025-03-21T00:00:00+07:00'))!.rate).toBe('overdue');
  });

  test('an event dated before the receipt is refused as such', () => {
    const early = log('result_ready', '2025-03-16T09:00:00+07:00');
    const attempt = () => foldDossier([received('2025-03-17T10:00:00+07:00'), early], context());
    expect(attempt).toThrow(TransitionError);
    expect(attempt).toThrow('"result_ready" at 2025-03-16T09:00:00+07:00 is earlier than the receipt of dossier D at 2025-03-17T10:00:00+07:00');
  });

  test('nothing may follow a withdrawal except a payment record', () => {
    const base = [received('2025-03-17T10:00:00+07:00'), log('withdrawn', '2025-03-17T11:00:00+07:00')];
    expect(foldDossier(base, context()).finishedAt).toBe(at('2025-03-17T11:00:00+07:00'));
    expect(() => foldDossier([...base, log('result_ready', '2025-03-18T09:00:00+07:00')], context())).toThrow(/not possible when the dossier is "withdrawn"/);
  });
});
