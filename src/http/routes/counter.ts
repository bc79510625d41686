/**
 * A counter clerk's own pages (issue 28 item 4): receive a dossier, with its legal appointment shown before it is
 * saved, and print the receipt (form 01); on a dossier, record a supplement request (form 02), its completion, a
 * hand-over, a result and the return.
 *
 * Each post builds the event the events API takes, judges it with the same zod schema and writes it through the same
 * ingestion (ingest-as.ts: group commit, authorization, the chain, the outbox). The appointment shown is the fold's:
 * the receipt is folded alone, in memory, as ingestion will fold it. An event's id is drawn when its form is shown
 * and carried in a hidden field, so a form sent twice records one event.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { ZodError } from 'zod';
import type { AppContext } from '../../app-context.js';
import { formatLocalInstant, yearInVietnam } from '../../calendar/local-time.js';
import { vietnameseShortInstant } from '../../calendar/vietnamese-format.js';
import {
  assignedEventSchema,
  receivedEventSchema,
  resultReadyEventSchema,
  returnedEventSchema,
  supplementReceivedEventSchema,
  supplementRequestedEventSchema,
  type CitizenChannel,
  type DossierEvent,
} from '../../dossiers/events.js';
import { foldDossier, TransitionError } from '../../dossiers/fold.js';
import type { DossierState } from '../../dossiers/state.js';
import { CHANNEL_TEXT, STATUS_TEXT } from '../../dossiers/wording.js';
import { durationText } from '../../letters/letter-data.js';
import { recordPersonalDataRead } from '../../store/audit-reads.js';
import { IngestConflict } from '../../store/event-store.js';
import { loadLog } from '../../store/dossier-reads.js';
import { findPerson, listPeople } from '../../store/people.js';
import { renderPage } from '../../views/render.js';
import { scopeOf, type Scope } from '../auth.js';
import { formErrorsOf, pickProcedure, procedureOption, refusalOf, type FieldErrors } from '../counter-forms.js';
import { ingestAs } from '../ingest-as.js';
import { pageAuth, viewerOf } from '../page-auth.js';
import { loadScopedDossier } from '../scoped-dossier.js';

/** A preview older than this is computed again before saving: the receipt instant is the preview's. */
const PREVIEW_VALID_MS = 15 * 60_000;
const CLERKS = ['counter', 'supervisor', 'admin'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Body = Record<string, string | undefined>;
const bodyOf = (req: Request): Body => {
  const raw = (req.body ?? {}) as Record<string, unknown>;
  // One value per field: a repeated field (a forged form) counts as its first.
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v).slice(0, 4000)]));
};
/** The form's event id: the one drawn when the form was shown, or a new one if the field is missing or forged. */
const formIdOf = (b: Body) => (b.formId && UUID.test(b.formId) ? b.formId.toLowerCase() : randomUUID());
const present = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

