/**
 * The dossiers table as a projection of the event log: fold a dossier's
 * logged events and write the row. Used by ingestion, by calendar edits
 * (deadlines move) and by the full rebuild.
 */
import type pg from 'pg';
import { resetScanWatermarks } from './scan-watermarks.js';
import { inTransaction } from '../db/database.js';
import { foldDossier, type FoldContext } from '../dossiers/fold.js';
import { STATE_VERSION, type DossierState, type PinnedRules } from '../dossiers/state.js';
import type { DossierEvent, LoggedEvent } from '../dossiers/events.js';
import { COUNTER_FIELDS, counterDeltas } from '../reports/contributions.js';
import { indicatorFlags } from '../reports/indicator-flags.js';
import { outboxInsertSql, type OutboxRow } from './outbox-store.js';
import { searchColumns } from '../dossiers/search-text.js';
import { lettersWaiting } from '../dossiers/letter-workflow.js';

/**
 * All logged events of the given dossiers, grouped by dossier code. `everyCodeBetween`: the codes are (nearly) every
 * code of the log between the least and the greatest of them (a rebuild, the audit's replay, a state upgrade), read as
 * one range of codes: the log has a partition per month, and a list of codes is looked up in each month's index
 * (400–570 ms for 2,000 dossiers at 1 M events in 18 months, against 80–206 ms on one table), a range read once from
 * each (34–114 ms). Codes in the range and not in the list are left out, so the answer is the same either way.
 */
export async function loadEvents(client: pg.ClientBase, codes: string[], options: { everyCodeBetween?: boolean } = {}): Promise<Map<string, LoggedEvent[]>> {
  if (codes.length === 0) return new Map();
  const { rows } = await client.query<{ seq: number; dossier_code: string; body: DossierEvent }>(
    options.everyCodeBetween
      ? {
          // The bounds in the database's collation, whatever order the list is in.
          text: `SELECT seq, dossier_code, body FROM dossier_events
                 WHERE dossier_code >= (SELECT min(c) FROM unnest($1::text[]) c) AND dossier_code <= (SELECT max(c) FROM unnest($1::text[]) c)
                 ORDER BY dossier_code, occurred_at, seq`,
          values: [codes],
        }
      : {
          text: 'SELECT seq, dossier_code, body FROM dossier_events WHERE dossier_code = ANY($1::text[]) ORDER BY dossier_code, occurred_at, seq',
          values: [codes],
        },
  );
  // A dossier in the range that is not in the list (received since the codes were listed, or not asked for).
  const wanted = options.everyCodeBetween ? new Set(codes) : undefined;
  const byCode = new Map<string, LoggedEvent[]>();
  for (const r of rows) {
    if (wanted && !wanted.has(r.dossier_code)) continue;
    let list = byCode.get(r.dossier_code);
    if (!list) byCode.set(r.dossier_code, (list = []));
    list.push({ seq: r.seq, event: r.body });
  }
  return byCode;
}

/** The folded states stored for the given dossiers. */
export async function loadStates(client: pg.ClientBase, codes: string[]): Promise<Map<string, DossierState>> {
  const { rows } = await client.query<{ state: DossierState }>('SELECT state FROM dossiers WHERE code = ANY($1::text[])', [codes]);
  return new Map(rows.map((r) => [r.state.code, r.state]));
}

function toRow(s: DossierState, ctx: FoldContext) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const current = s.judgments[s.judgments.length - 1]!;
  const flags = indicatorFlags(s);
  return {
    code: s.code,
    status: s.status,
    procedure_code: s.procedureCode,
    field: ctx.catalog.procedure(s.procedureCode)?.field ?? '',
    receiving_agency_code: s.receivingAgencyCode,
    current_agency_code: s.currentAgencyCode,
    agency_codes: s.agencyCodes,
    channel: s.channel,
    fee_required: s.feeRequired,
    paid_online: s.paidOnline,
    digitized: s.digitized,
    received_at: iso(s.receivedAt),
    clock_starts_at: iso(s.clockStartsAt),
    due_at: iso(s.dueAt),
    original_due_at: iso(s.originalDueAt),
    due_soon_at: iso(s.dueSoonAt),
    paused: s.pausedSince !== null,
    waiting_since: iso(s.pausedSince),
    provisional: s.provisional,
    finished_at: iso(s.finishedAt),
    outcome: s.outcome,
    rate_due_at: iso(s.rate.dueAt),
    rate_outcome: s.rate.outcome,
    judged_from: iso(current.from),
    rate_overdue_after: iso(current.rateOverdueAfter),
    started_at: iso(flags.startedAt),
    paper_result: flags.paperResult,
    fee_procedure: s.rules.feeProcedure ?? s.feeRequired,
    electronic_result: s.electronicResult,
    electronic_result_at: iso(s.electronicResult ? s.resultReadyAt : null),
    paid_online_at: iso(s.paidOnlineAt),
    closure_due_at: iso(s.closureDueAt),
    letters_waiting: lettersWaiting(s.letters, s.finishedAt !== null),
    reused_data: s.reusedDigitizedData,
    processing_time: s.processingTime,
    apology_at: iso(s.apology?.issuedAt ?? null),
    dissatisfied_at: iso(s.dissatisfiedAt),
    second_supplement_at: iso(s.secondSupplementAt),
    late_request_at: iso(s.lateSupplementRequestAt),
    explanation_status: s.explanation?.status ?? null,
    explained_at: iso(s.explanation?.at ?? null),
    flags: s.flags,
    ...searchColumns(s),
    calendar_version: s.calendarVersion,
    last_event_seq: s.lastEventSeq,
    state_version: s.stateVersion,
    state: s,
  };
}

