/**
 * Remembered keys: for the time to live at most, never past the key's own expiry, and forgotten all at once on a
 * revocation (the notification clears the cache).
 */
import { KeyCache } from '../../src/store/key-cache.js';

const key = { kind: 'key' as const, id: '9b2f3c1e-0000-4000-8000-000000000001', label: 'quầy một cửa', roles: ['counter' as const], agencyCodes: ['SLA.TPSL'] };

test('a remembered key lasts the time to live, and no longer than its expiry', () => {
  let now = 1_000_000;
  const cache = new KeyCache(5_000, 100, () => now);
  cache.set('a', key, null);
  cache.set('b', key, new Date(now + 2_000)); // expires in 2 s: remembered 2 s, not 5
  now += 1_999;
  expect([cache.get('a'), cache.get('b')]).toEqual([key, key]);
  now += 1;
  expect([cache.get('a'), cache.get('b')]).toEqual([key, undefined]);
  now += 3_000;
  expect(cache.get('a')).toBeUndefined();
});

test('clearing forgets every key; a full cache starts over rather than grow', () => {
  const cache = new KeyCache(5_000, 2);
  cache.set('a', key, null);
  cache.set('b', key, null);
  cache.clear();
  expect([cache.get('a'), cache.get('b')]).toEqual([undefined, undefined]);
  cache.set('a', key, null);
  cache.set('b', key, null);
  cache.set('c', key, null);
  expect([cache.get('a'), cache.get('c')]).toEqual([undefined, key]);
});
