/**
 * The reply keyword that stops a dossier's SMS messages, as a brandname gateway forwards a citizen's reply (MO):
 * "TC <mã hồ sơ>" or "TU CHOI <mã hồ sơ>", in any letter case, with or without diacritics ("Từ chối"). Pure.
 */

export const STOP_KEYWORDS = ['TC', 'TU CHOI'] as const;

/** Upper case, diacritics and đ folded, spaces collapsed: what a phone keyboard may send for the same words. */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'D').toUpperCase().replace(/\s+/g, ' ').trim();
}

/** The dossier code a stop reply names; `missing`: a stop keyword without a code; null: not a stop reply. */
export function stopReplyCode(text: string): string | 'missing' | null {
  const words = folded(text);
  for (const keyword of STOP_KEYWORDS) {
    if (words === keyword) return 'missing';
    if (words.startsWith(`${keyword} `)) {
      // The code as the citizen typed it (letter case does not matter: looked up in any case), without the keyword.
      const code = text.trim().split(/\s+/).slice(keyword.split(' ').length).join(' ');
      return /^[\p{L}\p{N}._\-/]{1,64}$/u.test(code) ? code : 'missing';
    }
  }
  return null;
}