const COLUMNS = [
  'status',
  'procedure_code',
  'field',
  'receiving_agency_code',
  'current_agency_code',
  'agency_codes',
  'channel',
  'fee_required',
  'paid_online',
  'digitized',
  'received_at',
  'clock_starts_at',
  'due_at',
  'original_due_at',
  'due_soon_at',
  'paused',
  'provisional',
  'finished_at',
  'outcome',
  'flags',
  'calendar_version',
  'last_event_seq',
  'state',
  'rate_due_at',
  'rate_outcome',
  'judged_from',
  'rate_overdue_after',
  'started_at',
  'paper_result',
  'fee_procedure',
  'electronic_result',
  'reused_data',
  'processing_time',
  'apology_at',
  'dissatisfied_at',
  'second_supplement_at',
  'late_request_at',
  'waiting_since',
  'state_version',
  'electronic_result_at',
  'paid_online_at',
  'closure_due_at',
  'applicant_text',
  'applicant_phones',
  'explanation_status',
  'explained_at',
  'letters_waiting',
];

/** What ingestion writes with the projection in the same statement. */
export interface ProjectionExtras {
  /** Dossiers seen for the first time (or replayed): their rules are pinned unless already recorded. */
  pinRules?: DossierState[];
  /**
   * The citizen's messages the batch causes (alerts/citizen-messages.ts): written with the states they follow from,
   * so an accepted event and its message are committed together, and a resend (its key known) writes nothing.
   */
  messages?: OutboxRow[];
}

/**
 * Writes the folded states, the judgment segments they superseded, the daily report counters moved by the
 * difference from their previous states, and (for ingestion) the pinned rules and the citizen's messages: one statement,
 * so one round trip. Its parts touch disjoint rows, so their order within the statement does not matter.
 */
export async function upsertDossiers(
  client: pg.ClientBase,
  states: DossierState[],
  ctx: FoldContext,
  previous: Map<string, DossierState>,
  extras: ProjectionExtras = {},
): Promise<void> {
  if (states.length === 0) return;
  const judged = supersededJudgments(states, previous);
  // A state of an older version contributed by other rules, and its migration emptied the counters (fold.ts STATE_VERSION).
  const before = (code: string) => {
    const p = previous.get(code);
    return p && p.stateVersion === STATE_VERSION ? p : null;
  };
  const counters = counterDeltas(states.map((after) => ({ before: before(after.code), after })));
  const rules = (extras.pinRules ?? []).map((st) => ({ code: st.code, rules: st.rules }));
  const steps = changedSteps(states, previous);
  // Named: parsed and planned once per connection, not on every call.
  await client.query({
    name: 'dunghan-project',
    text: PROJECT_SQL,
    values: [
      JSON.stringify(states.map((st) => toRow(st, ctx))),
      judged.codes,
      JSON.stringify(judged.rows),
      JSON.stringify(counters),
      JSON.stringify(rules),
      steps.codes,
      JSON.stringify(steps.rows),
      JSON.stringify(extras.messages ?? []),
    ],
  });
}

/** The step rows (dossier_steps, migration 070) of the dossiers whose steps changed: most events move none. */
function changedSteps(states: DossierState[], previous: Map<string, DossierState>) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const changed = states.filter((s) => JSON.stringify(previous.get(s.code)?.steps ?? []) !== JSON.stringify(s.steps));
  const rows = changed.flatMap((s) =>
    s.steps.map((x, position) => ({
      dossier_code: s.code,
      position,
      agency_code: x.agencyCode,
      step: x.step,
      holder: x.holder,
      budget: x.budget,
      office_hours: x.officeHours,
      started_at: iso(x.startedAt),
      budget_due_at: iso(x.budgetDueAt),
      due_at: iso(x.dueAt),
      pauses: x.pauses,
      ended_at: iso(x.endedAt),
    })),
  );
  return { codes: changed.map((s) => s.code), rows };
}

