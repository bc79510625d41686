/**
 * The audit trail from the command line: verify the chain and replay, export a package, check one offline (`dunghan audit …`).
 */
import fs from 'node:fs/promises';
import { reportQuerySchema } from '../reports/report-query.js';
import { exportPackage, replayAndCompare, verifyChain } from '../store/audit-store.js';
import { checkPackage, type AuditPackage } from '../audit/package.js';
import { flags, parseArgsOrUsage, readJsonFile, UsageError, withContext } from './support.js';

export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    const { values } = flags(rest, { json: { type: 'boolean' } });
    let failed = false;
    const code = await withContext(
      async (ctx) => {
        const progress = process.stderr.isTTY ? (done: number, total?: number) => process.stderr.write(`\r${done}${total ? `/${total}` : ''}   `) : undefined;
        const chain = await verifyChain(ctx.db.pool, progress);
        const replay = await replayAndCompare(ctx.db.pool, ctx.foldContext(), progress);
        if (progress) process.stderr.write('\n');
        failed = chain.firstBreak !== null || replay.firstDivergence !== null || replay.counterDivergence !== null;
        if (values.json) return void console.log(JSON.stringify({ ok: !failed, chain, replay }, null, 2));
        console.log(
          chain.firstBreak
            ? `chain: BROKEN at position ${chain.firstBreak.pos}${chain.firstBreak.eventId ? ` (event ${chain.firstBreak.eventId})` : ''}: ${chain.firstBreak.problem}`
            : `chain: ${chain.events} events, every link holds; head ${chain.head.hash}`,
        );
        console.log(
          replay.firstDivergence
            ? `projection: dossier ${replay.firstDivergence.code} ${replay.firstDivergence.problem ?? `differs from its replay in ${replay.firstDivergence.columns.join(', ')}`}`
            : `projection: ${replay.dossiers} dossiers replayed, identical to the stored rows`,
        );
        console.log(
          replay.counterDivergence
            ? `counters: ${replay.counterDivergence.agencyCode} on ${replay.counterDivergence.day} differ from the replay`
            : 'counters: identical to the replay',
        );
      },
      { existing: true },
    );
    return failed ? 1 : code;
  }
  if (sub === 'export') {
    const { values } = flags(rest, { agency: { type: 'string' }, period: { type: 'string' }, convention: { type: 'string' }, out: { type: 'string' } });
    if (!values.agency || !values.out) throw new UsageError('usage: dunghan audit export --agency CODE --period P [--convention calendar|report] --out FILE');
    const parsed = reportQuerySchema.safeParse({ period: values.period, ...(values.convention ? { convention: values.convention } : {}) });
    if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0] ?? 'period')}: ${i.message}`).join('\n'));
    return withContext(
      async (ctx) => {
        if (!ctx.catalog.agency(values.agency!)) throw new UsageError(`unknown agency ${values.agency}`);
        const pkg = await exportPackage(ctx.db.pool, { ...ctx.foldContext(), calendar: ctx.calendar }, values.agency!, parsed.data, ctx.now());
        await fs.writeFile(values.out!, JSON.stringify(pkg, null, 1) + '\n');
        console.error(`wrote ${pkg.events.length} events of ${values.agency} for ${pkg.period.label} to ${values.out}`);
      },
      { existing: true },
    );
  }
  if (sub === 'check') {
    const { values, positionals } = parseArgsOrUsage(rest, { json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('usage: dunghan audit check FILE [--json]');
    const pkg = (await readJsonFile(positionals[0]!)) as AuditPackage;
    if (pkg?.format !== 'dunghan-audit-package/1') throw new UsageError(`${positionals[0]} is not a dunghan audit package`);
    const result = checkPackage(pkg);
    const ok = result.brokenLinks.length === 0 && result.differences.length === 0;
    if (values.json) console.log(JSON.stringify({ ok, ...result }, null, 2));
    else {
      console.log(
        `${result.events} events, ${result.brokenLinks.length} broken links${result.brokenLinks.length ? ` (first at position ${result.brokenLinks[0]!.pos})` : ''}`,
      );
      console.log(
        `${result.dossiers} dossiers re-folded; ${result.differences.length ? result.differences.map((d) => `${d.count}: published ${d.published}, recomputed ${d.recomputed}`).join('; ') : 'every count equals the published one'}`,
      );
    }
    return ok ? 0 : 1;
  }
  throw new UsageError('usage: dunghan audit verify [--json] | export --agency CODE --period P --out FILE | check FILE [--json]');
}
