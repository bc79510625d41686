import { stopReplyCode } from '../../src/alerts/sms-keyword.js';

test.each([
  ['TC H35.99-261201-0001', 'H35.99-261201-0001'],
  ['tc  mo-1 ', 'mo-1'],
  ['Từ chối MO-1', 'MO-1'],
  ['TU CHOI MO-1', 'MO-1'],
  ['tuchoi MO-1', null], // not one of the keywords: ignored rather than guessed
  ['TC', 'missing'],
  ['từ chối', 'missing'],
  ['TC MO 1', 'missing'], // a code has no space: not taken as "MO"
  ['Xin chào', null],
  ['TCX MO-1', null],
])('%j → %j', (text, expected) => {
  expect(stopReplyCode(text)).toBe(expected);
});
