/**
 * `npm run bench`: every benchmark in turn, each in its own process (its own
 * embedded PostgreSQL), then one table of every figure beside its baseline
 * measured in the same run. Each benchmark's own settings pass through the
 * environment (EVENTS, CLIENTS, RUNS, SIZES, ...).
 *
 *   npm run bench                     # all of them (about half an hour on 2 cores)
 *   BENCH=single,ingest npm run bench # some of them
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ratio, round, spread, type Figure } from './results.js';

const ALL = ['calendar', 'catalog', 'single', 'ingest', 'messages', 'sync', 'scale', 'upgrade', 'backup'];
const SCRIPTS: Record<string, string> = {
  calendar: 'calendar.ts',
  catalog: 'catalog-import.ts',
  single: 'single-events.ts',
  ingest: 'ingest.ts',
  messages: 'messages.ts',
  sync: 'sync-import.ts',
  scale: 'scale.ts',
  upgrade: 'upgrade.ts',
  backup: 'backup.ts',
};
const chosen = (process.env.BENCH ?? ALL.join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = chosen.filter((b) => !SCRIPTS[b]);
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${ALL.join(', ')}`);
  process.exit(2);
}

const results = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dunghan-bench-results-')), 'figures.jsonl');
const tsx = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'node_modules', '.bin', 'tsx');
const failed: string[] = [];
for (const name of chosen) {
  console.log(`\n=== bench:${name} ===`);
  const run = spawnSync(tsx, [path.join(path.dirname(new URL(import.meta.url).pathname), SCRIPTS[name]!)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESULTS: results },
  });
  if (run.status !== 0) failed.push(name);
}

const figures: Figure[] = fs.existsSync(results)
  ? fs
      .readFileSync(results, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Figure)
  : [];
const cell = (s: string) => s.replace(/\|/g, '\\|');
console.log(
  `\n## dunghan benchmarks — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}${process.env.DATABASE_URL ? ', DATABASE_URL' : ', embedded PostgreSQL'}`,
);
console.log('median (min–max) of the runs; the baseline is measured in the same run; ratio = figure ÷ baseline (medians)\n');
console.log('| bench | what | figure | baseline | ratio | goal |');
console.log('|---|---|---|---|---|---|');
for (const f of figures) {
  const r = ratio(f);
  console.log(
    `| ${f.bench} | ${cell(f.what)} | ${spread(f.values)} ${f.unit} | ${f.baseline ? `${cell(f.baseline.what)}: ${spread(f.baseline.values)}` : '—'} | ${r === null ? '—' : `${r >= 10 ? round(r) : r.toFixed(2)}×`} | ${f.goal ? cell(f.goal) : ''} |`,
  );
}
if (failed.length) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
