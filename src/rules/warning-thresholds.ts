/**
 * Warnings that climb (issue 26 item 3): an agency's thresholds as data, with defaults and inheritance like the
 * policies (policies.ts). A threshold is either a share of a step's time used (100 %: the step is overdue) or the
 * dossier's own due instant coming within some working days without an apology; each names whom to tell and
 * whether to repeat while nothing moves. Pure: the scan (alerts/warning-scan.ts) judges and sends.
 */
import { z } from 'zod';

/**
 * Whom a threshold tells. `holder`: the person holding the dossier in the step (the `assigned` event's holder).
 * `supervisor`: the supervisors of the unit handling the step (the nearest agency at or above it with supervisors
 * registered). `leader`: the supervisors of the next agency above that unit's with any (the head of the unit above).
 * `{ personId }`: a person with an account, who must belong to the agency whose settings name them.
 */
export const warningRecipientSchema = z.union([z.enum(['holder', 'supervisor', 'leader']), z.strictObject({ personId: z.string().trim().min(1).max(64) })]);
export type WarningRecipient = z.infer<typeof warningRecipientSchema>;

const common = {
  notify: z.array(warningRecipientSchema).min(1, 'a threshold needs at least one recipient').max(10),
  /** Tell again every this many working hours while the step (or dossier) stays where it is; null: once. */
  repeatEveryWorkingHours: z.number().positive().max(200).nullable().default(null),
};

export const stepThresholdSchema = z.strictObject({
  on: z.literal('step'),
  /** The share of the step's working time used when it is crossed; 100: the step is due (then overdue). */
  usedPercent: z.number().gt(0, 'must be above 0 %').max(100, 'must be at most 100 % (100 %: the step is due)'),
  ...common,
});

export const dossierThresholdSchema = z.strictObject({
  on: z.literal('dossier'),
  /** Crossed when the dossier's due instant is this many working days away (or less) and no apology was issued. */
  dueWithinWorkingDays: z.number().positive().max(30),
  ...common,
});

export const warningThresholdSchema = z.discriminatedUnion('on', [stepThresholdSchema, dossierThresholdSchema]);
export type WarningThreshold = z.infer<typeof warningThresholdSchema>;

export const warningSettingsSchema = z.strictObject({
  thresholds: z.array(warningThresholdSchema).max(20),
  /** Warnings go out only while the agency's office is open (working days, office hours) unless this is true. */
  outsideOfficeHours: z.boolean().default(false),
});
export type WarningSettings = z.infer<typeof warningSettingsSchema>;
export type WarningSettingsInput = z.input<typeof warningSettingsSchema>;

/**
 * The defaults (docs/warnings.md says why):
 * - a step 75 % used tells its holder once: a quarter of the step's time is left to finish or ask for help;
 * - a step due tells the holder and the unit's supervisor, again every 4 working hours (twice a working day) until
 *   the dossier moves on;
 * - a dossier due within 1 working day without an apology tells the supervisor and the leader, again every 4
 *   working hours: the apology must go out no later than 1 day before the due date (Decree 118/2025 Art. 19(6)),
 *   so this is the last working day on which a lawful one can still be issued.
 */
export const DEFAULT_WARNING_SETTINGS: WarningSettings = {
  thresholds: [
    { on: 'step', usedPercent: 75, notify: ['holder'], repeatEveryWorkingHours: null },
    { on: 'step', usedPercent: 100, notify: ['holder', 'supervisor'], repeatEveryWorkingHours: 4 },
    { on: 'dossier', dueWithinWorkingDays: 1, notify: ['supervisor', 'leader'], repeatEveryWorkingHours: 4 },
  ],
  outsideOfficeHours: false,
};

/** An agency's settings: its own, else its nearest ancestor's (path from the root), else the defaults. Whole, not merged. */
export function resolveWarningSettings(pathFromRoot: string[], own: ReadonlyMap<string, WarningSettings>): { settings: WarningSettings; from: string | null } {
  for (let i = pathFromRoot.length - 1; i >= 0; i--) {
    const s = own.get(pathFromRoot[i]!);
    if (s) return { settings: s, from: pathFromRoot[i]! };
  }
  return { settings: DEFAULT_WARNING_SETTINGS, from: null };
}

/** The person ids a settings document names, with the field path of each (the API checks them against the people). */
export function namedPeople(settings: WarningSettingsInput): Array<{ personId: string; path: string }> {
  return settings.thresholds.flatMap((t, i) =>
    t.notify.flatMap((r, j) => (typeof r === 'object' ? [{ personId: r.personId, path: `thresholds[${i}].notify[${j}].personId` }] : [])),
  );
}
