/** The guard on parsed JSON bodies names every unclean string or key by its path (input-guards.ts). */
import type { Request, Response } from 'express';
import { bodyTextGuard } from '../../src/http/input-guards.js';
import { HttpError } from '../../src/http/errors.js';

const problemsOf = (body: unknown): string[] | null => {
  let passed = false;
  try {
    bodyTextGuard({ body } as Request, {} as Response, () => (passed = true));
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    return (err.details ?? []).map((i) => `${i.path}: ${i.message.startsWith('the field name') ? 'key' : 'value'}`);
  }
  expect(passed).toBe(true);
  return null;
};

test('clean bodies pass, whatever their shape', () => {
  expect(
    problemsOf([
      { applicant: { name: 'Lò Văn Hùng' }, tags: ['Tết', 'Hùng Vương'] },
      { n: 1, x: null },
    ]),
  ).toBeNull();
  expect(problemsOf('Hồ sơ')).toBeNull();
  expect(problemsOf({})).toBeNull();
});

test('each NUL or lone surrogate is named by its path: indexes in brackets, keys after dots', () => {
  expect(problemsOf([{ applicant: { name: 'Lò\u0000Văn' } }, { steps: [{ note: 'ok' }, { note: 'x\ud800y' }] }, { ['bad\u0000key']: 'v' }])).toEqual([
    '[0].applicant.name: value',
    '[1].steps[1].note: value',
    '[2].bad\u0000key: key',
  ]);
  expect(problemsOf('\u0000')).toEqual(['(body): value']);
  expect(problemsOf({ a: { b: ['\udfff'] } })).toEqual(['a.b[0]: value']);
});

test('at most 20 are listed', () => {
  expect(problemsOf(Array.from({ length: 50 }, () => '\u0000'))).toHaveLength(20);
});
