/**
 * A person's own password: set through a one-time link (the first one, or after a reset an admin sent), and changed
 * when signed in (the current one asked again). A password is checked for length and never logged; setting one ends
 * the person's other sessions.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { Mailer } from '../../alerts/mailer.js';
import { resetMail } from '../../accounts/reset-mail.js';
import type { Logger } from '../../observability/logger.js';
import type { AppContext } from '../../app-context.js';
import { hashPassword, passwordProblems, verifyPassword } from '../../accounts/password-hash.js';
import {
  changePassword,
  createSelfServiceToken,
  findPerson,
  PASSWORD_LINK_HOURS,
  passwordHashOf,
  personOfPasswordToken,
  setPasswordWithToken,
} from '../../store/people.js';
import { renderPage } from '../../views/render.js';
import { cookie, scopeOf, SESSION_COOKIE } from '../auth.js';
import { csrfToken } from '../csrf.js';
import { HttpError } from '../errors.js';
import { pageAuth, ROLE_TEXT, viewerOf } from '../page-auth.js';

const EXPIRED = 'Liên kết đặt mật khẩu không còn hiệu lực (đã dùng, đã hết hạn hoặc đã được thay bằng liên kết mới). Đề nghị quản trị gửi liên kết mới.';

/** The problems of a new password and its confirmation, by field, in Vietnamese. */
function newPasswordErrors(password: string, confirm: string, email: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const problems = passwordProblems(password, email);
  if (problems.length) errors.password = problems.join(' ');
  else if (password !== confirm) errors.confirm = 'Hai lần nhập mật khẩu không khớp.';
  return errors;
}

const field = (body: Record<string, unknown> | undefined, name: string) => (typeof body?.[name] === 'string' ? (body[name] as string) : '');

/** Minutes before the same account can be sent another self-service link (a stranger cannot flood it). */
const RESET_QUIET_MINUTES = 5;

export interface AccountRouterOptions {
  /** Sends the "forgot password" e-mail; without one the form says to ask an admin. */
  mailer?: Mailer;
  logger?: Logger;
}

