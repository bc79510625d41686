/**
 * SMS text: Vietnamese without diacritics for gateways that take only the GSM 7-bit alphabet (most brandname
 * gateways charge a Unicode message at 70 characters a segment), and the length in segments: 160 characters in one,
 * 153 a segment once concatenated (the rest is the concatenation header); ^ { } [ ] ~ \ | € count twice.
 */

/** "Hồ sơ đã tiếp nhận" → "Ho so da tiep nhan". */
export function withoutDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[^\n\r\x20-\x7e€£¥]/g, '?');
}

const EXTENDED = new Set(['^', '{', '}', '[', ']', '~', '\\', '|', '€']);

/** Length in GSM 7-bit septets (the extension table's characters take two). */
export function gsmLength(text: string): number {
  let n = 0;
  for (const ch of text) n += EXTENDED.has(ch) ? 2 : 1;
  return n;
}

/** Characters allowed in `segments` segments: 160 for one, 153 each when concatenated; 70 / 67 for Unicode. */
export function segmentCapacity(segments: number, unicode: boolean): number {
  if (unicode) return segments <= 1 ? 70 : 67 * segments;
  return segments <= 1 ? 160 : 153 * segments;
}

export function segmentsOf(text: string, unicode: boolean): number {
  const len = unicode ? [...text].length : gsmLength(text);
  if (len <= segmentCapacity(1, unicode)) return 1;
  return Math.ceil(len / (unicode ? 67 : 153));
}

/**
 * Renders `render(values)` within `capacity`, cutting the free-text fields (in the order given) as little as needed,
 * each ending in "..". Links and codes are never cut: a message that does not fit without them is an error.
 */
export function fitSms(
  render: (values: Record<string, string>) => string,
  values: Record<string, string>,
  shrinkable: string[],
  capacity: number,
  measure: (t: string) => number,
): string {
  const v = { ...values };
  let text = render(v);
  for (const field of shrinkable) {
    const over = measure(text) - capacity;
    if (over <= 0) return text;
    const value = v[field] ?? '';
    if (!value) continue;
    const keep = Math.max(0, [...value].length - over - 2);
    v[field] = keep > 0 ? `${[...value].slice(0, keep).join('').trimEnd()}..` : '';
    text = render(v);
  }
  if (measure(text) > capacity) throw new Error(`SMS of ${measure(text)} characters does not fit ${capacity} even with its free text cut`);
  return text;
}
