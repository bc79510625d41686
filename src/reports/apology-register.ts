/**
 * The register of apology letters (sổ theo dõi văn bản xin lỗi và hẹn lại ngày trả kết quả) for a period: each
 * apology issued, with its dossier, procedure, the appointment it moved and the new one, the reason and who signed
 * it. Pure: the store reads the rows (store/apology-register.ts); this says what each entry is and its columns, which
 * the API's JSON, the XLSX and the page share.
 */
import { exportInstant } from '../calendar/vietnamese-format.js';
import type { Catalog } from '../catalog/catalog.js';
import type { ApologyRegisterRow } from '../store/apology-register.js';
import type { Column } from './columns.js';

export interface ApologyEntry {
  dossierCode: string;
  procedureCode: string;
  procedureName: string;
  agencyCode: string;
  agencyName: string;
  receivedAt: number;
  /** The appointment the apology moved (the due instant just before it). */
  originalDueAt: number;
  newDueAt: number;
  reason: string;
  issuedAt: number;
  /** Issued no later than 1 day before the due date (apology.ts lawfulApology): its new date is the appointment. Null when unknown. */
  inTime: boolean | null;
  /** Who signed it through the workflow, with the certificate; null for an apology recorded without the workflow. */
  signed: { by: string; name: string | null; certificate: string; at: number } | null;
}

/**
 * An entry from its row. The appointment it moved is the dossier's apology's when this is that apology (one per
 * dossier where the return date may be moved only once: Decree 118/2025 Art. 19(6)); for an earlier one under a
 * regime that allowed more, the dossier's original due instant.
 */
export function apologyEntry(r: ApologyRegisterRow, catalog: Catalog): ApologyEntry {
  const issuedAt = r.issued_at.getTime();
  const same = r.apology !== null && r.apology.issuedAt === issuedAt;
  return {
    dossierCode: r.dossier_code,
    procedureCode: r.procedure_code,
    procedureName: catalog.procedure(r.procedure_code)?.name ?? r.procedure_code,
    agencyCode: r.receiving_agency_code,
    agencyName: catalog.agency(r.receiving_agency_code)?.name ?? r.receiving_agency_code,
    receivedAt: r.received_at.getTime(),
    originalDueAt: same ? r.apology!.previousDueAt : r.original_due_at.getTime(),
    newDueAt: Date.parse(r.new_due_at),
    reason: r.reason,
    issuedAt,
    inTime: same ? r.apology!.reschedules : null,
    signed: r.signed_by ? { by: r.signed_by, name: r.signer, certificate: r.certificate ?? '', at: r.signed_at!.getTime() } : null,
  };
}

export const APOLOGY_REGISTER_COLUMNS: Column[] = [
  { key: 'number', header: 'STT', kind: 'count' },
  { key: 'dossierCode', header: 'Mã hồ sơ', kind: 'text' },
  { key: 'procedure', header: 'Thủ tục hành chính', kind: 'text' },
  { key: 'agencyName', header: 'Cơ quan tiếp nhận', kind: 'text' },
  { key: 'receivedText', header: 'Ngày tiếp nhận', kind: 'text' },
  { key: 'originalDueText', header: 'Hẹn trả kết quả trước khi xin lỗi', kind: 'text' },
  { key: 'newDueText', header: 'Hẹn lại ngày trả kết quả', kind: 'text' },
  { key: 'reason', header: 'Lý do', kind: 'text' },
  { key: 'issuedText', header: 'Ngày phát hành văn bản', kind: 'text' },
  { key: 'inTimeText', header: 'Xin lỗi đúng thời hạn', kind: 'text' },
  { key: 'signerText', header: 'Người ký', kind: 'text' },
  { key: 'certificate', header: 'Chứng thư số', kind: 'text' },
];

/** An entry as a line of the register (XLSX and page): instants as people read them. */
export function registerLine(e: ApologyEntry, i: number) {
  return {
    number: i + 1,
    dossierCode: e.dossierCode,
    procedure: `${e.procedureName} (${e.procedureCode})`,
    agencyName: e.agencyName,
    receivedText: exportInstant(e.receivedAt),
    originalDueText: exportInstant(e.originalDueAt),
    newDueText: exportInstant(e.newDueAt),
    reason: e.reason,
    issuedText: exportInstant(e.issuedAt),
    inTimeText: e.inTime === null ? '' : e.inTime ? 'Đúng thời hạn' : 'Muộn (không thay đổi hạn)',
    signerText: e.signed ? (e.signed.name ?? e.signed.by) : 'Không ký qua hệ thống',
    certificate: e.signed?.certificate ?? null,
  };
}
