/**
 * The report parameters, shared by the API, the CLI and the dashboard.
 */
import { z } from 'zod';
import { CELL_FILTERS, type Cell } from './counts-sql.js';
import { conventionSchema, dateRange, periodRange, periodSchema, type Period } from './periods.js';

const isoDate = z.iso.date().refine((d) => d >= '2000-01-01' && d <= '2199-12-31', 'must be between 2000 and 2199');

/** What every report query shares: the period (a label, or a date range) and the filters. */
const common = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  period: periodSchema.optional(),
  convention: conventionSchema.default('calendar'),
  agency: z.string().max(64).optional(),
  procedure: z.string().max(64).optional(),
  field: z.string().max(200).optional(),
  channel: z.enum(['direct', 'online', 'postal']).optional(),
  /** CSV only: `vn` writes ";" and decimal commas for Excel under Vietnamese settings. */
  dialect: z.enum(['standard', 'vn']).default('standard'),
};

const onePeriod = {
  message: 'give either period, or from and to (dates, from ≤ to)',
  path: ['period'],
};
const hasOnePeriod = (q: { period?: string; from?: string; to?: string }) => (q.period ? !q.from && !q.to : !!(q.from && q.to && q.from <= q.to));

export const reportQuerySchema = z
  .strictObject({
    ...common,
    groupBy: z.enum(['agency', 'procedure', 'field', 'channel', 'month', 'all']).default('agency'),
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  })
  .refine(hasOnePeriod, onePeriod);
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const cellQuerySchema = z
  .strictObject({
    ...common,
    outcome: z.enum(Object.keys(CELL_FILTERS) as [Cell, ...Cell[]]).default('late'),
    limit: z.coerce.number().int().min(1).max(10_000).default(500),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine(hasOnePeriod, onePeriod);

/** A period (by label or dates, with its convention) and optionally one agency: what period reports ask for. */
const periodAndAgency = { from: common.from, to: common.to, period: common.period, convention: common.convention, agency: common.agency };

/** Where lateness comes from (GET /reports/lateness): a period, the caller's agencies or one of them. */
export const latenessQuerySchema = z
  .strictObject({
    ...periodAndAgency,
    dialect: common.dialect,
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  })
  .refine(hasOnePeriod, onePeriod);

/** The late dossiers and their explanations (GET /reports/explanations): a period, the caller's agencies or one of them. */
export const explanationsQuerySchema = latenessQuerySchema;

/** The dossiers behind a row of it: the step's agency and name (either or both), or every overrun and late dossier. */
export const latenessDossiersQuerySchema = z
  .strictObject({
    ...periodAndAgency,
    dialect: common.dialect,
    stepAgency: z.string().max(64).optional(),
    step: z.string().trim().min(1).max(200).optional(),
    /** `overrun`: the row's overruns; `made_late`: the dossiers it made late; absent: both. */
    cell: z.enum(['overrun', 'made_late']).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(500),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine(hasOnePeriod, onePeriod);

/** An official report form (GET /reports/forms/:form): a period and, for a unit's form, the unit. */
export const officialFormQuerySchema = z.strictObject(periodAndAgency).refine(hasOnePeriod, onePeriod);

/** The register of apology letters (GET /reports/apologies): a period, the caller's agencies or one of them. */
export const apologyRegisterQuerySchema = z
  .strictObject({
    ...periodAndAgency,
    format: z.enum(['json', 'xlsx']).default('json'),
  })
  .refine(hasOnePeriod, onePeriod);

/** The portal's records of a period and an agency (GET /sync/dossiers). */
export const syncExportQuerySchema = z
  .strictObject({
    ...periodAndAgency,
    format: z.enum(['json', 'jsonl']).default('json'),
  })
  .refine(hasOnePeriod, onePeriod);

export function periodOf(q: { period?: string; from?: string; to?: string; convention: 'calendar' | 'report' }): Period {
  return q.period ? periodRange(q.period, q.convention) : dateRange(q.from!, q.to!);
}

/** A what-if: a running period, an agency (or the caller's), and the progress rate to reach. */
export const whatIfQuerySchema = z
  .strictObject({
    ...common,
    target: z.coerce.number().gt(0, 'a rate between 0 and 1, e.g. 0.98').max(1, 'a rate between 0 and 1, e.g. 0.98').default(0.98),
    limit: z.coerce.number().int().min(1).max(200).default(20),
  })
  .refine(hasOnePeriod, onePeriod);
