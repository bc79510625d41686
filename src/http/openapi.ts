/**
 * OpenAPI document generated from the same zod schemas that validate requests,
 * so the docs cannot drift from the code.
 */
import { z } from 'zod';
import { dossierEventSchema } from '../dossiers/events.js';
import { deadlineQuerySchema } from '../dossiers/explain-deadline.js';
import { calendarYearFileSchema } from '../calendar/calendar-file.js';
import { listQuerySchema } from './routes/dossiers.js';
import { apologyRequestSchema } from './issue-apology.js';
import { refusalDraftSchema, returnLetterSchema } from './letter-workflow.js';
import { explanationRequestSchema, reviewRequestSchema } from './explain-late.js';
import { smsInboundSchema } from './routes/sms-inbound.js';
import { supervisorSchema } from './routes/supervisors.js';
import { warningSettingsSchema } from '../rules/warning-thresholds.js';
import {
  cellQuerySchema,
  explanationsQuerySchema,
  latenessDossiersQuerySchema,
  latenessQuerySchema,
  apologyRegisterQuerySchema,
  officialFormQuerySchema,
  reportQuerySchema,
  syncExportQuerySchema,
  whatIfQuerySchema,
} from '../reports/report-query.js';
import { portalRecordSchema } from '../sync/portal-record.js';
import { portalUploadSchema } from '../reports/reconciliation.js';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

function queryParameters(schema: z.ZodObject) {
  return Object.keys(schema.shape).map((name) => ({ name, in: 'query', schema: json(schema.shape[name] as z.ZodType) }));
}

