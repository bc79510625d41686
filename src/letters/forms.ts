/**
 * The legal form sets, chosen by the dossier's receipt instant: a dossier
 * keeps the forms in force when it was received (DOMAIN §1, §4).
 */
export interface FormSet {
  id: 'tt01-2018' | 'tt03-2025';
  legalBasis: string;
  receipt: { number: string; title: string };
  apology: { number: string; title: string; reference: string };
  controlSlip: { number: string; title: string };
}

const TT01: FormSet = {
  id: 'tt01-2018',
  legalBasis: 'Thông tư số 01/2018/TT-VPCP',
  receipt: { number: 'Mẫu số 01', title: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ' },
  apology: { number: 'Mẫu số 04', title: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ', reference: 'PXL' },
  controlSlip: { number: 'Mẫu số 05', title: 'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ' },
};

// Circular 03/2025/TT-VPCP (under Decree 118/2025) is reported to rename form 04; the numbering and wording
// are unconfirmed (DOMAIN §4), so only the apology's title changes here and the legal basis says which set.
const TT03: FormSet = {
  ...TT01,
  id: 'tt03-2025',
  legalBasis: 'Thông tư số 03/2025/TT-VPCP',
  apology: { ...TT01.apology, title: 'VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ' },
};

const DECREE_118_IN_FORCE = Date.parse('2025-07-01T00:00:00+07:00');

export function formSetAt(receivedAtMs: number): FormSet {
  return receivedAtMs >= DECREE_118_IN_FORCE ? TT03 : TT01;
}
