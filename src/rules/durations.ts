/**
 * How the law states a processing time (DOMAIN §3): its unit, the convention that ends a working-day count, a
 * receipt cut-off. Schemas only, below both the catalogue (which stores them per procedure) and the dossiers
 * (which count with them): neither imports the other for them.
 */
import { z } from 'zod';

/** The national formula's DonViTinh: Giờ, Ngày, Ngày làm việc, tháng. Never coerced into each other. */
export const durationUnitSchema = z.enum(['working-days', 'working-hours', 'calendar-days', 'months']);
export type DurationUnit = z.infer<typeof durationUnitSchema>;

/**
 * How a working-day duration ends. `working-time` (Thanh Hóa, OpenCPS): one
 * working day is one day's office time and the due instant keeps the time of
 * day of the clock start. `end-of-day` (Alaveteli, Civil Code style): the
 * closing time of the n-th working day after the day the clock starts.
 */
export const deadlineConventionSchema = z.enum(['working-time', 'end-of-day']);
export type DeadlineConvention = z.infer<typeof deadlineConventionSchema>;

export const receiptCutoffSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM')
  .nullable();

/**
 * A processing time in its own unit. Calendar days and months count whole
 * days; working days may be halves (a half day is real in some catalogues);
 * working hours whole minutes. Anything finer has no meaning in law and
 * would only carry floating-point noise into instants.
 */
export const durationSchema = z.object({ value: z.number().positive().max(10_000), unit: durationUnitSchema }).superRefine((d, ctx) => {
  const ok =
    d.unit === 'working-days'
      ? Number.isInteger(d.value * 2)
      : d.unit === 'working-hours'
        ? Number.isInteger(Math.round(d.value * 60 * 1e6) / 1e6)
        : Number.isInteger(d.value);
  if (!ok)
    ctx.addIssue({
      code: 'custom',
      path: ['value'],
      message: {
        'working-days': 'working days in halves (0.5, 1, 1.5 …)',
        'working-hours': 'working hours in whole minutes',
        'calendar-days': 'a whole number of days',
        months: 'a whole number of months',
      }[d.unit],
    });
});
export type Duration = z.infer<typeof durationSchema>;
