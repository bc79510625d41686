/**
 * Dossier events (sự kiện hồ sơ) as counters and their software send them.
 * These zod schemas are the single source of the API's types and its docs.
 */
import { z } from 'zod';
import { instantSchema } from '../calendar/instant.js';
import { durationSchema } from '../rules/durations.js';
import { holderSchema } from './holder.js';

const instant = instantSchema;
const code = z.string().trim().min(1).max(64);
const text = z.string().trim().min(1).max(2000);

export const channelSchema = z.enum(['direct', 'online', 'postal']);
export type Channel = z.infer<typeof channelSchema>;

export const applicantSchema = z.object({
  name: z.string().trim().min(1).max(200),
  idNumber: z
    .string()
    .trim()
    .regex(/^\d{9,12}$/, 'expected 9–12 digits (CMND/CCCD)')
    .optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?\d[\d .-]{7,15}$/, 'expected a phone number')
    .optional(),
  email: z.email().optional(),
  address: z.string().trim().max(500).optional(),
});
export type Applicant = z.infer<typeof applicantSchema>;

/** The channels a citizen may choose to be told through (Decree 224/2026 Art. 15(1)(g); DOMAIN §6). */
export const citizenChannelSchema = z.enum(['email', 'sms', 'zalo']);
export type CitizenChannel = z.infer<typeof citizenChannelSchema>;

/**
 * A Vietnamese mobile number (SMS brandname and Zalo ZNS reach only mobiles): 0 or +84/84, then a mobile prefix
 * (3, 5, 7, 8, 9) and 8 digits; spaces, dots and dashes between digits are allowed and dropped when sending.
 */
export const mobilePhoneSchema = z
  .string()
  .trim()
  .regex(/^(?:\+?84[ .-]?|0)[35789](?:[ .-]?\d){8}$/, 'expected a Vietnamese mobile number (0912 345 678 or +84912345678)');

/** One channel the applicant chose, with the contact for it: a channel without its contact is refused (400). */
export const contactSchema = z.discriminatedUnion('channel', [
  z.strictObject({ channel: z.literal('email'), address: z.email({ message: 'expected an e-mail address' }).max(254) }),
  z.strictObject({ channel: z.literal('sms'), phone: mobilePhoneSchema }),
  z.strictObject({ channel: z.literal('zalo'), phone: mobilePhoneSchema }),
]);
export type Contact = z.infer<typeof contactSchema>;

/** The applicant's channels of choice: each at most once. An empty list means: tell me nothing. */
export const consentSchema = z
  .array(contactSchema)
  .max(3)
  .refine((list) => new Set(list.map((c) => c.channel)).size === list.length, 'each channel at most once');

/** How a consent was given or withdrawn: the record the citizen may ask to see (Decree 13/2023 on personal data). */
export const consentViaSchema = z.enum(['counter', 'online', 'phone', 'letter', 'link', 'keyword']);

const base = {
  eventId: z.uuid({ message: 'expected a UUID chosen by the sender' }).transform((s) => s.toLowerCase()),
  dossierCode: code.regex(/^[\p{L}\p{N}._\-/]+$/u, 'letters, digits, . _ - / only'),
  occurredAt: instant,
};

export const receivedEventSchema = z.object({
  ...base,
  type: z.literal('received'),
  procedureCode: code,
  receivingAgencyCode: code,
  channel: channelSchema,
  applicant: applicantSchema,
  feeRequired: z.boolean(),
  digitized: z.boolean(),
  /** The appointment the sending system printed on the receipt, to check against the legal due instant. */
  declaredDueAt: instant.optional(),
  /**
   * Received regardless of administrative boundary (a centre receiving for another agency): the competent
   * agency. From 5 Aug 2026 (Decree 309/2026 Art. 8) the clock starts when it receives the dossier, that is at
   * the first `assigned` event to it.
   */
  competentAgencyCode: code.optional(),
  /** At least one component reuses digitised data (the portal's HoSoCoThanhPhanSoHoa = 1; indicator 4.3). Absent: no. */
  reusedDigitizedData: z.boolean().optional(),
  /**
   * An online dossier: when the system received the submission (the portal's acknowledgement). `occurredAt` is then
   * the acceptance (tiếp nhận chính thức), from which the time limit counts (Decree 118/2025 Art. 17(3)); an
   * acceptance later than 8 working hours after the submission is a violation (Art. 17(2)). Absent (and in events
   * sent before it existed): the receipt is both.
   */
  submittedAt: instant.optional(),
  /**
   * The applicant's consent to be told of the dossier (receipt, supplement request, apology, result, refusal), per
   * channel with its contact. Absent or empty: nothing is sent. Recorded as given at receipt through the dossier's
   * channel (counter or online).
   */
  consent: consentSchema.optional(),
});