/** The agencies the clerk receives at: their own and those below them, in tree order. */
function receivingAgencies(ctx: AppContext, scope: Scope) {
  const roots = scope.all ? ctx.catalog.roots() : scope.principal.agencyCodes;
  const codes = [...new Set(roots.flatMap((c) => ctx.catalog.descendantsOf(c)))].filter((c) => ctx.catalog.isValidAt(c, ctx.now()));
  return codes
    .map((code) => ({ code, name: ctx.catalog.agency(code)!.name, path: ctx.catalog.pathOf(code).join('/') }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** The receipt a receive form describes, before the schema judges it. */
function receiptOf(b: Body, eventId: string, at: number, fee: boolean) {
  const consent: Array<{ channel: CitizenChannel; address?: string; phone?: string }> = [];
  if (b.notifyEmail) consent.push({ channel: 'email', address: b.applicantEmail?.trim() ?? '' });
  if (b.notifySms) consent.push({ channel: 'sms', phone: b.applicantPhone?.trim() ?? '' });
  if (b.notifyZalo) consent.push({ channel: 'zalo', phone: b.applicantPhone?.trim() ?? '' });
  return {
    body: {
      eventId,
      type: 'received',
      dossierCode: b.dossierCode?.trim() ?? '',
      occurredAt: formatLocalInstant(at),
      procedureCode: b.procedureCode ?? '',
      receivingAgencyCode: b.agency ?? '',
      channel: b.channel ?? '',
      applicant: {
        name: b.applicantName ?? '',
        phone: present(b.applicantPhone),
        email: present(b.applicantEmail),
        idNumber: present(b.applicantId),
      },
      feeRequired: fee,
      digitized: b.digitized === 'on',
      consent,
    },
    channels: consent.map((c) => c.channel),
  };
}

/** A code for a new dossier, offered in the form (the clerk may type the province's own): agency, year, the form's id. */
function proposedCode(ctx: AppContext, agency: string | undefined, eventId: string): string {
  const short = (agency ?? '').split('.').at(-1) || 'HS';
  return `${short}-${yearInVietnam(ctx.now())}-${eventId.slice(0, 8).toUpperCase()}`;
}

interface Preview {
  receivedText: string;
  receivedAt: string;
  dueAt: string;
  dueText: string;
  durationText: string;
  provisional: boolean;
}

export function counterRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = pageAuth(ctx, ...CLERKS);

  const receivePage = (res: Response, b: Body, extra: { errors?: FieldErrors; preview?: Preview; notice?: string; status?: number } = {}) => {
    const scope = scopeOf(res);
    const agencies = receivingAgencies(ctx, scope);
    const formId = formIdOf(b);
    const agency = b.agency ?? agencies[0]?.code;
    const procedures = ctx.catalog
      .allProcedures()
      .filter((p) => p.validTo === null || Date.parse(`${p.validTo}T23:59:59+07:00`) >= ctx.now())
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'))
      .map((p) => ({ value: procedureOption(p), label: `${durationText(p.duration)}${p.feeRequired ? ', có phí/lệ phí' : ''}` }));
    res
      .status(extra.status ?? (extra.errors ? 422 : 200))
      .type('html')
      .send(
        renderPage('counter-receive', {
          title: 'Tiếp nhận hồ sơ',
          viewer: viewerOf(res),
          currentYear: yearInVietnam(ctx.now()),
          csrf: res.locals.csrf,
          formId,
          v: { ...b, dossierCode: b.dossierCode ?? proposedCode(ctx, agency, formId), agency, channel: b.channel ?? 'direct', fee: b.fee ?? '' },
          agencies: agencies.map((a) => ({ ...a, selected: a.code === agency })),
          channels: Object.entries(CHANNEL_TEXT).map(([value, text]) => ({ value, text, selected: value === (b.channel ?? 'direct') })),
          procedures,
          errors: extra.errors ?? {},
          errorCount: Object.keys(extra.errors ?? {}).length,
          preview: extra.preview,
          notice: extra.notice,
        }),
      );
  };

  router.get('/counter/receive', ...auth, (_req, res) => receivePage(res, {}));

  router.post('/counter/receive', ...auth, async (req, res) => {
    const scope = scopeOf(res);
    const b = bodyOf(req);
    const eventId = formIdOf(b);
    b.formId = eventId;
    const now = ctx.now();
    // The receipt instant is the preview's, so that what is saved is what the clerk saw; a stale or missing one
    // (or one from the future: a forged field) is taken again now and shown before anything is saved.
    const previewedAt = b.receivedAt ? Date.parse(b.receivedAt) : NaN;
    const fresh = Number.isFinite(previewedAt) && previewedAt <= now && now - previewedAt <= PREVIEW_VALID_MS;
    const at = b.action === 'save' && fresh ? previewedAt : now;

    const errors: FieldErrors = {};
    const picked = pickProcedure(ctx.catalog, b.procedure ?? '');
    if (typeof picked === 'string') errors.procedure = picked;
    const procedure = typeof picked === 'string' ? undefined : picked;
    if (procedure) b.procedure = procedureOption(procedure);
    b.procedureCode = procedure?.code ?? '';
    const fee = b.fee === 'yes' ? true : b.fee === 'no' ? false : (procedure?.feeRequired ?? false);
    const { body, channels } = receiptOf(b, eventId, at, fee);
    const parsed = receivedEventSchema.safeParse(body);
    if (!parsed.success) Object.assign(errors, { ...formErrorsOf(parsed.error, channels), ...errors });
    const agencyPath = ctx.catalog.pathOf(b.agency ?? '');
    if (!errors.agency && (!agencyPath.length || !scope.coversPath(agencyPath))) errors.agency = 'Chỉ tiếp nhận hồ sơ tại cơ quan của anh/chị.';
    if (Object.keys(errors).length || !parsed.success) return receivePage(res, b, { errors });

    // The appointment as the API will compute it: the fold of this one receipt.
    let state: DossierState;
    try {
      state = foldDossier([{ seq: 0, event: parsed.data }], ctx.foldContext());
    } catch (err) {
      if (!(err instanceof TransitionError)) throw err;
      return receivePage(res, b, { errors: refusalOf(422, { index: 0, eventId, message: err.message, field: err.field }) });
    }
    const preview: Preview = {
      receivedAt: formatLocalInstant(at),
      receivedText: vietnameseShortInstant(at),
      dueAt: formatLocalInstant(state.dueAt),
      dueText: vietnameseShortInstant(state.dueAt),
      durationText: durationText(state.rules.duration),
      provisional: state.provisional,
    };
    b.receivedAt = preview.receivedAt;
    if (b.action !== 'save') return receivePage(res, b, { preview });
    if (!fresh) return receivePage(res, b, { preview, notice: 'Đã tính lại thời điểm tiếp nhận và ngày hẹn: kiểm tra lại rồi bấm lưu.', status: 409 });
    if (b.previewDue !== preview.dueAt)
      return receivePage(res, b, { preview, notice: 'Ngày hẹn đã thay đổi theo thông tin vừa sửa: kiểm tra lại rồi bấm lưu.', status: 409 });

    // The receipt prints the appointment the clerk saw, and says so (declaredDueAt: checked against the legal one).
    const event = { ...parsed.data, declaredDueAt: preview.dueAt };
    const refused = await record(ctx, scope, event);
    if (refused) return receivePage(res, b, { errors: refused, preview });
    res.redirect(303, `/counter/dossiers/${encodeURIComponent(event.dossierCode)}?done=received`);
  });

  router.get('/counter/dossiers/:code', ...auth, async (req, res) => {
    const s = await loadScopedDossier(ctx, String(req.params.code), scopeOf(res));
    await dossierPage(ctx, res, s, { done: typeof req.query.done === 'string' ? req.query.done : undefined });
  });

  router.post('/counter/dossiers/:code/:action', ...auth, async (req, res) => {
    const scope = scopeOf(res);
    const s = await loadScopedDossier(ctx, String(req.params.code), scope);
    const action = String(req.params.action);
    // Own keys only: "constructor" or "__proto__" in the address is no action (it reached Object's, a 500).
    const form = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!form) return dossierPage(ctx, res, s, { errors: { [action]: { _form: 'Thao tác không có.' } }, status: 404 });
    const b = bodyOf(req);
    const eventId = formIdOf(b);
    const base = { eventId, dossierCode: s.code, occurredAt: formatLocalInstant(ctx.now()) };
    const built = await form.build(ctx, b);
    if ('errors' in built) return dossierPage(ctx, res, s, { errors: { [action]: built.errors }, values: { [action]: b } });
    const parsed = form.schema.safeParse({ ...base, ...built.fields });
    if (!parsed.success) return dossierPage(ctx, res, s, { errors: { [action]: formErrorsOf(parsed.error) }, values: { [action]: b } });
    const refused = await record(ctx, scope, parsed.data as DossierEvent);
    if (refused) return dossierPage(ctx, res, s, { errors: { [action]: refused }, values: { [action]: b } });
    res.redirect(303, `/counter/dossiers/${encodeURIComponent(s.code)}?done=${parsed.data.type}`);
  });

  return router;
}

/**
 * Writes one event through the one ingestion path; the refusal in Vietnamese at its field, or null once recorded. A
 * form sent twice carries the same event id: the second is a duplicate (same body) or, for an event dated when it
 * was posted, the same id with another instant (409), which is the first one's record — recorded, not refused.
 */
async function record(ctx: AppContext, scope: Scope, event: DossierEvent): Promise<FieldErrors | null> {
  try {
    await ingestAs(ctx, scope, [event]);
    return null;
  } catch (err) {
    if (!(err instanceof IngestConflict)) throw err;
    if (err.status === 409) {
      const stored = (await loadLog(ctx.db.pool, event.dossierCode)).find((r) => r.eventId === event.eventId);
      if (stored?.type === event.type) return null;
    }
    return refusalOf(err.status, err.problems[0]);
  }
}

type Built = { fields: Record<string, unknown> } | { errors: FieldErrors };
interface ActionForm {
  schema: { safeParse(v: unknown): { success: true; data: DossierEvent } | { success: false; error: ZodError } };
  build(ctx: AppContext, b: Body): Built | Promise<Built>;
}

/** The actions on a dossier: each its event's schema and its fields from the form. */
const ACTIONS: Record<string, ActionForm> = {
  'supplement-request': { schema: supplementRequestedEventSchema, build: (_ctx, b) => ({ fields: { type: 'supplement_requested', reason: b.reason ?? '' } }) },
  'supplement-received': { schema: supplementReceivedEventSchema, build: () => ({ fields: { type: 'supplement_received' } }) },
  'hand-over': {
    schema: assignedEventSchema,
    build: async (ctx, b) => {
      const personId = present(b.holder);
      const person = personId && UUID.test(personId) ? await findPerson(ctx.db.pool, personId) : null;
      if (personId && (!person || person.deactivatedAt)) return { errors: { holder: 'Người này không có tài khoản đang hoạt động.' } };
      return {
        fields: {
          type: 'assigned',
          agencyCode: b.agencyCode ?? '',
          step: b.step ?? '',
          ...(person ? { holder: { name: person.name, email: person.email, personId: person.id } } : {}),
        },
      };
    },
  },
  result: { schema: resultReadyEventSchema, build: (_ctx, b) => ({ fields: { type: 'result_ready', electronicResult: b.electronicResult === 'on' } }) },
  return: { schema: returnedEventSchema, build: (_ctx, b) => ({ fields: { type: 'returned', method: b.method ?? '' } }) },
};

const DONE_TEXT: Record<string, string> = {
  received: 'Đã tiếp nhận hồ sơ.',
  supplement_requested: 'Đã ghi nhận yêu cầu bổ sung hồ sơ.',
  supplement_received: 'Đã ghi nhận hồ sơ bổ sung: thời hạn giải quyết được tính lại.',
  assigned: 'Đã chuyển hồ sơ.',
  result_ready: 'Đã ghi nhận kết quả giải quyết.',
  returned: 'Đã trả kết quả cho người nộp.',
};

/** The dossier as the counter sees it, with the forms its status allows. */
async function dossierPage(
  ctx: AppContext,
  res: Response,
  s: DossierState,
  opts: { done?: string; errors?: Record<string, FieldErrors>; values?: Record<string, Body>; status?: number },
): Promise<void> {
  // The page shows the applicant's name: the read is recorded, as the dossier page's is.
  await recordPersonalDataRead(ctx.db.pool, scopeOf(res).principal, s.code, 'page:counter', res.req.ip);
  const can = (...statuses: DossierState['status'][]) => statuses.includes(s.status);
  // The people a clerk may hand the dossier to: active, and of agencies the clerk's own cover (as the users page
  // shows them); the whole province's staff list is no counter's to read.
  const scope = scopeOf(res);
  const people = (await listPeople(ctx.db.pool))
    .filter((p) => !p.deactivatedAt && p.agencyCodes.some((c) => scope.coversPath(ctx.catalog.pathOf(c))))
    .map((p) => ({ id: p.id, text: `${p.name} — ${p.agencyCodes.map((c) => ctx.catalog.nameOf(c)).join(', ')}` }));
  const shownForms = new Set<string>();
  const form = (action: string, shown: boolean) => {
    if (shown) shownForms.add(action);
    const values = opts.values?.[action] ?? {};
    const errors = opts.errors?.[action] ?? {};
    return (
      shown && { formId: values.formId && UUID.test(values.formId) ? values.formId : randomUUID(), v: values, errors, failed: Object.keys(errors).length > 0 }
    );
  };
  const handOver = form('hand-over', can('received', 'processing'));
  const agencies = ctx.catalog
    .allAgencies()
    .filter((a) => ctx.catalog.isValidAt(a.code, ctx.now()))
    .map((a) => ({ code: a.code, name: a.name, path: ctx.catalog.pathOf(a.code).join('/') }))
    .sort((a, b) => a.path.localeCompare(b.path));
  const supplementRequest = form('supplement-request', can('received', 'processing'));
  const supplementReceived = form('supplement-received', can('supplement_requested'));
  const result = form('result', can('received', 'processing'));
  const returnForm = form('return', can('processed'));
  const step = s.steps.find((x) => x.endedAt === null);
  // A refusal of an action whose form the dossier's status no longer shows (posted from an older page): said on top.
  const refused = Object.entries(opts.errors ?? {})
    .filter(([action]) => !shownForms.has(action))
    .flatMap(([, errors]) => Object.values(errors));
  res
    .status(opts.status ?? (opts.errors ? 422 : 200))
    .type('html')
    .send(
      renderPage('counter-dossier', {
        title: `Hồ sơ ${s.code}`,
        viewer: viewerOf(res),
        currentYear: yearInVietnam(ctx.now()),
        csrf: res.locals.csrf,
        code: s.code,
        codeUri: encodeURIComponent(s.code),
        done: opts.done && Object.hasOwn(DONE_TEXT, opts.done) ? DONE_TEXT[opts.done] : undefined,
        procedureName: ctx.catalog.procedure(s.procedureCode)?.name ?? s.procedureCode,
        applicantName: s.applicant.name,
        statusText: STATUS_TEXT[s.status],
        receivedText: vietnameseShortInstant(s.receivedAt),
        dueAt: formatLocalInstant(s.dueAt),
        dueText: vietnameseShortInstant(s.dueAt),
        agencyName: ctx.catalog.agency(s.currentAgencyCode)?.name ?? s.currentAgencyCode,
        holderText: step ? `${step.step}${step.holder ? `, ${step.holder.name}` : ''}` : '',
        supplementRequested: s.supplementCount > 0,
        refused,
        supplementRequest,
        supplementReceived,
        handOver: handOver && {
          ...handOver,
          agencies: agencies.map((a) => ({ ...a, selected: a.code === handOver.v.agencyCode })),
          people: people.map((p) => ({ ...p, selected: p.id === handOver.v.holder })),
        },
        result,
        returnForm: returnForm && {
          ...returnForm,
          methods: [
            { value: 'counter', text: 'Tại bộ phận một cửa' },
            { value: 'postal', text: 'Qua bưu chính công ích' },
            { value: 'online', text: 'Trực tuyến' },
          ].map((m) => ({ ...m, selected: m.value === (opts.values?.return?.method ?? 'counter') })),
        },
      }),
    );
}
