/**
 * Deterministic synthetic dossier event streams: the sample data the start
 * command loads, and the load of the ingestion benchmark. The same seed gives
 * the same events, so a demo or a benchmark can be repeated.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { DossierEvent } from '../dossiers/events.js';

/** mulberry32: small, fast, good enough for sample data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Lò', 'Cầm', 'Quàng', 'Lường'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Thu', 'Đức', 'Ngọc', 'Hải'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Hà', 'Hạnh', 'Hùng', 'Lan', 'Mai', 'Nam', 'Phương', 'Quân', 'Sơn', 'Thảo', 'Tuấn', 'Xuân'];
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface FlowOptions {
  seed: number;
  dossiers: number;
  /** Receipts are spread over [from, to); later events past `until` are left out (still open). */
  from: number;
  to: number;
  until: number;
  codePrefix?: string;
}

/** One dossier's events, in the order they happened. */
function dossierFlow(rand: () => number, catalog: Catalog, code: string, receivedAt: number, receivers: string[]): DossierEvent[] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const procedures = catalog.allProcedures();
  const procedure = pick(procedures);
  const agency = pick(receivers);
  const at = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');
  const base = (type: string, t: number) => ({ eventId: uuidFrom(rand), dossierCode: code, occurredAt: at(t), type });
  const online = rand() < 0.45;
  const name = `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
  const events: DossierEvent[] = [
    {
      ...base('received', receivedAt),
      type: 'received',
      procedureCode: procedure.code,
      receivingAgencyCode: agency,
      channel: online ? 'online' : rand() < 0.93 ? 'direct' : 'postal',
      applicant: {
        name,
        idNumber: String(Math.floor(rand() * 1e12)).padStart(12, '0'),
        phone: `09${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`,
        address: `Bản ${pick(GIVEN)}, tỉnh Sơn La`,
      },
      feeRequired: procedure.feeRequired,
      digitized: rand() < 0.6,
      reusedDigitizedData: rand() < 0.3,
    },
  ];
  // Roughly the legal time in calendar days, stretched or shrunk to make early, on-time and late dossiers.
  const legalDays =
    procedure.duration.unit === 'working-hours'
      ? 1
      : procedure.duration.unit === 'months'
        ? 30 * procedure.duration.value
        : procedure.duration.value * (procedure.duration.unit === 'working-days' ? 1.4 : 1);
  let t = receivedAt + HOUR * (0.2 + rand());
  // An agency closed at midnight (the 1 July 2025 reform) cannot take a hand-over just after it: skip the step then.
  if ((procedure.steps.length > 0 || rand() < 0.5) && catalog.isValidAt(agency, t)) {
    const step = procedure.steps[0]?.step ?? 'Thụ lý, thẩm định';
    events.push({ ...base('assigned', t), type: 'assigned', agencyCode: agency, step });
    t += HOUR * rand() * 4;
  }
  if (rand() < 0.12) {
    events.push({ ...base('supplement_requested', t), type: 'supplement_requested', reason: 'Thiếu bản sao giấy tờ tùy thân có chứng thực.' });
    t += DAY * (1 + rand() * 4);
    events.push({ ...base('supplement_received', t), type: 'supplement_received' });
    t += HOUR;
    // Some are asked a second time (a compliance figure, and overdue by the 766 formula while waiting).
    if (rand() < 0.25) {
      events.push({ ...base('supplement_requested', t), type: 'supplement_requested', reason: 'Bản chụp giấy tờ không rõ nét.' });
      t += DAY * (1 + rand() * 3);
      events.push({ ...base('supplement_received', t), type: 'supplement_received' });
      t += HOUR;
    }
  }
  if (procedure.feeRequired) {
    const onlinePay = online && rand() < 0.7;
    events.push({
      ...base('payment_recorded', t),
      type: 'payment_recorded',
      amount: 10_000 * (1 + Math.floor(rand() * 10)),
      method: onlinePay ? 'online' : 'counter',
      viaNationalPortal: onlinePay && rand() < 0.5,
    });
  }
  const late = rand() < 0.15;
  if (late && rand() < 0.6) {
    events.push({
      ...base('apology_issued', t + HOUR),
      type: 'apology_issued',
      reason: 'Cần xác minh thêm thông tin với cơ quan liên quan.',
      newDueAt: at(receivedAt + DAY * (legalDays * 2 + 14)),
    });
  }
  const finishAt = receivedAt + DAY * legalDays * (late ? 1.3 + rand() : 0.2 + rand() * 0.7) + HOUR;
  const finish = Math.max(finishAt, t + 2 * HOUR);
  const end = rand();
  if (end < 0.03) events.push({ ...base('withdrawn', finish), type: 'withdrawn', reason: 'Công dân rút hồ sơ.' });
  else if (end < 0.06) events.push({ ...base('refused', finish), type: 'refused', reason: 'Hồ sơ không đủ điều kiện theo quy định.' });
  else {
    events.push({ ...base('result_ready', finish), type: 'result_ready', electronicResult: rand() < (online ? 0.7 : 0.2) });
    const returnedAt = finish + DAY * rand() * 3;
    events.push({ ...base('returned', returnedAt), type: 'returned', method: online && rand() < 0.5 ? 'online' : 'counter' });
    if (rand() < 0.3) events.push({ ...base('rated', returnedAt + HOUR), type: 'rated', rating: rand() < 0.85 ? 'liked' : 'disliked' });
  }
  if (rand() < 0.02) events.push({ ...base('complaint_received', finish + DAY), type: 'complaint_received', summary: 'Phản ánh về thời gian giải quyết.' });
  return events;
}

/** Receiving agencies that existed on a day: counters of communes, wards, districts and service centres. */
function receiversAt(catalog: Catalog, t: number): string[] {
  return catalog
    .allAgencies()
    .filter((a) => ['service-centre', 'commune', 'ward', 'district'].includes(a.kind) && catalog.isValidAt(a.code, t))
    .map((a) => a.code);
}

/**
 * Event streams of `dossiers` dossiers, each valid on its own, merged in the
 * order they happened (as counters would send them) and cut at `until`.
 */
export function generateEvents(catalog: Catalog, options: FlowOptions): DossierEvent[] {
  const rand = seededRandom(options.seed);
  const receiverCache = new Map<number, string[]>();
  const all: DossierEvent[] = [];
  for (let i = 0; i < options.dossiers; i++) {
    let receivedAt = options.from + rand() * (options.to - options.from);
    // Counters receive during office hours on weekdays; online dossiers arrive at any time.
    const local = new Date(receivedAt + 7 * HOUR);
    if (rand() < 0.7) receivedAt = receivedAt - (local.getUTCHours() - 8) * HOUR - local.getUTCMinutes() * 60_000 + rand() * 8 * HOUR;
    const dayKey = Math.floor((receivedAt + 7 * HOUR) / DAY);
    let receivers = receiverCache.get(dayKey);
    if (!receivers) receiverCache.set(dayKey, (receivers = receiversAt(catalog, receivedAt)));
    const code = `${options.codePrefix ?? 'SLA'}-${new Date(receivedAt).getUTCFullYear()}-${String(i + 1).padStart(7, '0')}`;
    all.push(...dossierFlow(rand, catalog, code, Math.floor(receivedAt / 60_000) * 60_000, receivers).filter((e) => Date.parse(e.occurredAt) < options.until));
  }
  return all.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
}