export const assignedEventSchema = z.object({
  ...base,
  type: z.literal('assigned'),
  agencyCode: code,
  step: z.string().trim().min(1).max(200),
  /** The step's allotted time when the sender knows it; otherwise the procedure's step budget applies. */
  budget: durationSchema.optional(),
  /** The person now holding the dossier (người xử lý); absent: the agency holds it, no person named. */
  holder: holderSchema.optional(),
});

export const supplementRequestedEventSchema = z.object({ ...base, type: z.literal('supplement_requested'), reason: text });
export const supplementReceivedEventSchema = z.object({ ...base, type: z.literal('supplement_received') });
export const apologyIssuedEventSchema = z.object({ ...base, type: z.literal('apology_issued'), reason: text, newDueAt: instant });
export const paymentRecordedEventSchema = z.object({
  ...base,
  type: z.literal('payment_recorded'),
  amount: z.number().int('amount in whole đồng').nonnegative(),
  method: z.enum(['online', 'counter', 'transfer', 'postal']),
  viaNationalPortal: z.boolean(),
});
export const resultReadyEventSchema = z.object({
  ...base,
  type: z.literal('result_ready'),
  /** The result was issued as an electronic file (the portal's MaKetQua + DuongDanTepTinKetQua; indicators 3.3, 4.1, 4.2). Absent: no. */
  electronicResult: z.boolean().optional(),
});
export const returnedEventSchema = z.object({ ...base, type: z.literal('returned'), method: z.enum(['counter', 'postal', 'online']) });
export const refusedEventSchema = z.object({ ...base, type: z.literal('refused'), reason: text });
/**
 * The one-stop unit closes a dossier the applicant did not complete within the period after the supplementation
 * notice (đóng hồ sơ: Decree 118/2025 Art. 19(5), 15 days).
 */
export const closedEventSchema = z.object({ ...base, type: z.literal('closed'), reason: text.optional() });
export const withdrawnEventSchema = z.object({ ...base, type: z.literal('withdrawn'), reason: text.optional() });
/** The applicant's rating of the service (indicator 5.4): liked or disliked; the latest counts. */
export const ratedEventSchema = z.object({ ...base, type: z.literal('rated'), rating: z.enum(['liked', 'disliked']) });
/** The applicant chose (more) channels after receipt: each listed channel's contact replaces the one recorded. */
export const consentGivenEventSchema = z.object({
  ...base,
  type: z.literal('consent_given'),
  consent: consentSchema.refine((l) => l.length > 0, 'at least one channel'),
  via: consentViaSchema,
});
/** The applicant stopped the messages: on the listed channels, or on every channel when none is listed. */
export const consentWithdrawnEventSchema = z.object({
  ...base,
  type: z.literal('consent_withdrawn'),
  channels: z.array(citizenChannelSchema).min(1).max(3).optional(),
  via: consentViaSchema,
});
/** A complaint or petition about the dossier (phản ánh, kiến nghị; indicator 5.4). */
export const complaintReceivedEventSchema = z.object({ ...base, type: z.literal('complaint_received'), summary: text.optional() });

/**
 * Who wrote an explanation or reviewed it: the actor's id (an API key's or a person's), which must be the caller's own
 * (authorization.ts); carried in the event so that the fold can refuse a review by the explanation's author.
 */
