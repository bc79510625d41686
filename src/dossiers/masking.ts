/**
 * An applicant's name where the reader need not know it. Two strengths, named for what they reveal:
 * - `initialsOnly` for the public (the citizen's lookup, published pages): the initials, not even each name's length;
 * - `initialsAndLengths` for staff messages (an alert e-mail may be forwarded: the name is not needed to act, but a
 *   supervisor can still tell two dossiers apart).
 */

/** "Quàng Văn Minh" → "Q*** V*** M***". */
export function initialsOnly(name: string): string {
  return words(name)
    .map((w) => `${[...w][0]!.toLocaleUpperCase('vi')}***`)
    .join(' ');
}

/** "Lò Văn Hùng" → "L* V** H***". */
export function initialsAndLengths(name: string): string {
  return words(name)
    .map((w) => {
      const chars = [...w];
      return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
    })
    .join(' ');
}

function words(name: string): string[] {
  return name.trim().split(/\s+/);
}
