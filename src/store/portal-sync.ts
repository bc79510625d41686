/**
 * Portal records in: each record becomes the events it implies (portal-record.ts),
 * compared slot by slot with what earlier snapshots of the same dossier already
 * recorded. New slots are ingested through the same path as the events API
 * (the context's `ingest`, passed in); a
 * slot recorded with another body, or recorded before and missing now (a
 * snapshot older than the stored one), is a conflict naming the portal field.
 */
import type pg from 'pg';
import type { Catalog } from '../catalog/catalog.js';
import { authorizeEvent, hiddenFrom, type KeyScope } from '../dossiers/authorization.js';
import { dossierEventSchema, type DossierEvent } from '../dossiers/events.js';
import { allSlots, eventsOfRecord, RecordProblem, slotEventId, type PortalRecord, type SlotEvent } from '../sync/portal-record.js';
import { bodyHash, IngestConflict, type Ingest, type IngestRequest } from './event-store.js';

export interface RecordIssue {
  /** The record's position in the request or line in the file (from 0 in a request). */
  index: number;
  MaHoSo: string;
  field: string;
  message: string;
  /** `conflict`: against what is recorded (409); `invalid`: the record itself (400). */
  kind?: 'invalid' | 'conflict';
}

/** 400: a record cannot be read as events; 403/422: its events were refused; 409: it contradicts or goes back from what is stored. */
export class SyncConflict extends Error {
  constructor(
    readonly status: 400 | 403 | 409 | 422,
    readonly issues: RecordIssue[],
  ) {
    super(issues.map((i) => `[${i.index}] ${i.MaHoSo} ${i.field}: ${i.message}`).join('; '));
  }
}

export interface SyncResult {
  records: number;
  eventsAdded: number;
  results: Array<{ index: number; MaHoSo: string; status: 'applied' | 'unchanged' | 'not_received'; eventsAdded: number }>;
}

/** Which portal field an event's body field comes from, to name a conflict. */
const PORTAL_FIELD: Record<string, string> = {
  procedureCode: 'MaTTHC',
  receivingAgencyCode: 'DonViXuLy',
  channel: 'KenhThucHien',
  applicant: 'ChuHoSo / MaDoiTuong / SoDienThoai / Email',
  feeRequired: 'DanhSachLePhi',
  digitized: 'TaiLieuNop',
  reusedDigitizedData: 'HoSoCoThanhPhanSoHoa',
  declaredDueAt: 'NgayHenTra',
  amount: 'DanhSachLePhi',
  viaNationalPortal: 'DuocThanhToanTrucTuyen',
  electronicResult: 'MaKetQua / DanhSachGiayToKetQua',
  method: 'HinhThuc',
  reason: 'NoiDungBoSung',
  type: 'TrangThaiHoSo',
};

const SLOT_FIELD: Record<string, string> = {
  received: 'NgayTiepNhan',
  payment: 'DuocThanhToanTrucTuyen',
  result_ready: 'NgayKetThucXuLy',
  returned: 'NgayTra',
  stopped: 'TrangThaiHoSo',
};

function slotField(slot: string): string {
  const m = /^supplement_(requested|received)#(\d+)$/.exec(slot);
  if (m) return `DanhSachHoSoBoSung[${Number(m[2]) - 1}].${m[1] === 'requested' ? 'NgayBoSung' : 'NgayTiepNhanBoSung'}`;
  return SLOT_FIELD[slot] ?? 'TrangThaiHoSo';
}

interface StoredSlot {
  slot: string;
  hash: string;
  body: Record<string, unknown>;
}

export interface SyncOptions extends Pick<IngestRequest, 'actor'> {
  /** The caller's agencies (none: the CLI's imports, which answer to nobody's scope). */
  scope?: KeyScope;
  /** The first record's index in the caller's whole input, for the problems' `index`. */
  indexBase?: number;
}

/**
 * The dossiers among `codes` that are stored outside the caller's agencies. Their records are read as records of an
 * unknown dossier (issue 28): what is recorded is never compared, since "unchanged" or a conflict naming a field
 * would confirm another agency's data field by field; their slots go to ingestion as new, which refuses them as it
 * refuses events for a dossier that is not there.
 */
async function hiddenDossiers(pool: pg.Pool, codes: string[], scope: KeyScope | undefined): Promise<Set<string>> {
  if (!scope || !codes.length) return new Set();
  const { rows } = await pool.query<{ code: string; agency_codes: string[] }>('SELECT code, agency_codes FROM dossiers WHERE code = ANY($1::text[])', [codes]);
  return new Set(rows.filter((r) => hiddenFrom(scope, { agencyCodes: r.agency_codes })).map((r) => r.code));
}

/** The sync events already recorded for these dossiers, by dossier and slot. */
async function storedSlots(pool: pg.Pool, codes: string[]): Promise<Map<string, Map<string, StoredSlot>>> {
  const out = new Map<string, Map<string, StoredSlot>>();
  if (!codes.length) return out;
  const { rows } = await pool.query<{ event_id: string; dossier_code: string; body_hash: string; body: Record<string, unknown> }>(
    'SELECT event_id, dossier_code, body_hash, body FROM dossier_events WHERE dossier_code = ANY($1::text[])',
    [codes],
  );
  const byCode = new Map<string, typeof rows>();
  for (const r of rows) byCode.set(r.dossier_code, [...(byCode.get(r.dossier_code) ?? []), r]);
  const slots = allSlots();
  for (const [code, events] of byCode) {
    const ids = new Map(slots.map((s) => [slotEventId(code, s), s]));
    const mine = new Map<string, StoredSlot>();
    for (const e of events) {
      const slot = ids.get(e.event_id);
      if (slot) mine.set(slot, { slot, hash: e.body_hash, body: e.body });
    }
    out.set(code, mine);
  }
  return out;
}

