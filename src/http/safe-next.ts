/** Where to go after signing in: a path on this site only (never `//host` or `/\host`, which browsers read as another site). */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}
