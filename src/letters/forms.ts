/**
 * The legal form sets, as data (`fixtures/forms/form-sets.json`), chosen by
 * the dossier's receipt date: a dossier keeps the forms in force when it was
 * received (DOMAIN §1, §4). A set whose effective date is not known yet
 * (`effectiveFrom: null`) is recorded but never applied; a letter names its
 * legal basis only when the set is confirmed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isoDateSchema } from '../calendar/calendar-file.js';
import { dayFromIsoDate, localDayOf } from '../calendar/local-time.js';

const formSchema = z.strictObject({ number: z.string().min(1), title: z.string().min(1), reference: z.string().optional() });

export const formSetSchema = z.strictObject({
  id: z.string().min(1),
  legalBasis: z.string().min(1),
  effectiveFrom: isoDateSchema.nullable(),
  confirmed: z.boolean(),
  source: z.string().min(1),
  forms: z
    .object({ receipt: formSchema, supplementRequest: formSchema, refusal: formSchema, apology: formSchema, controlSlip: formSchema })
    .catchall(formSchema),
});
export type FormSet = z.infer<typeof formSetSchema>;

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'forms', 'form-sets.json');
let loaded: readonly FormSet[] | undefined;

/** The form sets, read once when first asked for (a bad file is then an error of the start, not of an import). */
export function formSets(): readonly FormSet[] {
  return (loaded ??= z.array(formSetSchema).parse(JSON.parse(readFileSync(FILE, 'utf8'))));
}

/** The latest set in force on the receipt date; the first set before any. */
export function formSetAt(receivedAtMs: number, sets: readonly FormSet[] = formSets()): FormSet {
  const day = localDayOf(receivedAtMs);
  const inForce = sets.filter((s) => s.effectiveFrom !== null && dayFromIsoDate(s.effectiveFrom) <= day);
  return inForce.sort((a, b) => (a.effectiveFrom! < b.effectiveFrom! ? -1 : 1)).at(-1) ?? sets[0]!;
}
