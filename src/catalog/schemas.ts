/**
 * The province's agencies and procedure catalogue, as loaded from fixtures/
 * or an administrator's import.
 */
import { z } from 'zod';
import { isoDateSchema } from '../calendar/calendar-file.js';
import { durationSchema } from '../rules/durations.js';
import { agencySettingsSchema } from '../rules/policies.js';

export const agencyKindSchema = z.enum([
  'province', // UBND tỉnh
  'department', // Sở, ban, ngành
  'service-centre', // Trung tâm Phục vụ hành chính công
  'district', // UBND huyện (abolished 1 July 2025)
  'commune', // UBND xã
  'ward', // UBND phường
  'unit', // other unit (phòng, chi cục, bộ phận một cửa)
]);

export const agencySchema = z.object({
  code: z.string().min(1).max(64),
  name: z.string().min(1),
  kind: agencyKindSchema,
  parentCode: z.string().nullable(),
  validFrom: isoDateSchema,
  /** Last day the agency existed (inclusive); null while it still exists. */
  validTo: isoDateSchema.nullable().default(null),
  email: z.email().nullable().default(null),
  settings: agencySettingsSchema.default({}),
  source: z.string().min(1),
});
export type Agency = z.infer<typeof agencySchema>;
export type AgencyInput = z.input<typeof agencySchema>;

export const procedureStepSchema = z.object({
  step: z.string().min(1),
  budget: durationSchema,
});

export const procedureSchema = z
  .object({
    /** National procedure code (mã TTHC on the national public service portal). */
    code: z.string().min(1).max(64),
    name: z.string().min(1),
    /** Lĩnh vực (the portal's TenLinhVuc). */
    field: z.string().min(1),
    /** The field's code (MaLinhVuc), when the province's catalogue has it. */
    fieldCode: z.string().min(1).max(64).nullable().default(null),
    duration: durationSchema,
    /** Online public service level: full (toàn trình), partial (một phần), none. */
    onlineLevel: z.enum(['full', 'partial', 'none']),
    /** The procedure has a fee or charge in the national procedure database (indicator 3.6's denominator). */
    feeRequired: z.boolean(),
    /** The result is a paper document (giấy tờ): then 3.3 and 4.2 also ask for an electronic result, and 4.1 counts it. */
    paperResult: z.boolean().default(true),
    /** Interconnected (liên thông) steps with their allotted times, in order. */
    steps: z.array(procedureStepSchema).default([]),
    /**
     * A receipt after this local time counts from the next working day's opening, by the procedure's own law (e.g.
     * Decree 63/2024/NĐ-CP Art. 7(2) for the online birth-registration group); overrides the agency's setting.
     */
    receiptCutoff: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
      .nullable()
      .default(null),
    /** The legal text that sets the cut-off: required with one, since every clock start says which rule produced it. */
    receiptCutoffSource: z.string().trim().min(1).max(500).nullable().default(null),
    source: z.string().min(1),
    /**
     * First local day this version applies to dossiers received on it (the effective date of the province's
     * decision announcing it). A new version of a code closes the one before it the day before.
     */
    validFrom: isoDateSchema.default('2000-01-01'),
    /** Last day (inclusive) a dossier can be received under this version; null while in force. */
    validTo: isoDateSchema.nullable().default(null),
  })
  .refine((p) => p.receiptCutoff === null || p.receiptCutoffSource !== null, {
    message: 'a receipt cut-off needs the legal text that sets it',
    path: ['receiptCutoffSource'],
  });
export type Procedure = z.infer<typeof procedureSchema>;
export type ProcedureInput = z.input<typeof procedureSchema>;