const STEP_COLUMNS = ['agency_code', 'step', 'holder', 'budget', 'office_hours', 'started_at', 'budget_due_at', 'due_at', 'pauses', 'ended_at'];

const JUDGMENT_COLUMNS = ['valid_to', 'due_at', 'due_soon_at', 'waiting', 'rate_overdue_after'];

/** The segments of each dossier's judgment a later event superseded (dossier_judgments), for the dossiers where they changed. */
function supersededJudgments(states: DossierState[], previous: Map<string, DossierState>) {
  const superseded = (s: DossierState | undefined) => (s?.judgments ?? []).slice(0, -1).map((seg, i) => ({ ...seg, to: s!.judgments[i + 1]!.from }));
  const changed = states.filter((s) => {
    const before = superseded(previous.get(s.code));
    const after = superseded(s);
    return (before.length > 0 || after.length > 0) && JSON.stringify(before) !== JSON.stringify(after);
  });
  const rows = changed.flatMap((s) =>
    superseded(s).map((seg) => ({
      dossier_code: s.code,
      valid_from: new Date(seg.from).toISOString(),
      valid_to: new Date(seg.to).toISOString(),
      due_at: new Date(seg.dueAt).toISOString(),
      due_soon_at: new Date(seg.dueSoonAt).toISOString(),
      waiting: seg.waitingSince !== null,
      rate_overdue_after: seg.rateOverdueAfter === null ? null : new Date(seg.rateOverdueAfter).toISOString(),
    })),
  );
  return { codes: changed.map((s) => s.code), rows };
}

const COUNTER_SHARDS = 8;

/**
 * The projection's one statement (upsertDossiers); its parts touch disjoint rows. Parameters read once are json,
 * checked rather than converted (the state is stored as json, migration 019); $3, read for each candidate row, is
 * converted to jsonb once.
 */
const PROJECT_SQL = `
WITH projected AS (
  INSERT INTO dossiers SELECT * FROM json_populate_recordset(null::dossiers, $1::json)
  ON CONFLICT (code) DO UPDATE SET ${COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}
  RETURNING 1
), judgments_gone AS (
  DELETE FROM dossier_judgments j WHERE j.dossier_code = ANY($2::text[])
    AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($3::jsonb) AS n(dossier_code text, valid_from timestamptz)
                    WHERE n.dossier_code = j.dossier_code AND n.valid_from = j.valid_from)
  RETURNING 1
), judgments_kept AS (
  INSERT INTO dossier_judgments SELECT * FROM jsonb_populate_recordset(null::dossier_judgments, $3::jsonb)
  ON CONFLICT (dossier_code, valid_from) DO UPDATE SET ${JUDGMENT_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}
  RETURNING 1
), counted AS (
  INSERT INTO daily_counts AS d (agency_code, day, shard, ${COUNTER_FIELDS.join(', ')})
  SELECT r.agency_code, r.day::date, pg_backend_pid() % ${COUNTER_SHARDS}, ${COUNTER_FIELDS.map((f) => `r.${f}`).join(', ')}
  FROM json_to_recordset($4::json) AS r(agency_code text, day text, ${COUNTER_FIELDS.map((f) => `${f} integer`).join(', ')})
  ON CONFLICT (agency_code, day, shard) DO UPDATE SET ${COUNTER_FIELDS.map((f) => `${f} = d.${f} + excluded.${f}`).join(', ')}
  RETURNING 1
), steps_gone AS (
  DELETE FROM dossier_steps s WHERE s.dossier_code = ANY($6::text[])
    AND NOT EXISTS (SELECT 1 FROM json_to_recordset($7::json) AS n(dossier_code text, position integer)
                    WHERE n.dossier_code = s.dossier_code AND n.position = s.position)
  RETURNING 1
), steps_kept AS (
  INSERT INTO dossier_steps SELECT * FROM json_populate_recordset(null::dossier_steps, $7::json)
  ON CONFLICT (dossier_code, position) DO UPDATE SET ${STEP_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}
  RETURNING 1
), pinned AS (
  INSERT INTO dossier_rules (code, rules) SELECT r.code, r.rules FROM json_to_recordset($5::json) AS r(code text, rules jsonb)
  ON CONFLICT (code) DO NOTHING
  RETURNING 1
), messaged AS (
  ${outboxInsertSql('$8', 'coalesce(to_timestamp(r."createdAt" / 1000.0), now())')}
  RETURNING 1
)
SELECT 1`;

