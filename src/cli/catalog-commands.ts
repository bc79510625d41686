/**
 * `dunghan catalog import` and `dunghan init`: a province's catalogue from its
 * own files, and a province started from an empty database.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import { describeIssue } from '../catalog/catalog-file.js';
import { formatOf } from '../catalog/catalog-formats.js';
import type { PlanEntry } from '../catalog/catalog-plan.js';
import { provinceRoot } from '../catalog/province-root.js';
import { createApiKey } from '../store/api-keys.js';
import { importCatalog, type CatalogUpload } from '../store/catalog-import.js';
import { isEmpty } from '../sample/load-sample.js';
import { parseArgsOrUsage, UsageError, withContext } from './support.js';

async function readUploads(paths: string[]): Promise<CatalogUpload[]> {
  return Promise.all(
    paths.map(async (p) => {
      const format = formatOf(p);
      if (!format) throw new UsageError(`${p}: the file name must end in .json, .csv or .xlsx`);
      try {
        return { name: p, bytes: await fs.readFile(p), format };
      } catch (err) {
        throw new UsageError(`cannot read ${p}: ${(err as Error).message}`);
      }
    }),
  );
}

const show = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

function printEntry(mark: string, e: PlanEntry): void {
  const label = e.kind === 'agency' ? 'cơ quan' : 'thủ tục';
  console.log(`  ${mark} ${label} ${e.code}${e.validFrom ? ` (từ ${e.validFrom})` : ''}  ${e.name}${e.note ? `  — ${e.note}` : ''}`);
  for (const c of e.changes) console.log(`      ${c.field}: ${show(c.from)} → ${show(c.to)}`);
}

export async function catalogCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgsOrUsage(rest, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } });
  if (sub !== 'import' || !positionals.length)
    throw new UsageError('usage: dunghan catalog import FILE... [--dry-run] [--json]   (FILE: .json, .csv or .xlsx)');
  const uploads = await readUploads(positionals);
  return withContext(async (ctx) => {
    const result = await importCatalog(ctx.catalogImportTarget(), uploads, { dryRun: values['dry-run'] ?? false, by: `cli ${os.userInfo().username}` });
    if (!result.ok)
      throw new UsageError(`refused, nothing changed (${result.issues.length} problems):\n${result.issues.map((i) => `  ${describeIssue(i)}`).join('\n')}`);
    if (values.json) return void console.log(JSON.stringify(result, null, 2));
    const s = result.summary;
    console.log(`Danh mục: ${s.added} thêm mới, ${s.changed} thay đổi, ${s.retired} hết hiệu lực, ${s.unchanged} giữ nguyên`);
    for (const e of result.added) printEntry('+', e);
    for (const e of result.changed) printEntry('~', e);
    for (const e of result.retired) printEntry('-', e);
    for (const w of result.warnings) console.log(`  ! ${w}`);
    console.log(
      result.dryRun ? '--dry-run: nothing was changed.' : result.revision ? `Applied as catalogue revision ${result.revision}.` : 'Nothing to apply.',
    );
  });
}

export async function initCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgsOrUsage(args, {
    province: { type: 'string' },
    'admin-email': { type: 'string' },
    code: { type: 'string' },
    'valid-from': { type: 'string' },
  });
  if (positionals.length || !values.province || !values['admin-email'])
    throw new UsageError('usage: dunghan init --province NAME --admin-email E [--code CODE] [--valid-from YYYY-MM-DD]');
  const root = provinceRoot({ province: values.province, adminEmail: values['admin-email'], code: values.code, validFrom: values['valid-from'] });
  if (!root.ok) throw new UsageError(root.issues.join('\n'));
  return withContext(async (ctx) => {
    if (!(await isEmpty(ctx)))
      throw new UsageError('the database already has a catalogue: `dunghan init` only starts an empty one (use `dunghan catalog import` to change it)');
    const upload = { name: 'dunghan init', bytes: Buffer.from(JSON.stringify({ agencies: [root.agency] })), format: 'json' as const };
    const result = await importCatalog(ctx.catalogImportTarget(), [upload], { dryRun: false, by: `init ${values['admin-email']}` });
    if (!result.ok) throw new UsageError(result.issues.map(describeIssue).join('\n'));
    const { key } = await createApiKey(ctx.db.pool, { role: 'admin', agencyCodes: [root.agency.code], label: `Quản trị ${values['admin-email']}` });
    console.log(`Đã khởi tạo ${root.agency.name} (mã ${root.agency.code}).`);
    console.log(`Admin key (shown once; only its hash is stored): ${key}`);
    console.log('Next: `npx dunghan catalog import agencies.csv procedures.csv --dry-run`, then without --dry-run.');
  });
}
