/**
 * A late dossier's explanation in the fold (dossiers/explanation.ts): judged at the event's instant, by either
 * judgment, and reviewed by someone other than its author. Dossier D: WD3 (3 working days of 8 h) received by the
 * commune P.X on Mon 17 Mar 2025 10:00 → due Thu 20 Mar 10:00.
 */
import { foldDossier, TransitionError } from '../../src/dossiers/fold.js';
import { lateProblem } from '../../src/dossiers/explanation.js';
import { context, log, received } from '../support/fold-fixture.js';

const ctx = context();
const explain = (at: string, over: Record<string, unknown> = {}) =>
  log('late_explained', at, { reason: 'overload', responsibleAgencyCode: 'P.X', by: 'officer', ...over });
const refusal = (events: ReturnType<typeof log>[]) => {
  try {
    foldDossier(events, ctx);
    return null;
  } catch (err) {
    if (!(err instanceof TransitionError)) throw err;
    return { field: err.field, message: err.message };
  }
};

// Whether the dossier is late when explained is asked of the dossier as it stood just before (authorization.ts at
// ingestion), not by the fold: a replay after a re-timing keeps a fact that was true when recorded.
const lateAt = (events: ReturnType<typeof log>[], at: string) => lateProblem(foldDossier(events, ctx), Date.parse(at));

test('before the due instant there is nothing to explain; a minute after it, there is', () => {
  const open = [received('2025-03-17T10:00:00+07:00')];
  expect(lateAt(open, '2025-03-20T10:00:00+07:00')).toEqual({
    field: 'dossierCode',
    message: 'dossier D is neither finished late nor overdue: there is nothing to explain',
  });
  expect(lateAt(open, '2025-03-20T10:01:00+07:00')).toBeNull();
  const s = foldDossier([...open, explain('2025-03-20T10:01:00+07:00')], ctx);
  expect(s.explanation).toEqual({
    reason: 'overload',
    note: null,
    responsibleAgencyCode: 'P.X',
    responsibleStep: null,
    by: 'officer',
    at: Date.parse('2025-03-20T10:01:00+07:00'),
    status: 'submitted',
    reviewedBy: null,
    reviewedAt: null,
    comment: null,
  });
  // Re-timed afterwards (here: the same log folded as if the explanation came a minute early), the fold keeps it.
  expect(foldDossier([...open, explain('2025-03-20T09:59:00+07:00')], ctx).explanation?.status).toBe('submitted');
});

test('a dossier finished on time cannot be explained, even later; one finished late can, at any time after', () => {
  const onTime = [received('2025-03-17T10:00:00+07:00'), log('result_ready', '2025-03-20T09:00:00+07:00')];
  expect(lateAt(onTime, '2025-04-01T09:00:00+07:00')?.field).toBe('dossierCode');
  const late = [received('2025-03-17T10:00:00+07:00'), log('result_ready', '2025-03-20T11:00:00+07:00')];
  expect(lateAt(late, '2025-04-01T09:00:00+07:00')).toBeNull();
});

test('766 only: after a supplement the legal clock restarts, the 766 one does not; the 766 overdue dossier may be explained', () => {
  // Supplement asked Tue 18 Mar 10:00 (1 working day used), received Mon 24 Mar 10:00.
  // Legal: restarts in full from Mon 24 10:00 → due Thu 27 Mar 10:00.
  // 766: the 2 working days left after the request run from Mon 24 10:00 → due Wed 26 Mar 10:00.
  const events = [
    received('2025-03-17T10:00:00+07:00'),
    log('supplement_requested', '2025-03-18T10:00:00+07:00', { reason: 'Thiếu giấy tờ' }),
    log('supplement_received', '2025-03-24T10:00:00+07:00'),
  ];
  const s = foldDossier(events, ctx);
  expect([s.dueAt, s.rate.dueAt]).toEqual([Date.parse('2025-03-27T10:00:00+07:00'), Date.parse('2025-03-26T10:00:00+07:00')]);
  expect(lateAt(events, '2025-03-26T10:00:00+07:00')?.field).toBe('dossierCode');
  expect(lateAt(events, '2025-03-26T12:00:00+07:00')).toBeNull();
});

test('the checks name their field: reason, note, agency, step', () => {
  const base = [received('2025-03-17T10:00:00+07:00'), log('assigned', '2025-03-17T14:00:00+07:00', { agencyCode: 'P.S', step: 'Thẩm định' })];
  const at = '2025-03-21T09:00:00+07:00';
  expect(refusal([...base, explain(at, { reason: 'weather' })])?.field).toBe('reason');
  expect(refusal([...base, explain(at, { reason: 'other' })])?.field).toBe('note');
  expect(refusal([...base, explain(at, { responsibleAgencyCode: 'P.C' })])?.field).toBe('responsibleAgencyCode');
  expect(refusal([...base, explain(at, { responsibleStep: 'Thẩm định' })])?.field).toBe('responsibleStep');
  // The step at the agency that held it: accepted.
  expect(foldDossier([...base, explain(at, { responsibleAgencyCode: 'P.S', responsibleStep: 'Thẩm định' })], ctx).explanation?.responsibleStep).toBe(
    'Thẩm định',
  );
});

test('reviewed by someone else only, and final once acknowledged; a returned one is explained again', () => {
  const explained = [received('2025-03-17T10:00:00+07:00'), explain('2025-03-21T09:00:00+07:00')];
  expect(refusal([received('2025-03-17T10:00:00+07:00'), log('explanation_acknowledged', '2025-03-21T09:00:00+07:00', { by: 'chief' })])?.field).toBe(
    'explanation',
  );
  expect(refusal([...explained, log('explanation_acknowledged', '2025-03-21T10:00:00+07:00', { by: 'officer' })])?.field).toBe('by');
  const returned = [...explained, log('explanation_returned', '2025-03-21T10:00:00+07:00', { by: 'chief', comment: 'Chưa rõ.' })];
  expect(foldDossier(returned, ctx).explanation).toMatchObject({ status: 'returned', reviewedBy: 'chief', comment: 'Chưa rõ.' });
  const acknowledged = [
    ...returned,
    explain('2025-03-21T11:00:00+07:00', { reason: 'complex_verification' }),
    log('explanation_acknowledged', '2025-03-21T14:00:00+07:00', { by: 'chief' }),
  ];
  const s = foldDossier(acknowledged, ctx);
  expect(s.explanation).toMatchObject({ reason: 'complex_verification', status: 'acknowledged', reviewedAt: Date.parse('2025-03-21T14:00:00+07:00') });
  expect(refusal([...acknowledged, explain('2025-03-21T15:00:00+07:00')])?.message).toMatch(/already acknowledged/);
  // What the explanation leaves alone: the judgment and the flags are those of the dossier without it.
  const without = foldDossier([received('2025-03-17T10:00:00+07:00')], ctx);
  expect({ judgments: s.judgments, flags: s.flags, dueAt: s.dueAt }).toEqual({ judgments: without.judgments, flags: without.flags, dueAt: without.dueAt });
});
