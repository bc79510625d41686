/**
 * The synthetic stream (demo data and benchmarks) is valid event by event,
 * also across the 1 July 2025 reform that closed the districts at midnight.
 */
import { Catalog } from '../../src/catalog/catalog.js';
import { VietnamCalendar } from '../../src/calendar/vietnam-calendar.js';
import { foldDossier } from '../../src/dossiers/fold.js';
import type { DossierEvent } from '../../src/dossiers/events.js';
import { sampleProvince } from '../../src/sample/province.js';
import { generateEvents } from '../../src/sample/sample-events.js';

test('every generated dossier folds, including those received by districts in the last hours before they closed', () => {
  const { agencies, procedures } = sampleProvince();
  const catalog = new Catalog(agencies, procedures);
  const events = generateEvents(catalog, {
    seed: 3,
    dossiers: 3000,
    from: Date.parse('2025-06-28T00:00:00+07:00'),
    to: Date.parse('2025-07-03T00:00:00+07:00'),
    until: Date.parse('2025-12-01T00:00:00+07:00'),
  });
  const byCode = new Map<string, DossierEvent[]>();
  for (const e of events) byCode.set(e.dossierCode, [...(byCode.get(e.dossierCode) ?? []), e]);
  const ctx = { catalog, calendar: new VietnamCalendar() };
  const failures: string[] = [];
  for (const [code, list] of byCode) {
    try {
      foldDossier(
        list.map((event, seq) => ({ seq, event })),
        ctx,
      );
    } catch (err) {
      failures.push(`${code}: ${(err as Error).message}`);
    }
  }
  expect(byCode.size).toBe(3000);
  expect(failures).toEqual([]);
});
