/**
 * OpenAPI document generated from the same zod schemas that validate requests,
 * so the docs cannot drift from the code.
 */
import { z } from 'zod';
import { dossierEventSchema } from '../dossiers/events.js';
import { deadlineQuerySchema } from '../dossiers/explain-deadline.js';
import { calendarYearFileSchema } from '../calendar/calendar-file.js';
import { listQuerySchema } from './routes/dossiers.js';
import { apologyRequestSchema } from './routes/apology.js';
import { supervisorSchema } from './routes/supervisors.js';
import { cellQuerySchema, reportQuerySchema, whatIfQuerySchema } from '../reports/report-query.js';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

function queryParameters(schema: z.ZodObject) {
  return Object.keys(schema.shape).map((name) => ({ name, in: 'query', schema: json(schema.shape[name] as z.ZodType) }));
}

export function openApiDocument() {
  const bearer = [{ bearer: [] }];
  return {
    openapi: '3.1.0',
    info: { title: 'Đúng hạn (dunghan) API', version: '1', description: 'Dossier events, deadlines in Vietnamese working time, compliance.' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { DossierEvent: json(dossierEventSchema), CalendarYear: json(calendarYearFileSchema) },
    },
    paths: {
      '/api/v1/events': {
        post: {
          summary: 'Record one dossier event or a batch of up to 1,000 (all or nothing; idempotent by eventId)',
          security: bearer,
          requestBody: {
            content: {
              'application/json': {
                schema: { oneOf: [{ $ref: '#/components/schemas/DossierEvent' }, { type: 'array', maxItems: 1000, items: { $ref: '#/components/schemas/DossierEvent' } }] },
              },
            },
          },
          responses: { 201: { description: 'accepted' }, 200: { description: 'all duplicates' }, 400: { description: 'invalid fields' }, 403: { description: 'outside scope' }, 409: { description: 'eventId reused with another body' }, 422: { description: 'cannot apply' } },
        },
      },
      '/api/v1/dossiers': { get: { summary: 'List dossiers (cursor pagination)', security: bearer, parameters: queryParameters(listQuerySchema) } },
      '/api/v1/dossiers/{code}': { get: { summary: 'A dossier with its event history', security: bearer, parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }] } },
      '/api/v1/calendar/{year}': {
        get: { summary: 'A year of the working-time calendar (public); {year}.ics for iCalendar', parameters: [{ name: 'year', in: 'path', required: true, schema: { type: 'string' } }] },
        put: { summary: 'Load or correct the official schedule of a year (admin); answers what changed and which open deadlines moved', security: bearer, requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CalendarYear' } } } } },
      },
      '/api/v1/calendar/import': {
        post: {
          summary: 'Import a year file (admin): ?dryRun=true previews the changed days and the open dossiers whose due instant moves; otherwise records a revision and re-folds',
          security: bearer,
          parameters: [{ name: 'dryRun', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } }],
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CalendarYear' } } } },
        },
      },
      '/api/v1/calendar/deadline': { get: { summary: 'Compute and explain a deadline (public)', parameters: queryParameters(deadlineQuerySchema) } },
      '/api/v1/dossiers/{code}/apology': {
        post: {
          summary: 'Issue the apology and new appointment (once): newDueAt, or extraWorkingDays after the current due instant; returns the letter URL',
          security: bearer,
          parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { content: { 'application/json': { schema: json(apologyRequestSchema) } } },
          responses: { 201: { description: 'recorded' }, 422: { description: 'a second apology, or the dossier is finished' } },
        },
      },
      '/api/v1/agencies/{code}/supervisors': {
        get: { summary: "The agency's supervisors (alert recipients)", security: bearer },
        post: { summary: 'Register a supervisor (admin)', security: bearer, requestBody: { content: { 'application/json': { schema: json(supervisorSchema) } } } },
      },
      '/api/v1/reports/rates': {
        get: {
          summary:
            'The Decision 766 indicators (2.1 progress, 2.2 average processing time by procedure, 3.3, 3.6, 4.1, 4.2, 4.3, 5.4) and compliance figures for a period, grouped; `indicators` gives each with its threshold and score share; rates with nothing to judge are null. A running period judges open dossiers now (`judgment.running`); an ended one at its last instant with the events of then; a period not started is a 400. .csv and .xlsx give the same rows',
          security: bearer,
          parameters: queryParameters(reportQuerySchema),
        },
      },
      '/api/v1/reports/what-if': { get: { summary: 'For a running period: how many open dossiers must stay within time for the progress rate to reach `target`, and the open ones closest to their due instant', security: bearer, parameters: queryParameters(whatIfQuerySchema) } },
      '/api/v1/reports/dossiers': { get: { summary: 'The dossiers behind one cell of the report (.csv too)', security: bearer, parameters: queryParameters(cellQuerySchema) } },
      '/letters/{code}/{form}': { get: { summary: 'Printable A5 letter: receipt, apology (404 until issued) or control-slip', security: bearer } },
      '/api/v1/agencies': { get: { summary: 'The agency tree', security: bearer } },
      '/api/v1/procedures': { get: { summary: 'The procedure catalogue', security: bearer } },
    },
  };
}
