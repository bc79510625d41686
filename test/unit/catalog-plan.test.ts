/**
 * What an import would do to the catalogue in force (src/catalog/catalog-plan.ts):
 * entries added, changed field by field, retired (given a last day); a new
 * version of a procedure closing the one before it the day before it takes
 * effect (a dossier keeps the version it was received under, DOMAIN §1); and
 * every inconsistency named at its file, row and column. Nothing is deleted.
 *
 * The catalogue in force is the fold fixture's: agencies P (province), P.X,
 * P.C, P.S; procedures WD3, CD5, WD, each valid from 2000-01-01 with no end.
 */
import { Catalog } from '../../src/catalog/catalog.js';
import type { CatalogInput } from '../../src/catalog/catalog-file.js';
import { planCatalogImport } from '../../src/catalog/catalog-plan.js';
import { agencySchema, procedureSchema, type AgencyInput, type ProcedureInput } from '../../src/catalog/schemas.js';
import { fixtureCatalog } from '../support/fold-fixture.js';

const FILE = 'catalogue.json';
const agency = (over: Partial<AgencyInput> & Pick<AgencyInput, 'code'>) =>
  agencySchema.parse({ name: over.code, kind: 'commune', parentCode: 'P', validFrom: '2000-01-01', validTo: null, source: 'test', ...over });
const procedure = (over: Partial<ProcedureInput> & Pick<ProcedureInput, 'code'>) =>
  procedureSchema.parse({
    name: over.code,
    field: 'f',
    duration: { value: 3, unit: 'working-days' },
    onlineLevel: 'full',
    feeRequired: false,
    source: 'test',
    ...over,
  });
/** The entries of a file, numbered from row 1 in the order given. */
const input = (agencies: ReturnType<typeof agency>[], procedures: ReturnType<typeof procedure>[] = []): CatalogInput => ({
  agencies: agencies.map((value, i) => ({ value, at: { file: FILE, row: i + 1 } })),
  procedures: procedures.map((value, i) => ({ value, at: { file: FILE, row: i + 1 } })),
});
/** As the fixture has them (the names matter: an equal entry is unchanged). */
const inForce = {
  P: agency({ code: 'P', name: 'Tỉnh', kind: 'province', parentCode: null }),
  PX: agency({ code: 'P.X', name: 'Xã' }),
  PC: agency({ code: 'P.C', name: 'Trung tâm', kind: 'service-centre' }),
  WD3: procedure({ code: 'WD3', name: '3 ngày làm việc' }),
  CD5: procedure({ code: 'CD5', name: '5 ngày', duration: { value: 5, unit: 'calendar-days' }, onlineLevel: 'none' }),
};

function planned(current: Catalog, file: CatalogInput) {
  const result = planCatalogImport(current, file);
  if (!result.ok) throw new Error(`unexpected issues: ${JSON.stringify(result.issues)}`);
  return result.value;
}

const issuesOf = (current: Catalog, file: CatalogInput) => {
  const result = planCatalogImport(current, file);
  return result.ok ? [] : result.issues;
};

test('a revision: added, changed field by field, retired and unchanged entries, each counted once', () => {
  const plan = planned(
    fixtureCatalog(),
    input(
      [
        inForce.P, // as it is: unchanged
        { ...inForce.PX, name: 'Xã Mới' }, // renamed: changed
        agency({ code: 'P.Y', name: 'Phường Y', kind: 'ward' }), // new: added
        { ...inForce.PC, validTo: '2026-06-30' }, // given a last day: retired
      ],
      [
        inForce.CD5, // as it is: unchanged
        procedure({ code: 'NEW1', name: 'Thủ tục mới' }), // a code not in the catalogue: added, no "new version" note
      ],
    ),
  );
  expect(plan.summary).toEqual({ added: 2, changed: 1, retired: 1, unchanged: 2 });
  expect(plan.changed).toEqual([{ kind: 'agency', code: 'P.X', name: 'Xã Mới', changes: [{ field: 'name', from: 'Xã', to: 'Xã Mới' }] }]);
  expect(plan.retired).toEqual([{ kind: 'agency', code: 'P.C', name: 'Trung tâm', changes: [{ field: 'validTo', from: null, to: '2026-06-30' }] }]);
  expect(plan.added.map((e) => [e.kind, e.code, e.note])).toEqual([
    ['agency', 'P.Y', undefined],
    ['procedure', 'NEW1', undefined],
  ]);
  // Only what differs is written; the unchanged P and CD5 are not.
  expect(plan.write.agencies.map((a) => a.code)).toEqual(['P.X', 'P.Y', 'P.C']);
  expect(plan.write.procedures.map((p) => p.code)).toEqual(['NEW1']);
});

