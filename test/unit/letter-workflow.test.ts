/**
 * A letter's approval folded by hand (dossiers/letter-workflow.ts): draft → submit → return → revise → submit →
 * approve → sign → issue, each step refused out of order, and the issued fact the deadlines read only at the end.
 *
 * The dossier: WD3 received by the commune P.X on Mon 17 Mar 2025 10:00 → due Thu 20 Mar 10:00 (3 working days of
 * 8 h, no rest day between). The apology is lawful when issued no later than 1 day before the due date, i.e. by Wed
 * 19 Mar (Decree 118/2025 Art. 19(6)), so its legal moment, the first instant too late, is Thu 20 Mar 00:00.
 */
import { foldDossier, TransitionError } from '../../src/dossiers/fold.js';
import { authorizeEvent } from '../../src/dossiers/authorization.js';
import { letterDeadline, lettersWaiting } from '../../src/dossiers/letter-workflow.js';
import type { LoggedEvent } from '../../src/dossiers/events.js';
import { context, log, received } from '../support/fold-fixture.js';

const OFFICER = '11111111-1111-4111-8111-111111111111';
const LEADER = '22222222-2222-4222-8222-222222222222';
const SHA = 'a'.repeat(64);
const NEW_DUE = '2025-03-25T10:00:00+07:00';
const base = [received('2025-03-17T10:00:00+07:00')];
const step = (type: string, at: string, by: string, fields: Record<string, unknown> = {}) =>
  log(type, `2025-03-${at}:00+07:00`, { form: 'apology', by, ...fields });
const drafted = step('letter_drafted', '18T09:00', OFFICER, { reason: 'Cần xác minh thêm', newDueAt: NEW_DUE });
const submitted = step('letter_submitted', '18T09:30', OFFICER);
const approved = step('letter_approved', '18T10:00', LEADER);
const signed = step('letter_signed', '18T10:30', LEADER, { sha256: SHA, certificate: 'UBND xã X' });
const issued = log('apology_issued', '2025-03-18T11:00:00+07:00', { reason: 'Cần xác minh thêm', newDueAt: NEW_DUE });

const fold = (events: LoggedEvent[]) => foldDossier([...base, ...events], context());
const refusal = (events: LoggedEvent[]) => {
  try {
    fold(events);
  } catch (e) {
    if (e instanceof TransitionError) return e.message;
    throw e;
  }
  return 'accepted';
};

test('each step moves the letter, and only the issued fact moves the appointment', () => {
  const due = Date.parse('2025-03-20T10:00:00+07:00');
  expect(fold([drafted]).letters?.apology).toMatchObject({ status: 'draft', draftedBy: OFFICER, newDueAt: Date.parse(NEW_DUE) });
  expect(fold([drafted, submitted]).letters?.apology?.status).toBe('submitted');
  expect(lettersWaiting(fold([drafted, submitted]).letters, false)).toEqual(['approval']);
  const s = fold([drafted, submitted, approved, signed]);
  expect(s.letters?.apology).toMatchObject({ status: 'signed', approvedBy: LEADER, signedBy: LEADER, sha256: SHA });
  // Signed but not issued: the appointment, the flags and the apology are untouched.
  expect(s.dueAt).toBe(due);
  expect(s.apology).toBeNull();
  expect(lettersWaiting(fold([drafted, submitted, approved]).letters, false)).toEqual(['signature']);
  const done = fold([drafted, submitted, approved, signed, issued]);
  expect(done.letters?.apology).toMatchObject({ status: 'issued', issuedAt: Date.parse('2025-03-18T11:00:00+07:00') });
  // Issued Tue 18 Mar, before Wed 19 Mar's limit: lawful, the new date is the appointment.
  expect(done.apology).toMatchObject({ reschedules: true, newDueAt: Date.parse(NEW_DUE), previousDueAt: due });
  expect(done.dueAt).toBe(Date.parse(NEW_DUE));
  expect(lettersWaiting(done.letters, false)).toEqual([]);
});