const actorId = z.string().trim().min(1).max(64);

/**
 * Why a late or overdue dossier is late (giải trình): a reason code (dossiers/explanation.ts EXPLANATION_REASONS; an
 * unknown one is refused by the fold, 422), free text (required for `other`), the agency responsible (one that took
 * part in the dossier) and optionally its step. A later one replaces it until a supervisor acknowledges it.
 */
export const lateExplainedEventSchema = z.object({
  ...base,
  type: z.literal('late_explained'),
  reason: z.string().trim().min(1).max(64),
  note: text.optional(),
  responsibleAgencyCode: code,
  responsibleStep: z.string().trim().min(1).max(200).optional(),
  by: actorId,
});
/** A supervisor other than its author accepts the explanation. */
export const explanationAcknowledgedEventSchema = z.object({ ...base, type: z.literal('explanation_acknowledged'), by: actorId, comment: text.optional() });
/** A supervisor other than its author sends the explanation back, saying why: it is to be explained again. */
export const explanationReturnedEventSchema = z.object({ ...base, type: z.literal('explanation_returned'), by: actorId, comment: text });

/**
 * The steps of a letter's approval (letter-workflow.ts): an apology or a refusal is drafted, submitted, approved or
 * returned with a comment, signed, then issued (issuing records `apology_issued` or `refused`). `by` is the actor who
 * took the step (a person's or a key's id): authorization requires it to be the caller, so the fold can tell a
 * drafter from an approver.
 */
export const letterKindSchema = z.enum(['apology', 'refusal']);
const letterStep = { form: letterKindSchema, by: z.uuid({ message: 'expected the actor id (UUID)' }).transform((s) => s.toLowerCase()) };
export const letterDraftedEventSchema = z.object({ ...base, ...letterStep, type: z.literal('letter_drafted'), reason: text, newDueAt: instant.optional() });
export const letterSubmittedEventSchema = z.object({ ...base, ...letterStep, type: z.literal('letter_submitted') });
export const letterApprovedEventSchema = z.object({ ...base, ...letterStep, type: z.literal('letter_approved') });
export const letterReturnedEventSchema = z.object({ ...base, ...letterStep, type: z.literal('letter_returned'), comment: text });
export const letterSignedEventSchema = z.object({
  ...base,
  ...letterStep,
  type: z.literal('letter_signed'),
  /** SHA-256 (hex) of the signed PDF, whose bytes are kept (store/signed-letters.ts). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in lowercase hex'),
  /** The signing certificate's subject (the organisation's, or an external signer's). */
  certificate: z.string().trim().min(1).max(500),
});

export const LETTER_STEP_TYPES = ['letter_drafted', 'letter_submitted', 'letter_approved', 'letter_returned', 'letter_signed'] as const;

/**
 * The apology reached the applicant (issue 27 item 4): by e-mail, SMS or Zalo when the gateway accepted it (the
 * outbox records it, alerts/apology-delivery.ts), handed over at the counter or sent by post (staff post it). The
 * lawful-apology judgment (apology.ts) uses the first delivery's instant when there is one.
 */
export const apologyDeliveredEventSchema = z.object({
  ...base,
  type: z.literal('apology_delivered'),
  via: z.enum(['email', 'sms', 'zalo', 'counter', 'post']),
});

/** The events that say what happened to a dossier: the ones a void or a correction can concern. */
const factSchemas = [
  receivedEventSchema,
  assignedEventSchema,
  supplementRequestedEventSchema,
  supplementReceivedEventSchema,
  apologyIssuedEventSchema,
  apologyDeliveredEventSchema,
  paymentRecordedEventSchema,
  resultReadyEventSchema,
  returnedEventSchema,
  refusedEventSchema,
  withdrawnEventSchema,
  closedEventSchema,
  ratedEventSchema,
  complaintReceivedEventSchema,
  consentGivenEventSchema,
  consentWithdrawnEventSchema,
  lateExplainedEventSchema,
  explanationAcknowledgedEventSchema,
  explanationReturnedEventSchema,
  letterDraftedEventSchema,
  letterSubmittedEventSchema,
  letterApprovedEventSchema,
  letterReturnedEventSchema,
  letterSignedEventSchema,
] as const;

