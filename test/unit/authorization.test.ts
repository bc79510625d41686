/**
 * Who may post which event (src/dossiers/authorization.ts), with the real
 * key scope of src/http/auth.ts: a key covers its agencies and everything
 * below them. The fold fixture's province P has the commune P.X, the service
 * centre P.C and the department P.S.
 *
 * - A receipt only at an agency the key covers.
 * - A hand-over only by the agency handling the dossier, or one above it.
 * - A dossier outside the key answers exactly like an unknown one.
 * - A resend (judged against the stored dossier alone) by the same rules first.
 */
import { authorizeEvent, hiddenFrom, unknownDossierMessage, type Verdict } from '../../src/dossiers/authorization.js';
import type { DossierEvent } from '../../src/dossiers/events.js';
import { foldDossier } from '../../src/dossiers/fold.js';
import { type DossierState } from '../../src/dossiers/state.js';
import { Scope } from '../../src/http/auth.js';
import { context, log, received, receivedAtCentre } from '../support/fold-fixture.js';

const ctx = context();
const pathOf = (code: string) => ctx.catalog.pathOf(code);
const key = (...agencyCodes: string[]) =>
  new Scope({ kind: 'key', id: agencyCodes.join('+'), label: 'test', roles: ['counter'], agencyCodes }, ctx.catalog.roots());
const province = key('P');
const commune = key('P.X');
const centre = key('P.C');
const department = key('P.S');

const judge = (scope: Scope, stored: DossierState | undefined, before: DossierState | undefined, event: DossierEvent): Verdict =>
  authorizeEvent(scope, stored, before, event, { pathOf });
const OK: Verdict = { ok: true };
const UNKNOWN: Verdict = { ok: false, status: 422, message: unknownDossierMessage('D') };

// A commune's dossier: received by P.X on Mon 2 Mar 2026 09:00.
const atCommune = received('2026-03-02T09:00:00+07:00');
const communeDossier = foldDossier([atCommune], ctx);
// A centre's paper dossier for the department: received by P.C Mon 10 Aug 2026 10:00, handed over Tue 11 Aug 10:00.
const atCentre = receivedAtCentre('2026-08-10T10:00:00+07:00', { competentAgencyCode: 'P.S' });
const handOver = log('assigned', '2026-08-11T10:00:00+07:00', { agencyCode: 'P.S', step: 'Thẩm định' });
const withCentre = foldDossier([atCentre], ctx);
const withDepartment = foldDossier([atCentre, handOver], ctx);

describe('receipts', () => {
  test('a new dossier is received only at an agency the key covers (its own, or below it)', () => {
    expect(judge(commune, undefined, undefined, atCommune.event)).toEqual(OK);
    expect(judge(province, undefined, undefined, atCommune.event)).toEqual(OK);
    expect(judge(department, undefined, undefined, atCommune.event)).toEqual({
      ok: false,
      status: 403,
      message: "agency P.X is outside this key's agencies: a dossier is received only where the key belongs",
    });
  });

  test('a receipt outside the key is refused alike whether or not another agency already holds the code', () => {
    expect(judge(department, communeDossier, undefined, atCommune.event)).toEqual(judge(department, undefined, undefined, atCommune.event));
  });

  test('a receipt at an unknown agency is left to the fold (422 for any key)', () => {
    const nowhere = received('2026-03-02T09:00:00+07:00', { receivingAgencyCode: 'Q' }).event;
    expect(judge(department, undefined, undefined, nowhere)).toEqual(OK);
  });
});

describe('a dossier outside the key is an unknown dossier', () => {
  test('any event on another agency’s dossier gets the unknown dossier’s answer, nothing more', () => {
    const result = log('result_ready', '2026-03-03T09:00:00+07:00').event;
    expect(judge(department, communeDossier, communeDossier, result)).toEqual(UNKNOWN);
    expect(judge(centre, communeDossier, communeDossier, result)).toEqual(UNKNOWN);
    // The same words the event store gives for a code nobody has received (unknownDossierMessage).
    expect(UNKNOWN).toEqual({ ok: false, status: 422, message: 'unknown dossier D: no "received" event for it' });
    expect(judge(commune, communeDossier, communeDossier, result)).toEqual(OK);
    expect(judge(province, communeDossier, communeDossier, result)).toEqual(OK);
  });

  test('a dossier handed over is seen by every agency on its way, and by the key above them', () => {
    expect(withDepartment.agencyCodes).toEqual(['P', 'P.C', 'P.S']);
    expect([province, centre, department, commune].map((k) => hiddenFrom(k, withDepartment))).toEqual([false, false, false, true]);
    // Before the hand-over, the department did not see it.
    expect(hiddenFrom(department, withCentre)).toBe(true);
  });

  test('judged as the dossier stood just before the event: the department cannot act on it before it reached it', () => {
    // Stored after the hand-over (so visible to P.S), but an event dated before it, when the dossier was the centre's alone.
    const earlier = log('supplement_requested', '2026-08-10T11:00:00+07:00', { reason: 'r' }).event;
    expect(judge(department, withDepartment, withCentre, earlier)).toEqual(UNKNOWN);
    expect(judge(department, withDepartment, withDepartment, log('result_ready', '2026-08-12T09:00:00+07:00').event)).toEqual(OK);
  });
});

describe('hand-overs', () => {
  const refused: Verdict = { ok: false, status: 403, message: 'only the agency handling dossier D (or one above it) can hand it over' };

  test('the handling agency, or one above it, hands the dossier over', () => {
    expect(judge(centre, withCentre, withCentre, handOver.event)).toEqual(OK);
    expect(judge(province, withCentre, withCentre, handOver.event)).toEqual(OK);
  });

  test('nobody assigns another agency’s dossier to themselves', () => {
    // The department, before the dossier reached it: it does not exist for it.
    expect(judge(department, withCentre, withCentre, handOver.event)).toEqual(UNKNOWN);
    // A key for the commune and the department together still does not cover the centre handling it.
    expect(judge(key('P.X', 'P.S'), withCentre, withCentre, handOver.event)).toEqual(UNKNOWN);
  });

  test('a former handler cannot pull the dossier back, though it still sees it', () => {
    const back = log('assigned', '2026-08-12T09:00:00+07:00', { agencyCode: 'P.C', step: 'Trả kết quả' }).event;
    expect(judge(centre, withDepartment, withDepartment, back)).toEqual(refused);
    expect(judge(department, withDepartment, withDepartment, back)).toEqual(OK);
    expect(judge(province, withDepartment, withDepartment, back)).toEqual(OK);
  });
});

describe('resends (an eventId already stored) are judged by scope before their bodies are compared', () => {
  test('inside the key a resend goes on to the comparison; outside it is refused as for an unknown dossier', () => {
    // A resend is judged against the stored dossier alone (`before` undefined).
    expect(judge(commune, communeDossier, undefined, atCommune.event)).toEqual(OK);
    expect(judge(commune, communeDossier, undefined, log('result_ready', '2026-03-03T09:00:00+07:00').event)).toEqual(OK);
    // Outside: the same answers as a new event would get, whether or not the body matches the stored one.
    expect(judge(department, communeDossier, undefined, atCommune.event)).toEqual(judge(department, undefined, undefined, atCommune.event));
    expect(judge(department, communeDossier, undefined, log('result_ready', '2026-03-03T09:00:00+07:00').event)).toEqual(UNKNOWN);
  });
});
