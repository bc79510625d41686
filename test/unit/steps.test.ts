import { randomUUID } from 'node:crypto';
import { Catalog } from '../../src/catalog/catalog.js';
import { agencySchema, procedureSchema } from '../../src/catalog/schemas.js';
import { VietnamCalendar } from '../../src/calendar/vietnam-calendar.js';
import { formatLocalInstant } from '../../src/calendar/local-time.js';
import { dossierEventSchema, type LoggedEvent } from '../../src/dossiers/events.js';
import { foldDossier, type FoldContext } from '../../src/dossiers/fold.js';
import { dossierView } from '../../src/dossiers/view.js';
import { holderProblem, NO_PEOPLE } from '../../src/dossiers/holder.js';
import { latenessSourcesAt, stepIndexOf, stepTimingAt } from '../../src/dossiers/steps.js';

// Office hours 08:00–12:00, 13:00–17:00, Asia/Ho_Chi_Minh; official days off per DOMAIN §2: Tue 24 Nov 2026 is a day
// off (Vietnamese Culture Day), Sat 10 Jan 2026 is a worked day (in exchange for Fri 2 Jan).
const calendar = new VietnamCalendar();
const fmt = formatLocalInstant;
const at = (s: string) => Date.parse(s);

const ctx: FoldContext = {
  catalog: new Catalog(
    [
      agencySchema.parse({ code: 'P', name: 'Tỉnh', kind: 'province', parentCode: null, validFrom: '2000-01-01', validTo: null, source: 'test' }),
      agencySchema.parse({ code: 'P.X', name: 'Xã', kind: 'commune', parentCode: 'P', validFrom: '2000-01-01', validTo: null, source: 'test' }),
      agencySchema.parse({ code: 'P.S', name: 'Sở', kind: 'department', parentCode: 'P', validFrom: '2000-01-01', validTo: null, source: 'test' }),
    ],
    [
      procedureSchema.parse({
        code: 'LT',
        name: 'Liên thông',
        field: 'f',
        duration: { value: 3, unit: 'working-days' },
        onlineLevel: 'full',
        feeRequired: false,
        source: 'test',
        steps: [
          { step: 'Thẩm định', budget: { value: 2, unit: 'working-days' } },
          { step: 'Ký duyệt', budget: { value: 4, unit: 'working-hours' } },
        ],
      }),
    ],
  ),
  calendar,
};

let seq = 0;
function log(type: string, occurredAt: string, fields: Record<string, unknown> = {}): LoggedEvent {
  return { seq: ++seq, event: dossierEventSchema.parse({ eventId: randomUUID(), type, dossierCode: 'D', occurredAt, ...fields }) };
}
const received = (occurredAt: string) =>
  log('received', occurredAt, {
    procedureCode: 'LT',
    receivingAgencyCode: 'P.X',
    channel: 'direct',
    applicant: { name: 'A' },
    feeRequired: false,
    digitized: false,
  });
const specialist = { name: 'Lò Thị Mai', email: 'mai@example.gov.vn' };

