/**
 * How staff find a dossier by what the applicant told them (issue 28 item 7): a name typed with or without its
 * tones, in any case ("nguyen van a" finds "Nguyễn Văn A"), a phone typed with +84, spaces or dots. Pure: the
 * projection stores the folded forms beside the dossier (migration 055), the search folds what was typed the same way.
 */
import type { DossierState } from './state.js';
import { contactOf } from './consent.js';

/** Lower case, without tones or marks, đ as d, single spaces: "Lò Văn  Hùng" → "lo van hung". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The digits of a phone number, in the national form: "+84 912.345.678" → "0912345678". */
export function phoneDigits(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return phone.trim().startsWith('+84') || (digits.startsWith('84') && digits.length === 11) ? `0${digits.slice(2)}` : digits;
}

/** What the dossiers row keeps for searching: the applicant's folded name, and every phone they gave, digits only, in order. */
export function searchColumns(s: DossierState): { applicant_text: string; applicant_phones: string } {
  const phones = new Set<string>();
  if (s.applicant.phone) phones.add(phoneDigits(s.applicant.phone));
  for (const c of s.consent?.contacts ?? []) if (c.channel !== 'email') phones.add(phoneDigits(contactOf(c)));
  return { applicant_text: foldForSearch(s.applicant.name), applicant_phones: [...phones].sort().join(' ') };
}