test('a new processing time from 1 Jan 2026: the version in force is closed on 31 Dec 2025, not changed in place', () => {
  const plan = planned(
    fixtureCatalog(),
    input([], [procedure({ code: 'WD3', name: '3 ngày làm việc', duration: { value: 5, unit: 'working-days' }, validFrom: '2026-01-01' })]),
  );
  expect(plan.summary).toEqual({ added: 1, changed: 1, retired: 0, unchanged: 0 });
  expect(plan.added).toEqual([
    {
      kind: 'procedure',
      code: 'WD3',
      name: '3 ngày làm việc',
      validFrom: '2026-01-01',
      changes: [],
      note: 'new version: dossiers received from 2026-01-01 take it',
    },
  ]);
  // Closed the day before the new version, by the plan and not by the file: a change, not a retirement.
  expect(plan.changed).toEqual([
    {
      kind: 'procedure',
      code: 'WD3',
      name: '3 ngày làm việc',
      validFrom: '2000-01-01',
      changes: [{ field: 'validTo', from: null, to: '2025-12-31' }],
      note: 'replaced by the version from 2026-01-01',
    },
  ]);
  expect(plan.write.procedures.map((p) => [p.validFrom, p.validTo, p.duration.value])).toEqual([
    ['2000-01-01', '2025-12-31', 3],
    ['2026-01-01', null, 5],
  ]);

  // The same file again, once applied: nothing to do (the closed version is not reported again).
  const applied = new Catalog(fixtureCatalog().allAgencies(), [
    ...fixtureCatalog()
      .procedureVersions()
      .filter((p) => p.code !== 'WD3'),
    ...plan.write.procedures,
  ]);
  const again = planned(
    applied,
    input([], [procedure({ code: 'WD3', name: '3 ngày làm việc', duration: { value: 5, unit: 'working-days' }, validFrom: '2026-01-01' })]),
  );
  expect(again.summary).toEqual({ added: 0, changed: 0, retired: 0, unchanged: 1 });
  expect(again.write).toEqual({ agencies: [], procedures: [] });
});

test('a procedure given a last day of its own is retired', () => {
  const plan = planned(fixtureCatalog(), input([], [{ ...inForce.WD3, validTo: '2026-12-31' }]));
  expect(plan.retired).toEqual([
    { kind: 'procedure', code: 'WD3', name: '3 ngày làm việc', validFrom: '2000-01-01', changes: [{ field: 'validTo', from: null, to: '2026-12-31' }] },
  ]);
});

test('settings compare by content, whatever the order of their keys', () => {
  const current = fixtureCatalog({ supplementPolicy: 'restart', latenessReading: 'date' });
  const same = agency({ code: 'P', name: 'Tỉnh', kind: 'province', parentCode: null, settings: { latenessReading: 'date', supplementPolicy: 'restart' } });
  expect(planned(current, input([same])).summary).toEqual({ added: 0, changed: 0, retired: 0, unchanged: 1 });
  const other = agency({ code: 'P', name: 'Tỉnh', kind: 'province', parentCode: null, settings: { latenessReading: 'date', supplementPolicy: 'pause' } });
  expect(planned(current, input([other])).changed[0]!.changes).toEqual([
    { field: 'settings', from: { supplementPolicy: 'restart', latenessReading: 'date' }, to: { latenessReading: 'date', supplementPolicy: 'pause' } },
  ]);
});

test('every inconsistency is named at its row and column, and nothing is planned', () => {
  const issues = issuesOf(
    fixtureCatalog(),
    input(
      [
        agency({ code: 'P.Y' }),
        agency({ code: 'P.Y', name: 'again' }), // row 2: the same code twice
        agency({ code: 'P.Z', parentCode: 'Q' }), // row 3: a parent nobody knows
        agency({ code: 'P.W', validFrom: '2026-01-01', validTo: '2025-12-31' }), // row 4: ends before it starts
        agency({ code: 'P.V', parentCode: 'P.V' }), // row 5: its own parent
      ],
      [
        procedure({ code: 'WD3', validFrom: '2026-01-01' }),
        // row 2: a version ending, by its own validTo, after the next one begins.
        procedure({ code: 'WD3', validFrom: '2025-06-01', validTo: '2026-03-31' }),
        procedure({ code: 'NEW1', validFrom: '2026-01-01', validTo: '2025-01-01' }), // row 3
        procedure({ code: 'NEW1', validFrom: '2026-01-01' }), // row 4: the same version twice
      ],
    ),
  );
  expect(issues.map((i) => `${i.file} row ${i.row} ${i.column}: ${i.message}`)).toEqual([
    'catalogue.json row 2 code: agency P.Y is given twice (first at catalogue.json row 1)',
    'catalogue.json row 4 validTo: ends before validFrom',
    'catalogue.json row 3 parentCode: unknown agency Q (neither in the file nor in the catalogue)',
    'catalogue.json row 5 parentCode: an agency cannot be its own parent',
    'catalogue.json row 3 validTo: ends before validFrom',
    'catalogue.json row 4 code: procedure NEW1 from 2026-01-01 is given twice (first at catalogue.json row 3)',
    'catalogue.json row 2 validTo: overlaps the version of WD3 from 2026-01-01',
  ]);
});

test('a cycle in the tree is named at the row of an agency on it', () => {
  // P.X (in force under P) moved under the new P.Y, itself under P.X.
  const issues = issuesOf(fixtureCatalog(), input([agency({ code: 'P.Y', parentCode: 'P.X' }), { ...inForce.PX, parentCode: 'P.Y' }]));
  expect(issues).toHaveLength(1);
  expect(issues[0]).toMatchObject({ file: FILE, column: 'parentCode', message: expect.stringMatching(/^agency P\.[XY]: cycle in the tree$/) });
  expect(issues[0]!.row).toBe(issues[0]!.message.includes('P.Y') ? 1 : 2);
});
