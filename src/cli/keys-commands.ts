/**
 * Keys for software: create, list, revoke, rotate (`dunghan keys …`).
 */
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey, roleSchema } from '../store/api-keys.js';
import { instantSchema } from '../calendar/instant.js';
import { z } from 'zod';
import { flags, parseArgsOrUsage, UsageError, withContext } from './support.js';

export async function keysCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const usage = 'usage: dunghan keys create --role R --agency CODE [--label TEXT] [--expires DATE] | list [--json] | revoke ID | rotate ID [--expires DATE]';
  const expiry = (raw: string | undefined) => {
    if (raw === undefined) return undefined;
    const parsed = instantSchema.safeParse(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T23:59:59+07:00` : raw);
    if (!parsed.success) throw new UsageError(`--expires: ${parsed.error.issues[0]!.message} (a date YYYY-MM-DD or an instant)`);
    return new Date(parsed.data);
  };
  switch (sub) {
    case 'create': {
      const { values } = flags(rest, {
        role: { type: 'string' },
        agency: { type: 'string', multiple: true },
        label: { type: 'string' },
        expires: { type: 'string' },
      });
      const role = roleSchema.safeParse(values.role);
      if (!role.success) throw new UsageError(`--role must be one of ${roleSchema.options.join(', ')}`);
      if (!values.agency?.length) throw new UsageError('--agency CODE is required (repeat it for several agencies)');
      const expiresAt = expiry(values.expires);
      return withContext(async (ctx) => {
        const unknown = values.agency!.filter((a) => !ctx.catalog.agency(a));
        if (unknown.length) throw new UsageError(`unknown agency ${unknown.join(', ')}`);
        const { key } = await createApiKey(ctx.db.pool, {
          role: role.data,
          agencyCodes: values.agency!,
          label: values.label ?? `${role.data} ${values.agency!.join(',')}`,
          expiresAt,
        });
        console.log(key);
        console.error('This key is shown once; only its hash is stored.');
      });
    }
    case 'list': {
      const { values } = flags(rest, { json: { type: 'boolean' } });
      return withContext(
        async (ctx) => {
          const items = await listApiKeys(ctx.db.pool);
          if (values.json) return void console.log(JSON.stringify(items, null, 2));
          for (const k of items) {
            const state = k.revokedAt ? `revoked ${k.revokedAt}` : k.expiresAt && Date.parse(k.expiresAt) < Date.now() ? `expired ${k.expiresAt}` : 'live';
            console.log(
              `${k.id}  ${k.role.padEnd(10)} ${k.agencyCodes.join(',').padEnd(20)} ${state.padEnd(34)} last used ${k.lastUsedAt ?? 'never'}  ${k.label}`,
            );
          }
        },
        { existing: true },
      );
    }
    case 'revoke':
    case 'rotate': {
      const { values, positionals } = parseArgsOrUsage(rest, { expires: { type: 'string' } });
      const id = z.uuid().safeParse(positionals[0]);
      if (positionals.length !== 1 || !id.success) throw new UsageError(`usage: dunghan keys ${sub} ID (the key's id from \`dunghan keys list\`)`);
      const expiresAt = expiry(values.expires as string | undefined);
      return withContext(
        async (ctx) => {
          if (sub === 'revoke') {
            if (!(await revokeApiKey(ctx.db.pool, id.data))) throw new UsageError(`no live key ${id.data}`);
            console.log(`revoked ${id.data} and its web sessions`);
          } else {
            const created = await rotateApiKey(ctx.db.pool, id.data, expiresAt);
            if (!created) throw new UsageError(`no live key ${id.data}`);
            console.log(created.key);
            console.error(`Key ${id.data} is revoked; its replacement ${created.id} is shown once.`);
          }
        },
        { existing: true },
      );
    }
    default:
      throw new UsageError(usage);
  }
}
