import { randomUUID } from 'node:crypto';
import { sampleProvince } from '../../src/sample/province.js';

/** Whether the sample catalogue charges a fee for the procedure (a fee-free one refuses feeRequired: true). */
const feeOf = (code: unknown) => sampleProvince().procedures.find((p) => p.code === code)?.feeRequired ?? true;

/** Builders for valid events; tests override what they are about. */
export const ev = {
  received: (code: string, occurredAt: string, over: Record<string, unknown> = {}) => ({
    feeRequired: feeOf(over.procedureCode ?? '1.004194'),
    eventId: randomUUID(),
    type: 'received',
    dossierCode: code,
    occurredAt,
    procedureCode: '1.004194', // Đăng ký tạm trú: 3 working days
    receivingAgencyCode: 'SLA.TPSL.CLE',
    channel: 'direct',
    applicant: { name: 'Lò Văn Hùng', idNumber: '014090001234', phone: '0912345678' },
    digitized: false,
    ...over,
  }),
  of: (type: string, code: string, occurredAt: string, over: Record<string, unknown> = {}) => ({
    eventId: randomUUID(),
    type,
    dossierCode: code,
    occurredAt,
    ...over,
  }),
};
