/**
 * The small catalogue the fold's unit tests reason about by hand, and builders
 * for a dossier's logged events. One definition for every unit test that folds
 * (issue 24 item 5), so a change to the catalogue schema is made once.
 *
 * Agencies: the province P (carrying the settings under test), its commune
 * P.X, its public administration service centre P.C and its department P.S.
 * Procedures: WD3 (3 working days, full online), CD5 (5 calendar days) and WD
 * (working days, 3 unless a test asks for another number).
 */
import { randomUUID } from 'node:crypto';
import { Catalog } from '../../src/catalog/catalog.js';
import { agencySchema, procedureSchema } from '../../src/catalog/schemas.js';
import { VietnamCalendar } from '../../src/calendar/vietnam-calendar.js';
import { dossierEventSchema, type LoggedEvent } from '../../src/dossiers/events.js';
import type { FoldContext } from '../../src/dossiers/fold.js';
import type { AgencySettings } from '../../src/rules/policies.js';

export const calendar = new VietnamCalendar();

export function fixtureCatalog(settings: AgencySettings = {}, wdDays = 3): Catalog {
  const agencies = [
    agencySchema.parse({ code: 'P', name: 'Tỉnh', kind: 'province', parentCode: null, validFrom: '2000-01-01', validTo: null, settings, source: 'test' }),
    agencySchema.parse({ code: 'P.X', name: 'Xã', kind: 'commune', parentCode: 'P', validFrom: '2000-01-01', validTo: null, source: 'test' }),
    agencySchema.parse({ code: 'P.C', name: 'Trung tâm', kind: 'service-centre', parentCode: 'P', validFrom: '2000-01-01', validTo: null, source: 'test' }),
    agencySchema.parse({ code: 'P.S', name: 'Sở', kind: 'department', parentCode: 'P', validFrom: '2000-01-01', validTo: null, source: 'test' }),
  ];
  const procedures = [
    procedureSchema.parse({
      code: 'WD3',
      name: '3 ngày làm việc',
      field: 'f',
      duration: { value: 3, unit: 'working-days' },
      onlineLevel: 'full',
      feeRequired: false,
      source: 'test',
    }),
    procedureSchema.parse({
      code: 'CD5',
      name: '5 ngày',
      field: 'f',
      duration: { value: 5, unit: 'calendar-days' },
      onlineLevel: 'none',
      feeRequired: false,
      source: 'test',
    }),
    procedureSchema.parse({
      code: 'WD',
      name: 'x',
      field: 'f',
      duration: { value: wdDays, unit: 'working-days' },
      onlineLevel: 'full',
      feeRequired: false,
      source: 'test',
    }),
  ];
  return new Catalog(agencies, procedures);
}

/** The fold's context: the province's settings, and WD's length in working days. */
export function context(settings: AgencySettings = {}, wdDays = 3): FoldContext {
  return { catalog: fixtureCatalog(settings, wdDays), calendar };
}

let seq = 0;
/** An event of dossier D (unless `fields` names another), logged after every event built before it. */
export function log(type: string, occurredAt: string, fields: Record<string, unknown> = {}): LoggedEvent {
  const event = dossierEventSchema.parse({ eventId: randomUUID(), type, dossierCode: 'D', occurredAt, ...fields });
  return { seq: ++seq, event };
}

/** A paper receipt by the commune P.X, of WD3 unless another procedure code is given, or with other fields. */
export const received = (occurredAt: string, over: string | Record<string, unknown> = 'WD3') =>
  log('received', occurredAt, {
    procedureCode: 'WD3',
    receivingAgencyCode: 'P.X',
    channel: 'direct',
    applicant: { name: 'A' },
    feeRequired: false,
    digitized: false,
    ...(typeof over === 'string' ? { procedureCode: over } : over),
  });

/** A paper receipt of WD by the service centre P.C (the regimes' tests: a centre receiving for a department). */
export const receivedAtCentre = (occurredAt: string, fields: Record<string, unknown> = {}) =>
  received(occurredAt, { procedureCode: 'WD', receivingAgencyCode: 'P.C', ...fields });