function differingField(stored: Record<string, unknown>, next: DossierEvent, slot: string): string {
  const n = next as unknown as Record<string, unknown>;
  for (const k of new Set([...Object.keys(stored), ...Object.keys(n)])) {
    if (JSON.stringify(stored[k] ?? null) !== JSON.stringify(n[k] ?? null)) return k === 'occurredAt' ? slotField(slot) : (PORTAL_FIELD[k] ?? k);
  }
  return slotField(slot);
}

/** An earlier snapshot recorded the first appointment; a later one that no longer carries it is not a contradiction. */
function withoutMissingAppointment(stored: Record<string, unknown>, next: DossierEvent): DossierEvent {
  if (next.type === 'received' && next.declaredDueAt === undefined && typeof stored.declaredDueAt === 'string') {
    return dossierEventSchema.parse({ ...next, declaredDueAt: stored.declaredDueAt });
  }
  return next;
}

/**
 * Applies records (all or nothing): every record's new slots in one ingestion. Records of the same dossier in
 * one call are read in order, each against the ones before it.
 */
export async function syncRecords(pool: pg.Pool, catalog: Catalog, ingest: Ingest, records: PortalRecord[], options: SyncOptions = {}): Promise<SyncResult> {
  const { scope, actor, indexBase = 0 } = options;
  const codes = [...new Set(records.map((r) => r.MaHoSo))];
  // Scope before anything is compared.
  const hidden = await hiddenDossiers(pool, codes, scope);
  const stored = await storedSlots(
    pool,
    codes.filter((c) => !hidden.has(c)),
  );
  const issues: RecordIssue[] = [];
  const toIngest: DossierEvent[] = [];
  const owner: number[] = [];
  const results: SyncResult['results'] = [];
  records.forEach((r, i) => {
    const index = indexBase + i;
    const issue = (field: string, message: string, kind: 'invalid' | 'conflict' = 'invalid') => issues.push({ index, MaHoSo: r.MaHoSo, field, message, kind });
    let slots: SlotEvent[];
    try {
      slots = eventsOfRecord(r, feeOf(catalog, r));
    } catch (err) {
      if (!(err instanceof RecordProblem)) throw err;
      issue(err.field, err.message);
      return;
    }
    const known = stored.get(r.MaHoSo) ?? new Map<string, StoredSlot>();
    stored.set(r.MaHoSo, known);
    const fresh: DossierEvent[] = [];
    let bad = false;
    const present = new Set<string>();
    for (const s of slots) {
      const parsed = dossierEventSchema.safeParse(s.event);
      if (!parsed.success) {
        for (const z of parsed.error.issues) issue(PORTAL_FIELD[String(z.path[0])] ?? s.field, z.message);
        bad = true;
        continue;
      }
      present.add(s.slot);
      const before = known.get(s.slot);
      const event = before ? withoutMissingAppointment(before.body, parsed.data) : parsed.data;
      const hash = bodyHash(event);
      if (!before) {
        fresh.push(event);
        known.set(s.slot, { slot: s.slot, hash, body: event as unknown as Record<string, unknown> });
      } else if (before.hash !== hash) {
        const field = differingField(before.body, event, s.slot);
        issue(field, `differs from the snapshot already recorded (${field}); a correction of a recorded fact is a new event, not a resend`, 'conflict');
        bad = true;
      }
    }
    for (const slot of known.keys()) {
      if (!present.has(slot) && !bad) {
        issue(
          slotField(slot) === 'TrangThaiHoSo' || !slots.length ? 'TrangThaiHoSo' : slotField(slot),
          `this snapshot (TrangThaiHoSo ${r.TrangThaiHoSo}) is older than the one recorded: ${slotField(slot)} was already recorded`,
          'conflict',
        );
        bad = true;
      }
    }
    if (bad) return;
    for (const e of fresh) {
      toIngest.push(e);
      owner.push(index);
    }
    results.push({ index, MaHoSo: r.MaHoSo, status: slots.length ? (fresh.length ? 'applied' : 'unchanged') : 'not_received', eventsAdded: fresh.length });
  });
  if (issues.length) throw new SyncConflict(issues.every((i) => i.kind === 'conflict') ? 409 : 400, issues);
  if (!toIngest.length) return { records: records.length, eventsAdded: 0, results };
  try {
    await ingest(toIngest, {
      actor,
      authorize: scope && ((stored, before, event) => authorizeEvent(scope, stored, before, event, { pathOf: (code) => catalog.pathOf(code) })),
    });
  } catch (err) {
    if (!(err instanceof IngestConflict)) throw err;
    throw new SyncConflict(
      err.status,
      err.problems.map((p) => {
        const index = owner[p.index]!;
        return { index, MaHoSo: records[index - indexBase]!.MaHoSo, field: 'TrangThaiHoSo', message: p.message };
      }),
    );
  }
  return { records: records.length, eventsAdded: toIngest.length, results };
}

function feeOf(catalog: Catalog, r: PortalRecord): boolean | undefined {
  return r.NgayTiepNhan ? (catalog.procedureAt(r.MaTTHC, Date.parse(r.NgayTiepNhan))?.feeRequired ?? catalog.procedure(r.MaTTHC)?.feeRequired) : undefined;
}
