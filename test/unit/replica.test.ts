/**
 * The read replica's start-up judgement and what the pages say of it (src/db/replica.ts), without a server.
 */
import { replicaNotice, replicaProblem, type ReplicaStatus } from '../../src/db/replica.js';

const p15 = { inRecovery: false, major: 15, version: '15.14' };

test('a standby of the same major is accepted; the primary itself or another major is refused, saying which', () => {
  expect(replicaProblem(p15, { inRecovery: true, major: 15, version: '15.14' }, 'R')).toBeNull();
  expect(replicaProblem(p15, { inRecovery: false, major: 15, version: '15.14' }, 'R')).toMatch(/^R is not a standby \(pg_is_in_recovery\(\) is false\)/);
  // Another major version is named first, even on a standby: streaming replication needs the same major.
  expect(replicaProblem(p15, { inRecovery: true, major: 17, version: '17.6' }, 'R')).toMatch(/^R is PostgreSQL 17\.6, the primary \(DATABASE_URL\) 15\.14/);
});

test('the notice: seconds behind with a decimal comma, or why the primary answers', () => {
  const base: ReplicaStatus = { condition: 'replica', lagMs: 1250, behindBytes: 80, maxLagMs: 30_000, checkedAt: 0 };
  expect(replicaNotice(undefined)).toBeNull();
  // 1250 ms = 1.25 s, one decimal in Vietnamese style: "1,3" (rounded half up by Intl).
  expect(replicaNotice(base)).toBe('Số liệu đọc từ máy chủ bản sao, chậm 1,3 giây so với máy chủ chính.');
  expect(replicaNotice({ ...base, condition: 'lagging', lagMs: 45_000 })).toBe(
    'Máy chủ bản sao chậm 45 giây, quá giới hạn 30 giây: số liệu đọc từ máy chủ chính.',
  );
  expect(replicaNotice({ ...base, condition: 'lagging', lagMs: null })).toBe(
    'Máy chủ bản sao chậm chưa rõ bao lâu, quá giới hạn 30 giây: số liệu đọc từ máy chủ chính.',
  );
  expect(replicaNotice({ ...base, condition: 'down' })).toBe('Máy chủ bản sao không trả lời: số liệu đọc từ máy chủ chính.');
});
