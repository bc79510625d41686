/**
 * `dunghan users`: staff accounts from the command line, for the operator who sets up a province (the first admin
 * person, before anyone can use the page) and for scripts. create prints the one-time link to set the first
 * password; password-link prints a new one (a reset); deactivate ends every session of the person at once;
 * reactivate makes a deactivated person active again.
 */
import { z } from 'zod';
import { passwordLinkUrl } from '../accounts/links.js';
import {
  createPasswordToken,
  createPerson,
  deactivatePerson,
  reactivatePerson,
  EmailTaken,
  listPeople,
  PASSWORD_LINK_HOURS,
  personInputSchema,
} from '../store/people.js';
import { flags, parseArgsOrUsage, UsageError, withContext } from './support.js';

const USAGE =
  'usage: dunghan users create --name NAME --email E --role R [--role R2…] --agency CODE [--agency CODE2…] | list [--json] | deactivate ID | reactivate ID | password-link ID';

export async function usersCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      const { values } = flags(rest, {
        name: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string', multiple: true },
        agency: { type: 'string', multiple: true },
      });
      const parsed = personInputSchema.safeParse({
        name: values.name ?? '',
        email: values.email ?? '',
        roles: values.role ?? [],
        agencyCodes: values.agency ?? [],
      });
      if (!parsed.success) {
        const flag: Record<string, string> = { name: '--name', email: '--email', roles: '--role', agencyCodes: '--agency' };
        throw new UsageError(parsed.error.issues.map((i) => `${flag[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('\n'));
      }
      return withContext(async (ctx) => {
        const unknown = parsed.data.agencyCodes.filter((a) => !ctx.catalog.agency(a));
        if (unknown.length) throw new UsageError(`--agency: unknown agency ${unknown.join(', ')}`);
        try {
          const person = await createPerson(ctx.db.pool, parsed.data, null);
          const token = (await createPasswordToken(ctx.db.pool, person.id))!;
          console.log(person.id);
          console.log(passwordLinkUrl(ctx.publicUrl, token));
          console.error(`Send the link to ${person.name} privately: it sets the first password, once, within ${PASSWORD_LINK_HOURS} hours.`);
        } catch (err) {
          if (err instanceof EmailTaken) throw new UsageError(`--email: another account has ${parsed.data.email}`);
          throw err;
        }
      });
    }
    case 'list': {
      const { values } = flags(rest, { json: { type: 'boolean' } });
      return withContext(async (ctx) => {
        const people = await listPeople(ctx.db.pool);
        if (values.json) return void console.log(JSON.stringify(people, null, 2));
        for (const p of people) {
          const state = p.deactivatedAt ? `deactivated ${p.deactivatedAt}` : p.hasPassword ? 'active' : 'no password yet';
          console.log(`${p.id}  ${p.roles.join(',').padEnd(20)} ${p.agencyCodes.join(',').padEnd(20)} ${state.padEnd(36)} ${p.email}  ${p.name}`);
        }
      });
    }
    case 'deactivate':
    case 'reactivate':
    case 'password-link': {
      const { positionals } = parseArgsOrUsage(rest, {});
      const id = z.uuid().safeParse(positionals[0]);
      if (positionals.length !== 1 || !id.success) throw new UsageError(`usage: dunghan users ${sub} ID (the person's id from \`dunghan users list\`)`);
      return withContext(async (ctx) => {
        if (sub === 'reactivate') {
          if (!(await reactivatePerson(ctx.db.pool, id.data))) throw new UsageError(`no deactivated person ${id.data}`);
          console.log(`reactivated ${id.data}; they sign in again with their password, or \`dunghan users password-link ${id.data}\``);
        } else if (sub === 'deactivate') {
          if (!(await deactivatePerson(ctx.db.pool, id.data))) throw new UsageError(`no active person ${id.data}`);
          console.log(`deactivated ${id.data}; their sessions have ended`);
        } else {
          const token = await createPasswordToken(ctx.db.pool, id.data);
          if (!token) throw new UsageError(`no active person ${id.data}`);
          console.log(passwordLinkUrl(ctx.publicUrl, token));
          console.error(`Earlier links of this person no longer work; this one works once within ${PASSWORD_LINK_HOURS} hours.`);
        }
      });
    }
    default:
      throw new UsageError(USAGE);
  }
}
