/**
 * Which readings produced a report's figures (DOMAIN §5: every number says which rule produced it): the lateness
 * reading of the 766 judgment (instant or date) and what a late apology does to the 766 appointment, as set on the
 * agencies the report covers. A report over agencies that read differently says so ("mixed").
 */
import type { Catalog } from '../catalog/catalog.js';

export function readingsOf(catalog: Catalog, agencies: string[] | null) {
  const codes = agencies ? [...new Set(agencies.flatMap((a) => catalog.descendantsOf(a)))] : catalog.allAgencies().map((a) => a.code);
  const one = <T>(values: T[]): T | 'mixed' => (new Set(values).size > 1 ? 'mixed' : values[0]!);
  const policies = codes.map((c) => catalog.policiesOf(c));
  return {
    /** `instant`: finished after the due instant is late (the default); `date`: finished on the due day is on time. */
    lateness: policies.length ? one(policies.map((p) => p.latenessReading)) : 'instant',
    /** `unchanged`: an apology after the law's limit moves no appointment; `new-appointment`: the portal's reading. */
    lateApology: policies.length ? one(policies.map((p) => p.lateApology766)) : 'unchanged',
  };
}
