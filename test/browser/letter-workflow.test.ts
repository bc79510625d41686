/**
 * Issue 25, "done means": draft → approve → sign from the pages, by two people. An officer (counter) drafts the apology
 * on the dossier page and submits it; the leader (supervisor) finds it in the dashboard's approval queue, approves it
 * and signs it with the organisation's certificate (made by the test with node-forge); the officer issues it, and
 * only then does the appointment move. The leader's own draft of a refusal cannot be approved by the leader (the
 * agency's default): the page says so next to the letter, in Vietnamese.
 *
 * Worked by hand: Đăng ký tạm trú (3 working days) received Mon 17 Mar 2025 10:00 → due Thu 20 Mar 10:00; the clock
 * reads Tue 18 Mar 09:00. The apology must be issued by Wed 19 Mar (1 day before the due date), so the queue counts
 * down to Thu 20 Mar 00:00: Tue 09:00–17:00 less the lunch hour is 7 working hours, Wednesday 8 → 1 ngày 7 giờ.
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { signIn } from '../support/test-app.js';
import { ev } from '../support/events.js';
import { makeP12 } from '../support/certificates.js';
import { createPasswordToken, createPerson, setPasswordWithToken } from '../../src/store/people.js';
import { hashPassword } from '../../src/accounts/password-hash.js';

let app: BrowserApp;
const PASSWORD = 'Sơn La mùa hoa ban nở';

async function person(name: string, email: string, roles: Array<'counter' | 'supervisor'>): Promise<void> {
  const pool = app.t.ctx.db.pool;
  const p = await createPerson(pool, { name, email, roles, agencyCodes: ['SLA.TPSL'] }, null);
  await setPasswordWithToken(pool, (await createPasswordToken(pool, p.id))!, await hashPassword(PASSWORD));
}

beforeAll(async () => {
  app = await startBrowserApp({ now: Date.parse('2025-03-18T09:00:00+07:00') });
  const { t } = app;
  const events = [ev.received('BR-1', '2025-03-17T10:00:00+07:00'), ev.received('BR-2', '2025-03-17T10:00:00+07:00')];
  expect((await request(t.app).post('/api/v1/events').set('Authorization', `Bearer ${t.keys.admin}`).send(events)).status).toBe(201);
  await person('Nguyễn Văn An', 'an.nv@sonla.gov.vn', ['counter']);
  await person('Lò Thị Hoa', 'hoa.lt@sonla.gov.vn', ['supervisor']);
  const valid = makeP12({ from: '2025-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', keyUsage: { digitalSignature: true } });
  t.ctx.signing = { p12: valid.p12, passphrase: valid.passphrase };
});
afterAll(async () => app?.close());

async function as(email: string): Promise<{ page: Page; problems: string[] }> {
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await context.addCookies([{ name: 'dunghan_session', value: await signIn(app.t.app, { email, password: PASSWORD }), url: app.base }]);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, problems };
}

const statusOf = (page: Page, form = 'apology') => page.textContent(`#letter-${form} .letter-status`);

test('the officer drafts and submits, the leader approves and signs, the officer issues', async () => {
  const { base, t } = app;
  const officer = await as('an.nv@sonla.gov.vn');
  await officer.page.goto(`${base}/dossiers/BR-1`);
  await officer.page.fill('#letter-apology-draft textarea[name="reason"]', 'Cần lấy ý kiến Công an tỉnh về nơi cư trú.');
  await officer.page.fill('#letter-apology-draft input[name="newDueAt"]', '2025-03-25T10:00');
  await officer.page.click('#letter-apology-draft button');
  expect(await statusOf(officer.page)).toBe('Dự thảo');
  await officer.page.click('#letter-apology-submit');
  expect(await statusOf(officer.page)).toBe('Chờ duyệt');
  // The officer has no approval or signature to give.
  expect(await officer.page.locator('#letter-apology-approve, #letter-apology-sign').count()).toBe(0);

  // The leader's dashboard: the draft waits for approval, with the time left before the legal moment.
  const leader = await as('hoa.lt@sonla.gov.vn');
  await leader.page.goto(`${base}/dashboard`);
  const row = leader.page.locator('#letter-approval tbody tr', { hasText: 'BR-1' });
  expect(await row.locator('td').allTextContents()).toEqual(['BR-1', '00:00 Thứ Năm, 20/03/2025', 'còn 1 ngày 7 giờ làm việc', expect.any(String)]);
  await row.locator('a').click();
  expect(new URL(leader.page.url()).pathname).toBe('/dossiers/BR-1');
  await leader.page.click('#letter-apology-approve');
  expect(await statusOf(leader.page)).toBe('Đã duyệt, chờ ký');
  await leader.page.goto(`${base}/dashboard`);
  expect(await leader.page.locator('#letter-signature tbody tr', { hasText: 'BR-1' }).count()).toBe(1);
  expect(await leader.page.locator('#letter-approval tbody tr', { hasText: 'BR-1' }).count()).toBe(0);
  await leader.page.goto(`${base}/dossiers/BR-1`);
  await leader.page.click('#letter-apology-sign');
  expect(await statusOf(leader.page)).toBe('Đã ký, chờ phát hành');
  // Signed, not issued: the appointment has not moved.
  expect(await leader.page.getAttribute('#due-at', 'data-iso')).toBe('2025-03-20T10:00:00+07:00');

  // The signed PDF the page links to is the one whose SHA-256 the event recorded.
  const href = await leader.page.getAttribute('#letter-apology a[href$="apology.pdf"]', 'href');
  const pdf = await leader.page.request.get(`${base}${href}`);
  const letter = (await request(t.app).get('/api/v1/dossiers/BR-1/letters/apology').set('Authorization', `Bearer ${t.keys.auditor}`)).body;
  expect(
    createHash('sha256')
      .update(await pdf.body())
      .digest('hex'),
  ).toBe(letter.signed.sha256);
  expect(letter).toMatchObject({
    drafted: { by: { name: 'Nguyễn Văn An' } },
    approved: { by: { name: 'Lò Thị Hoa' } },
    signed: { by: { name: 'Lò Thị Hoa' } },
  });

  await officer.page.goto(`${base}/dossiers/BR-1`);
  await officer.page.click('#letter-apology-issue');
  // Issued Tue 18 Mar, by Wed 19 Mar: the new date is the appointment.
  expect(await officer.page.getAttribute('#due-at', 'data-iso')).toBe('2025-03-25T10:00:00+07:00');
  expect(await officer.page.locator('#letters a[href="/letters/BR-1/apology"]').count()).toBe(1);
  expect(await officer.page.textContent('#events')).toContain('Ký số văn bản xin lỗi (Lò Thị Hoa');
  await officer.page.screenshot({ path: 'test-artifacts/letter-workflow.png', fullPage: true });
  expect([...officer.problems, ...leader.problems]).toEqual([]);
});

test("the leader's own draft is not approved by the leader: the page says why, next to the letter", async () => {
  const leader = await as('hoa.lt@sonla.gov.vn');
  await leader.page.goto(`${app.base}/dossiers/BR-2`);
  await leader.page.fill('#letter-refusal-draft textarea[name="reason"]', 'Hồ sơ không thuộc thẩm quyền giải quyết của phường.');
  await leader.page.click('#letter-refusal-draft button');
  await leader.page.click('#letter-refusal-submit');
  const [answer] = await Promise.all([leader.page.waitForResponse((r) => r.url().endsWith('/approve')), leader.page.click('#letter-refusal-approve')]);
  expect(answer.status()).toBe(422);
  expect(await leader.page.textContent('#letter-refusal-error')).toBe(
    'Đơn vị không cho phép người lập dự thảo tự duyệt văn bản của mình: cần người khác duyệt.',
  );
  expect(await statusOf(leader.page, 'refusal')).toBe('Chờ duyệt');
  // An empty return comment: 400, said next to the letter.
  await leader.page.click('#letter-refusal-return button');
  expect(await leader.page.textContent('#letter-refusal-error')).toBe('Nhập ý kiến khi trả lại văn bản (tối đa 2000 ký tự).');
});
