/**
 * The administrator's page of staff accounts (`/admin/users`): the people of the admin's agencies with their roles,
 * agencies and state; a form to create one (the first-password link is shown once, on the answer); per person a new
 * password link and deactivation. The same checks as the API (manage-people.ts); a refused field is shown next to
 * it, in Vietnamese, with what was typed kept.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { passwordLinkUrl } from '../../accounts/links.js';
import { vietnameseShortInstant } from '../../calendar/vietnamese-format.js';
import { roleSchema } from '../../store/api-keys.js';
import {
  createPasswordToken,
  createPerson,
  deactivatePerson,
  reactivatePerson,
  EmailTaken,
  listPeople,
  PASSWORD_LINK_HOURS,
  personInputSchema,
} from '../../store/people.js';
import { renderPage } from '../../views/render.js';
import { scopeOf } from '../auth.js';
import { HttpError } from '../errors.js';
import { checkGrantedAgencies, managedPerson, manages } from '../manage-people.js';
import { pageAuth, ROLE_TEXT, viewerOf } from '../page-auth.js';

const FIELD_TEXT: Record<string, string> = {
  name: 'Nhập họ và tên.',
  email: 'Nhập một địa chỉ thư điện tử hợp lệ.',
  roles: 'Chọn ít nhất một vai trò.',
  agencyCodes: 'Chọn ít nhất một đơn vị.',
};

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

export function usersPageRouter(ctx: AppContext): Router {
  const router = Router();
  const year = () => new Date(ctx.now()).getUTCFullYear();

  async function page(
    req: Request,
    res: Response,
    data: { errors?: Record<string, string>; typed?: Record<string, unknown>; done?: string; link?: { name: string; url: string } } = {},
  ) {
    const scope = scopeOf(res);
    const people = (await listPeople(ctx.db.pool)).filter((p) => manages(ctx, scope, p));
    const typedRoles = list(data.typed?.roles);
    const typedAgencies = list(data.typed?.agencyCodes);
    res.type('html').send(
      renderPage('users', {
        viewer: viewerOf(res),
        title: 'Người dùng',
        currentYear: year(),
        people: people.map((p) => ({
          ...p,
          self: p.id === scope.principal.id,
          rolesText: p.roles.map((r) => ROLE_TEXT[r]).join(', '),
          agenciesText: p.agencyCodes.map((c) => ctx.catalog.nameOf(c)).join('; '),
          stateText: p.deactivatedAt
            ? `Ngừng hoạt động từ ${vietnameseShortInstant(Date.parse(p.deactivatedAt))}`
            : p.hasPassword
              ? 'Đang hoạt động'
              : 'Chưa đặt mật khẩu',
        })),
        roles: roleSchema.options.map((r) => ({ value: r, text: ROLE_TEXT[r], checked: typedRoles.includes(r) })),
        // The agencies this admin may grant: its own and everything below them, each named with its parent.
        agencies: ctx.catalog
          .allAgencies()
          .filter((a) => scope.coversPath(ctx.catalog.pathOf(a.code)))
          .map((a) => ({
            code: a.code,
            name: a.parentCode ? `${a.name} — ${ctx.catalog.agency(a.parentCode)?.name ?? a.parentCode}` : a.name,
            selected: typedAgencies.includes(a.code),
          })),
        typed: data.typed ?? {},
        errors: data.errors ?? {},
        done: data.done,
        link: data.link,
        linkHours: PASSWORD_LINK_HOURS,
      }),
    );
  }

  router.get('/admin/users', ...pageAuth(ctx, 'admin'), (req, res) => page(req, res));

  router.post('/admin/users', ...pageAuth(ctx, 'admin'), async (req, res) => {
    const scope = scopeOf(res);
    const typed = { name: req.body?.name, email: req.body?.email, roles: list(req.body?.roles), agencyCodes: list(req.body?.agencyCodes) };
    const parsed = personInputSchema.safeParse({ ...typed, name: String(typed.name ?? ''), email: String(typed.email ?? '').trim() });
    const errors: Record<string, string> = {};
    if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0])] ??= FIELD_TEXT[String(i.path[0])] ?? 'Không hợp lệ.';
    else {
      try {
        checkGrantedAgencies(ctx, scope, parsed.data.agencyCodes);
        const person = await createPerson(ctx.db.pool, parsed.data, scope.principal.id);
        const token = (await createPasswordToken(ctx.db.pool, person.id))!;
        res.setHeader('Cache-Control', 'no-store');
        return void (await page(req, res.status(201), {
          done: `Đã tạo tài khoản ${person.name}.`,
          link: { name: person.name, url: passwordLinkUrl(ctx.publicUrl, token) },
        }));
      } catch (err) {
        if (err instanceof EmailTaken) errors.email = 'Địa chỉ này đã được dùng cho một tài khoản khác.';
        else if (err instanceof HttpError && err.details?.some((d) => d.path.startsWith('agencyCodes')))
          errors.agencyCodes = 'Chỉ được cấp các đơn vị thuộc phạm vi của anh/chị.';
        else throw err;
      }
    }
    await page(req, res.status(422), { errors, typed });
  });

  router.post('/admin/users/:id/password-link', ...pageAuth(ctx, 'admin'), async (req, res) => {
    const person = await managedPerson(ctx, scopeOf(res), String(req.params.id));
    const token = await createPasswordToken(ctx.db.pool, person.id);
    if (!token) throw new HttpError(422, 'Tài khoản đã ngừng hoạt động.');
    res.setHeader('Cache-Control', 'no-store');
    await page(req, res, {
      done: `Đã tạo liên kết đặt mật khẩu mới cho ${person.name}; các liên kết trước không còn dùng được.`,
      link: { name: person.name, url: passwordLinkUrl(ctx.publicUrl, token) },
    });
  });

  router.post('/admin/users/:id/deactivate', ...pageAuth(ctx, 'admin'), async (req, res) => {
    const scope = scopeOf(res);
    const person = await managedPerson(ctx, scope, String(req.params.id));
    if (person.id === scope.principal.id) throw new HttpError(422, 'Không thể tự ngừng hoạt động tài khoản của mình; đề nghị một quản trị khác.');
    await deactivatePerson(ctx.db.pool, person.id);
    await page(req, res, { done: `Đã ngừng hoạt động tài khoản ${person.name}; các phiên đăng nhập của người này đã kết thúc.` });
  });

  router.post('/admin/users/:id/reactivate', ...pageAuth(ctx, 'admin'), async (req, res) => {
    const person = await managedPerson(ctx, scopeOf(res), String(req.params.id));
    if (!(await reactivatePerson(ctx.db.pool, person.id))) throw new HttpError(422, `Tài khoản ${person.name} đang hoạt động.`);
    await page(req, res, { done: `Đã cho hoạt động lại tài khoản ${person.name}. Người này đăng nhập bằng mật khẩu cũ, hoặc gửi liên kết đặt mật khẩu mới.` });
  });

  return router;
}
