/**
 * Text PostgreSQL and Unicode both accept: no NUL (PostgreSQL refuses it in
 * text) and no lone UTF-16 surrogate (not Unicode). Every way in checks it.
 */
// eslint-disable-next-line no-control-regex -- finding the NUL character is the point
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const BAD_TEXT_MESSAGE = 'contains a NUL character or a lone UTF-16 surrogate';

export function hasBadText(s: string): boolean {
  return BAD_TEXT.test(s);
}