describe('step due instants in the step agency working time', () => {
  // Received Fri 20 Nov 2026 14:00, 3 working days (24 h): Fri 14–17 (3 h), Mon 23 (8 h, 11), Tue 24 Nov off,
  // Wed 25 (8 h, 19), Thu 26 08–12, 13–14 (5 h, 24) → due Thu 26 Nov 14:00.
  // Step 1 "Thẩm định" (the procedure's 2 working days = 16 h) handed over Fri 20 Nov 15:00: Fri 15–17 (2 h),
  // Sat–Sun off, Mon 23 (8 h, 10), Tue 24 Nov off (Culture Day), Wed 25 08–12, 13–15 (6 h, 16) → Wed 25 Nov 15:00.
  // Step 2 "Ký duyệt" (4 working hours) handed over Thu 26 Nov 10:00: 10–12, 13–15 → Thu 26 Nov 15:00.
  const events = [
    received('2026-11-20T14:00:00+07:00'),
    log('assigned', '2026-11-20T15:00:00+07:00', { agencyCode: 'P.X', step: 'Thẩm định', holder: specialist }),
    log('assigned', '2026-11-26T10:00:00+07:00', { agencyCode: 'P.S', step: 'Ký duyệt' }),
    log('result_ready', '2026-11-27T09:30:00+07:00'),
  ];

  test('across a weekend and an official day off; each overrun marked with how long', () => {
    const s = foldDossier(events, ctx);
    expect(fmt(s.dueAt)).toBe('2026-11-26T14:00:00+07:00');
    expect(s.outcome).toBe('late');
    const [first, second] = s.steps;
    expect(fmt(first!.dueAt!)).toBe('2026-11-25T15:00:00+07:00');
    // Ended Thu 26 Nov 10:00: Wed 15–17 (2 h) + Thu 08–10 (2 h) over = 240 working minutes.
    expect(first!.outcome).toBe('late');
    expect(first!.overrunMs).toBe(240 * 60_000);
    expect(fmt(second!.dueAt!)).toBe('2026-11-26T15:00:00+07:00');
    // Ended Fri 27 Nov 09:30: Thu 15–17 (2 h) + Fri 08–09:30 (1.5 h) over = 210 working minutes.
    expect(second!.overrunMs).toBe(210 * 60_000);
  });

  test('the API view: due instants, overruns, the holder and the history of holders, and where the lateness comes from', () => {
    const s = foldDossier(events, ctx);
    const v = dossierView(s, ctx, at('2026-12-01T09:00:00+07:00'));
    expect(v.steps).toEqual([
      {
        agencyCode: 'P.X',
        step: 'Thẩm định',
        holder: specialist,
        budget: { value: 2, unit: 'working-days' },
        startedAt: '2026-11-20T15:00:00+07:00',
        dueAt: '2026-11-25T15:00:00+07:00',
        endedAt: '2026-11-26T10:00:00+07:00',
        outcome: 'late',
        waitingForCitizen: false,
        overrun: true,
        overrunWorkingMinutes: 240,
      },
      {
        agencyCode: 'P.S',
        step: 'Ký duyệt',
        holder: null,
        budget: { value: 4, unit: 'working-hours' },
        startedAt: '2026-11-26T10:00:00+07:00',
        dueAt: '2026-11-26T15:00:00+07:00',
        endedAt: '2026-11-27T09:30:00+07:00',
        outcome: 'late',
        waitingForCitizen: false,
        overrun: true,
        overrunWorkingMinutes: 210,
      },
    ]);
    // Finished: nobody holds it now.
    expect(v.holder).toBeNull();
    // Held: Fri 15:00 → Thu 10:00 = 2 + 8 + 0 (Tue off) + 8 + 2 = 20 h; Thu 10:00 → Fri 09:30 = 2 + 4 + 1.5 = 7.5 h.
    expect(v.holders.map((h) => [h.step, h.person?.name ?? null, h.heldWorkingMinutes])).toEqual([
      ['Thẩm định', 'Lò Thị Mai', 1200],
      ['Ký duyệt', null, 450],
    ]);
    // Late by 3 h 30 (Thu 14:00 → Fri 09:30); both steps ran over, the larger overrun first.
    expect(v.lateBecause).toEqual([
      { agencyCode: 'P.X', step: 'Thẩm định', overrunWorkingMinutes: 240, open: false },
      { agencyCode: 'P.S', step: 'Ký duyệt', overrunWorkingMinutes: 210, open: false },
    ]);
  });

  test('an open step: the current holder, and its overrun grows with working time only', () => {
    const open = foldDossier(events.slice(0, 2), ctx);
    // Thu 26 Nov 09:00: Wed 15–17 (2 h) + Thu 08–09 (1 h) past the step's due instant.
    const v = dossierView(open, ctx, at('2026-11-26T09:00:00+07:00'));
    expect(v.holder).toEqual({ agencyCode: 'P.X', step: 'Thẩm định', person: specialist, since: '2026-11-20T15:00:00+07:00' });
    expect(v.steps[0]).toMatchObject({ endedAt: null, overrun: true, overrunWorkingMinutes: 180 });
    // The dossier (due Thu 14:00) is not overdue yet at 09:00: nothing to explain.
    expect(v.lateBecause).toEqual([]);
    // Sat 28 Nov 10:00 (a rest day) counts like Fri 17:00: Wed 2 h + Thu 8 h + Fri 8 h = 18 h.
    const step = open.steps[0]!;
    expect(stepTimingAt(step, at('2026-11-28T10:00:00+07:00'), stepIndexOf(calendar, step))!.overrunMs).toBe(18 * 3_600_000);
    // And the dossier, overdue then, is late because of it.
    expect(latenessSourcesAt(open.steps, at('2026-11-28T10:00:00+07:00'), calendar)).toEqual([
      { position: 0, agencyCode: 'P.X', step: 'Thẩm định', overrunMs: 18 * 3_600_000, open: true },
    ]);
  });

  test('a make-up Saturday (Sat 10 Jan 2026) is worked: a step runs through it', () => {
    // Handed over Fri 9 Jan 2026 14:00 with 1 working day (8 h): Fri 14–17 (3 h), Sat 10 Jan 08–12, 13–14 (5 h).
    const s = foldDossier(
      [
        received('2026-01-09T09:00:00+07:00'),
        log('assigned', '2026-01-09T14:00:00+07:00', { agencyCode: 'P.X', step: 'Xác minh', budget: { value: 1, unit: 'working-days' } }),
      ],
      ctx,
    );
    expect(fmt(s.steps[0]!.dueAt!)).toBe('2026-01-10T14:00:00+07:00');
    expect(s.steps[0]!.budget).toEqual({ value: 1, unit: 'working-days' });
  });

  test('a wait for the citizen stops the step clock; its due instant moves on by the working time waited', () => {
    // Step of 1 working day handed over Mon 23 Nov 2026 09:00: Mon 09–12, 13–17 (7 h), Tue off, Wed 08–09 → Wed 25 Nov 09:00.
    // Supplement asked Mon 14:00, received Wed 10:00: waited Mon 14–17 (3 h) + Wed 08–10 (2 h) = 5 h.
    // Due moves to Wed 09:00 + 5 h = Wed 09–12, 13–15 → Wed 25 Nov 15:00.
    const s = foldDossier(
      [
        received('2026-11-23T08:30:00+07:00'),
        log('assigned', '2026-11-23T09:00:00+07:00', { agencyCode: 'P.X', step: 'Thẩm định', budget: { value: 1, unit: 'working-days' } }),
        log('supplement_requested', '2026-11-23T14:00:00+07:00', { reason: 'thiếu giấy tờ' }),
        log('supplement_received', '2026-11-25T10:00:00+07:00'),
      ],
      ctx,
    );
    const step = s.steps[0]!;
    const index = stepIndexOf(calendar, step);
    expect(fmt(step.budgetDueAt!)).toBe('2026-11-25T09:00:00+07:00');
    expect(fmt(step.dueAt!)).toBe('2026-11-25T15:00:00+07:00');
    // As it was during the wait (Wed 09:30, past the first due instant): waiting, due still Wed 09:00, no overrun.
    expect(stepTimingAt(step, at('2026-11-25T09:30:00+07:00'), index)).toEqual({
      dueAt: at('2026-11-25T09:00:00+07:00'),
      overrunMs: 0,
      open: true,
      paused: true,
    });
    // Thu 26 Nov 09:00: Wed 15–17 (2 h) + Thu 08–09 (1 h) = 3 h over.
    expect(stepTimingAt(step, at('2026-11-26T09:00:00+07:00'), index)).toEqual({
      dueAt: at('2026-11-25T15:00:00+07:00'),
      overrunMs: 3 * 3_600_000,
      open: true,
      paused: false,
    });
  });
});

describe('who may hold a dossier', () => {
  const pathOf = (code: string) => ctx.catalog.pathOf(code);
  test('a named person with no id is carried as given; an id names a known person of the agency or is refused', () => {
    expect(holderProblem(undefined, 'P.X', NO_PEOPLE, pathOf)).toBeNull();
    expect(holderProblem({ name: 'Lò Thị Mai' }, 'P.X', NO_PEOPLE, pathOf)).toBeNull();
    // No person accounts in this version: every id is unknown.
    expect(holderProblem({ name: 'Lò Thị Mai', personId: 'u-1' }, 'P.X', NO_PEOPLE, pathOf)).toBe('unknown person u-1');
    // A directory (as accounts will bring): a person of the department holds the department's dossiers, not the commune's.
    const people = { person: (id: string) => (id === 'u-1' ? { agencyCodes: ['P.S'] } : undefined) };
    expect(holderProblem({ name: 'Mai', personId: 'u-1' }, 'P.S', people, pathOf)).toBeNull();
    expect(holderProblem({ name: 'Mai', personId: 'u-1' }, 'P.X', people, pathOf)).toBe('person u-1 does not belong to agency P.X');
  });
});