const factOmit = { eventId: true, dossierCode: true } as const;
/**
 * What a correction puts in the place of an event: the event as it should have been sent, of the same type, without
 * its eventId and dossierCode (those of the corrected event's dossier; the correction's own eventId names it).
 */
export const replacementSchema = z.discriminatedUnion('type', [
  receivedEventSchema.omit(factOmit),
  assignedEventSchema.omit(factOmit),
  supplementRequestedEventSchema.omit(factOmit),
  supplementReceivedEventSchema.omit(factOmit),
  apologyIssuedEventSchema.omit(factOmit),
  apologyDeliveredEventSchema.omit(factOmit),
  paymentRecordedEventSchema.omit(factOmit),
  resultReadyEventSchema.omit(factOmit),
  returnedEventSchema.omit(factOmit),
  refusedEventSchema.omit(factOmit),
  withdrawnEventSchema.omit(factOmit),
  closedEventSchema.omit(factOmit),
  ratedEventSchema.omit(factOmit),
  complaintReceivedEventSchema.omit(factOmit),
  consentGivenEventSchema.omit(factOmit),
  consentWithdrawnEventSchema.omit(factOmit),
]);

/**
 * A supervisor (or admin) voids an event recorded by mistake (issue 28 item 6): the log keeps both, the fold reads
 * the dossier as if the voided event had never been sent (dossiers/corrections.ts). `occurredAt` is when it was voided.
 */
export const voidedEventSchema = z.object({
  ...base,
  type: z.literal('voided'),
  targetEventId: z.uuid({ message: 'expected the eventId of the event to void' }).transform((s) => s.toLowerCase()),
  reason: text,
});
/** A supervisor (or admin) corrects an event: the fold reads `replacement` in its place, re-validated as if it had been sent. */
export const correctedEventSchema = z.object({
  ...base,
  type: z.literal('corrected'),
  targetEventId: z.uuid({ message: 'expected the eventId of the event to correct' }).transform((s) => s.toLowerCase()),
  reason: text,
  replacement: replacementSchema,
});

export const dossierEventSchema = z.discriminatedUnion('type', [...factSchemas, voidedEventSchema, correctedEventSchema]);

export type DossierEvent = z.infer<typeof dossierEventSchema>;
/** An event that says what happened (not a void or a correction of another). */
export type FactEvent = Exclude<DossierEvent, { type: 'voided' | 'corrected' }>;
export type CorrectionEvent = Extract<DossierEvent, { type: 'voided' | 'corrected' }>;

export function isCorrection(e: DossierEvent): e is CorrectionEvent {
  return e.type === 'voided' || e.type === 'corrected';
}

/**
 * The instants of an event that say when something happened (its occurrence; an online receipt's submission; those
 * of a correction's replacement), with their paths: none may lie in the future (ingestion refuses them, 422).
 * Appointments (`newDueAt`, `declaredDueAt`) are promises about the future and are not among them.
 */
export function happenedInstants(e: DossierEvent): Array<{ field: string; at: string }> {
  const own = (x: { occurredAt: string; type: string; submittedAt?: string }, prefix: string) => [
    { field: `${prefix}occurredAt`, at: x.occurredAt },
    ...(x.type === 'received' && x.submittedAt ? [{ field: `${prefix}submittedAt`, at: x.submittedAt }] : []),
  ];
  return e.type === 'corrected' ? [...own(e, ''), ...own(e.replacement, 'replacement.')] : own(e, '');
}

export const MAX_BATCH = 1000;

/** An event as stored in the log: what was sent, plus its place in arrival order. */
export interface LoggedEvent {
  seq: number;
  event: DossierEvent;
  /** A correction's replacement read in the place of the event it corrects (corrections.ts): that event's id. */
  replaces?: string;
}
