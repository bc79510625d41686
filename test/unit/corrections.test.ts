/**
 * Voids and corrections read into a log (src/dossiers/corrections.ts), and the apology judged at its delivery
 * (issue 27 item 4), folded by hand on the fixture: WD3 at the commune P.X, 3 working days of 8 hours, office hours
 * 08:00–12:00, 13:00–17:00. Received Monday 3 March 2025 at 09:00 → due Thursday 6 March at 09:00 (no day off).
 */
import { foldDossier } from '../../src/dossiers/fold.js';
import { endedMonthsFrom } from '../../src/reports/periods.js';
import { resolveLog } from '../../src/dossiers/corrections.js';
import { context, log, received } from '../support/fold-fixture.js';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (local: string) => Date.parse(`${local}+07:00`);

describe('resolveLog', () => {
  test('a voided event is left out; a corrected one is read as its replacement in its place; the rules in arrival order', () => {
    const r = received('2025-03-03T09:00:00+07:00');
    const wrong = log('result_ready', '2025-03-10T10:00:00+07:00');
    const fix = log('corrected', '2025-03-11T09:00:00+07:00', {
      targetEventId: wrong.event.eventId,
      reason: 'sai ngày',
      replacement: { type: 'result_ready', occurredAt: '2025-03-05T10:00:00+07:00' },
    });
    const resolved = resolveLog([r, wrong, fix]);
    expect(resolved.problems).toEqual([]);
    // The correction changed history from 5 March (the earlier of 10 and 5 March).
    expect(resolved.applied).toEqual([
      { eventId: fix.event.eventId, targetEventId: wrong.event.eventId, type: 'corrected', affectedFrom: at('2025-03-05T10:00:00') },
    ]);
    expect(resolved.events.map((l) => [l.seq, l.event.type, l.event.occurredAt])).toEqual([
      [r.seq, 'received', '2025-03-03T09:00:00+07:00'],
      [wrong.seq, 'result_ready', '2025-03-05T10:00:00+07:00'],
    ]);
    // Finished on Wednesday 5 March, an earlier working day than the due day: early.
    const s = foldDossier([r, wrong, fix], context());
    expect([iso(s.finishedAt!), s.outcome]).toEqual([iso(at('2025-03-05T10:00:00')), 'early']);

    const voidIt = log('voided', '2025-03-11T10:00:00+07:00', { targetEventId: wrong.event.eventId, reason: 'không có kết quả' });
    const again = log('voided', '2025-03-11T11:00:00+07:00', { targetEventId: wrong.event.eventId, reason: 'lần nữa' });
    const ofVoid = log('voided', '2025-03-11T11:00:00+07:00', { targetEventId: voidIt.event.eventId, reason: 'hủy lệnh hủy' });
    const receipt = log('voided', '2025-03-11T11:00:00+07:00', { targetEventId: r.event.eventId, reason: 'nhầm' });
    const after = resolveLog([r, wrong, fix, voidIt, again, ofVoid, receipt]);
    expect(after.events.map((l) => l.event.type)).toEqual(['received']);
    expect(after.problems.map((p) => [p.eventId, p.field])).toEqual([
      [again.event.eventId, 'targetEventId'],
      [ofVoid.event.eventId, 'targetEventId'],
      [receipt.event.eventId, 'targetEventId'],
    ]);
    expect(foldDossier([r, wrong, fix, voidIt], context())).toMatchObject({ status: 'received', finishedAt: null, dueAt: at('2025-03-06T09:00:00') });
  });

  test('a correction keeps the type; a correction naming an event recorded after it is unknown', () => {
    const r = received('2025-03-03T09:00:00+07:00');
    const req = log('supplement_requested', '2025-03-04T09:00:00+07:00', { reason: 'thiếu' });
    const other = log('corrected', '2025-03-05T09:00:00+07:00', {
      targetEventId: req.event.eventId,
      reason: 'x',
      replacement: { type: 'supplement_received', occurredAt: '2025-03-04T09:00:00+07:00' },
    });
    expect(resolveLog([r, req, other]).problems).toEqual([{ eventId: other.event.eventId, field: 'replacement.type', message: expect.any(String) }]);
    const early = log('voided', '2025-03-05T09:00:00+07:00', { targetEventId: '00000000-0000-4000-8000-000000000001', reason: 'x' });
    expect(resolveLog([r, early]).problems[0]).toMatchObject({
      field: 'targetEventId',
      message: `unknown event 00000000-0000-4000-8000-000000000001 in dossier D`,
    });
  });
});

describe('the apology judged at its delivery', () => {
  // Issued Monday 3 March 16:00 (in time: the last lawful day is Wednesday 5 March), new date Monday 10 March 09:00.
  const r = received('2025-03-03T09:00:00+07:00');
  const apology = log('apology_issued', '2025-03-03T16:00:00+07:00', { reason: 'xác minh', newDueAt: '2025-03-10T09:00:00+07:00' });

  test('not delivered: judged at its issuing, the new date is the appointment', () => {
    const s = foldDossier([r, apology], context());
    expect([iso(s.dueAt), s.apology!.reschedules, s.apology!.deliveredAt, s.flags]).toEqual([iso(at('2025-03-10T09:00:00')), true, null, []]);
  });

  test('delivered Wednesday 5 March 16:59 (the day before the due date): in time', () => {
    const s = foldDossier([r, apology, log('apology_delivered', '2025-03-05T16:59:00+07:00', { via: 'sms' })], context());
    expect([iso(s.dueAt), s.apology!.reschedules, s.apology!.deliveredVia, s.flags]).toEqual([iso(at('2025-03-10T09:00:00')), true, 'sms', []]);
  });

  test('delivered Thursday 6 March 08:00 (the due date): too late, the appointment stays Thursday 09:00 in both judgments', () => {
    const s = foldDossier([r, apology, log('apology_delivered', '2025-03-06T08:00:00+07:00', { via: 'counter' })], context());
    expect([iso(s.dueAt), iso(s.rate.dueAt), s.apology!.reschedules, s.apology!.reschedulesRate, s.flags]).toEqual([
      iso(at('2025-03-06T09:00:00')),
      iso(at('2025-03-06T09:00:00')),
      false,
      false,
      ['apology_too_late'],
    ]);
  });

  test('the policy lateApology766 = new-appointment keeps the new date for the 766 judgment only', () => {
    const s = foldDossier(
      [r, apology, log('apology_delivered', '2025-03-06T08:00:00+07:00', { via: 'email' })],
      context({ lateApology766: 'new-appointment' }),
    );
    expect([iso(s.dueAt), iso(s.rate.dueAt)]).toEqual([iso(at('2025-03-06T09:00:00')), iso(at('2025-03-10T09:00:00'))]);
  });
});

test('endedMonthsFrom: the month of the change and every ended month after it', () => {
  // A change from 5 March 2025 seen on 10 May 2025: March and April have ended, May has not.
  expect(endedMonthsFrom(at('2025-03-05T10:00:00'), at('2025-05-10T10:00:00'))).toEqual(['2025-03', '2025-04']);
  // 31 March 23:30 local is still March; on 1 April 00:00 local March has just ended.
  expect(endedMonthsFrom(at('2025-03-31T23:30:00'), at('2025-04-01T00:00:00'))).toEqual(['2025-03']);
  expect(endedMonthsFrom(at('2025-04-02T10:00:00'), at('2025-04-10T10:00:00'))).toEqual([]);
});
