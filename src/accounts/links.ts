/** The one-time link a person sets their first password (or a new one) through. */
export function passwordLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/password/set?token=${encodeURIComponent(token)}`;
}
