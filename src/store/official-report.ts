/**
 * An official report form (reports/official-forms.ts) filled for a period and a scope, from the same counts as
 * GET /reports/rates (countsByReceivingAgency, countsBy): its total is that report's total for the same scope.
 */
import type { ReportReading } from './report-store.js';
import type { Catalog } from '../catalog/catalog.js';
import { exportInstant } from '../calendar/vietnamese-format.js';
import {
  FORM_NOTES,
  OFFICIAL_FORMS,
  formNumbers,
  periodText,
  type OfficialForm,
  type OfficialReport,
  type OfficialReportRow,
} from '../reports/official-forms.js';
import type { Period } from '../reports/periods.js';
import { addCounts, EMPTY_COUNTS, type Counts } from '../reports/rates.js';
import { countsBy, countsByReceivingAgency, rollUpAgencies, type ReportFilter } from './report-store.js';

const hasAny = (c: Counts) => formNumbers(c).some((n) => n !== 0);

/** The unit a report is sent to: the reporting agency's parent, or for a province the Government Office. */
function receivingUnitOf(catalog: Catalog, reporting: string[]): string {
  if (reporting.length !== 1) return '';
  const path = catalog.pathOf(reporting[0]!);
  return path.length > 1 ? (catalog.agency(path[path.length - 2]!)?.name ?? '') : 'Văn phòng Chính phủ';
}

export async function officialReport(
  rd: ReportReading,
  form: OfficialForm,
  period: Period,
  filter: ReportFilter,
  /** The agencies the report speaks for: the one asked for, or the caller's (null: the whole province). */
  units: string[],
): Promise<OfficialReport> {
  const { catalog } = rd;
  const def = OFFICIAL_FORMS[form];
  let rows: OfficialReportRow[];
  let total: Counts;
  if (def.rows === 'field') {
    const byField = await countsBy(rd, period, 'field', filter);
    total = [...byField.values()].reduce(addCounts, EMPTY_COUNTS);
    rows = [...byField.entries()]
      .filter(([, c]) => hasAny(c))
      .sort(([a], [b]) => a.localeCompare(b, 'vi'))
      .map(([field, c]) => ({ label: field || '(Chưa xác định lĩnh vực)', depth: 0, numbers: formNumbers(c) }));
  } else {
    const byReceiving = await countsByReceivingAgency(rd, period, filter);
    total = [...byReceiving.values()].reduce(addCounts, EMPTY_COUNTS);
    const counts = def.rows === 'agency-tree' ? rollUpAgencies(byReceiving, catalog, filter.agencies) : byReceiving;
    const top = Math.min(...[...counts.keys()].map((k) => catalog.pathOf(k).length));
    rows = [...counts.entries()]
      .filter(([, c]) => hasAny(c))
      .sort(([a], [b]) => catalog.pathOf(a).join('/').localeCompare(catalog.pathOf(b).join('/')))
      .map(([code, c]) => ({
        label: catalog.agency(code)?.name ?? code,
        depth: def.rows === 'agency-tree' ? catalog.pathOf(code).length - top : 0,
        numbers: formNumbers(c),
      }));
  }
  const root = catalog.agency(catalog.pathOf(units[0] ?? '')[0] ?? '');
  return {
    form,
    number: def.number,
    title: def.title,
    rowHeader: def.rowHeader,
    reportingUnit: units.map((u) => catalog.agency(u)?.name ?? u).join('; '),
    receivingUnit: receivingUnitOf(catalog, units),
    periodText: periodText(period.label),
    rangeText: `Từ ngày ${exportInstant(period.from).slice(0, 10)} đến ngày ${exportInstant(period.to - 1).slice(0, 10)}`,
    placeLine: `${(root?.name ?? '').replace(/^Ủy ban nhân dân (tỉnh|thành phố)\s+/i, '')}, ngày …… tháng …… năm ……`,
    rows,
    total: formNumbers(total),
    notes: FORM_NOTES,
  };
}