test('a returned letter is revised and submitted again; the comment stays until approval', () => {
  const returned = step('letter_returned', '18T10:00', LEADER, { comment: 'Ghi rõ cơ quan phối hợp' });
  const revised = step('letter_drafted', '18T10:20', OFFICER, { reason: 'Cần lấy ý kiến Sở Tài nguyên', newDueAt: NEW_DUE });
  const again = step('letter_submitted', '18T10:30', OFFICER);
  const s = fold([drafted, submitted, returned, revised, again]);
  expect(s.letters?.apology).toMatchObject({ status: 'submitted', reason: 'Cần lấy ý kiến Sở Tài nguyên', returnComment: 'Ghi rõ cơ quan phối hợp' });
  const ok = fold([drafted, submitted, returned, revised, again, step('letter_approved', '18T11:00', LEADER)]);
  expect(ok.letters?.apology).toMatchObject({ status: 'approved', returnComment: null });
});

test('steps out of order are refused, naming why', () => {
  expect(refusal([drafted, step('letter_approved', '18T10:00', LEADER)])).toContain('only a submitted letter can be approved: the apology letter is "draft"');
  expect(refusal([drafted, submitted, step('letter_signed', '18T10:30', LEADER, { sha256: SHA, certificate: 'c' })])).toContain(
    'only an approved letter can be signed: the apology letter is "submitted"',
  );
  expect(refusal([step('letter_submitted', '18T09:30', OFFICER)])).toContain('there is no apology letter in progress to submit');
  // Issuing an apology while a letter is under way and unsigned; and one that differs from what was signed.
  expect(refusal([drafted, submitted, approved, issued])).toContain('the apology letter in progress is "approved", not signed');
  const other = log('apology_issued', '2025-03-18T11:00:00+07:00', { reason: 'Lý do khác', newDueAt: NEW_DUE });
  expect(refusal([drafted, submitted, approved, signed, other])).toContain('differs from the signed letter');
  // An apology draft needs its new date; one not after the due instant is no new appointment.
  expect(refusal([step('letter_drafted', '18T09:00', OFFICER, { reason: 'r' })])).toContain('needs its new appointment');
  expect(refusal([step('letter_drafted', '18T09:00', OFFICER, { reason: 'r', newDueAt: '2025-03-20T10:00:00+07:00' })])).toContain('must be later');
});

test('a refusal letter issues the refused fact, which finishes the dossier', () => {
  const r = (type: string, at: string, by: string, fields: Record<string, unknown> = {}) => step(type, at, by, { form: 'refusal', ...fields });
  const s = fold([
    r('letter_drafted', '18T09:00', OFFICER, { reason: 'Không thuộc thẩm quyền' }),
    r('letter_submitted', '18T09:10', OFFICER),
    r('letter_approved', '18T09:20', LEADER),
    r('letter_signed', '18T09:30', LEADER, { sha256: SHA, certificate: 'c' }),
    log('refused', '2025-03-18T09:40:00+07:00', { reason: 'Không thuộc thẩm quyền' }),
  ]);
  expect(s.status).toBe('refused');
  expect(s.letters?.refusal?.status).toBe('issued');
});

test('authorization: the step is the caller own, and one does not approve one own draft unless the agency allows it', () => {
  const scope = { coversPath: () => true };
  const before = fold([drafted, submitted]);
  const approve = (by: string) => step('letter_approved', '18T10:00', by).event;
  const pathOf = (c: string) => (c === 'P.X' ? ['P', 'P.X'] : ['P']);
  expect(authorizeEvent(scope, before, before, approve(OFFICER), { pathOf, actorId: OFFICER })).toMatchObject({
    ok: false,
    status: 422,
    message: expect.stringContaining("approving one's own draft is not allowed"),
  });
  expect(authorizeEvent(scope, before, before, approve(OFFICER), { pathOf, actorId: OFFICER, letterSelfApproval: () => true })).toEqual({ ok: true });
  expect(authorizeEvent(scope, before, before, approve(LEADER), { pathOf, actorId: LEADER })).toEqual({ ok: true });
  // Naming someone else as the approver is refused.
  expect(authorizeEvent(scope, before, before, approve(LEADER), { pathOf, actorId: OFFICER })).toMatchObject({ ok: false, status: 403, field: 'by' });
});

test('the legal moment: an apology by the day before the due date, a refusal by the due instant', () => {
  const due = Date.parse('2025-03-20T10:00:00+07:00');
  expect(letterDeadline('apology', due, 1)).toBe(Date.parse('2025-03-20T00:00:00+07:00'));
  expect(letterDeadline('refusal', due, 1)).toBe(due);
  expect(lettersWaiting({ apology: fold([drafted, submitted]).letters!.apology }, true)).toEqual([]);
});