/** Re-folds the given dossiers from the log (after a calendar or catalogue change). */
export async function refold(
  client: pg.ClientBase,
  codes: string[],
  ctx: FoldContext,
  options: { fresh?: boolean; everyCodeBetween?: boolean } = {},
): Promise<number> {
  const events = await loadEvents(client, codes, { everyCodeBetween: options.everyCodeBetween });
  const previous = options.fresh ? new Map<string, DossierState>() : await loadStates(client, codes);
  const pinned = await loadPinnedRules(client, codes);
  const foldCtx: FoldContext = { ...ctx, pinnedRules: (code) => pinned.get(code) };
  const states = [...events.values()].map((list) => foldDossier(list, foldCtx));
  await savePinnedRules(client, states);
  for (let i = 0; i < states.length; i += 1000) await upsertDossiers(client, states.slice(i, i + 1000), ctx, previous);
  return states.length;
}

/** The rules each dossier was received under, as recorded at its first receipt. */
export async function loadPinnedRules(client: pg.ClientBase, codes: string[]): Promise<Map<string, PinnedRules>> {
  const { rows } = await client.query<{ code: string; rules: PinnedRules }>('SELECT code, rules FROM dossier_rules WHERE code = ANY($1::text[])', [codes]);
  return new Map(rows.map((r) => [r.code, r.rules]));
}

/** Records the rules of dossiers seen for the first time; never changes a recorded one. */
export async function savePinnedRules(client: pg.ClientBase, states: DossierState[]): Promise<void> {
  if (states.length === 0) return;
  await client.query('INSERT INTO dossier_rules (code, rules) SELECT * FROM unnest($1::text[], $2::jsonb[]) ON CONFLICT (code) DO NOTHING', [
    states.map((s) => s.code),
    states.map((s) => JSON.stringify(s.rules)),
  ]);
}

/** The advisory lock ingestion holds per dossier (lock_dossiers, migration 015). */
export async function lockDossiers(client: pg.ClientBase, codes: string[]): Promise<void> {
  await client.query('SELECT lock_dossiers($1::text[])', [codes]);
}

/**
 * Whether the codes are every dossier between the least and the greatest of them (a state upgrade replays every
 * dossier in code order; a calendar import only those it touched): then their logs are read as a range (loadEvents).
 * Counts at most one more dossier than the list, from the primary key.
 */
async function isEveryCodeBetween(client: pg.ClientBase, codes: string[]): Promise<boolean> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM dossiers WHERE code >= (SELECT min(c) FROM unnest($1::text[]) c) AND code <= (SELECT max(c) FROM unnest($1::text[]) c) LIMIT $2
     ) s`,
    [codes, codes.length + 1],
  );
  return rows[0]!.n <= codes.length;
}

/**
 * Re-folds dossiers from the log in batches, each in its own transaction
 * under the same per-dossier locks as ingestion: events committed meanwhile
 * are read, never overwritten, and a batch holds its locks only briefly.
 */
export async function refoldLocked(pool: pg.Pool, codes: string[], ctx: FoldContext, batch = 500): Promise<number> {
  let done = 0;
  const sorted = [...codes].sort();
  for (let i = 0; i < sorted.length; i += batch) {
    const slice = sorted.slice(i, i + batch);
    done += await inTransaction(pool, async (client) => {
      await lockDossiers(client, slice);
      return refold(client, slice, ctx, { everyCodeBetween: await isEveryCodeBetween(client, slice) });
    });
  }
  // Re-timed without an event: the alert scans look at everything once (after the commit, so none is missed).
  if (done) await resetScanWatermarks(pool);
  return done;
}

/**
 * Up to 1,000 dossiers whose state is of another version than $1. Spelled as ranges, not IS DISTINCT FROM, so that
 * the block range index on the column answers it (migration 019): every process start asks it.
 */
export const STALE_STATES_SQL = 'SELECT code FROM dossiers WHERE state_version IS NULL OR state_version < $1 OR state_version > $1 ORDER BY code LIMIT 1000';

/**
 * Replays the dossiers whose stored state is of an older version (the shape
 * or the rules changed), in batches under the ingestion locks. Run at start;
 * ingestion also replays such a dossier before applying a new event to it.
 */
export async function upgradeStaleStates(pool: pg.Pool, ctx: FoldContext, onProgress?: (done: number) => void): Promise<number> {
  let done = 0;
  for (;;) {
    const { rows } = await pool.query<{ code: string }>(STALE_STATES_SQL, [STATE_VERSION]);
    if (rows.length === 0) return done;
    done += await refoldLocked(
      pool,
      rows.map((r) => r.code),
      ctx,
    );
    onProgress?.(done);
  }
}