type Param = { name: string; in: string; required?: boolean; schema: unknown };
const pathParam = (name: string, description: string): Param => ({ name, in: 'path', required: true, schema: { type: 'string' }, ...{ description } });
const letterForm = pathParam('form', 'apology | refusal');
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const ok = (description: string, schema: unknown, type = 'application/json') => ({ description, content: { [type]: { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({ type: 'object', properties, required });
const nullable = (type: string) => ({ type: [type, 'null'] });

/** One operation: an operationId, its security (public ones say so), and the errors every authenticated call may answer. */
function op(operationId: string, summary: string, o: { public?: boolean; parameters?: Param[]; requestBody?: unknown; responses: Record<string, unknown> }) {
  const errors = o.public
    ? { 400: problem('invalid parameters, each named') }
    : { 400: problem('invalid input, each field named'), 401: problem('no valid key'), 403: problem('outside the key’s agencies or role') };
  return {
    operationId,
    summary,
    security: o.public ? [] : [{ bearer: [] }],
    ...(o.parameters ? { parameters: o.parameters } : {}),
    ...(o.requestBody ? { requestBody: o.requestBody } : {}),
    responses: { ...errors, ...o.responses },
  };
}

const SCHEMAS = {
  Problem: obj(
    {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      errors: {
        type: 'array',
        items: obj({ path: { type: 'string' }, message: { type: 'string' }, index: { type: 'integer' }, eventId: { type: 'string' } }, ['path', 'message']),
      },
    },
    ['title', 'status'],
  ),
  EventsResult: obj({
    results: {
      type: 'array',
      items: obj(
        {
          eventId: { type: 'string' },
          status: { type: 'string', enum: ['accepted', 'duplicate'] },
          // A void or correction: the event it concerns, and the ended calendar months (YYYY-MM) whose figures it moved.
          targetEventId: { type: 'string' },
          affectsEndedPeriods: { type: 'array', items: { type: 'string' } },
        },
        ['eventId', 'status'],
      ),
    },
  }),
  Dossier: {
    ...obj(
      {
        code: { type: 'string' },
        status: { type: 'string' },
        procedureCode: { type: 'string' },
        receivingAgencyCode: { type: 'string' },
        channel: { type: 'string' },
        receivedAt: { type: 'string', format: 'date-time' },
        dueAt: { type: 'string', format: 'date-time' },
        finishedAt: nullable('string'),
        outcome: nullable('string'),
        progress: { type: ['string', 'null'], enum: ['on_track', 'due_soon', 'overdue', 'waiting_for_citizen', null] },
        rate: obj({ dueAt: { type: 'string' }, outcome: nullable('string'), progress: nullable('string'), differsFromLegal: { type: 'boolean' } }),
        flags: { type: 'array', items: { type: 'string' } },
      },
      ['code', 'status', 'receivedAt', 'dueAt', 'progress', 'rate', 'flags'],
    ),
    additionalProperties: true,
  },
  DossierPage: obj({ items: { type: 'array', items: ref('Dossier') }, nextCursor: nullable('string') }),
  ReportRow: {
    type: 'object',
    properties: { key: { type: 'string' }, label: { type: 'string' }, received: { type: 'integer' }, progressRate: nullable('number') },
    required: ['key', 'label', 'received', 'progressRate'],
    additionalProperties: true,
  },
  Indicator: obj({
    id: { type: 'string' },
    name: { type: 'string' },
    rate: nullable('number'),
    percent: nullable('number'),
    threshold: { type: 'number' },
    scoreShare: nullable('number'),
    group: { type: 'string' },
    groupWeight: { type: 'number' },
    source: { type: 'string' },
  }),
  RateReport: obj({
    period: obj({ label: { type: 'string' }, convention: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }),
    judgment: obj({ running: { type: 'boolean' }, openJudgedAt: { type: 'string' }, rule: { type: 'string' } }),
    groupBy: { type: 'string' },
    rows: { type: 'array', items: ref('ReportRow') },
    total: ref('ReportRow'),
    indicators: { type: 'array', items: ref('Indicator') },
  }),
  WhatIf: {
    type: 'object',
    properties: {
      mustFinishWithinTime: { type: 'integer' },
      reachable: { type: 'boolean' },
      bestPossibleRate: nullable('number'),
      closest: { type: 'array', items: { type: 'object' } },
    },
    required: ['mustFinishWithinTime', 'reachable', 'closest'],
    additionalProperties: true,
  },
  Lateness: obj({
    period: { type: 'object' },
    judgment: { type: 'object' },
    rows: { type: 'array', items: { type: 'object', additionalProperties: true } },
    total: { type: 'object' },
  }),
  LatenessDossiers: obj({
    period: { type: 'object' },
    judgedAt: { type: 'string' },
    items: { type: 'array', items: { type: 'object', additionalProperties: true } },
  }),
  CellDossiers: obj({ period: { type: 'object' }, cell: { type: 'string' }, items: { type: 'array', items: { type: 'object', additionalProperties: true } } }),
  Apology: obj({
    eventId: { type: 'string' },
    newDueAt: { type: 'string', format: 'date-time' },
    reschedules: {
      type: 'boolean',
      description:
        "delivered (or, without a recorded delivery, issued) by the law's limit (Decree 118/2025 Art. 19(6)): the new date is the appointment; false: recorded and sent, but the dossier stays overdue",
    },
    letterUrl: { type: 'string' },
  }),
  SyncResult: obj({
    records: { type: 'integer' },
    eventsAdded: { type: 'integer' },
    results: {
      type: 'array',
      items: obj({
        index: { type: 'integer' },
        MaHoSo: { type: 'string' },
        status: { type: 'string', enum: ['applied', 'unchanged', 'not_received'] },
        eventsAdded: { type: 'integer' },
      }),
    },
  }),
  CatalogImport: {
    ...obj({
      dryRun: { type: 'boolean' },
      revision: nullable('integer'),
      summary: { type: 'object' },
      added: { type: 'array', items: { type: 'object' } },
      changed: { type: 'array', items: { type: 'object' } },
      retired: { type: 'array', items: { type: 'object' } },
      warnings: { type: 'array', items: { type: 'string' } },
    }),
    additionalProperties: true,
  },
  Reconciliation: {
    ...obj({
      agency: { type: 'string' },
      period: { type: 'object' },
      portal: { type: 'object' },
      figures: { type: 'array', items: { type: 'object' } },
      rates: { type: 'array', items: { type: 'object' } },
      dossiers: { type: 'array', items: { type: 'object' } },
    }),
    additionalProperties: true,
  },
  PublicProgress: {
    ...obj({
      code: { type: 'string' },
      applicant: { type: 'string', description: 'masked: initials only' },
      status: { type: 'string' },
      statusText: { type: 'string' },
      appointmentAt: { type: 'string', format: 'date-time' },
      apology: { type: ['object', 'null'] },
    }),
    additionalProperties: true,
  },
  PublicFigures: obj({
    agency: obj({ code: { type: 'string' }, name: { type: 'string' } }),
    generatedAt: { type: 'string' },
    rule: { type: 'string' },
    months: { type: 'array', items: { type: 'object', additionalProperties: true } },
  }),
  WarningSettingsAnswer: obj({
    agencyCode: { type: 'string' },
    own: { oneOf: [{ type: 'null' }, { type: 'object', additionalProperties: true }] },
    effective: { type: 'object', additionalProperties: true },
    inheritedFrom: nullable('string'),
    defaults: { type: 'object', additionalProperties: true },
  }),
  ExplanationRecorded: obj({ eventId: { type: 'string' }, status: { type: 'string', enum: ['submitted', 'acknowledged', 'returned'] } }),
  Explanations: obj({
    period: { type: 'object' },
    judgment: { type: 'object' },
    total: obj({
      late: { type: 'integer' },
      unexplained: { type: 'integer' },
      submitted: { type: 'integer' },
      acknowledged: { type: 'integer' },
      returned: { type: 'integer' },
    }),
    items: { type: 'array', items: { type: 'object', additionalProperties: true } },
  }),
  SmsInboundResult: obj({ result: { type: 'string', enum: ['withdrawn', 'ignored'] }, reason: { type: 'string' } }, ['result']),
  AnyObject: { type: 'object', additionalProperties: true },
  ApologyRegister: obj({
    period: { type: 'object', properties: { label: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } },
    entries: {
      type: 'array',
      items: obj(
        {
          dossierCode: { type: 'string' },
          procedureCode: { type: 'string' },
          procedureName: { type: 'string' },
          agencyCode: { type: 'string' },
          agencyName: { type: 'string' },
          receivedAt: { type: 'string' },
          originalDueAt: { type: 'string' },
          newDueAt: { type: 'string' },
          reason: { type: 'string' },
          issuedAt: { type: 'string' },
          inTime: { type: ['boolean', 'null'] },
          signed: {
            type: ['object', 'null'],
            properties: { by: { type: 'string' }, name: nullable('string'), certificate: { type: 'string' }, at: { type: 'string' } },
          },
        },
        ['dossierCode', 'procedureCode', 'originalDueAt', 'newDueAt', 'reason', 'issuedAt', 'signed'],
      ),
    },
  }),
  LetterWorkflow: obj(
    {
      form: { type: 'string', enum: ['apology', 'refusal'] },
      status: { type: ['string', 'null'], enum: ['draft', 'submitted', 'returned', 'approved', 'signed', 'issued', null] },
      reason: { type: 'string' },
      newDueAt: nullable('string'),
      legalMoment: { type: 'string', description: 'the first instant the letter is too late for the law' },
    },
    ['form', 'status', 'legalMoment'],
  ),
  LetterStep: obj(
    { eventId: { type: 'string' }, sha256: { type: 'string' }, reschedules: { type: 'boolean' }, letter: { $ref: '#/components/schemas/LetterWorkflow' } },
    ['eventId', 'letter'],
  ),
  AnyList: { type: 'array', items: { type: 'object', additionalProperties: true } },
};

export function openApiDocument() {
  const code = pathParam('code', 'dossier code');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Đúng hạn (dunghan) API',
      version: '1',
      description: 'Dossier events, deadlines in Vietnamese working time, the Decision 766 indicators. Errors are RFC 9457 problem details.',
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    servers: [{ url: '/', description: 'this service' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { DossierEvent: json(dossierEventSchema), CalendarYear: json(calendarYearFileSchema), ...SCHEMAS },
    },
    paths: {
      '/api/v1/events': {
        post: op(
          'postEvents',
          'Record one dossier event or a batch of up to 1,000 (all or nothing; idempotent by eventId). Nothing dated in the future (beyond EVENT_CLOCK_TOLERANCE_SECONDS) is accepted. A supervisor or admin puts a mistake right with `voided` {targetEventId, reason} or `corrected` {targetEventId, reason, replacement}: the log keeps both, the dossier is folded as if the replacement had been sent instead; the answer lists the ended months whose figures moved (affectsEndedPeriods)',
          {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { oneOf: [ref('DossierEvent'), { type: 'array', maxItems: 1000, items: ref('DossierEvent') }] } } },
            },
            responses: {
              201: ok('accepted', ref('EventsResult')),
              200: ok('all duplicates', ref('EventsResult')),
              403: problem('outside the caller’s agencies, or a void or correction by someone who is not a supervisor or admin'),
              409: problem('eventId reused with another body'),
              422: problem(
                'cannot apply (unknown dossier or event, an instant in the future, impossible transition, a void of a void, a correction that fails as the event would, fee on a fee-free procedure…)',
              ),
            },
          },
        ),
      },
      '/api/v1/dossiers': {
        get: op('listDossiers', 'List dossiers (cursor pagination); outcome= uses the same progress definition as the pages', {
          parameters: queryParameters(listQuerySchema) as Param[],
          responses: { 200: ok('a page of dossiers', ref('DossierPage')) },
        }),
      },
      '/api/v1/dossiers/{code}': {
        get: op('getDossier', 'A dossier with its legal and 766 judgments', {
          parameters: [code],
          responses: { 200: ok('the dossier', ref('Dossier')), 404: problem('no such dossier in the key’s agencies') },
        }),
      },
      '/api/v1/dossiers/{code}/explanation': {
        post: op(
          'explainLateDossier',
          'Explain why a dossier finished late or is overdue (giải trình): a reason code (complex_verification, awaiting_coordination, overload, system_error, other with a note), the responsible agency (one that took part in the dossier) and optionally its step; replaces an explanation not yet acknowledged',
          {
            parameters: [code],
            requestBody: { required: true, content: { 'application/json': { schema: json(explanationRequestSchema) } } },
            responses: {
              201: ok('recorded', ref('ExplanationRecorded')),
              404: problem('no such dossier'),
              422: problem('not late nor overdue, an unknown reason, a note missing for "other", an agency or step outside the dossier, already acknowledged'),
            },
          },
        ),
      },
      '/api/v1/dossiers/{code}/explanation/review': {
        post: op('reviewExplanation', "A supervisor acknowledges the dossier's explanation, or returns it with a comment; never their own", {
          parameters: [code],
          requestBody: { required: true, content: { 'application/json': { schema: json(reviewRequestSchema) } } },
          responses: {
            201: ok('recorded', ref('ExplanationRecorded')),
            404: problem('no such dossier'),
            422: problem('no explanation waiting for review (`explanation`), or the caller wrote it (`by`)'),
          },
        }),
      },
      '/api/v1/sms/inbound': {
        post: op(
          'smsInbound',
          'The SMS gateway forwards a citizen’s reply (phone, text); "TC <mã hồ sơ>" or "TU CHOI <mã hồ sơ>" from the phone the dossier’s SMS go to withdraws that consent (via keyword). Authenticated by the shared secret SMS_INBOUND_SECRET in X-Dunghan-Secret, not by a key; absent when it is unset',
          {
            public: true,
            parameters: [{ name: 'X-Dunghan-Secret', in: 'header', required: true, schema: { type: 'string' } }],
            requestBody: {
              required: true,
              content: { 'application/json': { schema: json(smsInboundSchema) }, 'application/x-www-form-urlencoded': { schema: json(smsInboundSchema) } },
            },
            responses: {
              200: ok('withdrawn, or ignored with the reason (the same for an unknown dossier and another phone)', ref('SmsInboundResult')),
              401: problem('no secret, or another'),
            },
          },
        ),
      },
      '/api/v1/calendar/{year}': {
        get: op('getCalendarYear', 'A year of the working-time calendar (public); {year}.ics for iCalendar', {
          public: true,
          parameters: [pathParam('year', 'YYYY')],
          responses: { 200: ok('the year', ref('AnyObject')) },
        }),
        put: op('putCalendarYear', 'Load or correct the official schedule of a year (admin); answers what changed and which open deadlines moved', {
          parameters: [pathParam('year', 'YYYY')],
          requestBody: { required: true, content: { 'application/json': { schema: ref('CalendarYear') } } },
          responses: { 200: ok('applied', ref('AnyObject')) },
        }),
      },
      '/api/v1/calendar/import': {
        post: op(
          'importCalendarYear',
          'Import a year file (admin): ?dryRun=true previews the changed days and the open dossiers whose due instant moves; otherwise records a revision and re-folds',
          {
            parameters: [{ name: 'dryRun', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } }],
            requestBody: { required: true, content: { 'application/json': { schema: ref('CalendarYear') } } },
            responses: { 200: ok('the preview or the applied revision', ref('AnyObject')) },
          },
        ),
      },
      '/api/v1/calendar/deadline': {
        get: op('explainDeadline', 'Compute and explain a deadline (public)', {
          public: true,
          parameters: queryParameters(deadlineQuerySchema) as Param[],
          responses: { 200: ok('the due instant and how it was counted', ref('AnyObject')) },
        }),
      },
      '/api/v1/dossiers/{code}/apology': {
        post: op(
          'issueApology',
          'Record an apology approved and signed outside dunghan (once): newDueAt, or extraWorkingDays after the later of now and the due instant; returns the letter URL. Letters made in dunghan go through /dossiers/{code}/letters/apology/…',
          {
            parameters: [code],
            requestBody: { required: true, content: { 'application/json': { schema: json(apologyRequestSchema) } } },
            responses: {
              201: ok('recorded', ref('Apology')),
              404: problem('no such dossier'),
              422: problem('a second apology, a finished dossier, an invalid new appointment, or an apology letter under way in the workflow'),
            },
          },
        ),
      },
      '/api/v1/dossiers/{code}/letters/{form}': {
        get: op(
          'getLetterWorkflow',
          'Where the apology or refusal letter stands in its approval: status, who took each step, the legal moment to issue it by',
          {
            parameters: [code, letterForm],
            responses: { 200: ok('the letter', ref('LetterWorkflow')), 404: problem('no such dossier, or a form without a workflow') },
          },
        ),
      },
      '/api/v1/dossiers/{code}/letters/{form}/draft': {
        post: op(
          'draftLetter',
          'Draft (or revise, once returned) the letter (counter, supervisor, admin): an apology with its reason and newDueAt or extraWorkingDays, a refusal with its reason',
          {
            parameters: [code, letterForm],
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { oneOf: [json(apologyRequestSchema), json(refusalDraftSchema)] } } },
            },
            responses: {
              201: ok('drafted', ref('LetterStep')),
              404: problem('no such dossier'),
              422: problem('a finished dossier, an apology already issued, a letter under approval, or an invalid new appointment'),
            },
          },
        ),
      },
      ...Object.fromEntries(
        (
          [
            ['submit', 'submitLetter', 'Submit the draft for approval (counter, supervisor, admin)', 200, undefined],
            ['approve', 'approveLetter', "Approve the submitted letter (supervisor, admin); one's own draft only where the agency allows it", 200, undefined],
            ['return', 'returnLetter', 'Return the submitted letter with a comment (supervisor, admin)', 200, returnLetterSchema],
            [
              'sign',
              'signWorkflowLetter',
              "Sign the approved letter with the organisation's certificate (supervisor, admin): the signed PDF is kept and its SHA-256 recorded",
              201,
              undefined,
            ],
            [
              'issue',
              'issueLetter',
              'Issue the signed letter (counter, supervisor, admin): records apology_issued or refused, which sends it to the applicant',
              201,
              undefined,
            ],
          ] as const
        ).map(([step, id, summary, status, body]) => [
          `/api/v1/dossiers/{code}/letters/{form}/${step}`,
          {
            post: op(id, summary, {
              parameters: [code, letterForm],
              ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: json(body) } } } } : {}),
              responses: {
                [status]: ok('the step recorded, and the letter after it', ref('LetterStep')),
                404: problem('no such dossier'),
                422: problem(
                  "the step is out of order (the letter's status names why), one's own draft where the agency forbids approving it, or the certificate is expired, not yet valid, not for signing or unreadable (errors[0].message)",
                ),
                ...(step === 'sign' ? { 503: problem('no signing certificate configured') } : {}),
              },
            }),
          },
        ]),
      ),
      '/api/v1/agencies/{code}/supervisors': {
        get: op('listSupervisors', "The agency's supervisors (alert recipients)", {
          parameters: [pathParam('code', 'agency code')],
          responses: { 200: ok('supervisors', ref('AnyList')) },
        }),
        post: op('addSupervisor', 'Register a supervisor (admin)', {
          parameters: [pathParam('code', 'agency code')],
          requestBody: { required: true, content: { 'application/json': { schema: json(supervisorSchema) } } },
          responses: { 201: ok('registered', ref('AnyObject')) },
        }),
      },
      '/api/v1/agencies/{code}/warnings': {
        get: op(
          'getWarningSettings',
          "The agency's warning thresholds: its own (`own`, null when it sets none), those in force (`effective`: its own, else its nearest ancestor's, named by `inheritedFrom`, else the defaults) and the defaults",
          { parameters: [pathParam('code', 'agency code')], responses: { 200: ok('the settings', ref('WarningSettingsAnswer')) } },
        ),
        put: op(
          'setWarningSettings',
          "Set the agency's warning thresholds (admin): each a share of a step's time used (0–100 %, 100: the step is due) or the dossier due within some working days without an apology, whom to tell (holder, supervisor, leader or a person of the agency) and how often to repeat, in working hours. The next warning scan judges every open dossier with them",
          {
            parameters: [pathParam('code', 'agency code')],
            requestBody: { required: true, content: { 'application/json': { schema: json(warningSettingsSchema) } } },
            responses: {
              200: ok('saved; the settings as now in force', ref('WarningSettingsAnswer')),
              404: problem('no such agency'),
              422: problem('a named person is unknown or does not belong to the agency (each field named)'),
            },
          },
        ),
        delete: op('clearWarningSettings', "Clear the agency's own warning thresholds (admin): it inherits again", {
          parameters: [pathParam('code', 'agency code')],
          responses: { 204: { description: 'cleared' }, 404: problem('no such agency, or none of its own') },
        }),
      },
      '/api/v1/reports/rates': {
        get: op(
          'getRates',
          'The Decision 766 indicators (2.1 progress, 2.2 average processing time by procedure, 3.3, 3.6, 4.1, 4.2, 4.3, 5.4) and compliance figures for a period, grouped; `indicators` gives each with its threshold and score share; rates with nothing to judge are null. A running period judges open dossiers now (`judgment.running`); an ended one at its last instant with the events of then; a period not started is a 400. .csv and .xlsx give the same rows',
          { parameters: queryParameters(reportQuerySchema) as Param[], responses: { 200: ok('the report', ref('RateReport')) } },
        ),
      },
      '/api/v1/reports/forms/{file}': {
        get: op(
          'getOfficialForm',
          "An official report form for a period: Biểu II.06a (one unit, a row per agency), II.06b (the caller's agency tree, rolled up), II.07a (one unit, by field), II.07b (the tree, by field); 13 numbered columns (received: total, online, counter or post, carried over; settled: total, early, on time, late; in progress: total, within time, overdue) from the same counts as /reports/rates. file = 06a.xlsx, 06b.pdf, 07a.json…",
          {
            parameters: [pathParam('file', '06a | 06b | 07a | 07b, then .xlsx, .pdf or .json'), ...(queryParameters(officialFormQuerySchema) as Param[])],
            responses: {
              200: {
                description: 'the form',
                content: {
                  'application/json': { schema: ref('AnyObject') },
                  'application/pdf': { schema: { type: 'string', contentEncoding: 'binary' } },
                  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', contentEncoding: 'binary' } },
                },
              },
              400: problem('no period, a period not started, or a unit form without its unit'),
              404: problem('no such form'),
            },
          },
        ),
      },
      '/api/v1/reports/what-if': {
        get: op(
          'getWhatIf',
          'For a running period: how many open dossiers must stay within time for the progress rate to reach `target`, and the open ones closest to their due instant',
          { parameters: queryParameters(whatIfQuerySchema) as Param[], responses: { 200: ok('the what-if', ref('WhatIf')) } },
        ),
      },
      '/api/v1/reports/lateness': {
        get: op(
          'getLateness',
          'Where lateness comes from: by agency and step, the steps that ran over their budgets in the period and the dossiers they made late (.csv and .xlsx too)',
          { parameters: queryParameters(latenessQuerySchema) as Param[], responses: { 200: ok('the rows by agency and step', ref('Lateness')) } },
        ),
      },
      '/api/v1/reports/apologies': {
        get: op(
          'getApologyRegister',
          'The register of apology letters (sổ theo dõi xin lỗi): each apology issued in the period, with its dossier, procedure, original and new appointment, reason and who signed it (.xlsx too)',
          {
            parameters: queryParameters(apologyRegisterQuerySchema) as Param[],
            responses: { 200: ok('the entries, in the order they were issued', ref('ApologyRegister')) },
          },
        ),
      },
      '/api/v1/reports/explanations': {
        get: op(
          'getExplanations',
          "The period's late and overdue dossiers (766, as the rates count them) with their explanations and whether a supervisor acknowledged them (.csv and .xlsx too)",
          {
            parameters: queryParameters(explanationsQuerySchema) as Param[],
            responses: { 200: ok('the dossiers and their explanations', ref('Explanations')) },
          },
        ),
      },
      '/api/v1/reports/lateness/dossiers': {
        get: op('getLatenessDossiers', 'The dossiers behind a row of the lateness report (.csv too)', {
          parameters: queryParameters(latenessDossiersQuerySchema) as Param[],
          responses: { 200: ok('the steps and their dossiers', ref('LatenessDossiers')) },
        }),
      },
      '/api/v1/reports/dossiers': {
        get: op('getCellDossiers', 'The dossiers behind one cell of the report (.csv too)', {
          parameters: queryParameters(cellQuerySchema) as Param[],
          responses: { 200: ok('the dossiers', ref('CellDossiers')) },
        }),
      },
      '/letters/{code}/{form}': {
        get: op('getLetter', 'Printable A5 letter: receipt, supplement-request, refusal, apology (404 until issued) or control-slip', {
          parameters: [code, pathParam('form', 'receipt | supplement-request | refusal | apology | control-slip')],
          responses: { 200: ok('the letter', { type: 'string' }, 'text/html'), 404: problem('no such dossier or letter') },
        }),
      },
      '/letters/{code}/{form}.pdf': {
        get: op('getLetterPdf', 'The same letter as a PDF document (A5, Tinos embedded, Decree 30/2020 layout)', {
          parameters: [code, pathParam('form', 'receipt | supplement-request | refusal | apology | control-slip')],
          responses: { 200: ok('the letter', { type: 'string', contentEncoding: 'binary' }, 'application/pdf'), 404: problem('no such dossier or letter') },
        }),
      },
      '/letters/{code}/{form}/draft.pdf': {
        get: op('getLetterDraftPdf', 'The apology or refusal under approval as it would be signed now (for the approver; never sent)', {
          parameters: [code, letterForm],
          responses: {
            200: ok('the draft letter', { type: 'string', contentEncoding: 'binary' }, 'application/pdf'),
            404: problem('no such dossier, or no letter in progress'),
          },
        }),
      },
      '/letters/{code}/{form}/signed.pdf': {
        post: op('signLetter', "The letter's PDF signed with the organisation's certificate (supervisor, admin); not kept", {
          parameters: [code, pathParam('form', 'receipt | supplement-request | refusal | apology | control-slip')],
          responses: {
            200: ok('the signed letter', { type: 'string', contentEncoding: 'binary' }, 'application/pdf'),
            404: problem('no such dossier or letter'),
            422: problem('the certificate is expired, not yet valid, not for signing, or unreadable (errors[0].message says which)'),
            503: problem('no signing certificate configured'),
          },
        }),
      },
      '/api/v1/catalog/import': {
        post: op(
          'importCatalog',
          'Import agencies and procedure versions from JSON, CSV or XLSX (admin): ?dryRun=true previews what is added, changed and retired; a bad file is a 400 naming every row and column',
          {
            parameters: [
              { name: 'dryRun', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } },
              { name: 'name', in: 'query', schema: { type: 'string' } },
            ],
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: ref('AnyObject') },
                'text/csv': { schema: { type: 'string' } },
                'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', contentEncoding: 'binary' } },
              },
            },
            responses: { 200: ok('the preview or the applied revision', ref('CatalogImport')), 415: problem('not JSON, CSV or XLSX') },
          },
        ),
      },
      '/api/v1/sync/dossiers': {
        post: op(
          'syncDossiers',
          "Records in the national portal's sync shape, up to 1,000 (all or nothing): each becomes the events it implies; a resend or later snapshot adds only what is new",
          {
            requestBody: { required: true, content: { 'application/json': { schema: { type: 'array', items: json(portalRecordSchema) } } } },
            responses: {
              200: ok('nothing new', ref('SyncResult')),
              201: ok('events added', ref('SyncResult')),
              409: problem('a record contradicts or goes back from what is recorded, the portal field named'),
              422: problem('a record cannot apply'),
            },
          },
        ),
        get: op('exportDossiers', "The period's dossiers in the portal's sync shape (supervisor, auditor, admin); format=jsonl for JSON lines", {
          parameters: queryParameters(syncExportQuerySchema) as Param[],
          responses: { 200: ok('the records', ref('AnyObject')) },
        }),
      },
      '/api/v1/reconciliation/figures': {
        put: op('putPortalFigures', 'Record the figures the national portal published for an agency and period, and its dossier list if any (admin)', {
          requestBody: { required: true, content: { 'application/json': { schema: json(portalUploadSchema) } } },
          responses: { 204: { description: 'recorded' } },
        }),
      },
      '/api/v1/reconciliation': {
        get: op('getReconciliation', "dunghan's figures and rates beside the portal's, and the dossiers that explain each difference", {
          parameters: [
            { name: 'agency', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'period', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'convention', in: 'query', schema: { type: 'string', enum: ['calendar', 'report'] } },
          ],
          responses: { 200: ok('the comparison', ref('Reconciliation')), 404: problem('no portal figures recorded for the agency and period') },
        }),
      },
      '/api/v1/public/lookup': {
        post: op(
          'lookupDossier',
          "A citizen's own dossier by its code and the last 4 digits of the phone on it (public, rate-limited); a wrong code and wrong digits answer the same 404",
          {
            public: true,
            requestBody: {
              required: true,
              content: { 'application/json': { schema: obj({ code: { type: 'string' }, phoneLast4: { type: 'string', pattern: '^\\d{4}$' } }) } },
            },
            responses: {
              200: ok('the progress, name masked', ref('PublicProgress')),
              404: problem('no dossier with that code and those digits'),
              429: problem('too many lookups from this address'),
            },
          },
        ),
      },
      '/api/v1/public/agencies/{code}/figures': {
        get: op(
          'getPublicFigures',
          "An agency's on-time, online-submission and online-payment figures by month for the last 12 months (public; figures.csv for CSV)",
          {
            public: true,
            parameters: [pathParam('code', 'agency code')],
            responses: { 200: ok('the figures', ref('PublicFigures')), 404: problem('no such agency') },
          },
        ),
      },
      '/api/v1/agencies': { get: op('listAgencies', 'The agency tree', { responses: { 200: ok('agencies', ref('AnyList')) } }) },
      '/api/v1/procedures': { get: op('listProcedures', 'The procedure catalogue', { responses: { 200: ok('procedures', ref('AnyList')) } }) },
    },
  };
}