export function accountRouter(ctx: AppContext, options: AccountRouterOptions = {}): Router {
  const router = Router();
  const secure = ctx.publicUrl.startsWith('https:');
  const year = () => new Date(ctx.now()).getUTCFullYear();

  const setPage = (req: Request, res: Response, data: Record<string, unknown>) =>
    res.type('html').send(renderPage('password-set', { title: 'Đặt mật khẩu', csrf: csrfToken(req, res, secure), currentYear: year(), ...data }));

  router.get('/password/set', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const person = token && token.length <= 100 ? await personOfPasswordToken(ctx.db.pool, token) : null;
    if (!person) return void setPage(req, res.status(410), { expired: EXPIRED });
    setPage(req, res, { token, name: person.name, email: person.email });
  });

  router.post('/password/set', async (req, res) => {
    const token = field(req.body, 'token').slice(0, 100);
    const person = token ? await personOfPasswordToken(ctx.db.pool, token) : null;
    if (!person) return void setPage(req, res.status(410), { expired: EXPIRED });
    const errors = newPasswordErrors(field(req.body, 'password'), field(req.body, 'confirm'), person.email);
    if (Object.keys(errors).length) return void setPage(req, res.status(422), { token, name: person.name, email: person.email, errors });
    // The token is used up in the same statement that sets the password: two posts of one link set it once.
    if (!(await setPasswordWithToken(ctx.db.pool, token, await hashPassword(field(req.body, 'password')))))
      return void setPage(req, res.status(410), { expired: EXPIRED });
    res.redirect(303, '/login?done=password');
  });

  // "Quên mật khẩu": a one-time link by e-mail to the account's own address. The answer is the same whether or not the
  // address has an account, and the mail goes out after it, so neither the words nor the time tell a stranger who
  // has one. Per address, 10 requests in 15 minutes; per account, one link in RESET_QUIET_MINUTES.
  const forgotPage = (req: Request, res: Response, data: Record<string, unknown>) =>
    res
      .type('html')
      .send(
        renderPage('password-forgot', { title: 'Quên mật khẩu', csrf: csrfToken(req, res, secure), currentYear: year(), noMail: !options.mailer, ...data }),
      );
  router.get('/password/forgot', (req, res) => forgotPage(req, res, {}));
  router.post(
    '/password/forgot',
    rateLimit({
      windowMs: 15 * 60_000,
      limit: 10,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (req, res) => void forgotPage(req, res.status(429), { error: 'Anh/chị đã yêu cầu quá nhiều lần; vui lòng thử lại sau 15 phút.' }),
    }),
    async (req, res) => {
      const email = field(req.body, 'email').trim().slice(0, 254);
      if (!z.email().safeParse(email).success) return void forgotPage(req, res.status(400), { email, error: 'Địa chỉ thư điện tử không hợp lệ.' });
      if (!options.mailer) return void forgotPage(req, res.status(503), { email });
      const issued = await createSelfServiceToken(ctx.db.pool, email, RESET_QUIET_MINUTES);
      forgotPage(req, res, { sent: true, email, hours: PASSWORD_LINK_HOURS });
      if (issued) {
        const mail = resetMail({
          to: issued.person.email,
          name: issued.person.name,
          publicUrl: ctx.publicUrl,
          token: issued.token,
          hours: PASSWORD_LINK_HOURS,
          requestId: randomUUID(),
        });
        // After the answer; a failure is logged without the address or the link (personal data, a secret).
        options.mailer.send(mail).catch((err: unknown) =>
          options.logger?.error(
            // The code only: an SMTP server's refusal quotes the recipient's address.
            {
              personId: issued.person.id,
              code: (err as { code?: string; responseCode?: number }).code,
              responseCode: (err as { responseCode?: number }).responseCode,
            },
            'password reset mail not sent',
          ),
        );
      }
    },
  );

  const accountPage = async (req: Request, res: Response, data: Record<string, unknown> = {}) => {
    const scope = scopeOf(res);
    if (scope.principal.kind !== 'person') throw new HttpError(403, 'Trang này dành cho tài khoản cá nhân; khóa truy cập không có mật khẩu để đổi.');
    const person = (await findPerson(ctx.db.pool, scope.principal.id))!;
    res.type('html').send(
      renderPage('account', {
        viewer: viewerOf(res),
        title: 'Tài khoản',
        currentYear: year(),
        person,
        rolesText: person.roles.map((r) => ROLE_TEXT[r]).join(', '),
        agencies: person.agencyCodes.map((c) => ({ code: c, name: ctx.catalog.nameOf(c) })),
        ...data,
      }),
    );
  };

  router.get('/account', ...pageAuth(ctx), async (req, res) => accountPage(req, res, { changed: req.query.changed === '1' }));

  router.post('/account/password', ...pageAuth(ctx), async (req, res) => {
    const scope = scopeOf(res);
    if (scope.principal.kind !== 'person') throw new HttpError(403, 'Trang này dành cho tài khoản cá nhân; khóa truy cập không có mật khẩu để đổi.');
    const person = (await findPerson(ctx.db.pool, scope.principal.id))!;
    const stored = await passwordHashOf(ctx.db.pool, person.id);
    const errors: Record<string, string> = {};
    if (!stored || !(await verifyPassword(field(req.body, 'current'), stored))) errors.current = 'Mật khẩu hiện tại không đúng.';
    else Object.assign(errors, newPasswordErrors(field(req.body, 'password'), field(req.body, 'confirm'), person.email));
    if (Object.keys(errors).length) return void (await accountPage(req, res.status(422), { errors }));
    await changePassword(ctx.db.pool, person.id, await hashPassword(field(req.body, 'password')), cookie(req, SESSION_COOKIE) ?? '');
    res.redirect(303, '/account?changed=1');
  });

  return router;
}
